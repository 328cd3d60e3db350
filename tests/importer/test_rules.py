"""The decision table (importer.rules): every channel x every status x every inventory status.

The expected values are written out below as the seed's table reads, row by row, plus
the two statuses the seed leaves out; the test compares the function against them.
"""

import itertools

import pytest

from importer.gateway.types import AmazonOrderStatus as Status
from importer.gateway.types import FulfillmentChannel as Channel
from importer.rules import Action, decide, needs_inventory
from inventory.status import InventoryStatus as Inventory

FBA, FBM = Channel.FBA, Channel.FBM
IN, OUT, DNM = Inventory.IN_STOCK, Inventory.OUT_OF_STOCK, Inventory.DO_NOT_MANAGE

# (channel, status, inventory) -> (create order, reserve) — the seed's table, row by row.
SEED = {}
for channel, status in itertools.product(
    [FBA],
    [
        Status.PENDING,
        Status.PENDING_AVAILABILITY,
        Status.CANCELED,
        Status.UNSHIPPED,
        Status.PARTIALLY_SHIPPED,
    ],
):
    for inventory in (IN, OUT, DNM):
        SEED[channel, status, inventory] = (False, False)
SEED[FBA, Status.SHIPPED, IN] = (True, False)
SEED[FBA, Status.SHIPPED, DNM] = (True, False)
SEED[FBA, Status.SHIPPED, OUT] = (False, False)
for status in (Status.PENDING, Status.PENDING_AVAILABILITY, Status.CANCELED):
    for inventory in (IN, OUT, DNM):
        SEED[FBM, status, inventory] = (False, False)
for status in (Status.UNSHIPPED, Status.PARTIALLY_SHIPPED, Status.SHIPPED):
    SEED[FBM, status, IN] = (True, True)
    SEED[FBM, status, DNM] = (True, True)
    SEED[FBM, status, OUT] = (False, False)
# Not in the seed: InvoiceUnconfirmed reads as Shipped, Unfulfillable as Canceled.
for channel, inventory in itertools.product((FBA, FBM), (IN, OUT, DNM)):
    SEED[channel, Status.INVOICE_UNCONFIRMED, inventory] = SEED[channel, Status.SHIPPED, inventory]
    SEED[channel, Status.UNFULFILLABLE, inventory] = SEED[channel, Status.CANCELED, inventory]

EVERY_CASE = list(itertools.product(Channel, Status, Inventory))


def test_the_expected_table_covers_every_combination_the_enums_have():
    assert set(SEED) == set(EVERY_CASE)


@pytest.mark.parametrize(("channel", "status", "inventory"), EVERY_CASE)
def test_every_combination_decides_as_the_seed_says(channel, status, inventory):
    # when
    decision = decide(channel=channel, status=status, inventory=inventory)

    # then
    assert (decision.create_order, decision.reserve) == SEED[channel, status, inventory]
    assert decision.reason
    assert decision.create_order == (decision.action == Action.CREATE)


@pytest.mark.parametrize(("channel", "status", "inventory"), EVERY_CASE)
def test_a_refusal_for_stock_is_a_block_and_any_other_refusal_waits_or_cancels(
    channel, status, inventory
):
    decision = decide(channel=channel, status=status, inventory=inventory)
    in_stock = decide(channel=channel, status=status, inventory=IN)

    if decision.create_order:
        return
    if in_stock.create_order:
        assert decision.action == Action.BLOCK
    elif status in (Status.CANCELED, Status.UNFULFILLABLE):
        assert decision.action == Action.CANCEL
    else:
        assert decision.action == Action.WAIT


def test_only_a_pending_fbm_order_may_hold_stock_before_it_is_imported():
    holding = {
        (channel, status)
        for channel, status, inventory in EVERY_CASE
        if decide(channel=channel, status=status, inventory=inventory).hold_while_pending
    }
    assert holding == {(FBM, Status.PENDING)}


def test_shipments_are_recorded_for_every_shipped_status_that_creates_an_order():
    for channel, status, inventory in EVERY_CASE:
        decision = decide(channel=channel, status=status, inventory=inventory)
        if decision.create_order:
            shipped = status in (
                Status.SHIPPED,
                Status.PARTIALLY_SHIPPED,
                Status.INVOICE_UNCONFIRMED,
            )
            assert decision.shipped == shipped, (channel, status)


def test_inventory_matters_exactly_where_the_columns_differ():
    for channel, status in itertools.product(Channel, Status):
        differs = decide(channel=channel, status=status, inventory=IN) != decide(
            channel=channel, status=status, inventory=OUT
        )
        assert needs_inventory(channel=channel, status=status) == differs


def test_the_table_reads_plain_strings_too_and_refuses_unknown_values():
    assert decide(channel="fbm", status="unshipped", inventory="in_stock").reserve
    with pytest.raises(ValueError):
        decide(channel="fbm", status="error", inventory="in_stock")
