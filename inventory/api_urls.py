from django.urls import path

from inventory import api

# Sub-resources first: with the path converter a SKU may itself contain slashes.
urlpatterns = [
    path("inventory/", api.InventoryListApi.as_view(), name="api-inventory-list"),
    path(
        "inventory/<path:sku>/reservations/",
        api.ReservationListApi.as_view(),
        name="api-inventory-reservations",
    ),
    path(
        "inventory/<path:sku>/adjust/",
        api.InventoryAdjustApi.as_view(),
        name="api-inventory-adjust",
    ),
    path("inventory/<path:sku>/", api.InventoryDetailApi.as_view(), name="api-inventory-detail"),
]
