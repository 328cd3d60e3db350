from django.urls import path

from operations import views

urlpatterns = [
    path("stores/<int:store_id>/", views.store_dashboard, name="store-dashboard"),
    path(
        "stores/<int:store_id>/recent-orders/newer/",
        views.recent_orders_newer,
        name="recent-orders-newer",
    ),
    path("stores/<int:store_id>/health/", views.store_health, name="store-health"),
    path("stores/<int:store_id>/recover/", views.store_recover_order, name="store-recover"),
    path("amazon-orders/<int:pk>/", views.amazon_order_page, name="amazon-order-detail"),
    path("amazon-orders/<int:pk>/retry/", views.amazon_order_retry, name="amazon-order-retry"),
    path("orders/", views.commerce_order_list, name="commerce-order-list"),
    path("orders/<int:pk>/", views.commerce_order_page, name="commerce-order-detail"),
    path(
        "orders/<int:pk>/status/",
        views.commerce_order_act,
        {"action": "status"},
        name="commerce-order-status",
    ),
    path(
        "orders/<int:pk>/hold/",
        views.commerce_order_act,
        {"action": "hold"},
        name="commerce-order-hold",
    ),
    path(
        "orders/<int:pk>/unhold/",
        views.commerce_order_act,
        {"action": "unhold"},
        name="commerce-order-unhold",
    ),
    path(
        "orders/<int:pk>/cancel/",
        views.commerce_order_act,
        {"action": "cancel"},
        name="commerce-order-cancel",
    ),
]
