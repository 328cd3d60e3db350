"""REST API of inventory: stock figures per SKU, a SKU's ledger, quantity adjustments.

Same rules as the pages (``inventory.permissions``): viewing and adjusting are permissions
(403 otherwise); an unknown SKU answers 404; bad input answers 400 with field errors.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.pagination import CheckedCursorPagination
from inventory.models import (
    QUANTITY_DIGITS,
    SKU_MAX_LENGTH,
    Reservation,
    StockItem,
)
from inventory.permissions import CanAdjustInventory, CanViewInventory
from inventory.selectors import reservation_list_for_sku, stock_item_get, stock_item_list
from inventory.services import stock_item_adjust
from inventory.status import InventoryStatus


class InventorySerializer(serializers.Serializer):
    sku = serializers.CharField(source="product.sku")
    name = serializers.CharField(source="product.name")
    enabled = serializers.BooleanField(source="product.enabled")
    stock = serializers.IntegerField(source="stock_id", help_text="The stock id.")
    manage_stock = serializers.BooleanField(
        help_text='False means "Do Not Manage": always salable.'
    )
    is_in_stock = serializers.BooleanField(help_text="The stock status the merchant set.")
    quantity = serializers.DecimalField(**QUANTITY_DIGITS)
    reserved = serializers.DecimalField(
        help_text="Held by open orders: minus the sum of the SKU's ledger rows.", **QUANTITY_DIGITS
    )
    out_of_stock_threshold = serializers.DecimalField(**QUANTITY_DIGITS)
    salable = serializers.DecimalField(
        source="salable_quantity",
        allow_null=True,
        help_text="quantity - reserved - out_of_stock_threshold; null when not managed.",
        **QUANTITY_DIGITS,
    )
    status = serializers.ChoiceField(choices=InventoryStatus.choices)

    def to_representation(self, item: StockItem):
        data = super().to_representation(item)
        if not item.manage_stock:
            data["salable"] = None
        return data


class ReservationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reservation
        fields = [
            "id",
            "sku",
            "quantity",
            "event_type",
            "object_type",
            "object_id",
            "object_increment_id",
            "metadata",
            "created_at",
        ]
        read_only_fields = fields


class StockAdjustSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(
        min_value=0, help_text="The quantity on hand after this adjustment.", **QUANTITY_DIGITS
    )
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class InventoryFilterSerializer(serializers.Serializer):
    """The list's query string. DRF's CharField refuses NUL, which PostgreSQL cannot take."""

    sku = serializers.CharField(
        required=False, allow_blank=True, max_length=SKU_MAX_LENGTH, default=""
    )


class InventoryPagination(CheckedCursorPagination):
    ordering = "sku"

    def position_is_valid(self, position: str) -> bool:
        return "\x00" not in position


class LedgerPagination(CheckedCursorPagination):
    ordering = "-id"

    def position_is_valid(self, position: str) -> bool:
        return position.isascii() and position.isdigit()


SKU_PARAMETER = OpenApiParameter(
    "sku",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The SKU, URL-encoded; slashes and spaces are allowed.",
)
UNKNOWN_SKU = OpenApiResponse(description="No product with this SKU in the stock.")
NOT_ALLOWED = OpenApiResponse(description="The user holds no role on any Amazon store.")


def stock_item_or_404(sku: str) -> StockItem:
    item = stock_item_get(sku=sku)
    if item is None:
        raise Http404("No such SKU.")
    return item


@extend_schema(
    tags=["inventory"],
    summary="Stock figures of every SKU, by SKU",
    parameters=[
        OpenApiParameter("sku", OpenApiTypes.STR, description="Only SKUs starting with this.")
    ],
    responses={
        200: InventorySerializer,
        400: OpenApiResponse(description="Invalid SKU filter; errors keyed by parameter."),
        403: NOT_ALLOWED,
    },
)
class InventoryListApi(generics.ListAPIView):
    serializer_class = InventorySerializer
    pagination_class = InventoryPagination
    permission_classes = [CanViewInventory]

    def get_queryset(self):
        query = InventoryFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return stock_item_list(sku_prefix=query.validated_data["sku"])


@extend_schema(
    tags=["inventory"],
    summary="Stock figures of one SKU",
    parameters=[SKU_PARAMETER],
    responses={200: InventorySerializer, 403: NOT_ALLOWED, 404: UNKNOWN_SKU},
)
class InventoryDetailApi(generics.RetrieveAPIView):
    serializer_class = InventorySerializer
    permission_classes = [CanViewInventory]

    def get_object(self):
        return stock_item_or_404(self.kwargs["sku"])


@extend_schema(
    tags=["inventory"],
    summary="A SKU's reservation ledger, newest first",
    parameters=[SKU_PARAMETER],
    responses={200: ReservationSerializer, 403: NOT_ALLOWED, 404: UNKNOWN_SKU},
)
class ReservationListApi(generics.ListAPIView):
    serializer_class = ReservationSerializer
    pagination_class = LedgerPagination
    permission_classes = [CanViewInventory]

    def get_queryset(self):
        item = stock_item_or_404(self.kwargs["sku"])
        return reservation_list_for_sku(sku=item.product.sku, stock_id=item.stock_id)


@extend_schema(
    tags=["inventory"],
    summary="Set a SKU's quantity on hand (audited)",
    parameters=[SKU_PARAMETER],
    request=StockAdjustSerializer,
    responses={
        200: InventorySerializer,
        400: OpenApiResponse(description="Invalid input; errors keyed by field. Nothing changed."),
        403: OpenApiResponse(description="The user manages no Amazon store."),
        404: UNKNOWN_SKU,
    },
)
class InventoryAdjustApi(APIView):
    permission_classes = [CanAdjustInventory]

    def post(self, request, sku: str):
        stock_item_or_404(sku)
        serializer = StockAdjustSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        stock_item_adjust(sku=sku, user=request.user, **serializer.validated_data)
        return Response(InventorySerializer(stock_item_or_404(sku)).data, status=status.HTTP_200_OK)
