from django.urls import path

from operations import api

urlpatterns = [
    path("amazon-orders/", api.AmazonOrderListApi.as_view(), name="api-amazon-order-list"),
    path(
        "amazon-orders/<int:pk>/",
        api.AmazonOrderDetailApi.as_view(),
        name="api-amazon-order-detail",
    ),
    path(
        "amazon-orders/<int:pk>/retry/",
        api.AmazonOrderRetryApi.as_view(),
        name="api-amazon-order-retry",
    ),
    path("stores/<int:store_id>/recover/", api.RecoverApi.as_view(), name="api-store-recover"),
    path("stores/<int:store_id>/health/", api.StoreHealthApi.as_view(), name="api-store-health"),
    path("orders/", api.CommerceOrderListApi.as_view(), name="api-order-list"),
    path("orders/<int:pk>/", api.CommerceOrderDetailApi.as_view(), name="api-order-detail"),
    path("orders/<int:pk>/status/", api.CommerceOrderStatusApi.as_view(), name="api-order-status"),
    path("orders/<int:pk>/hold/", api.CommerceOrderHoldApi.as_view(), name="api-order-hold"),
    path("orders/<int:pk>/unhold/", api.CommerceOrderUnholdApi.as_view(), name="api-order-unhold"),
    path("orders/<int:pk>/cancel/", api.CommerceOrderCancelApi.as_view(), name="api-order-cancel"),
]
