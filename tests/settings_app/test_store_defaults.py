from settings_app.models import CustomerCreation, OrderNumberSource, OrderStatusMode, PendingOrders
from tests.factories import AmazonStoreFactory, WebsiteFactory


def test_a_new_store_gets_the_default_order_settings(db):
    # given a website chosen when the store is added
    website = WebsiteFactory()

    # when the store is connected
    store = AmazonStoreFactory(website=website)

    # then its settings are the defaults of the newer seed
    settings = store.order_settings
    assert settings.import_enabled is True
    assert settings.store_view == website.default_group.default_store_view
    assert settings.customer_creation == CustomerCreation.GUEST
    assert settings.order_number_source == OrderNumberSource.COMMERCE
    assert settings.pending_orders == PendingOrders.RESERVE
    assert settings.order_status == OrderStatusMode.DEFAULT
    assert settings.processing_status is None
