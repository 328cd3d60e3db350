"""Django admin of the Commerce back office.

Writes that carry rules go through the services: websites, stores and store views are
created whole with their order number sequence, statuses are assigned to states keeping
one default per state, and an order's status changes through ``order_status_change`` so
it leaves a history row. Orders, items and history are written by the import only.

Orders number in the millions: their lists never count the whole table, never offer a
filter whose choices come from scanning it, and search by exact number through an index.
"""

from django import forms
from django.contrib import admin
from django.db.models.functions import Lower

from commerce.models import (
    STATE_TRANSITIONS,
    Customer,
    Order,
    OrderItem,
    OrderNumberSequence,
    OrderState,
    OrderStatus,
    OrderStatusHistory,
    OrderStatusState,
    Shipment,
    ShipmentItem,
    StoreGroup,
    StoreView,
    Website,
)
from commerce.selectors import order_status_is_assigned
from commerce.services import (
    order_number_format,
    order_status_assign,
    order_status_change,
    order_status_create,
    order_status_unassign,
    store_group_create,
    store_view_create,
    website_create,
)
from common.admin import LargeTablePaginator, ReadOnlyAdmin, ReadOnlyInline, adopt

# --- Websites, stores, store views --------------------------------------------------------


class WebsiteAddForm(forms.ModelForm):
    store_code = forms.SlugField(max_length=32, label="Store code")
    store_name = forms.CharField(max_length=255, label="Store name")
    store_view_code = forms.SlugField(max_length=32, label="Store view code")
    store_view_name = forms.CharField(max_length=255, label="Store view name")

    class Meta:
        model = Website
        fields = ["code", "name"]

    def clean(self):
        cleaned = super().clean()
        if StoreGroup.objects.filter(code=cleaned.get("store_code")).exists():
            self.add_error("store_code", "A store with this code already exists.")
        if StoreView.objects.filter(code=cleaned.get("store_view_code")).exists():
            self.add_error("store_view_code", "A store view with this code already exists.")
        return cleaned


class WebsiteChangeForm(forms.ModelForm):
    class Meta:
        model = Website
        fields = ["code", "name", "default_group"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_group"].queryset = StoreGroup.objects.filter(website=self.instance)
        self.fields["default_group"].required = True


@admin.register(Website)
class WebsiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "default_group"]
    list_select_related = ["default_group"]
    search_fields = ["code", "name"]
    add_fieldsets = [
        (None, {"fields": ["code", "name"]}),
        (
            "Its first store and store view",
            {"fields": ["store_code", "store_name", "store_view_code", "store_view_name"]},
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return [(None, {"fields": ["code", "name", "default_group"]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = WebsiteChangeForm if obj else WebsiteAddForm
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        adopt(obj, website_create(**form.cleaned_data))


class StoreGroupAddForm(forms.ModelForm):
    store_view_code = forms.SlugField(max_length=32, label="Store view code")
    store_view_name = forms.CharField(max_length=255, label="Store view name")

    class Meta:
        model = StoreGroup
        fields = ["website", "code", "name"]

    def clean_store_view_code(self):
        code = self.cleaned_data["store_view_code"]
        if StoreView.objects.filter(code=code).exists():
            raise forms.ValidationError("A store view with this code already exists.")
        return code


class StoreGroupChangeForm(forms.ModelForm):
    class Meta:
        model = StoreGroup
        fields = ["code", "name", "default_store_view"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_store_view"].queryset = StoreView.objects.filter(group=self.instance)
        self.fields["default_store_view"].required = True


@admin.register(StoreGroup)
class StoreGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "website", "default_store_view"]
    list_select_related = ["website", "default_store_view"]
    list_filter = ["website"]
    search_fields = ["code", "name"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            fields = ["website", "code", "name", "store_view_code", "store_view_name"]
        else:
            fields = ["website", "code", "name", "default_store_view"]
        return [(None, {"fields": fields})]

    def get_readonly_fields(self, request, obj=None):
        return ["website"] if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = StoreGroupChangeForm if obj else StoreGroupAddForm
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        adopt(obj, store_group_create(**form.cleaned_data))


@admin.register(StoreView)
class StoreViewAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "website_name", "is_active", "sort_order", "prefix"]
    list_select_related = ["group__website", "ordernumbersequence"]
    list_filter = ["is_active", "group__website"]
    search_fields = ["code", "name"]
    fields = ["group", "code", "name", "is_active", "sort_order"]

    def get_readonly_fields(self, request, obj=None):
        return ["group"] if obj else []

    @admin.display(description="Website", ordering="group__website__name")
    def website_name(self, view: StoreView) -> str:
        return view.group.website.name

    @admin.display(description="Order number prefix")
    def prefix(self, view: StoreView) -> str:
        sequence = getattr(view, "ordernumbersequence", None)
        return sequence.prefix if sequence else str(view.pk)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        adopt(obj, store_view_create(**form.cleaned_data))


@admin.register(OrderNumberSequence)
class OrderNumberSequenceAdmin(ReadOnlyAdmin):
    """Sequences are moved only by order creation; editing one could reuse a number."""

    list_display = ["store_view", "prefix", "last_value", "next_number"]
    list_select_related = ["store_view__group__website"]
    fields = ["store_view", "prefix", "last_value", "next_number"]
    readonly_fields = fields

    @admin.display(description="Next order number")
    def next_number(self, sequence: OrderNumberSequence) -> str:
        return order_number_format(prefix=sequence.prefix, value=sequence.last_value + 1)


# --- Order statuses --------------------------------------------------------------------


class OrderStatusAddForm(forms.ModelForm):
    state = forms.ChoiceField(choices=OrderState.choices, help_text="The state it belongs to.")
    is_default = forms.BooleanField(
        required=False, help_text="Make it the status orders get when they enter that state."
    )
    visible_on_front = forms.BooleanField(required=False, initial=True)

    class Meta:
        model = OrderStatus
        fields = ["code", "label"]


class OrderStatusStateInline(ReadOnlyInline):
    model = OrderStatusState
    fields = ["state", "is_default", "visible_on_front"]
    readonly_fields = fields
    verbose_name = "assigned state"
    verbose_name_plural = "assigned states (change them under Order status assignments)"


@admin.register(OrderStatus)
class OrderStatusAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "assigned_states"]
    search_fields = ["code", "label"]
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("states")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            fields = ["code", "label", "state", "is_default", "visible_on_front"]
        else:
            fields = ["code", "label"]
        return [(None, {"fields": fields})]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def get_inlines(self, request, obj):
        return [OrderStatusStateInline] if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = OrderStatusAddForm
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description="States")
    def assigned_states(self, status: OrderStatus) -> str:
        return ", ".join(
            f"{assignment.get_state_display()}{' (default)' if assignment.is_default else ''}"
            for assignment in status.states.all()
        )

    def has_delete_permission(self, request, obj=None):
        """A state's default status stays; so do statuses orders carry (PROTECT)."""
        if obj is not None and obj.states.filter(is_default=True).exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        adopt(obj, order_status_create(**form.cleaned_data))


class OrderStatusStateForm(forms.ModelForm):
    # Not the model's is_default: the form must not refuse a second default for the state
    # by the database constraint, since the service moves the flag from the previous one.
    make_default = forms.BooleanField(
        required=False,
        label="Default status of the state",
        help_text="Orders entering the state get this status; the previous default yields.",
    )

    class Meta:
        model = OrderStatusState
        fields = ["status", "state", "visible_on_front"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["make_default"].initial = self.instance.is_default

    def clean_make_default(self):
        make_default = self.cleaned_data["make_default"]
        if self.instance.is_default and not make_default:
            raise forms.ValidationError(
                "Every state keeps one default status: make another status the default instead."
            )
        return make_default


@admin.register(OrderStatusState)
class OrderStatusStateAdmin(admin.ModelAdmin):
    """Assigning a status to a state; making it the default moves the flag atomically."""

    form = OrderStatusStateForm
    fields = ["status", "state", "make_default", "visible_on_front"]
    list_display = ["status", "state", "is_default", "visible_on_front"]
    list_select_related = ["status"]
    list_filter = ["state", "is_default"]
    search_fields = ["status__code", "status__label"]
    ordering = ["state", "status__label"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return ["status", "state"] if obj else []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_default:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        assignment = order_status_assign(
            status=obj.status,
            state=obj.state,
            is_default=form.cleaned_data["make_default"],
            visible_on_front=obj.visible_on_front,
        )
        adopt(obj, assignment)

    def delete_model(self, request, obj):
        order_status_unassign(status=obj.status, state=obj.state)


# --- Customers -------------------------------------------------------------------------


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["email", "firstname", "lastname", "website", "created_at"]
    list_select_related = ["website"]
    list_filter = ["website"]
    search_fields = ["email"]
    search_help_text = "The exact email address, in any letter case."
    fields = ["website", "email", "firstname", "lastname", "created_at"]
    readonly_fields = ["created_at"]
    show_full_result_count = False
    paginator = LargeTablePaginator

    def get_search_results(self, request, queryset, search_term):
        """Exact email through the unique lower(email) index: no scan of every customer."""
        term = search_term.strip().lower()
        if not term:
            return queryset, False
        return queryset.alias(email_lower=Lower("email")).filter(email_lower=term), False


# --- Orders ----------------------------------------------------------------------------


class OrderStatusChangeForm(forms.ModelForm):
    """Staff move an order's state and status; the rules are the service's."""

    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Kept in the order's status history.",
    )

    class Meta:
        model = Order
        fields = ["state", "status"]

    def clean(self):
        cleaned = super().clean()
        state, status = cleaned.get("state"), cleaned.get("status")
        current = self.instance.state
        if state and state != current and state not in STATE_TRANSITIONS[current]:
            self.add_error(
                "state",
                f"An order cannot move from {OrderState(current).label} to "
                f"{OrderState(state).label}.",
            )
        elif state and status and not order_status_is_assigned(status=status, state=state):
            self.add_error("status", f"{status.label} is not assigned to this state.")
        return cleaned


class OrderItemInline(ReadOnlyInline):
    model = OrderItem
    fields = ["sku", "name", "qty_ordered", "qty_shipped", "qty_canceled", "price", "row_total"]
    readonly_fields = fields


class ShipmentInline(ReadOnlyInline):
    model = Shipment
    fields = ["created_at", "comment", "created_by"]
    readonly_fields = fields


class OrderStatusHistoryInline(ReadOnlyInline):
    model = OrderStatusHistory
    fields = ["created_at", "state", "status", "comment", "created_by"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("status", "created_by")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    form = OrderStatusChangeForm
    list_display = [
        "increment_id",
        "store_view",
        "state",
        "status",
        "customer_email",
        "grand_total",
        "currency",
        "created_at",
    ]
    list_select_related = ["store_view__group__website", "status"]
    list_filter = ["state", "status", "store_view"]
    search_fields = ["increment_id"]
    search_help_text = "The exact order number."
    show_full_result_count = False
    paginator = LargeTablePaginator
    inlines = [OrderItemInline, OrderStatusHistoryInline, ShipmentInline]
    fieldsets = [
        (None, {"fields": ["increment_id", "store_view", "created_at", "updated_at"]}),
        ("Status", {"fields": ["state", "status", "comment"]}),
        (
            "Buyer",
            {
                "fields": [
                    "customer",
                    "customer_is_guest",
                    "customer_email",
                    "customer_firstname",
                    "customer_lastname",
                    "shipping_address",
                ]
            },
        ),
        (
            "Totals",
            {
                "fields": [
                    "currency",
                    "subtotal",
                    "shipping_amount",
                    "tax_amount",
                    "discount_amount",
                    "grand_total",
                ]
            },
        ),
    ]
    readonly_fields = [
        "increment_id",
        "store_view",
        "created_at",
        "updated_at",
        "customer",
        "customer_is_guest",
        "customer_email",
        "customer_firstname",
        "customer_lastname",
        "shipping_address",
        "currency",
        "subtotal",
        "shipping_amount",
        "tax_amount",
        "discount_amount",
        "grand_total",
    ]

    def get_search_results(self, request, queryset, search_term):
        """Exact number through the (number, store view) unique index."""
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(increment_id=term), False

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        comment = form.cleaned_data.get("comment", "")
        if form.has_changed():
            order_status_change(
                order=obj,
                state=form.cleaned_data["state"],
                status=form.cleaned_data["status"],
                comment=comment,
                user=request.user,
            )


@admin.register(OrderItem)
class OrderItemAdmin(ReadOnlyAdmin):
    list_display = ["sku", "name", "order", "qty_ordered", "qty_shipped", "qty_canceled"]
    list_select_related = ["order"]
    raw_id_fields = ["order"]
    show_full_result_count = False
    paginator = LargeTablePaginator


@admin.register(OrderStatusHistory)
class OrderStatusHistoryAdmin(ReadOnlyAdmin):
    list_display = ["order", "state", "status", "created_by", "created_at"]
    list_select_related = ["order", "status", "created_by"]
    list_filter = ["state"]
    raw_id_fields = ["order"]
    show_full_result_count = False
    paginator = LargeTablePaginator


class ShipmentItemInline(ReadOnlyInline):
    model = ShipmentItem
    fields = ["order_item", "quantity"]
    readonly_fields = fields


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ["order", "created_at", "created_by"]
    list_select_related = ["order", "created_by"]
    raw_id_fields = ["order"]
    inlines = [ShipmentItemInline]
    show_full_result_count = False
    paginator = LargeTablePaginator
