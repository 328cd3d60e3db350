"""When an Amazon order becomes a Commerce order: the seed's table, as data.

``decide(channel=, status=, inventory=)`` reads one row of ``ORDER_CREATION_TABLE``: the
fulfilment channel and Amazon status pick the row, the order's inventory status picks the
column (In-stock and Do Not Manage share one, as in the seed). It touches no database and
knows nothing of settings; the import applies the store's settings around it.

The seed (Order Creation with MSI) names Pending, PendingAvailability, Canceled, Error,
Unshipped, PartiallyShipped and Shipped. Amazon's Orders API 2026-01-01 has no Error
status. Two statuses the seed does not name get a decision of their own:
InvoiceUnconfirmed (every item shipped, the invoice not yet confirmed) is read as
Shipped, and Unfulfillable (Amazon cannot fulfil it) as Canceled.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from importer.gateway.types import AmazonOrderStatus as Status
from importer.gateway.types import FulfillmentChannel as Channel
from inventory.status import InventoryStatus


class Action(StrEnum):
    WAIT = "wait"  # not importable in this status; decided again when it changes
    CREATE = "create"  # create the Commerce order
    BLOCK = "block"  # importable, but a SKU is out of stock: no order until stock comes
    CANCEL = "cancel"  # Amazon canceled it: no order, and an imported one is canceled


@dataclass(frozen=True)
class Decision:
    action: Action
    create_order: bool
    reserve: bool
    reason: str
    # An FBM order that is only Pending may hold its quantity meanwhile (Pending Orders
    # = Reserve Quantity); whether it does is the store's setting.
    hold_while_pending: bool = False
    # Amazon reports units shipped: the import records the shipment too.
    shipped: bool = False


WAIT_FOR_AMAZON_TO_SHIP = Decision(
    Action.WAIT,
    create_order=False,
    reserve=False,
    reason="Fulfilled by Amazon: the order is created once Amazon has shipped it.",
)
WAIT_FOR_UNSHIPPED = Decision(
    Action.WAIT,
    create_order=False,
    reserve=False,
    reason="Pending on Amazon: the order is created when Amazon marks it Unshipped.",
    hold_while_pending=True,
)
WAIT_FOR_AVAILABILITY = Decision(
    Action.WAIT,
    create_order=False,
    reserve=False,
    reason="A pre-order awaiting availability: the order is created when Amazon marks it "
    "Unshipped.",
)
CANCELED = Decision(
    Action.CANCEL,
    create_order=False,
    reserve=False,
    reason="Canceled on Amazon.",
)
UNFULFILLABLE = Decision(
    Action.CANCEL,
    create_order=False,
    reserve=False,
    reason="Amazon cannot fulfil it (Unfulfillable): treated as canceled.",
)
CREATE_SHIPPED_BY_AMAZON = Decision(
    Action.CREATE,
    create_order=True,
    reserve=False,
    reason="Shipped by Amazon: created without touching the merchant's stock.",
    shipped=True,
)
CREATE_AND_RESERVE = Decision(
    Action.CREATE,
    create_order=True,
    reserve=True,
    reason="Unshipped: created, and its quantity reserved.",
)
CREATE_RESERVE_AND_SHIP = Decision(
    Action.CREATE,
    create_order=True,
    reserve=True,
    reason="Shipped by the merchant: created and reserved, with what Amazon reports shipped.",
    shipped=True,
)
OUT_OF_STOCK = Decision(
    Action.BLOCK,
    create_order=False,
    reserve=False,
    reason="Out of stock: no order until the stock covers it.",
)

# channel, Amazon status -> (In-stock / Do Not Manage, Out-of-stock)
ORDER_CREATION_TABLE: dict[tuple[Channel, Status], tuple[Decision, Decision]] = {
    (Channel.FBA, Status.PENDING): (WAIT_FOR_AMAZON_TO_SHIP, WAIT_FOR_AMAZON_TO_SHIP),
    (Channel.FBA, Status.PENDING_AVAILABILITY): (WAIT_FOR_AMAZON_TO_SHIP, WAIT_FOR_AMAZON_TO_SHIP),
    (Channel.FBA, Status.CANCELED): (CANCELED, CANCELED),
    (Channel.FBA, Status.UNSHIPPED): (WAIT_FOR_AMAZON_TO_SHIP, WAIT_FOR_AMAZON_TO_SHIP),
    (Channel.FBA, Status.PARTIALLY_SHIPPED): (WAIT_FOR_AMAZON_TO_SHIP, WAIT_FOR_AMAZON_TO_SHIP),
    (Channel.FBA, Status.SHIPPED): (CREATE_SHIPPED_BY_AMAZON, OUT_OF_STOCK),
    (Channel.FBA, Status.INVOICE_UNCONFIRMED): (CREATE_SHIPPED_BY_AMAZON, OUT_OF_STOCK),
    (Channel.FBA, Status.UNFULFILLABLE): (UNFULFILLABLE, UNFULFILLABLE),
    (Channel.FBM, Status.PENDING): (WAIT_FOR_UNSHIPPED, WAIT_FOR_UNSHIPPED),
    (Channel.FBM, Status.PENDING_AVAILABILITY): (WAIT_FOR_AVAILABILITY, WAIT_FOR_AVAILABILITY),
    (Channel.FBM, Status.CANCELED): (CANCELED, CANCELED),
    (Channel.FBM, Status.UNSHIPPED): (CREATE_AND_RESERVE, OUT_OF_STOCK),
    (Channel.FBM, Status.PARTIALLY_SHIPPED): (CREATE_RESERVE_AND_SHIP, OUT_OF_STOCK),
    (Channel.FBM, Status.SHIPPED): (CREATE_RESERVE_AND_SHIP, OUT_OF_STOCK),
    (Channel.FBM, Status.INVOICE_UNCONFIRMED): (CREATE_RESERVE_AND_SHIP, OUT_OF_STOCK),
    (Channel.FBM, Status.UNFULFILLABLE): (UNFULFILLABLE, UNFULFILLABLE),
}


def decide(
    *, channel: Channel | str, status: Status | str, inventory: InventoryStatus | str
) -> Decision:
    """The table's decision for one order; raises KeyError for a value no table row names."""
    in_stock, out_of_stock = ORDER_CREATION_TABLE[Channel(channel), Status(status)]
    return out_of_stock if InventoryStatus(inventory) == InventoryStatus.OUT_OF_STOCK else in_stock


def needs_inventory(*, channel: Channel | str, status: Status | str) -> bool:
    """Whether the order's inventory status can change the decision in this status."""
    in_stock, out_of_stock = ORDER_CREATION_TABLE[Channel(channel), Status(status)]
    return in_stock != out_of_stock
