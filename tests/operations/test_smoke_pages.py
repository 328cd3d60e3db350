from django.urls import reverse

from tests.operations.factories import blocked_order, error_order, imported_order


def test_pages_render(manager_client, store):
    created = imported_order(store=store)
    blocked = blocked_order(store=store)
    error_order(store=store)
    for url in [
        reverse("operations:store-dashboard", args=[store.pk]),
        reverse("operations:amazon-order-detail", args=[created.pk]),
        reverse("operations:amazon-order-detail", args=[blocked.pk]),
        reverse("operations:commerce-order-list"),
        reverse("operations:commerce-order-detail", args=[created.commerce_order_id]),
        f"/api/amazon-orders/?store={store.pk}",
        f"/api/amazon-orders/{created.pk}/",
        "/api/orders/",
        f"/api/orders/{created.commerce_order_id}/",
        f"/api/stores/{store.pk}/health/",
    ]:
        response = manager_client.get(url)
        assert response.status_code == 200, (url, response.content[:3000])
