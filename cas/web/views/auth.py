from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cas.accounts.backends import AccountLocked, Throttled
from cas.core import audit
from cas.web.decorators import public
from cas.web.forms.auth import SignInForm

LOCKED_MESSAGE = (
    "Your account is locked after too many failed sign-in attempts. "
    "Try again in {minutes} minutes or ask an administrator to unlock it."
)
FAILED_MESSAGE = "Enter a correct username and password"


@public
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url or "web:home")
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        except AccountLocked:
            form.add_error(None, LOCKED_MESSAGE.format(minutes=settings.CAS_LOCKOUT_MINUTES))
        except Throttled:
            form.add_error(None, "Too many failed sign-in attempts from your network. Try again later.")
        else:
            if user is None:
                form.add_error(None, FAILED_MESSAGE)
            else:
                login(request, user)
                audit.record_sign_in(user, "sign_in.succeeded", username=user.username)
                return redirect(next_url or "web:home")
    return TemplateResponse(
        request,
        "auth/sign_in.html",
        {"form": form, "next": next_url, "oidc_enabled": settings.OIDC_ENABLED},
    )


@public
@require_POST
def sign_out(request):
    logout(request)
    return redirect("accounts:sign-in")
