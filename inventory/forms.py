from django import forms

from inventory.models import QUANTITY_DIGITS


class StockAdjustForm(forms.Form):
    quantity = forms.DecimalField(
        min_value=0,
        help_text="The quantity on hand after this adjustment.",
        **QUANTITY_DIGITS,
    )
    reason = forms.CharField(
        max_length=255, required=False, help_text="Why, for the adjustment history."
    )
