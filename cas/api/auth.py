"""Bearer-token authentication for systems calling the API (tokens from cas.accounts.ApiToken)."""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from cas.accounts.models import ApiToken
from cas.accounts.services import hash_token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        if not header.startswith(f"{self.keyword} "):
            return None
        token = header[len(self.keyword) + 1 :].strip()
        api_token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        if api_token is None or not api_token.is_active or not api_token.user.is_active:
            raise exceptions.AuthenticationFailed("The API token is not valid.")
        # Recording use at most once a minute keeps reads from turning into writes.
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        return api_token.user, api_token

    def authenticate_header(self, request):
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describes bearer tokens in the OpenAPI document."""

    target_class = "cas.api.auth.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An API token created by an administrator"}
