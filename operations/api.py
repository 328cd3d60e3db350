"""REST API of the operations view: Amazon orders, Commerce orders, import health.

The same grants as the pages: an order of a store not granted to the user answers 404, an
operator's action 403; bad filters and bodies answer 400. Lists are keyset cursor pages
(``common.pagination.KeysetCursorPagination``). Amounts come as decimal strings with their
currency and, for people, formatted (``$196.62``); times are ISO 8601 in UTC.
"""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.models import OrderState
from common.pagination import KeysetCursorPagination
from importer.gateway.types import AmazonOrderStatus, FulfillmentChannel
from importer.models import DecisionTrigger, ImportDecision
from operations import actions, words
from operations.selectors import (
    AMAZON_ORDER_KEYSET,
    COMMERCE_ORDER_KEYSET,
    amazon_order_detail,
    amazon_order_get_for_user,
    amazon_order_list,
    commerce_order_detail,
    commerce_order_get_for_user,
    commerce_order_list_for_user,
    health_chart_series,
    import_health,
)
from settings_app.models import StoreRole
from settings_app.selectors import store_get_for_user

ERROR = inline_serializer("Error", fields={"detail": serializers.CharField()})
FIELD_ERRORS = OpenApiResponse(
    description='Bad input: each field with its errors, e.g. {"status": ["…"]}.',
    response=OpenApiTypes.OBJECT,
)
NOT_FOUND = OpenApiResponse(ERROR, description="No such order or store among those granted to you.")
FORBIDDEN = OpenApiResponse(ERROR, description="Operators may view but not act.")
REFUSED = OpenApiResponse(
    ERROR, description="The action does not apply to the order now; the detail says why."
)


def _require_manager(role) -> None:
    if role != StoreRole.MANAGER:
        raise PermissionDenied("Only a manager of the order's store may do this.")


class MoneySerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    currency = serializers.CharField(allow_blank=True)
    formatted = serializers.CharField(help_text="For people, e.g. $196.62.")


def money(amount, currency) -> dict:
    return {
        "amount": None if amount is None else str(amount),
        "currency": currency,
        "formatted": words.money(amount, currency),
    }


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ImportDecision.choices)
    label = serializers.CharField()
    code = serializers.CharField(allow_blank=True, help_text="Why, as a code (see the docs).")
    reason = serializers.CharField(allow_blank=True)
    lines = serializers.ListField(
        child=serializers.CharField(), help_text="The figures behind it, in words."
    )
    details = serializers.JSONField()
    attempts = serializers.IntegerField()


def decision(*, decision, code, reason, details, attempts) -> dict:
    summary = words.decision_summary(
        decision=decision, code=code, reason=reason, details=details, attempts=attempts
    )
    return {
        "decision": decision,
        "label": summary.label,
        "code": code,
        "reason": summary.reason,
        "lines": list(summary.lines),
        "details": details,
        "attempts": attempts,
    }


class CommerceOrderRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    increment_id = serializers.CharField(help_text="The Commerce order number.")


class AmazonOrderRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    store = serializers.IntegerField(source="store_id")
    amazon_order_id = serializers.CharField(help_text="The Amazon order number.")
    status = serializers.ChoiceField(choices=AmazonOrderStatus.choices)
    channel = serializers.ChoiceField(choices=FulfillmentChannel.choices)
    purchased_at = serializers.DateTimeField()
    ship_by_at = serializers.DateTimeField(allow_null=True)
    total = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()
    commerce_order = serializers.SerializerMethodField()

    @extend_schema_field(MoneySerializer)
    def get_total(self, order):
        return money(order.total_amount, order.currency)

    @extend_schema_field(DecisionSerializer)
    def get_decision(self, order):
        return decision(
            decision=order.decision,
            code=order.decision_code,
            reason=order.decision_reason,
            details=order.decision_details,
            attempts=order.attempts,
        )

    @extend_schema_field(CommerceOrderRefSerializer(allow_null=True))
    def get_commerce_order(self, order):
        if order.commerce_order_id is None:
            return None
        return {"id": order.commerce_order_id, "increment_id": order.commerce_order.increment_id}


def amazon_order_row(order) -> dict:
    """One Amazon order as the list returns it; the shape AmazonOrderRowSerializer documents.

    Built by hand rather than by the serializer: a page of 50 rows through DRF's field
    machinery costs several times the query that read them.
    """
    return {
        "id": order.pk,
        "store": order.store_id,
        "amazon_order_id": order.amazon_order_id,
        "status": order.status,
        "channel": order.channel,
        "purchased_at": order.purchased_at,
        "ship_by_at": order.ship_by_at,
        "total": money(order.total_amount, order.currency),
        "decision": decision(
            decision=order.decision,
            code=order.decision_code,
            reason=order.decision_reason,
            details=order.decision_details,
            attempts=order.attempts,
        ),
        "commerce_order": None
        if order.commerce_order_id is None
        else {"id": order.commerce_order_id, "increment_id": order.commerce_order.increment_id},
    }


class AmazonOrderPagination(KeysetCursorPagination):
    keyset = AMAZON_ORDER_KEYSET
    page_size = 50


class CommerceOrderPagination(KeysetCursorPagination):
    keyset = COMMERCE_ORDER_KEYSET
    page_size = 50


class AmazonOrderFilterSerializer(serializers.Serializer):
    store = serializers.IntegerField(help_text="The Amazon store (required).")
    status = serializers.ChoiceField(
        choices=AmazonOrderStatus.choices, required=False, allow_blank=True
    )
    channel = serializers.ChoiceField(
        choices=FulfillmentChannel.choices, required=False, allow_blank=True
    )
    decision = serializers.ChoiceField(
        choices=ImportDecision.choices, required=False, allow_blank=True
    )
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Amazon or Commerce order number or SKU (exact), or the buyer name's start.",
    )

    def validate_search(self, value):
        if "\x00" in value:
            raise serializers.ValidationError("Search text cannot hold a NUL character.")
        return value.strip()


def filter_parameters(serializer_class) -> list[OpenApiParameter]:
    parameters = []
    for name, field in serializer_class().fields.items():
        enum = list(field.choices) if isinstance(field, serializers.ChoiceField) else None
        parameters.append(
            OpenApiParameter(
                name,
                OpenApiTypes.INT
                if isinstance(field, serializers.IntegerField)
                else OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=field.required,
                enum=enum,
                description=str(field.help_text or field.label or ""),
            )
        )
    return parameters


class AmazonOrderListApi(GenericAPIView):
    """One store's Amazon orders, newest purchase first (Recent Orders)."""

    pagination_class = AmazonOrderPagination
    serializer_class = AmazonOrderRowSerializer

    @extend_schema(
        operation_id="amazon_orders_list",
        summary="List a store's Amazon orders",
        description=(
            "The store's mirrored Amazon orders with their import decision, newest purchase "
            "first, as Recent Orders shows them. Filter by Amazon status, channel and "
            "decision; search by Amazon or Commerce number, SKU or buyer name. Cursor "
            "pages: follow `next` and `previous`."
        ),
        parameters=filter_parameters(AmazonOrderFilterSerializer),
        responses={200: AmazonOrderRowSerializer(many=True), 400: FIELD_ERRORS, 404: NOT_FOUND},
        tags=["amazon orders"],
    )
    def get(self, request: Request) -> Response:
        filters = AmazonOrderFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        values = dict(filters.validated_data)
        store = store_get_for_user(user=request.user, store_id=values.pop("store"))
        orders = amazon_order_list(store=store, **values)
        page = self.paginate_queryset(orders)
        return self.get_paginated_response([amazon_order_row(order) for order in page])


class ItemSerializer(serializers.Serializer):
    order_item_id = serializers.CharField()
    sku = serializers.CharField(allow_blank=True)
    asin = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)
    quantity_ordered = serializers.IntegerField()
    quantity_shipped = serializers.IntegerField()
    unit_price = serializers.SerializerMethodField()

    @extend_schema_field(MoneySerializer)
    def get_unit_price(self, item):
        return money(item.unit_price, item.currency)


class StatusChangeRowSerializer(serializers.Serializer):
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.CharField()
    words = serializers.SerializerMethodField()
    amazon_updated_at = serializers.DateTimeField()
    recorded_at = serializers.DateTimeField()

    def get_words(self, row) -> str:
        to_label = words.amazon_status_label(row.to_status)
        if not row.from_status:
            return f"First seen as {to_label}"
        return f"{words.amazon_status_label(row.from_status)} → {to_label}"


class LedgerRowSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    event_type = serializers.CharField()
    event = serializers.CharField(source="get_event_type_display")
    sku = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=12, decimal_places=4)
    object_type = serializers.CharField()
    object_increment_id = serializers.CharField(allow_blank=True)


class CommerceHistoryRowSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    state = serializers.ChoiceField(choices=OrderState.choices)
    status = serializers.CharField(source="status.code")
    status_label = serializers.CharField(source="status.label")
    comment = serializers.CharField(allow_blank=True)
    by = serializers.CharField(source="created_by.get_username", default=None, allow_null=True)


class AmazonOrderDetailApi(APIView):
    @extend_schema_serializer(component_name="AmazonOrderDetail")
    class OutputSerializer(AmazonOrderRowSerializer):
        class DecisionRowSerializer(serializers.Serializer):
            created_at = serializers.DateTimeField()
            trigger = serializers.ChoiceField(choices=DecisionTrigger.choices)
            trigger_label = serializers.SerializerMethodField()
            amazon_status = serializers.CharField()
            by = serializers.CharField(source="user.get_username", default=None, allow_null=True)
            decision = serializers.SerializerMethodField()
            settings_used = serializers.SerializerMethodField(
                help_text="The order settings it was made with, as the settings page names them."
            )

            def get_trigger_label(self, row) -> str:
                return words.trigger_label(row.trigger)

            @extend_schema_field(DecisionSerializer)
            def get_decision(self, row):
                return decision(
                    decision=row.decision,
                    code=row.code,
                    reason=row.reason,
                    details=row.details,
                    attempts=row.attempts,
                )

            @extend_schema_field(OpenApiTypes.OBJECT)
            def get_settings_used(self, row):
                detail = self.context["detail"]
                return dict(
                    words.settings_used_lines(
                        row.settings_used,
                        store_view_names=detail.store_view_names,
                        status_labels=detail.status_labels,
                    )
                )

        buyer_name = serializers.CharField(source="order.buyer_name")
        items = ItemSerializer(many=True, source="detail.items")
        status_history = StatusChangeRowSerializer(many=True, source="detail.status_history")
        decisions = DecisionRowSerializer(many=True, source="detail.decisions")
        ledger = LedgerRowSerializer(many=True, source="detail.ledger")

    @extend_schema(
        operation_id="amazon_orders_retrieve",
        summary="One Amazon order",
        description=(
            "The order with its items, Amazon status timeline, decision history (with the "
            "order settings each decision used), its Commerce order and ledger rows."
        ),
        responses={200: OutputSerializer, 404: NOT_FOUND},
        tags=["amazon orders"],
    )
    def get(self, request: Request, pk: int) -> Response:
        order = amazon_order_get_for_user(user=request.user, pk=pk)
        detail = amazon_order_detail(order=order)
        return Response(amazon_order_body(order, detail))


def amazon_order_body(order, detail) -> dict:
    row = amazon_order_row(order)
    context = {"detail": detail}
    decision_rows = AmazonOrderDetailApi.OutputSerializer.DecisionRowSerializer(
        detail.decisions, many=True, context=context
    ).data
    commerce = None
    if order.commerce_order_id is not None:
        commerce_order = order.commerce_order
        commerce = {
            "id": commerce_order.pk,
            "increment_id": commerce_order.increment_id,
            "state": commerce_order.state,
            "status": commerce_order.status.code,
            "status_label": commerce_order.status.label,
            "customer_email": commerce_order.customer_email,
            "customer_is_guest": commerce_order.customer_is_guest,
            "history": CommerceHistoryRowSerializer(detail.commerce_history, many=True).data,
        }
    return {
        **row,
        "buyer_name": order.buyer_name,
        "items": ItemSerializer(detail.items, many=True).data,
        "status_history": StatusChangeRowSerializer(detail.status_history, many=True).data,
        "decisions": decision_rows,
        "commerce_order": commerce,
        "ledger": LedgerRowSerializer(detail.ledger, many=True).data,
    }


class AmazonOrderRetryApi(APIView):
    @extend_schema(
        operation_id="amazon_orders_retry",
        summary="Retry, or import now",
        description=(
            "Decide an order in error or blocked again now; for one skipped while import "
            "was disabled, import it now. Idempotent. Managers of the order's store only."
        ),
        request=None,
        responses={
            200: AmazonOrderRowSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        tags=["amazon orders"],
    )
    def post(self, request: Request, pk: int) -> Response:
        order = amazon_order_get_for_user(user=request.user, pk=pk)
        _require_manager(order.role)
        try:
            order = actions.retry(amazon_order=order, user=request.user)
        except actions.Refused as refused:
            raise ValidationError({"detail": str(refused)}) from refused
        return Response(amazon_order_row(order))


class RecoverApi(APIView):
    class InputSerializer(serializers.Serializer):
        amazon_order_id = serializers.CharField(
            max_length=64, help_text="The Amazon order number, e.g. 902-1845936-5435065."
        )

        def validate_amazon_order_id(self, value):
            value = value.strip()
            if not value or any(ord(char) < 32 for char in value):
                raise serializers.ValidationError("Enter an Amazon order number.")
            return value

    @extend_schema(
        operation_id="stores_recover_order",
        summary="Recover an order by its Amazon number",
        description=(
            "Fetch one order from Amazon (getOrder), store it and decide it now. An unknown "
            "order or an unreachable Amazon answers 400 with the reason at the field. "
            "Managers of the store only."
        ),
        request=InputSerializer,
        responses={
            200: AmazonOrderRowSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        tags=["amazon orders"],
    )
    def post(self, request: Request, store_id: int) -> Response:
        store = store_get_for_user(user=request.user, store_id=store_id)
        _require_manager(store.role)
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            order = actions.recover(
                store=store,
                amazon_order_id=body.validated_data["amazon_order_id"],
                user=request.user,
            )
        except actions.Refused as refused:
            raise ValidationError({"amazon_order_id": [str(refused)]}) from refused
        return Response(amazon_order_row(order))


# --- Commerce orders ---------------------------------------------------------------------------


class CommerceOrderRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    increment_id = serializers.CharField(help_text="The Commerce order number.")
    store_view = serializers.IntegerField(source="store_view_id")
    store_view_name = serializers.CharField(source="store_view.name")
    state = serializers.ChoiceField(choices=OrderState.choices)
    state_label = serializers.CharField(source="get_state_display")
    status = serializers.CharField(source="status.code")
    status_label = serializers.CharField(source="status.label")
    customer_email = serializers.CharField(allow_blank=True)
    grand_total = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    amazon_order = serializers.SerializerMethodField()

    @extend_schema_field(MoneySerializer)
    def get_grand_total(self, order):
        return money(order.grand_total, order.currency)

    @extend_schema_field(
        inline_serializer(
            "AmazonOrderRef",
            fields={"id": serializers.IntegerField(), "amazon_order_id": serializers.CharField()},
            allow_null=True,
        )
    )
    def get_amazon_order(self, order):
        amazon = getattr(order, "amazon_order", None)
        if amazon is None:
            return None
        return {"id": amazon.pk, "amazon_order_id": amazon.amazon_order_id}


def commerce_order_row(order) -> dict:
    """One Commerce order as the list returns it; the shape CommerceOrderRowSerializer
    documents, built by hand for the same reason as ``amazon_order_row``."""
    amazon = getattr(order, "amazon_order", None)
    return {
        "id": order.pk,
        "increment_id": order.increment_id,
        "store_view": order.store_view_id,
        "store_view_name": order.store_view.name,
        "state": order.state,
        "state_label": order.get_state_display(),
        "status": order.status.code,
        "status_label": order.status.label,
        "customer_email": order.customer_email,
        "grand_total": money(order.grand_total, order.currency),
        "created_at": order.created_at,
        "amazon_order": None
        if amazon is None
        else {"id": amazon.pk, "amazon_order_id": amazon.amazon_order_id},
    }


class CommerceOrderFilterSerializer(serializers.Serializer):
    store_view = serializers.IntegerField(required=False, help_text="A store view id.")
    state = serializers.ChoiceField(choices=OrderState.choices, required=False, allow_blank=True)
    status = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text="A status code."
    )
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="A Commerce or Amazon order number (exact).",
    )

    def validate_search(self, value):
        if "\x00" in value:
            raise serializers.ValidationError("Search text cannot hold a NUL character.")
        return value.strip()

    def validate_status(self, value):
        if "\x00" in value:
            raise serializers.ValidationError("A status code cannot hold a NUL character.")
        return value


class CommerceOrderListApi(GenericAPIView):
    pagination_class = CommerceOrderPagination
    serializer_class = CommerceOrderRowSerializer

    @extend_schema(
        operation_id="orders_list",
        summary="List Commerce orders",
        description=(
            "Commerce orders imported by the Amazon stores granted to you, newest first. "
            "Cursor pages: follow `next` and `previous`."
        ),
        parameters=filter_parameters(CommerceOrderFilterSerializer),
        responses={200: CommerceOrderRowSerializer(many=True), 400: FIELD_ERRORS},
        tags=["orders"],
    )
    def get(self, request: Request) -> Response:
        filters = CommerceOrderFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        orders = commerce_order_list_for_user(user=request.user, **filters.validated_data)
        page = self.paginate_queryset(orders)
        return self.get_paginated_response([commerce_order_row(order) for order in page])


class CommerceOrderDetailSerializer(CommerceOrderRowSerializer):
    class ItemRowSerializer(serializers.Serializer):
        sku = serializers.CharField()
        name = serializers.CharField(allow_blank=True)
        qty_ordered = serializers.DecimalField(max_digits=12, decimal_places=4)
        qty_shipped = serializers.DecimalField(max_digits=12, decimal_places=4)
        qty_canceled = serializers.DecimalField(max_digits=12, decimal_places=4)
        price = serializers.DecimalField(max_digits=14, decimal_places=4)
        row_total = serializers.DecimalField(max_digits=14, decimal_places=4)

    class ShipmentRowSerializer(serializers.Serializer):
        created_at = serializers.DateTimeField()
        comment = serializers.CharField(allow_blank=True)
        items = serializers.SerializerMethodField()

        @extend_schema_field(OpenApiTypes.OBJECT)
        def get_items(self, shipment):
            return [
                {"sku": line.order_item.sku, "quantity": str(line.quantity)}
                for line in shipment.items.all()
            ]

    customer_is_guest = serializers.BooleanField()
    customer_firstname = serializers.CharField(allow_blank=True)
    customer_lastname = serializers.CharField(allow_blank=True)
    shipping_address = serializers.JSONField()
    subtotal = serializers.DecimalField(max_digits=14, decimal_places=4)
    shipping_amount = serializers.DecimalField(max_digits=14, decimal_places=4)
    tax_amount = serializers.DecimalField(max_digits=14, decimal_places=4)
    discount_amount = serializers.DecimalField(max_digits=14, decimal_places=4)
    currency = serializers.CharField()
    items = ItemRowSerializer(many=True)
    history = CommerceHistoryRowSerializer(many=True)
    shipments = ShipmentRowSerializer(many=True)
    ledger = LedgerRowSerializer(many=True)
    actions = serializers.DictField(
        child=serializers.BooleanField(), help_text="Which actions the order's state allows."
    )


def commerce_order_body(order) -> dict:
    detail = commerce_order_detail(order=order)
    body = commerce_order_row(order)
    extra = CommerceOrderDetailSerializer(
        {
            "items": detail.items,
            "history": detail.history,
            "shipments": detail.shipments,
            "ledger": detail.ledger,
        }
    )
    return {
        **body,
        "customer_is_guest": order.customer_is_guest,
        "customer_firstname": order.customer_firstname,
        "customer_lastname": order.customer_lastname,
        "shipping_address": order.shipping_address,
        "subtotal": str(order.subtotal),
        "shipping_amount": str(order.shipping_amount),
        "tax_amount": str(order.tax_amount),
        "discount_amount": str(order.discount_amount),
        "currency": order.currency,
        "items": extra.fields["items"].to_representation(detail.items),
        "history": extra.fields["history"].to_representation(detail.history),
        "shipments": extra.fields["shipments"].to_representation(detail.shipments),
        "ledger": extra.fields["ledger"].to_representation(detail.ledger),
        "actions": actions.commerce_actions_available(order),
    }


class CommerceOrderDetailApi(APIView):
    @extend_schema(
        operation_id="orders_retrieve",
        summary="One Commerce order",
        description="Items, totals, address, history, shipments and ledger rows.",
        responses={200: CommerceOrderDetailSerializer, 404: NOT_FOUND},
        tags=["orders"],
    )
    def get(self, request: Request, pk: int) -> Response:
        order = commerce_order_get_for_user(user=request.user, pk=pk)
        return Response(commerce_order_body(order))


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class StatusChangeSerializer(CommentSerializer):
    status = serializers.CharField(max_length=32, help_text="A status code of the order's state.")


class CommerceOrderActionApi(APIView):
    """Change the status within the state, hold, unhold or cancel: one view per action."""

    action_name = ""
    input_serializer = CommentSerializer

    def post(self, request: Request, pk: int) -> Response:
        order = commerce_order_get_for_user(user=request.user, pk=pk)
        _require_manager(order.role)
        body = self.input_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            actions.commerce_order_act(
                order=order, action=self.action_name, user=request.user, **body.validated_data
            )
        except actions.Refused as refused:
            raise ValidationError({"detail": str(refused)}) from refused
        return Response(commerce_order_body(commerce_order_get_for_user(user=request.user, pk=pk)))


def action_api(name: str, summary: str, description: str, serializer=CommentSerializer):
    def post(self, request: Request, pk: int) -> Response:
        return CommerceOrderActionApi.post(self, request, pk)

    view = type(
        f"CommerceOrder{name.title()}Api",
        (CommerceOrderActionApi,),
        {"action_name": name, "input_serializer": serializer},
    )
    # Each view documents its own function: decorating the inherited one would give every
    # action the last one's operation id and request body.
    view.post = extend_schema(
        operation_id=f"orders_{name}",
        summary=summary,
        description=description + " Managers of the order's store only; recorded with who.",
        request=serializer,
        responses={
            200: CommerceOrderDetailSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        tags=["orders"],
    )(post)
    return view


CommerceOrderStatusApi = action_api(
    "status",
    "Change the status within the state",
    "Give a status assigned to the order's current state.",
    StatusChangeSerializer,
)
CommerceOrderHoldApi = action_api("hold", "Hold the order", "Put the order on hold.")
CommerceOrderUnholdApi = action_api("unhold", "Release the hold", "Take the order off hold.")
CommerceOrderCancelApi = action_api(
    "cancel",
    "Cancel the order",
    "Cancel the order; what it still holds in the reservation ledger is given back once.",
)


# --- Import health ---------------------------------------------------------------------------


class PointSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    count = serializers.IntegerField()


class HealthSerializer(serializers.Serializer):
    last_successful_poll_at = serializers.DateTimeField(allow_null=True)
    last_successful_poll_age_seconds = serializers.IntegerField(allow_null=True)
    cursor = serializers.DateTimeField(
        allow_null=True, help_text="The next poll asks for orders updated after this."
    )
    throttled_until = serializers.DateTimeField(allow_null=True)
    orders_seen = serializers.DictField(child=serializers.IntegerField())
    orders_new = serializers.DictField(child=serializers.IntegerField())
    orders_imported = serializers.DictField(child=serializers.IntegerField())
    poll_errors_last_day = serializers.IntegerField()
    orders_in_error = serializers.IntegerField(help_text="Counted up to 1,001: 1,001 means more.")
    orders_blocked = serializers.IntegerField(help_text="Counted up to 1,001: 1,001 means more.")
    recent_polls = serializers.ListField(child=serializers.DictField())
    backfill = serializers.DictField(allow_null=True)
    imports_per_hour_by_channel = serializers.DictField(child=PointSerializer(many=True))
    decisions_per_day = serializers.DictField(
        child=PointSerializer(many=True), help_text="Counted at most once a minute."
    )


def _points(series) -> dict:
    return {
        key: [{"at": moment, "count": count} for moment, count in points]
        for key, points in series.items()
    }


class StoreHealthApi(APIView):
    @extend_schema(
        operation_id="stores_health",
        summary="Import health of a store",
        description=(
            "Last successful poll and its age, the cursor, throttling, orders seen, new and "
            "imported in the last hour and day, errors, the last polls, a running backfill "
            "with its progress (0 to 1), and the charts' data."
        ),
        responses={200: HealthSerializer, 404: NOT_FOUND},
        tags=["stores"],
    )
    def get(self, request: Request, store_id: int) -> Response:
        store = store_get_for_user(user=request.user, store_id=store_id)
        health = import_health(store=store)
        age = health.last_success_age
        last = health.last_success
        backfill = health.backfill
        return Response(
            {
                "last_successful_poll_at": last and (last.finished_at or last.started_at),
                "last_successful_poll_age_seconds": None
                if age is None
                else int(age.total_seconds()),
                "cursor": health.cursor and health.cursor.updated_after,
                "throttled_until": health.cursor and health.cursor.throttled_until,
                "orders_seen": {"hour": health.seen_hour, "day": health.seen_day},
                "orders_new": {"hour": health.new_hour, "day": health.new_day},
                "orders_imported": {"hour": health.imported_hour, "day": health.imported_day},
                "poll_errors_last_day": health.poll_errors_day,
                "orders_in_error": health.orders_in_error,
                "orders_blocked": health.orders_blocked,
                "recent_polls": [
                    {
                        "started_at": run.started_at,
                        "finished_at": run.finished_at,
                        "outcome": run.outcome,
                        "outcome_label": run.get_outcome_display(),
                        "pages": run.pages,
                        "orders_seen": run.orders_seen,
                        "orders_new": run.orders_created,
                        "orders_changed": run.orders_changed,
                        "unreadable": run.error_count,
                        "message": run.message,
                    }
                    for run in health.recent_runs
                ],
                "backfill": backfill
                and {
                    "since": backfill.since,
                    "until": backfill.until,
                    "pages": backfill.pages,
                    "orders_seen": backfill.orders_seen,
                    "progress": round(backfill.progress, 4),
                },
                **{
                    name: _points(series)
                    for name, series in health_chart_series(store=store).items()
                },
                "generated_at": timezone.now(),
            }
        )
