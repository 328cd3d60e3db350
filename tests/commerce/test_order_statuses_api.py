from rest_framework.test import APIClient

from commerce.models import OrderState
from commerce.services import order_status_create

ORDER_STATUSES_URL = "/api/order-statuses/"


def test_every_status_is_listed_with_its_states_and_defaults(
    manager_api, django_assert_max_num_queries
):
    # given a custom status next to the nine installed ones
    order_status_create(code="picking", label="Picking", state=OrderState.PROCESSING)

    # when the statuses are listed
    with django_assert_max_num_queries(2):
        response = manager_api.get(ORDER_STATUSES_URL)

    # then all ten come back with their state assignments
    assert response.status_code == 200
    by_code = {status["code"]: status for status in response.json()}
    assert len(by_code) == 10
    assert by_code["picking"]["label"] == "Picking"
    assert by_code["picking"]["states"] == [
        {
            "state": "processing",
            "state_label": "Processing",
            "is_default": False,
            "visible_on_front": True,
        }
    ]
    fraud_states = {(s["state"], s["is_default"]) for s in by_code["fraud"]["states"]}
    assert fraud_states == {("processing", False), ("payment_review", False)}
    assert by_code["pending"]["states"][0]["is_default"] is True


def test_an_operator_may_read_the_statuses_too(operator_api):
    # given an operator of a store
    # when the statuses are listed
    response = operator_api.get(ORDER_STATUSES_URL)

    # then they are readable
    assert response.status_code == 200
    assert {status["code"] for status in response.json()} >= {"pending", "processing"}


def test_the_statuses_need_a_login(db):
    # given an anonymous client
    # when the statuses are listed
    response = APIClient().get(ORDER_STATUSES_URL)

    # then access is refused
    assert response.status_code in {401, 403}


def test_the_endpoint_is_in_the_openapi_schema(manager_api):
    # given the API schema
    # when it is fetched
    response = manager_api.get("/api/schema/", {"format": "json"})

    # then the order statuses endpoint is documented with its response shape
    operation = response.json()["paths"][ORDER_STATUSES_URL]["get"]
    assert operation["operationId"] == "order_statuses_list"
    assert "200" in operation["responses"]
