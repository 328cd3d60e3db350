import json
from pathlib import Path

import pytest
import redis

from importer.gateway.wire import access_tokens
from importer.rate_limits import REDIS_KEY_PREFIX

TIME_SCALE = 60
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def amazon_json():
    """Load one of our stored Orders API response bodies."""

    def load(name: str):
        return json.loads((FIXTURES / name).read_text())

    return load


@pytest.fixture(autouse=True)
def fresh_rate_limits_and_tokens(settings):
    """Buckets and access tokens outlive a test; each test starts with full buckets."""
    if settings.REDIS_URL:
        client = redis.Redis.from_url(settings.REDIS_URL)
        keys = list(client.scan_iter(f"{REDIS_KEY_PREFIX}*"))
        if keys:
            client.delete(*keys)
        client.close()
    access_tokens.clear()


@pytest.fixture
def sp_api(settings, simulator):
    """The gateway pointed at the simulator, both running 60 times faster than Amazon."""
    settings.SP_API_ENDPOINT = simulator.base_url
    settings.LWA_TOKEN_URL = f"{simulator.base_url}/auth/o2/token"
    settings.SP_API_RATE_SCALE = TIME_SCALE
    settings.SP_API_TIMEOUT_SECONDS = 1.0
    settings.SP_API_RETRY_BASE_SECONDS = 0.05
    settings.SP_API_MAX_WAIT_SECONDS = 10
    simulator.config(time_scale=TIME_SCALE)
    return simulator


@pytest.fixture
def simulated_store(sp_api, store):
    """A store whose seller account exists in the simulator, with the same credentials."""
    sp_api.register_seller(
        seller_id=store.seller_id,
        marketplace_ids=store.marketplace_ids,
        client_id=store.lwa_client_id,
        client_secret=store.lwa_client_secret,
        refresh_token=store.refresh_token,
    )
    return store
