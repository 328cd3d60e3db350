"""Forms of the operations pages: list filters (bad values answer 400) and the actions."""

from django import forms

from commerce.models import OrderState
from importer.gateway.types import AmazonOrderStatus, FulfillmentChannel
from importer.models import ImportDecision

ANY = [("", "Any")]
SEARCH_MAX_LENGTH = 100


class RecentOrdersFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Amazon status", choices=ANY + AmazonOrderStatus.choices, required=False
    )
    channel = forms.ChoiceField(
        label="Channel", choices=ANY + FulfillmentChannel.choices, required=False
    )
    decision = forms.ChoiceField(
        label="Decision", choices=ANY + ImportDecision.choices, required=False
    )
    search = forms.CharField(
        label="Search",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        help_text="Amazon or Commerce order number, buyer name, or SKU",
    )

    def clean_search(self):
        term = self.cleaned_data["search"].strip()
        if "\x00" in term:
            raise forms.ValidationError("Search text cannot hold a NUL character.")
        return term


class CommerceOrdersFilterForm(forms.Form):
    store_view = forms.TypedChoiceField(
        label="Store view", coerce=int, empty_value=None, required=False
    )
    state = forms.ChoiceField(label="State", choices=ANY + OrderState.choices, required=False)
    status = forms.ChoiceField(label="Status", required=False)
    search = forms.CharField(
        label="Order number",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        help_text="Commerce or Amazon order number",
    )

    def __init__(self, *args, store_views, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store_view"].choices = ANY + list(store_views)
        self.fields["status"].choices = ANY + list(statuses)

    def clean_search(self):
        term = self.cleaned_data["search"].strip()
        if "\x00" in term:
            raise forms.ValidationError("Search text cannot hold a NUL character.")
        return term


class RecoverOrderForm(forms.Form):
    amazon_order_id = forms.CharField(
        label="Amazon order number",
        max_length=64,
        help_text="e.g. 902-1845936-5435065",
    )

    def clean_amazon_order_id(self):
        value = self.cleaned_data["amazon_order_id"].strip()
        if not value or any(ord(char) < 32 for char in value):
            raise forms.ValidationError("Enter an Amazon order number.")
        return value


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Comment", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class StatusChangeForm(CommentForm):
    status = forms.ChoiceField(label="New status")

    field_order = ["status", "comment"]

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(status.code, status.label) for status in statuses]
