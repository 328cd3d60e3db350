import pytest
from django.urls import reverse

from commerce.models import OrderState, OrderStatus, OrderStatusState
from commerce.selectors import order_status_default_for_state
from commerce.services import order_status_create

PAGE = reverse("commerce:order-status-list")


def processing_default() -> OrderStatus:
    """The default status of processing; made when a flush removed the installed ones."""
    existing = OrderStatus.objects.filter(
        states__state=OrderState.PROCESSING, states__is_default=True
    ).first()
    return existing or order_status_create(
        code="processing_default", label="Processing", state=OrderState.PROCESSING
    )


def _create_form(**overrides) -> dict:
    form = {
        "create-code": "amazon_processing",
        "create-label": "Amazon Processing",
        "create-state": "processing",
    }
    form.update(overrides)
    return form


def test_the_page_lists_every_status_with_its_states(
    operator_client, django_assert_max_num_queries
):
    # given a custom status next to the installed ones
    order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)

    # when an operator opens the page
    with django_assert_max_num_queries(8):
        response = operator_client.get(PAGE)

    # then every status is listed, but no form is offered
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["statuses"]) == 10
    assert "Picking" in html and "Suspected Fraud" in html
    assert "Add a custom status" not in html


def test_an_administrator_adds_a_custom_status(commerce_administrator_client):
    # given a manager of a store
    # when they add a status for processing
    response = commerce_administrator_client.post(PAGE, _create_form(), follow=True)

    # then it is assigned to processing and confirmed
    assignment = OrderStatusState.objects.get(status__code="amazon_processing")
    assert (assignment.state, assignment.is_default) == ("processing", False)
    assert "Order status “Amazon Processing” added." in response.content.decode()


@pytest.mark.parametrize("user", ["operator_client", "manager_client"])
def test_a_store_role_alone_cannot_change_the_shared_statuses(request, user):
    # given a user holding a role on a store (a manager, even) but not the Commerce
    # administrators' permission
    client = request.getfixturevalue(user)
    default = processing_default()
    fraud = order_status_create(code="suspected", label="Suspected", state=OrderState.NEW)

    # when they add a status, or make Suspected Fraud the default of processing
    added = client.post(PAGE, _create_form())
    assigned = client.post(
        PAGE,
        {"assign-status": fraud.pk, "assign-state": "processing", "assign-is_default": "on"},
    )

    # then both are refused and nothing changes for any store
    assert (added.status_code, assigned.status_code) == (403, 403)
    assert not OrderStatus.objects.filter(code="amazon_processing").exists()
    assert order_status_default_for_state(state=OrderState.PROCESSING) == default


def test_a_store_manager_sees_no_form_to_change_statuses(manager_client):
    # when a store manager opens the page
    response = manager_client.get(PAGE)

    # then the statuses are listed without the add and assign forms
    assert response.status_code == 200
    assert 'name="create-code"' not in response.content.decode()


def test_a_taken_code_is_shown_at_its_field(commerce_administrator_client):
    # given the installed status code "processing"
    # when a manager adds a status with that code
    response = commerce_administrator_client.post(
        PAGE, _create_form(**{"create-code": "processing"})
    )

    # then the error is at the code and nothing else changed
    assert response.status_code == 400
    assert "code" in response.context["create_form"].errors
    assert OrderStatus.objects.count() == 9


def test_an_administrator_makes_a_status_the_default_of_another_state(
    commerce_administrator_client,
):
    # given a custom status of processing
    status = order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)

    # when it is assigned to on hold as its default
    response = commerce_administrator_client.post(
        PAGE, {"assign-status": status.pk, "assign-state": "holded", "assign-is_default": "on"}
    )

    # then on hold has it as its one default
    assert response.status_code == 302
    assert order_status_default_for_state(state=OrderState.HOLDED) == status


def test_taking_the_default_away_is_refused_at_its_field(commerce_administrator_client):
    # given the default status of processing
    processing = OrderStatus.objects.get(code="processing")

    # when it is assigned again without the default flag
    response = commerce_administrator_client.post(
        PAGE, {"assign-status": processing.pk, "assign-state": "processing"}
    )

    # then the error is at the flag and it stays the default
    assert response.status_code == 400
    assert "is_default" in response.context["assign_form"].errors
    assert order_status_default_for_state(state=OrderState.PROCESSING) == processing


def test_the_page_needs_a_login(client, db):
    # given an anonymous visitor
    # when the page is opened
    response = client.get(PAGE)

    # then they are sent to the login page
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
