"""Forms of the order status page; the rules stay in the services."""

from django import forms

from commerce.models import OrderState, OrderStatus


class OrderStatusCreateForm(forms.Form):
    code = forms.SlugField(
        max_length=32, help_text="Letters, digits, underscores; it cannot be changed later."
    )
    label = forms.CharField(max_length=128)
    state = forms.ChoiceField(choices=OrderState.choices, help_text="The state it belongs to.")
    is_default = forms.BooleanField(
        required=False,
        label="Default status of the state",
        help_text="Orders entering the state get this status.",
    )


class OrderStatusAssignForm(forms.Form):
    status = forms.ModelChoiceField(queryset=OrderStatus.objects.order_by("label"))
    state = forms.ChoiceField(choices=OrderState.choices)
    is_default = forms.BooleanField(required=False, label="Default status of the state")
