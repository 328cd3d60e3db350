from django.apps import AppConfig
from django.urls import register_converter

from inventory.converters import SkuConverter


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = "Inventory"

    def ready(self):
        # Before any URLconf is imported, so both the pages and the API can use <sku:...>.
        register_converter(SkuConverter, "sku")
