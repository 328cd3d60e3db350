"""Factories shared by every app's tests. App-specific ones live in tests/<app>/."""

from datetime import UTC, datetime

import factory
from django.contrib.auth import get_user_model

from commerce.models import OrderNumberSequence, StoreGroup, StoreView, Website
from commerce.services import website_create
from settings_app.models import Region, StoreAccess, StoreRole
from settings_app.services import amazon_store_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def persist_password(user, create, extracted, **kwargs):
        if create:
            user.save()


class WebsiteFactory(factory.django.DjangoModelFactory):
    """A website with one store and one store view, numbered as Magento numbers them."""

    class Meta:
        model = Website
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"website_{n}")
    name = factory.Sequence(lambda n: f"Website {n}")

    @factory.post_generation
    def with_store_view(website, create, extracted, **kwargs):
        if not create:
            return
        group = StoreGroup.objects.create(
            website=website, code=f"{website.code}_store", name=f"{website.name} Store"
        )
        view = StoreView.objects.create(group=group, code=f"{website.code}_view", name="View")
        OrderNumberSequence.objects.create(store_view=view, prefix=str(view.pk))
        group.default_store_view = view
        group.save(update_fields=["default_store_view"])
        website.default_group = group
        website.save(update_fields=["default_group"])


def default_website() -> Website:
    """The installed website; made again when a transactional test flushed it."""
    existing = Website.objects.filter(code="base").first()
    return existing or website_create(
        code="base",
        name="Main Website",
        store_code="main_website_store",
        store_name="Main Website Store",
        store_view_code="default",
        store_view_name="Default Store View",
    )


class AmazonStoreFactory(factory.Factory):
    """Goes through the service, so every store gets its default order settings."""

    class Meta:
        model = dict

    name = factory.Sequence(lambda n: f"Amazon Store {n}")
    seller_id = factory.Sequence(lambda n: f"A{n:012d}")
    region = Region.NORTH_AMERICA
    marketplace_ids = factory.LazyFunction(lambda: ["ATVPDKIKX0DER"])
    website = factory.LazyFunction(default_website)
    lwa_client_id = factory.Sequence(lambda n: f"amzn1.application-oa2-client.{n:08d}")
    lwa_client_secret = factory.Sequence(lambda n: f"client-secret-{n:08d}")
    refresh_token = factory.Sequence(lambda n: f"Atzr|refresh-token-{n:08d}")
    connected_at = factory.LazyFunction(lambda: datetime(2026, 1, 1, tzinfo=UTC))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return amazon_store_create(**kwargs)

    _build = _create


class StoreAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoreAccess

    user = factory.SubFactory(UserFactory)
    store = factory.SubFactory(AmazonStoreFactory)
    role = StoreRole.MANAGER


def another_store_view(website: Website) -> StoreView:
    """A second active store view on the website's default store, with its own numbers."""
    group = website.default_group
    view = StoreView.objects.create(
        group=group, code=f"{group.code}_extra_{StoreView.objects.count()}", name="Extra view"
    )
    OrderNumberSequence.objects.create(store_view=view, prefix=str(view.pk))
    return view


def standard_statuses_ensure() -> None:
    """The nine statuses migrations install, made again when a transactional test flushed
    them (the same list the migration installs)."""
    from importlib import import_module

    from commerce.models import OrderStatus, OrderStatusState

    installed = import_module("commerce.migrations.0002_install_defaults").STATUSES
    for code, label, states in installed:
        status, _ = OrderStatus.objects.get_or_create(code=code, defaults={"label": label})
        for state, is_default, visible in states:
            OrderStatusState.objects.get_or_create(
                status=status,
                state=state,
                defaults={"is_default": is_default, "visible_on_front": visible},
            )
