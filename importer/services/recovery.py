"""Recovering one Amazon order by its id: getOrder, mirror, decide, all at once.

For an order the poller never saw (or could not read), asked for by a person (the
dashboard, the API) or by ``manage.py import_amazon_order``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from common.text import shortened
from importer.connections import orders_gateway_for_store
from importer.exceptions import RecoveryFailed
from importer.gateway.errors import AmazonApiError, GatewayError
from importer.models import AmazonOrder, DecisionTrigger
from importer.services.decisions import amazon_orders_decide
from importer.services.mirror import amazon_orders_mirror
from settings_app.models import AmazonStore

AMAZON_ORDER_ID_MAX_LENGTH = 64


def amazon_order_id_checked(value) -> str:
    """An Amazon order id as typed by a person: trimmed, printable, of a sane length."""
    if not isinstance(value, str):
        raise RecoveryFailed("Enter an Amazon order id, e.g. 113-1234567-1234567.")
    order_id = value.strip()
    if not order_id:
        raise RecoveryFailed("Enter an Amazon order id, e.g. 113-1234567-1234567.")
    if len(order_id) > AMAZON_ORDER_ID_MAX_LENGTH or not order_id.isprintable():
        raise RecoveryFailed("That is not an Amazon order id (e.g. 113-1234567-1234567).")
    return order_id


def amazon_order_recover(*, store: AmazonStore, amazon_order_id, user=None) -> AmazonOrder:
    """Fetch one order from Amazon, mirror it and decide it now; the mirrored order.

    Raises RecoveryFailed with a sentence for people: not an order id, unknown to
    Amazon for this seller, Amazon unreachable. Safe to repeat: an order already
    imported is found, not imported twice.
    """
    order_id = amazon_order_id_checked(amazon_order_id)
    if not store.is_active:
        raise RecoveryFailed(f"{store.name} is inactive: nothing is imported from it.")
    try:
        with orders_gateway_for_store(store) as gateway:
            order = gateway.get_order(order_id)
    except AmazonApiError as error:
        if error.status == 404:
            raise RecoveryFailed(
                f"Amazon has no order {order_id} for seller {store.seller_id}."
            ) from error
        raise RecoveryFailed(f"Amazon refused: {shortened(str(error), 300)}") from error
    except GatewayError as error:
        raise RecoveryFailed(
            f"Amazon could not be reached: {shortened(str(error), 300)}"
        ) from error
    with transaction.atomic():
        result = amazon_orders_mirror(store=store, orders=[order], now=timezone.now())
    row = AmazonOrder.objects.get(store=store, amazon_order_id=order.order_id)
    if result.news_ids or row.decided_revision < row.revision or row.retry_at is not None:
        amazon_orders_decide(order_ids=[row.pk], trigger=DecisionTrigger.RECOVER, user=user)
    return AmazonOrder.objects.select_related("commerce_order").get(pk=row.pk)
