import pytest

from tests.simulator.wire import SellerWire

SELLER_ID = "A2SELLERWIRE"
MARKETPLACES = ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1PA6795UKMFR9", "A1F83G8C2ARO7P"]


def register(simulator, seller_id: str, marketplace_ids=None) -> SellerWire:
    credentials = {
        "client_id": "amzn1.application-oa2-client.wire",
        "client_secret": "wire-client-secret",
        "refresh_token": f"Atzr|wire-{seller_id}",
    }
    simulator.register_seller(
        seller_id, marketplace_ids=marketplace_ids or MARKETPLACES, **credentials
    )
    return SellerWire(simulator.base_url, **credentials)


@pytest.fixture
def seller(simulator) -> SellerWire:
    """A seller in four marketplaces, with rate limits off so tests may call freely."""
    simulator.config(rate_limits=False)
    return register(simulator, SELLER_ID)
