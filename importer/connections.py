"""How this install reaches Amazon for one store: endpoint, credentials, pacing, retries."""

from django.conf import settings

from importer.gateway.orders import OrdersGateway, RetryPolicy, SellerAccount
from importer.gateway.wire import DEFAULT_LWA_TOKEN_URL, SP_API_HOST_BY_REGION, SellerCredentials
from importer.rate_limits import shared_rate_limiter
from settings_app.models import AmazonStore


def sp_api_endpoint(region: str) -> str:
    return settings.SP_API_ENDPOINT or SP_API_HOST_BY_REGION[region]


def orders_gateway_for_store(store: AmazonStore) -> OrdersGateway:
    return OrdersGateway(
        account=SellerAccount(
            seller_id=store.seller_id,
            region=store.region,
            credentials=SellerCredentials(
                client_id=store.lwa_client_id,
                client_secret=store.lwa_client_secret,
                refresh_token=store.refresh_token,
            ),
        ),
        endpoint=sp_api_endpoint(store.region),
        token_url=settings.LWA_TOKEN_URL or DEFAULT_LWA_TOKEN_URL,
        limiter=shared_rate_limiter(),
        timeout=settings.SP_API_TIMEOUT_SECONDS,
        retry=RetryPolicy(
            attempts=settings.SP_API_RETRY_ATTEMPTS,
            base_seconds=settings.SP_API_RETRY_BASE_SECONDS,
        ),
        max_wait=settings.SP_API_MAX_WAIT_SECONDS,
    )
