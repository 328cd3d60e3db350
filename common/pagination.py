"""Cursor pagination for every API list: no COUNT, no OFFSET, and no forged position."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

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
