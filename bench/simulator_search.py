"""One searchOrders page of 100 (with includedData) from a simulator holding many orders.

``python -m bench.simulator_search [--orders 20000] [--runs 50]``: fills an in-process
simulator (no state file, rate limits off), then times the first page and a page deep in
the search, in process and over HTTP on loopback. Needs nothing but the simulator; exits
non-zero when the in-process median passes the target.
"""

import argparse
import http.client
import statistics
import threading
import time
from collections.abc import Callable
from urllib.parse import urlencode

from simulator.server import SimulatorServer
from simulator.state import Simulator

SELLER_ID = "A2SELLERBENCH"
CREDENTIALS = {"clientId": "bench", "clientSecret": "bench", "refreshToken": "Atzr|bench"}
SEARCH = {
    "lastUpdatedAfter": "2020-01-01T00:00:00Z",
    "includedData": "BUYER,RECIPIENT,PROCEEDS,CANCELLATION,FULFILLMENT",
    "maxResultsPerPage": "100",
}
TARGET_MS = 10.0


def filled_simulator(order_count: int) -> Simulator:
    simulator = Simulator(seed=1, rate_limits=False)
    simulator.register_seller(
        {"sellerId": SELLER_ID, "marketplaceIds": ["ATVPDKIKX0DER"], **CREDENTIALS}
    )
    while order_count > 0:
        batch = min(order_count, 10_000)
        simulator.generate({"sellerId": SELLER_ID, "count": batch, "seed": order_count})
        order_count -= batch
    return simulator


def timings_ms(call: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(len(samples) * 0.95) - 1)]


def deep_page_params(simulator: Simulator, pages: int) -> dict[str, list[str]]:
    params = {name: [value] for name, value in SEARCH.items()}
    body = simulator.search_orders(SELLER_ID, params)
    for _ in range(pages - 1):
        token = body.get("pagination", {}).get("nextToken")
        if not token:
            break
        body = simulator.search_orders(SELLER_ID, dict(params, paginationToken=[token]))
    token = body.get("pagination", {}).get("nextToken")
    return dict(params, paginationToken=[token]) if token else params


def http_page(connection: http.client.HTTPConnection, access_token: str) -> None:
    connection.request(
        "GET",
        f"/orders/2026-01-01/orders?{urlencode(SEARCH)}",
        headers={"x-amz-access-token": access_token},
    )
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"searchOrders answered {response.status}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.simulator_search")
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=50)
    arguments = parser.parse_args()

    started = time.perf_counter()
    simulator = filled_simulator(arguments.orders)
    print(f"{arguments.orders} orders generated in {time.perf_counter() - started:.1f} s")
    first = {name: [value] for name, value in SEARCH.items()}
    deep = deep_page_params(simulator, pages=arguments.orders // 200)
    results = {
        "first page, in process": timings_ms(
            lambda: simulator.search_orders(SELLER_ID, first), arguments.runs
        ),
        "middle page, in process": timings_ms(
            lambda: simulator.search_orders(SELLER_ID, deep), arguments.runs
        ),
    }

    server = SimulatorServer(("127.0.0.1", 0), simulator)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connection = http.client.HTTPConnection(*server.server_address[:2])
    try:
        access_token = simulator.issue_access_token(
            {
                "grant_type": "refresh_token",
                "client_id": CREDENTIALS["clientId"],
                "client_secret": CREDENTIALS["clientSecret"],
                "refresh_token": CREDENTIALS["refreshToken"],
            }
        )["access_token"]
        results["first page, over HTTP"] = timings_ms(
            lambda: http_page(connection, access_token), arguments.runs
        )
    finally:
        connection.close()
        server.shutdown()
        server.server_close()

    for name, (median, p95) in results.items():
        print(f"{name:26} median {median:7.2f} ms   p95 {p95:7.2f} ms")
    slowest = max(results["first page, in process"][0], results["middle page, in process"][0])
    if slowest > TARGET_MS:
        raise SystemExit(f"A page took {slowest:.2f} ms in process; the target is {TARGET_MS} ms.")


if __name__ == "__main__":
    main()
