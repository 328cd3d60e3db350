"""JSON sent by people and programs, read with a bound on how deep it nests.

Python's parser recurses once per level: a few kilobytes of ``[[[[…`` raise
RecursionError, which would answer 500 on any API write and on any admin form with a JSON
field. Such a document is bad input instead: the API answers 400 naming the problem, the
admin shows it at the field. Nothing the product accepts nests anywhere near the limit,
and a document just under Python's own limit is refused too, since rendering it again
(an admin form shown with its errors) would recurse deeper still.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 64
TOO_DEEP = f"JSON nested more than {MAX_DEPTH} levels deep is not accepted."


def nests_too_deep(value, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and objects inside ``value`` go more than ``limit`` levels deep."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser; a document nested too deep is a parse error (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if nests_too_deep(data):
            raise ParseError(TOO_DEEP)
        return data


class BoundedJSONField(forms.JSONField):
    """Django's JSON form field; a document nested too deep is that field's error."""

    def to_python(self, value):
        try:
            converted = super().to_python(value)
        except RecursionError:
            raise ValidationError(TOO_DEEP, code="invalid") from None
        if nests_too_deep(converted):
            raise ValidationError(TOO_DEEP, code="invalid")
        return converted

    def bound_data(self, data, initial):
        # The form shown again with its errors keeps the text as typed, not re-encoded.
        try:
            bound = super().bound_data(data, initial)
        except RecursionError:
            return InvalidJSONInput(data)
        return InvalidJSONInput(data) if nests_too_deep(bound) else bound
