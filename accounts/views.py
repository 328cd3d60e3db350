"""The API tokens page, where a logged-in user makes, lists and revokes their own tokens,
and the page a locked-out login answers.

A new token is shown in the answer to the request that made it, once, in a page the
browser must not keep (no-store); after that only its first characters are shown.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
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


def login_locked_out(request, original_response=None, credentials=None):
    """The answer to a login refused by django-axes: what happened and when to try again.

    Every attempt while locked out starts the wait again, so the wait counts from now.
    """
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "retry_at": timezone.now() + cool_off,
        "cool_off_minutes": round(cool_off.total_seconds() / 60),
    }
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(round(cool_off.total_seconds()))
    return response
