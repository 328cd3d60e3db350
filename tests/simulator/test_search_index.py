"""searchOrders pages through an index kept beside the stored orders; whatever happens to
the orders, paging through it gives exactly what filtering and sorting them all gives."""

import random

import pytest

from simulator.orders_api import parse_search
from simulator.state import Simulator

SELLERS = ("A2SELLERINDEXA", "A2SELLERINDEXB")
MARKETPLACES = ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"]
QUERIES = [
    {"lastUpdatedAfter": ["2020-01-01T00:00:00Z"]},
    {"createdAfter": ["2020-01-01T00:00:00Z"]},
    {"lastUpdatedAfter": ["2026-11-20T00:00:00Z"], "lastUpdatedBefore": ["2026-11-21T06:00:00Z"]},
    {"createdAfter": ["2026-11-20T12:00:00.5Z"], "createdBefore": ["2026-11-21T00:00:00Z"]},
    {"lastUpdatedAfter": ["2020-01-01T00:00:00Z"], "fulfillmentStatuses": ["SHIPPED,CANCELLED"]},
    {"lastUpdatedAfter": ["2020-01-01T00:00:00Z"], "fulfilledBy": ["MERCHANT"]},
    {"createdAfter": ["2020-01-01T00:00:00Z"], "marketplaceIds": ["A2EUQ1WTGCTBG2"]},
]


def _simulator(**options) -> Simulator:
    simulator = Simulator(seed=7, rate_limits=False, **options)
    for seller_id in SELLERS:
        simulator.register_seller(
            {
                "sellerId": seller_id,
                "marketplaceIds": MARKETPLACES,
                "clientId": "client",
                "clientSecret": "secret",
                "refreshToken": f"Atzr|{seller_id}",
            }
        )
    return simulator


def _stir(simulator: Simulator) -> None:
    """Orders generated, created by hand with tied timestamps, advanced and set by hand."""
    simulator.set_clock({"now": "2026-11-21T08:00:00Z"})
    for seller_id in SELLERS:
        simulator.generate({"sellerId": seller_id, "count": 150, "seed": 3, "at_start": True})
        simulator.generate({"sellerId": seller_id, "count": 150, "seed": 4})
        for _ in range(5):
            simulator.create_order(
                {"sellerId": seller_id, "order": {"createdTime": "2026-11-21T00:00:00Z"}}
            )
    simulator.set_clock({"offset_seconds": 3600})
    simulator.advance({"steps": 1, "fraction": 0.5})
    simulator.set_clock({"offset_seconds": 3600})
    simulator.advance({"steps": 2, "fraction": 0.3, "sellerId": SELLERS[0]})
    rng = random.Random(11)
    for order_id in rng.sample(sorted(simulator.orders), 20):
        simulator.set_clock({"offset_seconds": 60})
        simulator.set_status(order_id, {"status": "CANCELLED"})
    simulator.set_clock({"offset_seconds": 3600})


def _paged_ids(simulator: Simulator, seller_id: str, params: dict, page_size: int) -> list[str]:
    params = dict(params, maxResultsPerPage=[str(page_size)], includedData=["FULFILLMENT"])
    order_ids: list[str] = []
    token = None
    while True:
        page_params = dict(params, paginationToken=[token]) if token else params
        body = simulator.search_orders(seller_id, page_params)
        assert len(body["orders"]) <= page_size
        order_ids.extend(order["orderId"] for order in body["orders"])
        token = body.get("pagination", {}).get("nextToken")
        if not token:
            return order_ids


def _every_order_filtered_and_sorted(simulator: Simulator, seller_id: str, params) -> list[str]:
    query = parse_search(params, now=simulator.clock.now(), seller_marketplaces=MARKETPLACES)
    window = query.window()
    records = [
        record
        for record in simulator.orders.values()
        if record["sellerId"] == seller_id and query.matches(record["order"], window)
    ]
    records.sort(key=lambda record: query.sort_key(record["order"]))
    return [record["order"]["orderId"] for record in records]


@pytest.fixture(scope="module")
def stirred(tmp_path_factory) -> Simulator:
    simulator = _simulator(state_file=tmp_path_factory.mktemp("index") / "state.json")
    _stir(simulator)
    return simulator


@pytest.mark.parametrize("params", QUERIES)
@pytest.mark.parametrize("page_size", [1, 7, 100])
def test_paging_gives_what_filtering_and_sorting_every_order_gives(stirred, params, page_size):
    # given: orders generated, created with tied timestamps, advanced and cancelled by hand

    for seller_id in SELLERS:
        # when
        paged = _paged_ids(stirred, seller_id, params, page_size)

        # then
        expected = _every_order_filtered_and_sorted(stirred, seller_id, params)
        assert paged == expected
        assert len(set(paged)) == len(paged)


def test_the_queries_compared_are_not_all_empty(stirred):
    assert all(_paged_ids(stirred, SELLERS[0], params, 100) for params in QUERIES)


def test_a_restored_state_pages_the_same(stirred):
    # given
    stirred.save()

    # when
    restored = Simulator(state_file=stirred.state_file, rate_limits=False)

    # then
    for params in QUERIES:
        for seller_id in SELLERS:
            assert _paged_ids(restored, seller_id, params, 50) == _paged_ids(
                stirred, seller_id, params, 50
            )


def test_a_page_stops_at_its_size_and_the_token_resumes_after_its_last_order():
    # given: more orders with one update time than a page holds
    simulator = _simulator()
    simulator.set_clock({"now": "2026-11-21T08:00:00Z"})
    order_ids = sorted(
        simulator.create_order(
            {"sellerId": SELLERS[0], "order": {"createdTime": "2026-11-21T00:00:00Z"}}
        )["orderId"]
        for _ in range(12)
    )

    # when
    paged = _paged_ids(simulator, SELLERS[0], QUERIES[0], 5)

    # then
    assert paged == order_ids
