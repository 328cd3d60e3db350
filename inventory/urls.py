from django.urls import path

from inventory import views

# SKUs are merchant text and may hold slashes or spaces, hence the sku converter (any text
# but NUL); the adjust route comes first so a SKU is never mistaken for its own sub-page.
urlpatterns = [
    path("", views.product_list, name="product-list"),
    path("products/<sku:sku>/adjust/", views.product_adjust, name="product-adjust"),
    path("products/<sku:sku>/", views.product_detail, name="product-detail"),
]
