"""Bearer-token authentication for systems calling the API (tokens from cas.accounts.ApiToken)."""

from django.utils import timezone
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
