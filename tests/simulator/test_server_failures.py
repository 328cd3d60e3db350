"""A failure inside the simulator is answered like a failing server, never by a dropped line."""

import threading

import pytest
import requests

from simulator import schema
from simulator.__main__ import parse_arguments
from simulator.server import SimulatorServer
from simulator.state import Simulator

pytestmark = pytest.mark.integration


class BrokenSimulator(Simulator):
    """A simulator with a bug in searchOrders and in its statistics."""

    def search_orders(self, seller_id, params):
        raise RuntimeError("searchOrders bug")

    def stats_json(self):
        raise RuntimeError("statistics bug")


@pytest.fixture
def broken_server():
    simulator = BrokenSimulator(time_scale=1.0)
    server = SimulatorServer(("127.0.0.1", 0), simulator)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield simulator, f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def test_a_bug_behind_an_sp_api_route_answers_amazons_500_and_the_server_keeps_serving(
    broken_server,
):
    # given
    simulator, base_url = broken_server
    simulator.register_seller(
        {
            "sellerId": "A2BROKEN",
            "marketplaceIds": ["ATVPDKIKX0DER"],
            "clientId": "client",
            "clientSecret": "secret",
            "refreshToken": "Atzr|broken",
        }
    )
    session = requests.Session()
    token = session.post(
        f"{base_url}/auth/o2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": "Atzr|broken",
            "client_id": "client",
            "client_secret": "secret",
        },
        timeout=10,
    ).json()["access_token"]

    # when
    failed = session.get(
        f"{base_url}/orders/2026-01-01/orders",
        params={"lastUpdatedAfter": "2026-01-01T00:00:00Z"},
        headers={"x-amz-access-token": token},
        timeout=10,
    )
    after = session.get(f"{base_url}/_simulator/health", timeout=10)

    # then
    assert failed.status_code == 500
    assert failed.json()["errors"][0]["code"] == "InternalFailure"
    assert schema.check(failed.json(), "ErrorList") == []
    assert after.status_code == 200


def test_a_bug_behind_a_control_route_answers_500_with_the_reason(broken_server):
    # given
    _, base_url = broken_server

    # when
    response = requests.get(f"{base_url}/_simulator/stats", timeout=10)

    # then
    assert response.status_code == 500
    assert response.json() == {"error": "RuntimeError: statistics bug"}


@pytest.mark.parametrize(
    "arguments",
    [
        ["--time-scale", "0"],
        ["--time-scale", "-60"],
        ["--save-interval", "0"],
        ["--advance-every", "-1"],
    ],
)
def test_the_command_line_refuses_scales_and_intervals_that_cannot_work(arguments, capsys):
    # when
    with pytest.raises(SystemExit) as refused:
        parse_arguments(arguments)

    # then
    assert refused.value.code == 2
    assert arguments[0] in capsys.readouterr().err
