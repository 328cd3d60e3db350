from django.urls import path

from commerce.api import OrderStatusListApi

urlpatterns = [
    path("order-statuses/", OrderStatusListApi.as_view(), name="order-status-list"),
]
