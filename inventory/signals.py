"""What the inventory tells whoever listens, without knowing who listens.

``stock_released`` is sent after a transaction that made quantity salable again commits:
a merchant raised a SKU's quantity, or a hold was given back (an order canceled, a
pending hold released, a credit memo). Orders blocked for want of that stock may now go
through; the importer listens for this, the inventory never calls the importer.
"""

from django.db import transaction
from django.dispatch import Signal

# Sent with skus=[...] (sorted) and stock_id.
stock_released = Signal()


def stock_released_on_commit(*, skus, stock_id: int) -> None:
    skus = sorted(set(skus))
    transaction.on_commit(
        lambda: stock_released.send(sender=None, skus=skus, stock_id=stock_id), robust=True
    )
