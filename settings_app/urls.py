from django.urls import path
from django.views.generic import TemplateView

# Replaced by the store dashboard views (issue 2).
urlpatterns = [path("", TemplateView.as_view(template_name="base.html"), name="store-list")]
