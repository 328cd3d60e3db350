"""Inventory factories. Products go through the service, so each gets its stock item."""

import factory

from inventory.services import product_create


class ProductFactory(factory.Factory):
    class Meta:
        model = dict

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.LazyAttribute(lambda product: f"Product {product.sku}")
    enabled = True
    manage_stock = True
    quantity = 10
    out_of_stock_threshold = 0
    is_in_stock = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return product_create(**kwargs)

    _build = _create
