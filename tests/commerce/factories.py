"""Commerce factories; orders go through the service so they get numbers and history."""

from decimal import Decimal

import factory

from commerce.models import Customer, OrderState, StoreView
from commerce.services import OrderLine, order_create, order_status_create
from tests.factories import default_website


def default_store_view() -> StoreView:
    return StoreView.objects.get(code="default")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    website = factory.LazyFunction(default_website)
    email = factory.Sequence(lambda n: f"buyer{n}@marketplace.amazon.com")
    firstname = "Jane"
    lastname = factory.Sequence(lambda n: f"Buyer{n}")


class OrderStatusFactory(factory.Factory):
    """A custom status through the service, assigned to one state (not its default)."""

    class Meta:
        model = dict

    code = factory.Sequence(lambda n: f"custom_{n}")
    label = factory.Sequence(lambda n: f"Custom {n}")
    state = OrderState.NEW

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return order_status_create(**kwargs)

    _build = _create


class OrderFactory(factory.Factory):
    class Meta:
        model = dict

    store_view = factory.LazyFunction(default_store_view)
    items = factory.LazyFunction(
        lambda: [OrderLine(sku="SKU-1", name="Kettle", qty_ordered=Decimal(1), price=Decimal(20))]
    )
    currency = "USD"
    customer_email = factory.Sequence(lambda n: f"guest{n}@marketplace.amazon.com")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return order_create(**kwargs)

    _build = _create
