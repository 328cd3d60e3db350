"""Forms hand their cleaned data to a service; the service's refusals come back as errors."""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError


def form_saved_through(
    form: forms.Form,
    service: Callable[..., object],
    *,
    refusals: dict[type[Exception], str | None] | None = None,
) -> bool:
    """Run ``service(**form.cleaned_data)`` on a valid form; False if it was not saved.

    A ValidationError lands on its fields (or the form); each exception class named in
    ``refusals`` lands on the field it maps to (None: the whole form).
    """
    if not form.is_valid():
        return False
    try:
        service(**form.cleaned_data)
    except ValidationError as invalid:
        form.add_error(None, invalid)
        return False
    except tuple(refusals or {}) as refused:
        field = next(
            target for kind, target in (refusals or {}).items() if isinstance(refused, kind)
        )
        form.add_error(field, str(refused))
        return False
    return True
