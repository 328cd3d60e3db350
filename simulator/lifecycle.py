"""Order statuses and the paths an order takes through them, as data."""

from datetime import datetime

from simulator.clock import format_timestamp

FULFILLMENT_STATUSES = (
    "PENDING_AVAILABILITY",
    "PENDING",
    "UNSHIPPED",
    "PARTIALLY_SHIPPED",
    "SHIPPED",
    "CANCELLED",
    "UNFULFILLABLE",
)

# Each plan is the sequence of statuses an order walks through, one step per advance.
PLANS = {
    "standard": ("PENDING", "UNSHIPPED", "SHIPPED"),
    "split_shipment": ("PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED"),
    "preorder": ("PENDING_AVAILABILITY", "PENDING", "UNSHIPPED", "SHIPPED"),
    "cancelled_while_pending": ("PENDING", "CANCELLED"),
    "cancelled_after_unshipped": ("PENDING", "UNSHIPPED", "CANCELLED"),
    "cancelled_after_partial_shipment": ("PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "CANCELLED"),
    "unfulfillable": ("PENDING", "UNFULFILLABLE"),
}

# How often each plan is drawn for a generated order (relative weights).
PLAN_WEIGHTS = {
    "standard": 50,
    "split_shipment": 12,
    "preorder": 6,
    "cancelled_while_pending": 8,
    "cancelled_after_unshipped": 6,
    "cancelled_after_partial_shipment": 3,
    "unfulfillable": 3,
}


class StatusChangeError(ValueError):
    pass


def plan_fits(plan_name: str, *, fulfilled_by: str, channel_name: str, units: int) -> bool:
    """Whether an order of this kind can follow the plan at all."""
    statuses = PLANS[plan_name]
    if "PARTIALLY_SHIPPED" in statuses and units < 2:
        return False
    if "UNFULFILLABLE" in statuses:
        # Amazon only reports this for its own fulfilment of orders placed off Amazon.
        return fulfilled_by == "AMAZON" and channel_name == "NON_AMAZON"
    return not (channel_name == "NON_AMAZON" and fulfilled_by != "AMAZON")


def apply_status(order: dict, status: str, now: datetime) -> None:
    """Put an order (wire shape, all datasets) into ``status`` and stamp it updated at ``now``."""
    if status not in FULFILLMENT_STATUSES:
        raise StatusChangeError(f"Unknown status {status!r}.")
    items = order["orderItems"]
    units = sum(item["quantityOrdered"] for item in items)
    if status == "PARTIALLY_SHIPPED" and units < 2:
        raise StatusChangeError("An order of a single unit cannot be partially shipped.")

    previously_fulfilled = {
        item["orderItemId"]: item.get("fulfillment", {}).get("quantityFulfilled", 0)
        for item in items
    }
    for index, item in enumerate(items):
        ordered = item["quantityOrdered"]
        if status == "SHIPPED":
            fulfilled = ordered
        elif status == "PARTIALLY_SHIPPED":
            fulfilled = ordered - 1 if index == len(items) - 1 else ordered
        elif status == "CANCELLED":
            fulfilled = previously_fulfilled[item["orderItemId"]]
        else:
            fulfilled = 0
        item.setdefault("fulfillment", {})
        item["fulfillment"]["quantityFulfilled"] = fulfilled
        item["fulfillment"]["quantityUnfulfilled"] = ordered - fulfilled
        if status == "CANCELLED":
            item["cancellation"] = {
                "cancellationRequest": {
                    "requester": "BUYER",
                    "cancelReason": "Order no longer needed",
                },
                "cancellationExecution": {
                    "cancelledBy": "BUYER",
                    "cancelReason": "Buyer requested cancellation",
                },
            }
        else:
            item.pop("cancellation", None)

    order.setdefault("fulfillment", {})["fulfillmentStatus"] = status
    order["lastUpdatedTime"] = format_timestamp(now)
    _record_packages(order, now)


def _record_packages(order: dict, now: datetime) -> None:
    """Merchant-fulfilled orders carry a package for what has been shipped."""
    if order["fulfillment"].get("fulfilledBy") != "MERCHANT":
        order.pop("packages", None)
        return
    shipped_items = [
        {"orderItemId": item["orderItemId"], "quantity": item["fulfillment"]["quantityFulfilled"]}
        for item in order["orderItems"]
        if item["fulfillment"]["quantityFulfilled"] > 0
    ]
    if not shipped_items:
        order.pop("packages", None)
        return
    shipped_at = order.get("packages", [{}])[0].get("shipTime") or format_timestamp(now)
    tracking = "1Z" + "".join(ch for ch in order["orderId"] if ch.isdigit())[-16:]
    order["packages"] = [
        {
            "packageReferenceId": "1",
            "createdTime": shipped_at,
            "packageStatus": {"status": "SHIPPED"},
            "carrier": "UPS",
            "shipTime": shipped_at,
            "shippingService": "Ground",
            "trackingNumber": tracking,
            "packageItems": shipped_items,
        }
    ]
