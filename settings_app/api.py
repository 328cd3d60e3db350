"""REST API of Amazon stores and their order settings.

The same grants as the pages: a store not granted to the user answers 404, an operator's
write 403. Writes go through ``order_settings_update``, whose field errors answer 400.
Secrets are only ever shown masked.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from common.pagination import IdCursorPagination
from settings_app.fields import masked
from settings_app.models import (
    ORDER_SETTINGS_FIELDS,
    AmazonStore,
    CustomerCreation,
    OrderNumberSource,
    OrderSettings,
    OrderStatusMode,
    PendingOrders,
    Region,
    StoreRole,
)
from settings_app.selectors import (
    order_settings_for_store,
    store_get_for_user,
    store_list_with_role_for_user,
)
from settings_app.services import order_settings_update


class WebsiteSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class StoreSerializer(serializers.ModelSerializer):
    region = serializers.ChoiceField(choices=Region.choices, read_only=True)
    marketplace_ids = serializers.ListField(child=serializers.CharField(), read_only=True)
    website = WebsiteSummarySerializer(read_only=True)
    lwa_client_secret = serializers.SerializerMethodField(
        help_text="Masked: never more than the last 4 characters."
    )
    refresh_token = serializers.SerializerMethodField(
        help_text="Masked: never more than the last 4 characters."
    )
    role = serializers.ChoiceField(
        choices=StoreRole.choices,
        read_only=True,
        help_text="What the requesting user may do with this store.",
    )
    import_enabled = serializers.BooleanField(
        source="order_settings.import_enabled", read_only=True, help_text="Import Amazon Orders."
    )

    class Meta:
        model = AmazonStore
        fields = [
            "id",
            "name",
            "seller_id",
            "region",
            "marketplace_ids",
            "website",
            "lwa_client_id",
            "lwa_client_secret",
            "refresh_token",
            "is_active",
            "connected_at",
            "created_at",
            "role",
            "import_enabled",
        ]
        read_only_fields = fields

    def get_lwa_client_secret(self, store: AmazonStore) -> str:
        return masked(store.lwa_client_secret)

    def get_refresh_token(self, store: AmazonStore) -> str:
        return masked(store.refresh_token)


class StoreViewIdField(serializers.IntegerField):
    """A store view by id; whether it may be chosen is the service's rule."""

    def to_representation(self, value):
        return value.pk


class OrderStatusCodeField(serializers.CharField):
    """An order status by code; whether it may be chosen is the service's rule."""

    def to_representation(self, value):
        return value.code


class OrderSettingsSerializer(serializers.ModelSerializer):
    import_enabled = serializers.BooleanField(
        help_text="Import Amazon Orders. While false, the other settings keep their saved "
        "values whatever is sent."
    )
    store_view = StoreViewIdField(
        help_text="Import Into Store View: the id of an active store view of the store's website."
    )
    customer_creation = serializers.ChoiceField(choices=CustomerCreation.choices)
    order_number_source = serializers.ChoiceField(choices=OrderNumberSource.choices)
    pending_orders = serializers.ChoiceField(choices=PendingOrders.choices)
    order_status = serializers.ChoiceField(choices=OrderStatusMode.choices)
    processing_status = OrderStatusCodeField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Processing Order Status: the code of a status assigned to state new or "
        "processing (see /api/order-statuses/). Required when order_status is custom, cleared when "
        "it is default.",
    )
    updated_by = serializers.CharField(
        source="updated_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = OrderSettings
        fields = [*ORDER_SETTINGS_FIELDS, "updated_at", "updated_by"]
        read_only_fields = ["updated_at", "updated_by"]


NOT_GRANTED = OpenApiResponse(description="No such store, or it is not granted to the user.")


@extend_schema(tags=["stores"], summary="The Amazon stores the user may see")
class StoreListApi(generics.ListAPIView):
    serializer_class = StoreSerializer
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return store_list_with_role_for_user(user=self.request.user)


@extend_schema(
    tags=["stores"],
    summary="One Amazon store",
    responses={200: StoreSerializer, 404: NOT_GRANTED},
)
class StoreDetailApi(generics.RetrieveAPIView):
    serializer_class = StoreSerializer

    def get_object(self):
        return store_get_for_user(user=self.request.user, store_id=self.kwargs["store_id"])


WRITE_RESPONSES = {
    200: OrderSettingsSerializer,
    400: OpenApiResponse(description="Invalid settings; errors keyed by field. Nothing changed."),
    403: OpenApiResponse(description="The user is an operator of the store: view only."),
    404: NOT_GRANTED,
}


@extend_schema_view(
    get=extend_schema(
        summary="A store's order settings",
        responses={200: OrderSettingsSerializer, 404: NOT_GRANTED},
    ),
    put=extend_schema(summary="Replace a store's order settings", responses=WRITE_RESPONSES),
    patch=extend_schema(summary="Change some order settings", responses=WRITE_RESPONSES),
)
@extend_schema(tags=["stores"])
class OrderSettingsApi(generics.RetrieveUpdateAPIView):
    serializer_class = OrderSettingsSerializer

    def get_store(self) -> AmazonStore:
        store = store_get_for_user(user=self.request.user, store_id=self.kwargs["store_id"])
        if self.request.method not in SAFE_METHODS and store.role != StoreRole.MANAGER:
            raise PermissionDenied("Only a manager of this store may change its order settings.")
        return store

    def get_object(self):
        return order_settings_for_store(store=self.get_store())

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        store = self.get_store()
        settings = order_settings_for_store(store=store)
        serializer = self.get_serializer(settings, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        if not partial:
            # PUT replaces the whole resource: a processing status left out means none.
            fields.setdefault("processing_status", None)
        try:
            order_settings_update(settings=settings, user=request.user, **fields)
        except DjangoValidationError as invalid:
            raise serializers.ValidationError(invalid.message_dict) from invalid
        saved = order_settings_for_store(store=store)
        return Response(self.get_serializer(saved).data)
