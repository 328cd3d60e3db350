"""Forms of the order status page; the rules stay in the services."""

from django import forms

from commerce.models import OrderState, OrderStatus
from commerce.status_services import order_status_code_taken


def order_status_code_validate_field(code: str) -> str:
    if order_status_code_taken(code=code):
        raise forms.ValidationError(
            f"A status with the code “{code}” already exists (codes are unique whatever "
            "their letter case)."
        )
    return code


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

    def clean_code(self):
        return order_status_code_validate_field(self.cleaned_data["code"])


class OrderStatusAssignForm(forms.Form):
    status = forms.ModelChoiceField(queryset=OrderStatus.objects.order_by("label"))
    state = forms.ChoiceField(choices=OrderState.choices)
    is_default = forms.BooleanField(required=False, label="Default status of the state")


class OrderStatusRenameForm(forms.Form):
    status = forms.ModelChoiceField(queryset=OrderStatus.objects.all(), widget=forms.HiddenInput)
    label = forms.CharField(max_length=128, label="New label")


class OrderStatusUnassignForm(forms.Form):
    status = forms.ModelChoiceField(queryset=OrderStatus.objects.all(), widget=forms.HiddenInput)
    state = forms.ChoiceField(choices=OrderState.choices, widget=forms.HiddenInput)


class OrderStatusDeleteForm(forms.Form):
    status = forms.ModelChoiceField(queryset=OrderStatus.objects.all(), widget=forms.HiddenInput)
