from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cas.accounts import services as accounts
from cas.accounts import totp
from cas.core.errors import DomainError
from cas.core.permissions import Permission
from cas.web.decorators import requires
from cas.web.forms.auth import SecondFactorForm


@requires(Permission.SECOND_FACTOR)
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request):
    user = request.user
    action = request.POST.get("action", "")
    form = SecondFactorForm(request.POST if request.method == "POST" and action in {"confirm", "disable"} else None)
    if request.method == "POST":
        if action == "start" and not user.has_second_factor:
            accounts.start_second_factor(user)
            return redirect("accounts:second-factor")
        if action == "confirm" and form.is_valid():
            try:
                accounts.enable_second_factor(user, form.cleaned_data["code"])
            except DomainError as exc:
                form.add_error("code", exc.message)
            else:
                messages.success(request, "Your second factor is set up. You will be asked for a code when you sign in")
                return redirect("accounts:second-factor")
        if action == "disable" and form.is_valid():
            if accounts.check_second_factor_code(user, form.cleaned_data["code"]):
                accounts.disable_second_factor(user, user)
                messages.success(request, "Your second factor is turned off")
                return redirect("accounts:second-factor")
            form.add_error("code", "The code is not right. Enter the 6-digit code your app shows now")
    user.refresh_from_db(fields=["totp_secret", "totp_enabled_at"])
    setting_up = bool(user.totp_secret) and not user.has_second_factor
    return TemplateResponse(
        request,
        "auth/second_factor.html",
        {
            "form": form,
            "enabled": user.has_second_factor,
            "setting_up": setting_up,
            "secret": totp.grouped(user.totp_secret) if setting_up else "",
            "uri": totp.provisioning_uri(user.totp_secret, user.username, settings.SERVICE_NAME) if setting_up else "",
        },
    )
