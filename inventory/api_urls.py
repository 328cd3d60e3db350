from django.urls import path

from inventory import api

# Sub-resources first: with the sku converter a SKU may itself contain slashes.
urlpatterns = [
    path("inventory/", api.InventoryListApi.as_view(), name="api-inventory-list"),
    path(
        "inventory/<sku:sku>/reservations/",
        api.ReservationListApi.as_view(),
        name="api-inventory-reservations",
    ),
    path(
        "inventory/<sku:sku>/adjust/",
        api.InventoryAdjustApi.as_view(),
        name="api-inventory-adjust",
    ),
    path("inventory/<sku:sku>/", api.InventoryDetailApi.as_view(), name="api-inventory-detail"),
]
