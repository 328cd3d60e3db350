"""The Order Settings form: it reads what was posted and renders the fields.

It holds no rule of its own: every posted value goes to ``order_settings_update``, whose
field-keyed errors the view puts back on the form.
"""

from django import forms

from settings_app.models import (
    ORDER_SETTINGS_FIELDS,
    CustomerCreation,
    OrderNumberSource,
    OrderSettings,
    OrderStatusMode,
    PendingOrders,
)
from settings_app.selectors import processing_status_choices, store_view_choices

ENABLED, DISABLED = "1", "0"


def _select(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=False, widget=forms.Select)


class OrderSettingsForm(forms.Form):
    import_enabled = forms.TypedChoiceField(
        label="Import Amazon Orders",
        choices=[(ENABLED, "Enabled"), (DISABLED, "Disabled")],
        coerce=lambda value: value == ENABLED,
        help_text="Disabled: Amazon orders still show on the store dashboard, but no "
        "Commerce order is created and the other settings are kept as they are.",
    )
    store_view = _select(
        "Import Into Store View",
        "The Commerce store view imported orders belong to: one of this store's website.",
    )
    customer_creation = _select(
        "Customer Creation",
        "Guest orders keep the buyer's email on the order; a customer account is one per "
        "email and website.",
    )
    order_number_source = _select("Order Number Source")
    pending_orders = _select(
        "Pending Orders",
        "Reserve Quantity holds stock for pending Amazon orders so the store does not oversell.",
    )
    order_status = _select("Order Status")
    processing_status = _select(
        "Processing Order Status",
        "Enabled when Order Status is Custom: the status given to newly imported orders. "
        "Custom statuses assigned to state New or Processing are listed too.",
    )

    def __init__(self, *args, settings: OrderSettings, read_only: bool, **kwargs):
        kwargs.setdefault("initial", self._initial(settings))
        super().__init__(*args, **kwargs)
        self.read_only = read_only
        self.fields["store_view"].widget.choices = self._store_view_options(settings)
        for name, choices in (
            ("customer_creation", CustomerCreation),
            ("order_number_source", OrderNumberSource),
            ("pending_orders", PendingOrders),
            ("order_status", OrderStatusMode),
        ):
            self.fields[name].widget.choices = choices.choices
        self.fields["processing_status"].widget.choices = [
            ("", "— Choose a status —"),
            *((status.code, status.label) for status in processing_status_choices()),
        ]
        self._disable_what_does_not_apply()

    @staticmethod
    def _initial(settings: OrderSettings) -> dict:
        return {
            "import_enabled": ENABLED if settings.import_enabled else DISABLED,
            "store_view": settings.store_view_id,
            "customer_creation": settings.customer_creation,
            "order_number_source": settings.order_number_source,
            "pending_orders": settings.pending_orders,
            "order_status": settings.order_status,
            "processing_status": settings.processing_status.code
            if settings.processing_status
            else "",
        }

    @staticmethod
    def _store_view_options(settings: OrderSettings) -> list[tuple[int, str]]:
        options = [
            (view.pk, str(view))
            for view in store_view_choices(website_id=settings.store.website_id)
        ]
        # A saved view that was deactivated stays visible, so saving shows why it must change.
        if settings.store_view_id not in {pk for pk, _ in options}:
            options.insert(0, (settings.store_view_id, f"{settings.store_view} (inactive)"))
        return options

    def _current(self, name: str) -> str:
        return str(self[name].value() or "")

    def _disable_what_does_not_apply(self) -> None:
        """Render the fields as the page script keeps them, so the page is right without it."""
        importing = self._current("import_enabled") != DISABLED
        custom = self._current("order_status") == OrderStatusMode.CUSTOM
        for name, field in self.fields.items():
            applies = name == "import_enabled" or importing
            if name == "processing_status":
                applies = importing and custom
            if self.read_only or not applies:
                field.widget.attrs["disabled"] = True

    def posted_settings(self) -> dict:
        """The posted settings, as keyword arguments of order_settings_update.

        A field the browser did not send (a disabled one) is left out, so it keeps its
        saved value.
        """
        return {
            name: self.cleaned_data[name] for name in ORDER_SETTINGS_FIELDS if name in self.data
        }
