import pytest
from django.core.exceptions import ValidationError

from commerce.models import OrderState, OrderStatus, OrderStatusState, StoreView
from commerce.services import order_status_create
from settings_app.models import (
    CustomerCreation,
    OrderNumberSource,
    OrderSettings,
    OrderSettingsChange,
    OrderStatusMode,
    PendingOrders,
)
from settings_app.services import order_settings_update
from tests.factories import UserFactory, WebsiteFactory, another_store_view


def saved(store) -> OrderSettings:
    return OrderSettings.objects.get(store=store)


def test_saving_every_setting_stores_them(store, manager):
    # given another store view of the store's website
    view = another_store_view(store.website)

    # when a manager saves a full set of settings
    order_settings_update(
        settings=store.order_settings,
        user=manager,
        import_enabled=True,
        store_view=view.pk,
        customer_creation=CustomerCreation.NEW_ACCOUNT,
        order_number_source=OrderNumberSource.AMAZON,
        pending_orders=PendingOrders.DO_NOT_RESERVE,
        order_status=OrderStatusMode.CUSTOM,
        processing_status="processing",
    )

    # then every value is kept, with who changed it
    settings = saved(store)
    assert settings.store_view == view
    assert settings.customer_creation == CustomerCreation.NEW_ACCOUNT
    assert settings.order_number_source == OrderNumberSource.AMAZON
    assert settings.pending_orders == PendingOrders.DO_NOT_RESERVE
    assert settings.order_status == OrderStatusMode.CUSTOM
    assert settings.processing_status.code == "processing"
    assert settings.updated_by == manager


def test_custom_order_status_without_processing_status_is_refused(store, manager):
    # given default settings

    # when Custom is chosen with no processing status
    with pytest.raises(ValidationError) as refused:
        order_settings_update(
            settings=store.order_settings, user=manager, order_status=OrderStatusMode.CUSTOM
        )

    # then the error is at the processing status and nothing changed
    assert set(refused.value.message_dict) == {"processing_status"}
    assert saved(store).order_status == OrderStatusMode.DEFAULT


@pytest.mark.parametrize("blank", [None, ""])
def test_custom_order_status_with_a_blank_processing_status_is_refused(store, manager, blank):
    # given default settings

    # when Custom is chosen with an empty processing status
    with pytest.raises(ValidationError) as refused:
        order_settings_update(
            settings=store.order_settings,
            user=manager,
            order_status=OrderStatusMode.CUSTOM,
            processing_status=blank,
        )

    # then it is refused at that field
    assert "processing_status" in refused.value.message_dict
    assert saved(store).processing_status is None


def test_an_unknown_processing_status_is_refused(store, manager):
    # given no status with the code "shipped_by_owl"

    # when it is chosen
    with pytest.raises(ValidationError) as refused:
        order_settings_update(
            settings=store.order_settings,
            user=manager,
            order_status=OrderStatusMode.CUSTOM,
            processing_status="shipped_by_owl",
        )

    # then it is refused at that field
    assert set(refused.value.message_dict) == {"processing_status"}


def test_a_status_assigned_to_no_state_is_refused(store, manager):
    # given a custom status that was never assigned to an order state
    OrderStatus.objects.create(code="unassigned", label="Unassigned")

    # when it is chosen as the processing status
    with pytest.raises(ValidationError) as refused:
        order_settings_update(
            settings=store.order_settings,
            user=manager,
            order_status=OrderStatusMode.CUSTOM,
            processing_status="unassigned",
        )

    # then it is refused: no order could carry it
    assert set(refused.value.message_dict) == {"processing_status"}


def test_a_custom_status_assigned_to_a_state_may_be_chosen(store, manager):
    # given a merchant's own status assigned to the processing state
    status = OrderStatus.objects.create(code="amazon_new", label="Amazon: new")
    OrderStatusState.objects.create(status=status, state=OrderState.PROCESSING)

    # when it is chosen
    order_settings_update(
        settings=store.order_settings,
        user=manager,
        order_status=OrderStatusMode.CUSTOM,
        processing_status=status,
    )

    # then it is saved
    assert saved(store).processing_status == status


def test_going_back_to_default_clears_the_processing_status(store, manager):
    # given custom settings with a processing status
    order_settings_update(
        settings=store.order_settings,
        user=manager,
        order_status=OrderStatusMode.CUSTOM,
        processing_status="fraud",
    )

    # when Default is chosen, even with a status still sent along
    order_settings_update(
        settings=saved(store),
        user=manager,
        order_status=OrderStatusMode.DEFAULT,
        processing_status="fraud",
    )

    # then the processing status is cleared
    settings = saved(store)
    assert settings.order_status == OrderStatusMode.DEFAULT
    assert settings.processing_status is None


def test_an_inactive_store_view_is_refused(store, manager):
    # given a store view that is switched off
    view = another_store_view(store.website)
    StoreView.objects.filter(pk=view.pk).update(is_active=False)
    before = saved(store).store_view_id

    # when it is chosen
    with pytest.raises(ValidationError) as refused:
        order_settings_update(settings=store.order_settings, user=manager, store_view=view.pk)

    # then it is refused and the saved view stays
    assert set(refused.value.message_dict) == {"store_view"}
    assert saved(store).store_view_id == before


@pytest.mark.parametrize("missing", [987654321, "not-a-number", None])
def test_a_store_view_that_does_not_exist_is_refused(store, manager, missing):
    # given no store view with that id

    # when it is chosen
    with pytest.raises(ValidationError) as refused:
        order_settings_update(settings=store.order_settings, user=manager, store_view=missing)

    # then it is refused at that field
    assert set(refused.value.message_dict) == {"store_view"}


@pytest.mark.parametrize(
    "field", ["customer_creation", "order_number_source", "pending_orders", "order_status"]
)
def test_a_value_outside_the_choices_is_refused(store, manager, field):
    # given default settings

    # when a value that is not one of the field's options is sent
    with pytest.raises(ValidationError) as refused:
        order_settings_update(settings=store.order_settings, user=manager, **{field: "sometimes"})

    # then it is refused at that field and nothing changed
    assert set(refused.value.message_dict) == {field}
    assert getattr(saved(store), field) != "sometimes"
    assert not OrderSettingsChange.objects.exists()


@pytest.mark.parametrize("not_a_boolean", ["yes", 1, None])
def test_import_must_be_enabled_or_disabled(store, manager, not_a_boolean):
    # given default settings

    # when something other than true/false is sent for the import switch
    with pytest.raises(ValidationError) as refused:
        order_settings_update(
            settings=store.order_settings, user=manager, import_enabled=not_a_boolean
        )

    # then it is refused at that field
    assert set(refused.value.message_dict) == {"import_enabled"}
    assert saved(store).import_enabled is True


def test_every_invalid_field_is_reported_at_once_and_nothing_changes(store, manager):
    # given default settings
    before = saved(store)

    # when one valid and several invalid values are sent together
    with pytest.raises(ValidationError) as refused:
        order_settings_update(
            settings=store.order_settings,
            user=manager,
            customer_creation=CustomerCreation.NEW_ACCOUNT,
            store_view=987654321,
            pending_orders="always",
            order_status=OrderStatusMode.CUSTOM,
        )

    # then each invalid field has its error and even the valid one was not saved
    assert set(refused.value.message_dict) == {"store_view", "pending_orders", "processing_status"}
    after = saved(store)
    assert after.customer_creation == before.customer_creation == CustomerCreation.GUEST
    assert after.updated_at == before.updated_at


def test_disabling_import_keeps_the_other_values_whatever_is_sent(store, manager):
    # given custom settings
    order_settings_update(
        settings=store.order_settings,
        user=manager,
        customer_creation=CustomerCreation.NEW_ACCOUNT,
        order_status=OrderStatusMode.CUSTOM,
        processing_status="processing",
    )

    # when import is disabled and other (even invalid) values are sent with it
    order_settings_update(
        settings=saved(store),
        user=manager,
        import_enabled=False,
        store_view=987654321,
        customer_creation=CustomerCreation.GUEST,
        order_number_source="whatever",
        pending_orders=PendingOrders.DO_NOT_RESERVE,
        order_status=OrderStatusMode.DEFAULT,
        processing_status=None,
    )

    # then only the import switch changed
    settings = saved(store)
    assert settings.import_enabled is False
    assert settings.customer_creation == CustomerCreation.NEW_ACCOUNT
    assert settings.order_number_source == OrderNumberSource.COMMERCE
    assert settings.pending_orders == PendingOrders.RESERVE
    assert settings.order_status == OrderStatusMode.CUSTOM
    assert settings.processing_status.code == "processing"


def test_while_disabled_other_values_cannot_be_changed(store, manager):
    # given import disabled
    order_settings_update(settings=store.order_settings, user=manager, import_enabled=False)

    # when a single other setting is sent on its own
    order_settings_update(
        settings=saved(store), user=manager, customer_creation=CustomerCreation.NEW_ACCOUNT
    )

    # then it is ignored
    assert saved(store).customer_creation == CustomerCreation.GUEST


def test_enabling_import_again_validates_the_other_values(store, manager):
    # given import disabled while the saved store view is switched off
    order_settings_update(settings=store.order_settings, user=manager, import_enabled=False)
    StoreView.objects.filter(pk=saved(store).store_view_id).update(is_active=False)

    # when import is enabled again without choosing another view
    with pytest.raises(ValidationError) as refused:
        order_settings_update(settings=saved(store), user=manager, import_enabled=True)

    # then it is refused until an active view is chosen
    assert set(refused.value.message_dict) == {"store_view"}
    assert saved(store).import_enabled is False


def test_a_save_records_who_changed_what(store, manager):
    # given default settings

    # when a manager changes two settings and sends one unchanged
    order_settings_update(
        settings=store.order_settings,
        user=manager,
        customer_creation=CustomerCreation.NEW_ACCOUNT,
        order_status=OrderStatusMode.CUSTOM,
        processing_status="processing",
        pending_orders=PendingOrders.RESERVE,
    )

    # then one audit row names the user and each changed field's old and new value
    change = OrderSettingsChange.objects.get(store=store)
    assert change.changed_by == manager
    assert change.changes == {
        "customer_creation": {"old": "guest", "new": "new_account"},
        "order_status": {"old": "default", "new": "custom"},
        "processing_status": {"old": None, "new": "processing"},
    }


def test_a_save_that_changes_nothing_leaves_no_audit_row(store, manager):
    # given default settings

    # when the same values are saved again
    order_settings_update(
        settings=store.order_settings,
        user=manager,
        customer_creation=CustomerCreation.GUEST,
        order_status=OrderStatusMode.DEFAULT,
    )

    # then there is nothing to record
    assert not OrderSettingsChange.objects.exists()


def test_the_audit_row_outlives_the_user(store):
    # given a change made by a user who is later deleted
    user = UserFactory()
    order_settings_update(settings=store.order_settings, user=user, import_enabled=False)

    # when the user is deleted
    user.delete()

    # then the change is still recorded
    change = OrderSettingsChange.objects.get(store=store)
    assert change.changed_by is None
    assert change.changes == {"import_enabled": {"old": True, "new": False}}


def test_an_unknown_setting_is_a_programming_error(store, manager):
    # given default settings

    # when a field that is not an order setting is passed
    with pytest.raises(TypeError):
        order_settings_update(settings=store.order_settings, user=manager, refresh_token="x")

    # then nothing was recorded
    assert not OrderSettingsChange.objects.exists()


def test_a_store_view_of_another_website_is_refused(store, manager):
    # given an active store view of a website the Amazon store was not added on
    foreign = WebsiteFactory().default_group.default_store_view
    before = saved(store).store_view_id

    # when it is chosen
    with pytest.raises(ValidationError) as refused:
        order_settings_update(settings=store.order_settings, user=manager, store_view=foreign.pk)

    # then it is refused at its field, naming the store's website, and nothing changes
    assert set(refused.value.message_dict) == {"store_view"}
    assert store.website.name in refused.value.message_dict["store_view"][0]
    assert saved(store).store_view_id == before


def test_a_processing_status_a_new_order_cannot_take_is_refused(store, manager):
    # given a custom status assigned only to state Complete
    finished = order_status_create(code="amazon_done", label="Amazon Done", state="complete")

    # when it is chosen as the Processing Order Status
    with pytest.raises(ValidationError) as refused:
        order_settings_update(
            settings=store.order_settings,
            user=manager,
            order_status="custom",
            processing_status=finished.code,
        )

    # then it is refused: a newly imported order starts in New or Processing
    assert set(refused.value.message_dict) == {"processing_status"}
    assert saved(store).processing_status is None
