"""import_amazon_order and backfill_amazon_orders, against the simulator over HTTP."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from commerce.models import Order
from importer.models import AmazonOrder, Backfill, BackfillStatus, ImportDecision
from importer.services.backfill import backfill_run, backfill_start
from inventory.services import product_create

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def amazon_order(sp_api, store, *, updated: datetime, status="UNSHIPPED", sku="MUG") -> str:
    return sp_api.create_order(
        store.seller_id,
        order={
            "createdTime": stamp(updated - timedelta(minutes=5)),
            "lastUpdatedTime": stamp(updated),
            "fulfillment": {"fulfilledBy": "MERCHANT", "fulfillmentStatus": status},
            "orderItems": [{"quantityOrdered": 1, "product": {"sellerSku": sku}}],
        },
    )["orderId"]


def test_import_amazon_order_recovers_an_order_the_poller_never_saw(simulated_store, sp_api):
    # given an order in Amazon the mirror has never seen, and its SKU in stock
    product_create(sku="MUG", name="Mug", quantity=5)
    order_id = amazon_order(sp_api, simulated_store, updated=T0 - timedelta(hours=1))

    # when it is imported by id
    out, _ = run("import_amazon_order", str(simulated_store.pk), order_id)

    # then it is mirrored, decided and created, and one line says so
    row = AmazonOrder.objects.get(amazon_order_id=order_id)
    assert row.decision == ImportDecision.CREATED
    assert out.count("\n") == 1
    assert (
        f"Amazon order {order_id}: created (Commerce order {row.commerce_order.increment_id})"
        in out
    )

    # when it is imported again
    run("import_amazon_order", str(simulated_store.pk), order_id)

    # then nothing is duplicated
    assert Order.objects.filter(external_order_id=order_id).count() == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["987654", "113-0000000-0000000"], "Amazon store 987654 does not exist."),
        (["abc", "113-0000000-0000000"], "The store id must be a number"),
        (["{store}", "113-0000000-0000000"], "Amazon has no order 113-0000000-0000000"),
        (["{store}", "  "], "Enter an Amazon order id"),
        (["{store}", "x" * 200], "That is not an Amazon order id"),
    ],
)
def test_import_amazon_order_refuses_bad_input_in_one_line(simulated_store, arguments, message):
    # when the command is given something it cannot act on
    arguments = [argument.format(store=simulated_store.pk) for argument in arguments]
    with pytest.raises(CommandError) as refused:
        run("import_amazon_order", *arguments)

    # then it says why in one line
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_backfill_reads_the_window_with_a_progress_bar_and_completes(
    simulated_store, sp_api, settings
):
    # given forty orders updated over three days, one outside the window
    sp_api.clock(now=stamp(T0))
    for index in range(40):
        amazon_order(sp_api, simulated_store, updated=T0 - timedelta(days=3, hours=-index))
    outside = amazon_order(sp_api, simulated_store, updated=T0 - timedelta(days=10))

    # when the window is backfilled, 10 orders a page
    settings.SP_API_PAGE_SIZE = 10
    out, err = run(
        "backfill_amazon_orders",
        "--store",
        str(simulated_store.pk),
        "--since",
        (T0 - timedelta(days=4)).date().isoformat(),
        "--until",
        stamp(T0 - timedelta(minutes=5)),
    )

    # then every order of the window is mirrored once and the backfill is complete
    assert AmazonOrder.objects.count() == 40
    assert not AmazonOrder.objects.filter(amazon_order_id=outside).exists()
    backfill = Backfill.objects.get()
    assert (backfill.status, backfill.orders_seen, backfill.orders_new) == ("completed", 40, 40)
    assert backfill.progress == 1.0
    assert "completed; " in out and "40 orders (40 new)" in out
    assert "100%" in err


def test_a_stopped_backfill_resumes_where_it_was(simulated_store, sp_api, settings):
    # given thirty orders in the window, read ten a page
    sp_api.clock(now=stamp(T0))
    settings.SP_API_PAGE_SIZE = 10
    for index in range(30):
        amazon_order(sp_api, simulated_store, updated=T0 - timedelta(hours=30 - index))
    since, until = T0 - timedelta(days=2), T0 - timedelta(minutes=5)
    backfill = backfill_start(store=simulated_store, since=since, until=until)

    def stop_after_two_pages(progress):
        if progress.pages == 2:
            raise KeyboardInterrupt

    # when it is stopped after two pages, then started again for the same window
    with pytest.raises(KeyboardInterrupt):
        backfill_run(backfill=backfill, on_page=stop_after_two_pages)
    paused = Backfill.objects.get(pk=backfill.pk)
    resumed = backfill_start(store=simulated_store, since=since, until=until)
    finished = backfill_run(backfill=resumed)

    # then it picked up its own row at page three, and read every order once
    assert (paused.status, paused.pages, paused.orders_seen) == ("paused", 2, 20)
    assert 0 < paused.progress < 1
    assert resumed.pk == backfill.pk
    assert (finished.status, finished.pages, finished.orders_seen) == (
        BackfillStatus.COMPLETED,
        3,
        30,
    )
    assert AmazonOrder.objects.count() == 30
    assert sp_api.stats()["calls"]["searchOrders"] == 3


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--since", "yesterday"], "'yesterday' is not a date"),
        (["--since", "2026-11-10", "--until", "2026-11-01"], "Nothing to backfill"),
        (["--since", "2999-01-01"], "Nothing to backfill"),
    ],
)
def test_a_backfill_refuses_bad_windows_in_one_line(simulated_store, arguments, message):
    with pytest.raises(CommandError) as refused:
        run("backfill_amazon_orders", "--store", str(simulated_store.pk), *arguments)
    assert message in str(refused.value)
    assert not Backfill.objects.exists()


def test_a_backfill_of_an_unknown_store_is_refused(db):
    with pytest.raises(CommandError, match="Amazon store 424242 does not exist"):
        run("backfill_amazon_orders", "--store", "424242", "--since", "2026-11-01")
