from commerce.models import StoreGroup, StoreView
from settings_app.models import (
    CustomerCreation,
    OrderNumberSource,
    OrderSettingsChange,
    OrderStatusMode,
    PendingOrders,
)
from tests.factories import AmazonStoreFactory, WebsiteFactory


def test_a_new_store_gets_the_default_order_settings(db):
    # given a website chosen when the store is added
    website = WebsiteFactory()

    # when the store is connected
    store = AmazonStoreFactory(website=website)

    # then its settings are the defaults: import on, guest orders, Commerce numbers, reserve
    settings = store.order_settings
    assert settings.import_enabled is True
    assert settings.store_view == website.default_group.default_store_view
    assert settings.customer_creation == CustomerCreation.GUEST
    assert settings.order_number_source == OrderNumberSource.COMMERCE
    assert settings.pending_orders == PendingOrders.RESERVE
    assert settings.order_status == OrderStatusMode.DEFAULT
    assert settings.processing_status is None


def test_the_target_store_view_is_the_websites_default_not_its_first(db):
    # given a website whose default store is a second store, with its own default view
    website = WebsiteFactory()
    code = website.code
    second_group = StoreGroup.objects.create(website=website, code=f"{code}_b", name="B")
    StoreView.objects.create(group=second_group, code=f"{code}_b_first", name="First")
    chosen = StoreView.objects.create(group=second_group, code=f"{code}_b_main", name="Main")
    second_group.default_store_view = chosen
    second_group.save(update_fields=["default_store_view"])
    website.default_group = second_group
    website.save(update_fields=["default_group"])

    # when a store is connected with that website
    store = AmazonStoreFactory(website=website)

    # then its orders go to that default store view
    assert store.order_settings.store_view == chosen


def test_a_new_store_has_no_settings_history(db):
    # given nothing

    # when a store is connected
    store = AmazonStoreFactory()

    # then nobody has changed its settings yet
    assert store.order_settings.updated_by is None
    assert not OrderSettingsChange.objects.filter(store=store).exists()
