"""Install what a new Magento has: base / main_website_store / default, and the nine
standard order statuses assigned to their states (one default per state)."""

from django.db import migrations

STATUSES = [
    # code, label, [(state, is_default, visible_on_front)]
    ("pending", "Pending", [("new", True, True)]),
    ("pending_payment", "Pending Payment", [("pending_payment", True, False)]),
    ("processing", "Processing", [("processing", True, True)]),
    ("complete", "Complete", [("complete", True, True)]),
    ("closed", "Closed", [("closed", True, True)]),
    ("canceled", "Canceled", [("canceled", True, True)]),
    ("holded", "On Hold", [("holded", True, True)]),
    ("fraud", "Suspected Fraud", [("payment_review", False, True), ("processing", False, True)]),
    ("payment_review", "Payment Review", [("payment_review", True, True)]),
]


def install(apps, schema_editor):
    Website = apps.get_model("commerce", "Website")
    StoreGroup = apps.get_model("commerce", "StoreGroup")
    StoreView = apps.get_model("commerce", "StoreView")
    OrderNumberSequence = apps.get_model("commerce", "OrderNumberSequence")
    OrderStatus = apps.get_model("commerce", "OrderStatus")
    OrderStatusState = apps.get_model("commerce", "OrderStatusState")

    website = Website.objects.create(code="base", name="Main Website")
    group = StoreGroup.objects.create(
        website=website, code="main_website_store", name="Main Website Store"
    )
    view = StoreView.objects.create(group=group, code="default", name="Default Store View")
    group.default_store_view = view
    group.save(update_fields=["default_store_view"])
    website.default_group = group
    website.save(update_fields=["default_group"])
    OrderNumberSequence.objects.create(store_view=view, prefix="")

    for code, label, states in STATUSES:
        status = OrderStatus.objects.create(code=code, label=label)
        for state, is_default, visible in states:
            OrderStatusState.objects.create(
                status=status, state=state, is_default=is_default, visible_on_front=visible
            )


class Migration(migrations.Migration):
    dependencies = [("commerce", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
