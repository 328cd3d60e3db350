"""Connecting an Amazon store: what the service refuses, at the field, having saved nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from settings_app.models import AmazonStore, OrderSettings
from settings_app.services import amazon_store_create
from tests.factories import AmazonStoreFactory, default_website


def connect(**overrides) -> AmazonStore:
    fields = {
        "name": "Acme US",
        "seller_id": "A1ACMESELLER",
        "region": "na",
        "marketplace_ids": ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"],
        "website": default_website(),
        "lwa_client_id": "amzn1.application-oa2-client.acme",
        "lwa_client_secret": "amzn1.oa2-cs.v1.acme-client-secret",
        "refresh_token": "Atzr|acme-refresh-token-0123456789",
    }
    fields.update(overrides)
    return amazon_store_create(**fields)


def test_a_store_selling_in_several_marketplaces_is_connected(db):
    # given two marketplaces of one region

    # when the store is connected
    store = connect()

    # then it keeps both, in order, with its settings
    store.refresh_from_db()
    assert store.marketplace_ids == ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"]
    assert OrderSettings.objects.filter(store=store).exists()


@pytest.mark.parametrize(
    "marketplace_ids",
    [
        [],
        "ATVPDKIKX0DER",
        5,
        {"ATVPDKIKX0DER": True},
        [1],
        [None],
        ["atvpdkikx0der"],
        ["ATVPDKIKX0DER; DROP"],
        ["ATVPDKIKX0DER", "ATVPDKIKX0DER"],
    ],
    ids=repr,
)
def test_marketplace_ids_that_are_not_a_list_of_amazon_ids_are_refused(db, marketplace_ids):
    # given a malformed marketplace list

    # when the store is connected with it
    with pytest.raises(ValidationError) as refused:
        connect(marketplace_ids=marketplace_ids)

    # then the marketplaces are named as the reason and nothing was saved
    assert set(refused.value.message_dict) == {"marketplace_ids"}
    assert not AmazonStore.objects.exists()


@pytest.mark.parametrize("secret", ["lwa_client_secret", "refresh_token", "lwa_client_id"])
def test_a_store_without_its_credentials_is_refused(db, secret):
    # given a blank credential

    # when the store is connected
    with pytest.raises(ValidationError) as refused:
        connect(**{secret: ""})

    # then that field is named and nothing was saved
    assert set(refused.value.message_dict) == {secret}
    assert not AmazonStore.objects.exists()


def test_a_seller_already_connected_in_the_region_is_refused(db):
    # given a seller connected in North America
    AmazonStoreFactory(seller_id="A1ACMESELLER", region="na")

    # when the same seller is connected there again, and in Europe
    with pytest.raises(ValidationError) as refused:
        connect()
    in_europe = connect(region="eu", marketplace_ids=["A1PA6795UKMFR9"])

    # then only the second region is a new store
    assert "already exists" in str(refused.value)
    assert AmazonStore.objects.filter(seller_id="A1ACMESELLER").count() == 2
    assert in_europe.region == "eu"


@pytest.mark.parametrize("marketplace_ids", ["5", '"ATVPDKIKX0DER"', '{"a": 1}', "[]"])
def test_the_admin_shows_a_malformed_marketplace_list_at_its_field(
    admin_client, db, marketplace_ids
):
    # given the admin's add form with a malformed marketplace list
    form = {
        "name": "Malformed",
        "seller_id": "A1MALFORMED",
        "region": "na",
        "marketplace_ids": marketplace_ids,
        "website": default_website().pk,
        "lwa_client_id": "amzn1.application-oa2-client.malformed",
        "new_lwa_client_secret": "amzn1.oa2-cs.v1.malformed-secret",
        "new_refresh_token": "Atzr|malformed-refresh-token",
        "access-TOTAL_FORMS": "0",
        "access-INITIAL_FORMS": "0",
    }

    # when it is saved
    response = admin_client.post(reverse("admin:settings_app_amazonstore_add"), form)

    # then the form shows the error at the field and no store exists
    assert response.status_code == 200
    assert "marketplace_ids" in response.context["adminform"].form.errors
    assert not AmazonStore.objects.exists()
