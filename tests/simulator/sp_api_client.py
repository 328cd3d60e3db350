"""python-amazon-sp-api's own Orders 2026-01-01 client, pointed at a local simulator."""

from sp_api.api.orders.orders_2026_01_01 import OrdersV20260101
from sp_api.auth import AccessTokenClient
from sp_api.base import Marketplaces


def orders_client(base_url: str, *, refresh_token: str, client_id: str, client_secret: str):
    """The library assumes https and Amazon's hosts; only the scheme and hosts change here."""
    scheme, _, host = base_url.partition("://")

    class LocalAccessTokenClient(AccessTokenClient):
        pass

    LocalAccessTokenClient.scheme = f"{scheme}://"
    LocalAccessTokenClient.host = host

    client = OrdersV20260101(
        Marketplaces.US,
        refresh_token=refresh_token,
        credentials={"lwa_app_id": client_id, "lwa_client_secret": client_secret},
        auth_token_client_class=LocalAccessTokenClient,
    )
    client.endpoint = base_url
    return client
