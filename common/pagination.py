"""Cursor pagination for every API list: no COUNT, no OFFSET, and no forged position."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination

from common.keyset import Keyset, keyset_page

INVALID_CURSOR = "Invalid cursor: use the next or previous link of a page."


class CheckedCursorPagination(CursorPagination):
    """Cursor pages whose position is checked before it reaches a query.

    A cursor is base64 the client can forge. One that does not decode, or whose position
    the ordering column cannot hold, is bad input: 400 naming the parameter, never a
    database error and never a 404 that reads like a missing resource.
    """

    page_size_query_param = "page_size"
    max_page_size = 500

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from None
        position = None if cursor is None else cursor.position
        if position is not None and not self.position_is_valid(position):
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]})
        return cursor

    def position_is_valid(self, position: str) -> bool:
        raise NotImplementedError


class IdCursorPagination(CheckedCursorPagination):
    """Pages in ascending id order; the position must be a plain number."""

    ordering = "pk"

    def position_is_valid(self, position: str) -> bool:
        return position.isascii() and position.isdigit() and len(position) <= 19


class KeysetCursorPagination(CheckedCursorPagination):
    """Cursor pages on (time, id), newest first, walking the index with no OFFSET at all.

    DRF's cursor keeps the time only and skips rows of equal time with an offset; rows
    bulk-imported in one second would make that offset grow. Here the position holds the
    time and the id (``common.keyset``), checked like every cursor of ours, and the page
    is the rows strictly past it. ``keyset`` is set by each list.
    """

    keyset: Keyset

    def position_is_valid(self, position: str) -> bool:
        return self.keyset.parse(position) is not None

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        # Every cursor we write names a position; one without is not ours.
        if cursor is not None and cursor.position is None:
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]})
        return cursor

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.cursor = self.decode_cursor(request)
        key = None if self.cursor is None else self.keyset.parse(self.cursor.position)
        going_back = self.cursor is not None and self.cursor.reverse
        page = keyset_page(
            queryset,
            keyset=self.keyset,
            size=self.page_size,
            after=None if going_back else key,
            before=key if going_back else None,
        )
        self.keyset_page = page
        return page.rows

    def get_next_link(self):
        if self.keyset_page.older is None:
            return None
        return self.encode_cursor(Cursor(offset=0, reverse=False, position=self.keyset_page.older))

    def get_previous_link(self):
        if self.keyset_page.newer is None:
            return None
        return self.encode_cursor(Cursor(offset=0, reverse=True, position=self.keyset_page.newer))
