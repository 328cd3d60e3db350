import pytest

from settings_app.models import StoreRole
from tests.factories import AmazonStoreFactory, StoreAccessFactory


@pytest.fixture
def stranger_store(db):
    """A store nobody in the test was granted."""
    return AmazonStoreFactory()


@pytest.fixture
def manager_of_other_store(db):
    return StoreAccessFactory(store=AmazonStoreFactory(), role=StoreRole.MANAGER).user
