"""Ids and numbers no column can hold are bad input or nothing found, never a 500."""

import pytest

HUGE = "9" * 30


@pytest.mark.parametrize(
    "url",
    [
        f"/amazon-orders/{HUGE}/",
        f"/orders/{HUGE}/",
        f"/stores/{HUGE}/",
        f"/api/amazon-orders/{HUGE}/",
        f"/api/orders/{HUGE}/",
        f"/api/stores/{HUGE}/health/",
    ],
)
def test_an_id_too_large_for_any_row_answers_404(manager_client, url):
    assert manager_client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"/api/amazon-orders/?store={HUGE}",
        f"/api/orders/?store_view={HUGE}",
        f"/orders/?store_view={HUGE}",
    ],
)
def test_a_filter_too_large_for_any_row_is_not_a_server_error(manager_client, store, url):
    # Refused, not found, or an empty list: never a database error.
    assert manager_client.get(url).status_code in {200, 400, 404}
