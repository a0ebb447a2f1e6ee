import time

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cas.accounts import services as accounts
from cas.accounts import throttle
from cas.accounts.backends import AccountLocked, Throttled
from cas.accounts.models import User
from cas.core import audit
from cas.web.decorators import public
from cas.web.forms.auth import SecondFactorForm, SignInForm

PENDING_KEY = "cas_pending_second_factor"
SECOND_FACTOR_SECONDS = 300

# The same words whether or not an account has the username: they must not tell which usernames exist.
LOCKED_MESSAGE = (
    "Your account is locked after too many failed sign-in attempts. "
    "Try again in {minutes} minutes or ask an administrator to unlock it."
)
THROTTLED_MESSAGE = (
    "Too many failed sign-in attempts from your network. Try again in {minutes} minutes, "
    "or sign in from a browser you have used for this service before."
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
            form.add_error(None, THROTTLED_MESSAGE.format(minutes=settings.CAS_IP_THROTTLE_MINUTES))
        else:
            if user is None:
                form.add_error(None, FAILED_MESSAGE)
            elif user.has_second_factor:
                # The password was right; the session is not signed in until the code is too.
                request.session[PENDING_KEY] = {
                    "user_id": user.pk,
                    "backend": user.backend,
                    "next": next_url,
                    "started": time.time(),
                }
                return redirect("accounts:sign-in-code")
            else:
                login(request, user)
                audit.record_sign_in(user, "sign_in.succeeded", username=user.username)
                response = redirect(next_url or "web:home")
                throttle.remember_device(request, response, user)
                return response
    return TemplateResponse(
        request,
        "auth/sign_in.html",
        {"form": form, "next": next_url, "oidc_enabled": settings.OIDC_ENABLED},
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["started"] > SECOND_FACTOR_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return redirect("accounts:sign-in")
    user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("accounts:sign-in")
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            # Wrong codes count towards the same per-username (or per-device) limit as wrong passwords.
            attempt = throttle.begin(request, user.username, check_address=False)
        except AccountLocked:
            request.session.pop(PENDING_KEY, None)
            audit.record_sign_in(user, "sign_in.refused_locked", username=user.username, detail="second factor")
            form.add_error(None, LOCKED_MESSAGE.format(minutes=settings.CAS_LOCKOUT_MINUTES))
        else:
            if accounts.check_second_factor_code(user, form.cleaned_data["code"]):
                throttle.succeeded(attempt)
                request.session.pop(PENDING_KEY, None)
                login(request, user, backend=pending["backend"])
                audit.record_sign_in(user, "sign_in.succeeded", username=user.username, detail="with second factor")
                response = redirect(pending["next"] or "web:home")
                throttle.remember_device(request, response, user)
                return response
            locked = throttle.failed(attempt)
            audit.record_sign_in(
                user, "sign_in.locked" if locked else "sign_in.second_factor_failed", username=user.username
            )
            form.add_error("code", "The code is not right. Enter the 6-digit code your app shows now")
    return TemplateResponse(request, "auth/sign_in_code.html", {"form": form})


@public
@require_POST
def sign_out(request):
    logout(request)
    return redirect("accounts:sign-in")
