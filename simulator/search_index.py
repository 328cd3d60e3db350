"""Each seller's orders kept in the order searchOrders pages through them, so a page is a
bisect and a short walk, not a scan and a sort of every stored order."""

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Iterator

# searchOrders filters and sorts by one of these, then by order id.
TIME_FIELDS = ("lastUpdatedTime", "createdTime")

SearchKey = tuple[str, str]


def search_key(order: dict, time_field: str) -> SearchKey:
    # Stored timestamps share one fixed UTC format, so string order is time order.
    return (order[time_field], order["orderId"])


class SearchIndex:
    def __init__(self) -> None:
        self._keys: dict[tuple[str, str], list[SearchKey]] = {}

    def add(self, seller_id: str, order: dict) -> None:
        for time_field in TIME_FIELDS:
            insort(self._sorted(seller_id, time_field), search_key(order, time_field))

    def add_many(self, seller_id: str, orders: Iterable[dict]) -> None:
        """Many at once: appended, then one sort (nearly sorted lists sort in linear time)."""
        orders = list(orders)
        for time_field in TIME_FIELDS:
            keys = self._sorted(seller_id, time_field)
            keys.extend(search_key(order, time_field) for order in orders)
            keys.sort()

    def replace(self, seller_id: str, old: dict, new: dict) -> None:
        for time_field in TIME_FIELDS:
            old_key, new_key = search_key(old, time_field), search_key(new, time_field)
            if old_key == new_key:
                continue
            keys = self._sorted(seller_id, time_field)
            position = bisect_left(keys, old_key)
            if position < len(keys) and keys[position] == old_key:
                del keys[position]
            insort(keys, new_key)

    def order_ids(
        self, seller_id: str, time_field: str, *, since: str, until: str, after: SearchKey | None
    ) -> Iterator[str]:
        """Order ids with ``since <= time <= until`` and a key past ``after``, in key order."""
        keys = self._keys.get((seller_id, time_field), [])
        start = bisect_left(keys, (since, ""))
        if after is not None:
            start = max(start, bisect_right(keys, after))
        for position in range(start, len(keys)):
            moment, order_id = keys[position]
            if moment > until:
                return
            yield order_id

    def _sorted(self, seller_id: str, time_field: str) -> list[SearchKey]:
        return self._keys.setdefault((seller_id, time_field), [])
