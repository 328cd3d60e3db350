"""Fixtures shared by every app's tests."""

import pytest
from rest_framework.test import APIClient

from settings_app.models import StoreRole
from tests.factories import AmazonStoreFactory, StoreAccessFactory

pytest_plugins = ["tests.fixtures.simulator"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 is slow on purpose (about a second a user here); tests only need a hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
