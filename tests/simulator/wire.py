"""Plain HTTP calls to the simulator's Amazon-facing side, as any SP-API client makes them."""

import requests

ALL_INCLUDED_DATA = (
    "BUYER",
    "RECIPIENT",
    "PROCEEDS",
    "EXPENSE",
    "PROMOTION",
    "CANCELLATION",
    "FULFILLMENT",
    "PACKAGES",
    "TAX",
    "PAYMENT",
    "FULFILLMENT_ORDERS",
)
SEARCH_PATH = "/orders/2026-01-01/orders"


class SellerWire:
    def __init__(self, base_url: str, *, client_id: str, client_secret: str, refresh_token: str):
        self.base_url = base_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.refresh_token = refresh_token
        self.session = requests.Session()
        self._access_token: str | None = None

    def request_token(self, **overrides) -> requests.Response:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": self.refresh_token,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            **overrides,
        }
        form = {key: value for key, value in form.items() if value is not None}
        return self.session.post(f"{self.base_url}/auth/o2/token", data=form, timeout=30)

    @property
    def access_token(self) -> str:
        if self._access_token is None:
            response = self.request_token()
            response.raise_for_status()
            self._access_token = response.json()["access_token"]
        return self._access_token

    def forget_access_token(self) -> None:
        self._access_token = None

    def get(self, path: str, params=None, *, token: str | None = None) -> requests.Response:
        return self.session.get(
            f"{self.base_url}{path}",
            params=params,
            headers={"x-amz-access-token": token if token is not None else self.access_token},
            timeout=30,
        )

    def search(self, **params) -> requests.Response:
        return self.get(SEARCH_PATH, params)

    def get_order(self, order_id: str, **params) -> requests.Response:
        return self.get(f"{SEARCH_PATH}/{order_id}", params)

    def search_pages(self, **params) -> list[dict]:
        """Every page body of one search, following nextToken to the end."""
        pages = []
        token = None
        while True:
            page_params = dict(params, paginationToken=token) if token else params
            response = self.search(**page_params)
            assert response.status_code == 200, response.text
            pages.append(response.json())
            token = pages[-1].get("pagination", {}).get("nextToken")
            if not token:
                return pages
