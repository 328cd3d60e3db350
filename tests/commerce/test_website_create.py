import pytest
from django.core.exceptions import ValidationError

from commerce.models import OrderNumberSequence, Website
from commerce.selectors import default_store_view_of_website
from commerce.services import store_group_create, website_create


def test_a_website_is_created_whole_with_its_default_store_and_view(db):
    # given nothing but the installed website
    # when a website is created
    website = website_create(
        code="eu",
        name="Europe",
        store_code="eu_store",
        store_name="Europe Store",
        store_view_code="eu_en",
        store_view_name="English",
    )

    # then its default store and store view exist and the view numbers with its id
    view = default_store_view_of_website(website)
    assert website.default_group.code == "eu_store"
    assert view.code == "eu_en"
    assert OrderNumberSequence.objects.get(store_view=view).prefix == str(view.pk)


def test_a_second_store_does_not_replace_the_website_default(db):
    # given a website with its first store
    website = Website.objects.get(code="base")
    first_default = website.default_group

    # when a second store is added
    group = store_group_create(
        website=website,
        code="outlet",
        name="Outlet",
        store_view_code="outlet_en",
        store_view_name="Outlet English",
    )

    # then the website keeps its default, and the new store defaults to its own view
    website.refresh_from_db()
    assert website.default_group == first_default
    assert group.default_store_view.code == "outlet_en"


def test_a_taken_code_is_refused_and_nothing_is_left_behind(db):
    # given the installed store view code "default"
    # when a website reuses it for its view
    with pytest.raises(ValidationError):
        website_create(
            code="us2",
            name="US 2",
            store_code="us2_store",
            store_name="US 2 Store",
            store_view_code="default",
            store_view_name="Default",
        )

    # then no part of the website was kept
    assert not Website.objects.filter(code="us2").exists()
