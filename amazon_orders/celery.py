import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amazon_orders.settings")

app = Celery("amazon_orders")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
