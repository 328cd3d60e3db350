"""What the migrations install, as a new Magento has it: the default website, store and
store view, and the nine standard order statuses with their state assignments."""

from commerce.models import OrderNumberSequence, OrderStatus, OrderStatusState, Website

# code: (label, {state: is_default}) as Magento installs them.
STANDARD_STATUSES = {
    "pending": ("Pending", {"new": True}),
    "pending_payment": ("Pending Payment", {"pending_payment": True}),
    "processing": ("Processing", {"processing": True}),
    "complete": ("Complete", {"complete": True}),
    "closed": ("Closed", {"closed": True}),
    "canceled": ("Canceled", {"canceled": True}),
    "holded": ("On Hold", {"holded": True}),
    "fraud": ("Suspected Fraud", {"processing": False, "payment_review": False}),
    "payment_review": ("Payment Review", {"payment_review": True}),
}


def test_the_default_website_store_and_store_view_are_installed(db):
    # given a freshly migrated database

    # when the base website is read
    website = Website.objects.select_related("default_group__default_store_view").get(code="base")

    # then it leads to its default store and store view, which numbers without a prefix
    group = website.default_group
    view = group.default_store_view
    assert (website.name, group.code, view.code) == (
        "Main Website",
        "main_website_store",
        "default",
    )
    assert group.website_id == website.pk
    assert view.group_id == group.pk
    assert view.is_active
    assert OrderNumberSequence.objects.get(store_view=view).prefix == ""


def test_the_nine_standard_statuses_are_installed_with_their_labels_and_states(db):
    # given a freshly migrated database

    # when every status and its assignments are read
    installed = {
        status.code: (
            status.label,
            {
                assignment.state: assignment.is_default
                for assignment in OrderStatusState.objects.filter(status=status)
            },
        )
        for status in OrderStatus.objects.all()
    }

    # then they are Magento's nine, each assigned as Magento assigns it
    assert installed == STANDARD_STATUSES


def test_every_state_but_one_shows_its_status_to_the_buyer(db):
    # given a freshly migrated database

    # when the assignments hidden from the storefront are read
    hidden = OrderStatusState.objects.filter(visible_on_front=False).values_list(
        "status__code", "state"
    )

    # then only pending payment is hidden, as in Magento
    assert list(hidden) == [("pending_payment", "pending_payment")]
