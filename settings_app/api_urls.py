from django.urls import path

from settings_app import api

urlpatterns = [
    path("stores/", api.StoreListApi.as_view(), name="api-store-list"),
    path("stores/<int:store_id>/", api.StoreDetailApi.as_view(), name="api-store-detail"),
    path(
        "stores/<int:store_id>/order-settings/",
        api.OrderSettingsApi.as_view(),
        name="api-store-order-settings",
    ),
]
