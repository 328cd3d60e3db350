from django.urls import path

from commerce.views import order_status_list_page

urlpatterns = [
    path("statuses/", order_status_list_page, name="order-status-list"),
]
