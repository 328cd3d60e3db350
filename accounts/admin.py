"""API tokens in the admin: staff see who holds which token and may revoke it.

Only a hash of each token is stored; the admin shows a token's first characters, never
the token, and makes none (knox's own admin would show a new token in full).
"""

from django.contrib import admin
from knox.models import AuthToken

admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["token_start", "user", "created", "expiry"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = ["token_start", "user", "created", "expiry"]
    readonly_fields = fields
    ordering = ["-created"]

    @admin.display(description="Token")
    def token_start(self, token: AuthToken) -> str:
        return f"{token.token_key[:8]}…"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
