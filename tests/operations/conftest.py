import pytest

from settings_app.models import StoreRole
from tests.factories import AmazonStoreFactory, StoreAccessFactory

# The importer's simulator fixtures: a store whose seller exists in the running simulator.
from tests.importer.conftest import (  # noqa: F401
    fresh_rate_limits_and_tokens,
    simulated_store,
    sp_api,
)


@pytest.fixture
def stranger_store(db):
    """A store nobody in the test was granted."""
    return AmazonStoreFactory()


@pytest.fixture
def manager_of_other_store(db):
    return StoreAccessFactory(store=AmazonStoreFactory(), role=StoreRole.MANAGER).user
