from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

api_patterns = [
    path("", include("settings_app.api_urls")),
    path("", include("commerce.api_urls")),
    path("", include("inventory.api_urls")),
    path("", include("importer.api_urls")),
    path("", include("operations.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # A person opening the docs is sent to the login form; the schema itself answers 401.
    # The split view serves its start-up script as a file: no inline script, as the
    # Content-Security-Policy wants.
    path(
        "docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs.html")
        ),
        name="api-docs",
    ),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="settings_app:store-list"), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include(("accounts.urls", "accounts"))),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    # The store dashboard, Amazon orders and the Commerce orders workspace.
    path("", include(("operations.urls", "operations"))),
    path("stores/", include(("settings_app.urls", "settings_app"))),
    path("commerce/", include(("commerce.urls", "commerce"))),
    path("inventory/", include(("inventory.urls", "inventory"))),
    path("orders/", include(("importer.urls", "importer"))),
]

# A JSON client gets a JSON error body, an unknown URL under /api/ included.
handler400 = "common.errors.bad_request"
handler403 = "common.errors.permission_denied"
handler404 = "common.errors.page_not_found"
handler500 = "common.errors.server_error"
