from django.urls import path

from settings_app import views

urlpatterns = [
    path("", views.store_list, name="store-list"),
    path("<int:store_id>/order-settings/", views.order_settings, name="order-settings"),
]
