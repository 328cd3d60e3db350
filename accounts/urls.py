from django.urls import path

from accounts import views

urlpatterns = [
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("api-tokens/<str:digest>/revoke/", views.api_token_revoke, name="api-token-revoke"),
]
