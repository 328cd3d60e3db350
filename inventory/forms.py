from django import forms

from inventory.models import QUANTITY_DIGITS, SKU_MAX_LENGTH


class StockAdjustForm(forms.Form):
    quantity = forms.DecimalField(
        min_value=0,
        help_text="The quantity on hand after this adjustment.",
        **QUANTITY_DIGITS,
    )
    reason = forms.CharField(
        max_length=255, required=False, help_text="Why, for the adjustment history."
    )


class ProductSearchForm(forms.Form):
    """The product list's query string: a SKU prefix and the SKU the page starts after.

    Django's CharField refuses NUL characters, which PostgreSQL cannot take in a query.
    """

    sku = forms.CharField(required=False, max_length=SKU_MAX_LENGTH)
    after = forms.CharField(required=False, max_length=SKU_MAX_LENGTH, strip=False)


class LedgerPageForm(forms.Form):
    """The product page's query string: the ledger row id the page starts before."""

    before = forms.IntegerField(required=False, min_value=1)
