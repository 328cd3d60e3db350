"""A compact description of the Orders API 2026-01-01 response model, and a checker.

Written for this project from the published model: for each object, the fields it may
carry, their types, and which are required. Values the model lists as the only possible
ones are checked as enumerations. ``check`` returns every problem found, as readable paths.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class ArrayOf:
    item: object


@dataclass(frozen=True)
class OneOf:
    values: tuple[str, ...]


STRING = "string"
INTEGER = "integer"
NUMBER = "number"
DATE_TIME = "date-time"
DECIMAL = "decimal"

FULFILLMENT_STATUS = OneOf(
    (
        "PENDING_AVAILABILITY",
        "PENDING",
        "UNSHIPPED",
        "PARTIALLY_SHIPPED",
        "SHIPPED",
        "CANCELLED",
        "UNFULFILLABLE",
    )
)


def obj(required: tuple[str, ...] = (), **fields) -> dict:
    return {"required": set(required), "fields": fields}


MODEL = {
    "SearchOrdersResponse": obj(
        ("orders",),
        orders=ArrayOf(Ref("Order")),
        pagination=Ref("Pagination"),
        lastUpdatedBefore=DATE_TIME,
        createdBefore=DATE_TIME,
    ),
    "GetOrderResponse": obj(("order",), order=Ref("Order")),
    "Pagination": obj(nextToken=STRING),
    "ErrorList": obj(("errors",), errors=ArrayOf(Ref("Error"))),
    "Error": obj(("code", "message"), code=STRING, message=STRING, details=STRING),
    "Order": obj(
        ("orderId", "createdTime", "lastUpdatedTime", "salesChannel", "orderItems"),
        orderId=STRING,
        orderAliases=ArrayOf(Ref("Alias")),
        createdTime=DATE_TIME,
        lastUpdatedTime=DATE_TIME,
        programs=ArrayOf(STRING),
        associatedOrders=ArrayOf(Ref("AssociatedOrder")),
        salesChannel=Ref("SalesChannel"),
        buyer=Ref("Buyer"),
        recipient=Ref("Recipient"),
        proceeds=Ref("OrderProceeds"),
        payment=Ref("OrderPayment"),
        tax=Ref("OrderTax"),
        fulfillment=Ref("OrderFulfillment"),
        orderItems=ArrayOf(Ref("OrderItem")),
        packages=ArrayOf(Ref("OrderPackage")),
        fulfillmentOrders=ArrayOf(Ref("FulfillmentOrder")),
    ),
    "Alias": obj(("aliasId", "aliasType"), aliasId=STRING, aliasType=OneOf(("SELLER_ORDER_ID",))),
    "AssociatedOrder": obj(
        orderId=STRING,
        associationType=OneOf(("REPLACEMENT_ORIGINAL_ID", "EXCHANGE_ORIGINAL_ID")),
    ),
    "SalesChannel": obj(
        ("channelName",),
        channelName=OneOf(("AMAZON", "NON_AMAZON")),
        marketplaceId=STRING,
        marketplaceName=STRING,
    ),
    "Buyer": obj(
        buyerName=STRING,
        buyerEmail=STRING,
        buyerCompanyName=STRING,
        buyerPurchaseOrderNumber=STRING,
    ),
    "Recipient": obj(deliveryAddress=Ref("CustomerAddress"), deliveryPreference=Ref("Any")),
    "CustomerAddress": obj(
        name=STRING,
        companyName=STRING,
        addressLine1=STRING,
        addressLine2=STRING,
        addressLine3=STRING,
        city=STRING,
        districtOrCounty=STRING,
        stateOrRegion=STRING,
        municipality=STRING,
        postalCode=STRING,
        countryCode=STRING,
        phone=STRING,
        extendedFields=Ref("Any"),
        addressType=OneOf(("RESIDENTIAL", "COMMERCIAL", "PICKUP_POINT")),
    ),
    "OrderProceeds": obj(
        grandTotal=Ref("Money"), breakdowns=ArrayOf(Ref("OrderProceedsBreakdown"))
    ),
    "OrderProceedsBreakdown": obj(
        ("type", "subtotal"),
        type=OneOf(
            ("ITEM", "SHIPPING", "GIFT_WRAP", "COD_FEE", "TAX", "DISCOUNT", "DELIVERY_TIP", "OTHER")
        ),
        status=OneOf(("PENDING", "FINALIZED")),
        subtotal=Ref("Money"),
    ),
    "OrderFulfillment": obj(
        ("fulfillmentStatus",),
        fulfillmentStatus=FULFILLMENT_STATUS,
        fulfilledBy=OneOf(("AMAZON", "MERCHANT")),
        fulfillmentServiceLevel=OneOf(
            (
                "EXPEDITED",
                "FREE_ECONOMY",
                "NEXT_DAY",
                "PRIORITY",
                "SAME_DAY",
                "SECOND_DAY",
                "SCHEDULED",
                "STANDARD",
            )
        ),
        shipByWindow=Ref("DateTimeRange"),
        deliverByWindow=Ref("DateTimeRange"),
        labelPrintingWindow=Ref("DateTimeRange"),
    ),
    "DateTimeRange": obj(earliestDateTime=DATE_TIME, latestDateTime=DATE_TIME),
    "OrderItem": obj(
        ("orderItemId", "quantityOrdered", "product"),
        orderItemId=STRING,
        quantityOrdered=INTEGER,
        measurement=Ref("Measurement"),
        associatedOrderItems=ArrayOf(Ref("Any")),
        programs=ArrayOf(STRING),
        product=Ref("ItemProduct"),
        proceeds=Ref("ItemProceeds"),
        expense=Ref("Any"),
        promotion=Ref("Any"),
        cancellation=Ref("ItemCancellation"),
        fulfillment=Ref("ItemFulfillment"),
        tax=Ref("Any"),
    ),
    "Measurement": obj(("unit", "value"), unit=STRING, value=NUMBER),
    "ItemProduct": obj(
        asin=STRING,
        title=STRING,
        sellerSku=STRING,
        condition=Ref("ItemCondition"),
        price=Ref("ItemPrice"),
        serialNumbers=ArrayOf(STRING),
        customization=Ref("Any"),
    ),
    "ItemCondition": obj(
        conditionType=OneOf(("NEW", "USED", "COLLECTIBLE", "REFURBISHED", "PREORDER", "CLUB")),
        conditionSubtype=STRING,
        conditionNote=STRING,
    ),
    "ItemPrice": obj(unitPrice=Ref("Money"), priceDesignation=OneOf(("BUSINESS_PRICE",))),
    "ItemProceeds": obj(
        proceedsTotal=Ref("Money"), breakdowns=ArrayOf(Ref("ItemProceedsBreakdown"))
    ),
    "ItemProceedsBreakdown": obj(
        ("type", "subtotal"),
        type=STRING,
        subtotal=Ref("Money"),
        detailedBreakdowns=ArrayOf(Ref("Any")),
    ),
    "ItemCancellation": obj(
        cancellationRequest=Ref("ItemCancellationRequest"),
        cancellationExecution=Ref("ItemCancellationExecution"),
    ),
    "ItemCancellationRequest": obj(requester=OneOf(("BUYER",)), cancelReason=STRING),
    "ItemCancellationExecution": obj(
        cancelledBy=OneOf(("BUYER", "MERCHANT", "AMAZON")), cancelReason=STRING
    ),
    "ItemFulfillment": obj(
        quantityFulfilled=INTEGER,
        quantityUnfulfilled=INTEGER,
        picking=Ref("Any"),
        packing=Ref("Any"),
        shipping=Ref("Any"),
    ),
    "OrderPackage": obj(
        ("packageReferenceId",),
        packageReferenceId=STRING,
        createdTime=DATE_TIME,
        packageStatus=Ref("PackageStatus"),
        carrier=STRING,
        shipTime=DATE_TIME,
        shippingService=STRING,
        trackingNumber=STRING,
        shipFromAddress=Ref("Any"),
        packageItems=ArrayOf(Ref("PackageItem")),
    ),
    "PackageStatus": obj(
        ("status",),
        status=OneOf(
            ("PENDING", "IN_TRANSIT", "SHIPPED", "DELIVERED", "CANCELLED", "UNDELIVERABLE")
        ),
        detailedStatus=STRING,
    ),
    "PackageItem": obj(
        ("orderItemId", "quantity"),
        orderItemId=STRING,
        quantity=INTEGER,
        transparencyCodes=ArrayOf(STRING),
    ),
    "OrderPayment": obj(paymentExecutions=ArrayOf(Ref("Any"))),
    "OrderTax": obj(taxRegistrations=ArrayOf(Ref("Any")), taxInvoicing=Ref("Any")),
    "FulfillmentOrder": obj(("fulfillmentOrderId",), fulfillmentOrderId=STRING),
    "Money": obj(("amount", "currencyCode"), amount=DECIMAL, currencyCode=STRING),
}

# Parts of the model the simulator never fills in; only their being objects is checked.
OPAQUE = "Any"


def check(value, definition: str, *, strict: bool = True) -> list[str]:
    """Every way ``value`` departs from the named definition; empty when it conforms.

    ``strict`` also reports fields the model does not define, to catch misspelt names.
    """
    problems: list[str] = []
    _check(value, Ref(definition), "$", problems, strict)
    return problems


def _check(value, spec, path: str, problems: list[str], strict: bool) -> None:
    if isinstance(spec, Ref):
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object ({spec.name}), got {type(value).__name__}")
            return
        if spec.name == OPAQUE:
            return
        definition = MODEL[spec.name]
        for name in sorted(definition["required"] - value.keys()):
            problems.append(f"{path}.{name}: required by {spec.name} but missing")
        for name, field_value in value.items():
            field_spec = definition["fields"].get(name)
            if field_spec is None:
                if strict:
                    problems.append(f"{path}.{name}: not a field of {spec.name}")
                continue
            _check(field_value, field_spec, f"{path}.{name}", problems, strict)
    elif isinstance(spec, ArrayOf):
        if not isinstance(value, list):
            problems.append(f"{path}: expected an array, got {type(value).__name__}")
            return
        for index, element in enumerate(value):
            _check(element, spec.item, f"{path}[{index}]", problems, strict)
    elif isinstance(spec, OneOf):
        if value not in spec.values:
            problems.append(f"{path}: {value!r} is not one of {', '.join(spec.values)}")
    else:
        problem = _check_primitive(value, spec)
        if problem:
            problems.append(f"{path}: {problem}")


def _check_primitive(value, kind: str) -> str | None:
    if kind == INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"expected an integer, got {value!r}"
        return None
    if kind == NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"expected a number, got {value!r}"
        return None
    if not isinstance(value, str):
        return f"expected a string ({kind}), got {value!r}"
    if kind == DATE_TIME:
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return f"{value!r} is not an ISO 8601 date-time"
        if "T" not in value:
            return f"{value!r} has no time part"
    elif kind == DECIMAL:
        try:
            finite = Decimal(value).is_finite()
        except InvalidOperation:
            finite = False
        if not finite:
            return f"{value!r} is not a decimal number"
    return None
