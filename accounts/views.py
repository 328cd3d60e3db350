"""The API tokens page: a logged-in user makes, lists and revokes their own tokens.

A new token is shown in the answer to the request that made it, once, in a page the
browser must not keep (no-store); after that only its first characters are shown.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.exceptions import ApiTokenLimitReached
from accounts.selectors import api_tokens_for_user


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def api_tokens(request):
    created, new_token = None, None
    if request.method == "POST":
        try:
            created, new_token = services.api_token_create(user=request.user)
        except ApiTokenLimitReached as refused:
            messages.error(request, str(refused))
    context = {
        "tokens": api_tokens_for_user(user=request.user),
        "new_token": new_token,
        "new_token_expiry": created.expiry if created else None,
        "ttl_days": settings.API_TOKEN_TTL_DAYS,
    }
    return render(request, "accounts/api_tokens.html", context)


@login_required
@require_POST
def api_token_revoke(request, digest: str):
    if not services.api_token_revoke(user=request.user, digest=digest):
        raise Http404("No such API token.")
    messages.success(request, "API token revoked: programs using it are refused from now on.")
    return redirect("accounts:api-tokens")
