"""Fixtures shared by every app's tests."""

import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from rest_framework.test import APIClient

from settings_app.models import StoreRole
from tests.factories import AmazonStoreFactory, StoreAccessFactory, UserFactory

pytest_plugins = ["tests.fixtures.simulator", "tests.fixtures.worker"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 is slow on purpose (about a second a user here); tests only need a hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_api_throttle_counts(settings):
    """The API throttles stay on in every test; each test starts with no request counted.

    Counts would otherwise outlive a test in the shared cache, and a suite making many
    calls as the same user, or anonymously from 127.0.0.1, would end up throttled.
    Failed logins need nothing of the kind: they are rows of the test's own transaction.
    """
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"api-throttle-{uuid.uuid4().hex}",
        },
    }


@pytest.fixture
def store(db):
    return AmazonStoreFactory()


@pytest.fixture
def other_store(db):
    return AmazonStoreFactory()


@pytest.fixture
def manager(store):
    return StoreAccessFactory(store=store, role=StoreRole.MANAGER).user


@pytest.fixture
def operator(store):
    return StoreAccessFactory(store=store, role=StoreRole.OPERATOR).user


# The groups migrations install, with the permissions the tests rely on. A transactional
# test before this one may have flushed them, so they are made again when missing.
GROUP_PERMISSIONS = {
    "Inventory managers": ["adjust_stock", "view_stockitem"],
    "Commerce administrators": ["manage_order_statuses"],
}


def group_member(name: str):
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(*Permission.objects.filter(codename__in=GROUP_PERMISSIONS[name]))
    user = UserFactory()
    user.groups.add(group)
    return user


@pytest.fixture
def inventory_manager(db):
    """In the "Inventory managers" group: adjusts stock, holds no store role."""
    return group_member("Inventory managers")


@pytest.fixture
def commerce_administrator(db):
    """In the "Commerce administrators" group: manages order statuses, holds no store role."""
    return group_member("Commerce administrators")


@pytest.fixture
def inventory_manager_client(client, inventory_manager):
    client.force_login(inventory_manager)
    return client


@pytest.fixture
def inventory_manager_api(inventory_manager):
    api = APIClient()
    api.force_authenticate(inventory_manager)
    return api


@pytest.fixture
def commerce_administrator_client(client, commerce_administrator):
    client.force_login(commerce_administrator)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture
def manager_api(manager):
    api = APIClient()
    api.force_authenticate(manager)
    return api


@pytest.fixture
def operator_api(operator):
    api = APIClient()
    api.force_authenticate(operator)
    return api
