from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cas.accounts import services as accounts
from cas.accounts import throttle
from cas.accounts.models import ApiToken, User
from cas.core.concurrency import StaleEdit
from cas.core.errors import DomainError
from cas.core.models import AuditEvent
from cas.core.permissions import Permission
from cas.web.decorators import requires
from cas.web.form_errors import add_domain_error
from cas.web.forms.users import ApiTokenForm, UserForm, UserSearchForm
from cas.web.stale import form_with_current_values

SORTS = {"name": ("last_name", "first_name"), "username": ("username",), "region": ("region__name", "last_name")}


@requires(Permission.USERS_MANAGE)
@require_http_methods(["GET"])
def user_list(request):
    search = UserSearchForm(request.GET or None)
    users = User.objects.select_related("region", "pdu").prefetch_related("role_assignments")
    if search.is_valid():
        data = search.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            users = users.filter(
                Q(username__icontains=q)
                | Q(first_name__icontains=q)
                | Q(last_name__icontains=q)
                | Q(email__icontains=q)
            )
        if data["role"]:
            users = users.filter(role_assignments__role=data["role"])
        if data["region"]:
            users = users.filter(region=data["region"])
        if data["status"]:
            users = users.filter(is_active=data["status"] == "active")
    sort = request.GET.get("sort", "name")
    key = sort.lstrip("-")
    order = SORTS.get(key, SORTS["name"])
    users = users.order_by(*(f"-{f}" for f in order) if sort.startswith("-") else order).distinct()
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    return TemplateResponse(request, "admin_area/user_list.html", {"search": search, "page": page, "sort": sort})


def _save_user_form(request, form: UserForm, user: User | None):
    data = form.cleaned_data
    fields = {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "email": data["email"],
        "phone_number": data["phone_number"],
        "region": data["region"],
        "pdu": data["pdu"],
        "prison": data["prison"],
    }
    if user is None:
        return accounts.create_user(
            request.user,
            username=data["username"],
            roles=data["roles"],
            password=data["password"] or None,
            send_welcome=True,
            **fields,
        )
    return accounts.update_user(request.user, user, roles=data["roles"], version=data.get("version"), **fields)


@requires(Permission.USERS_MANAGE)
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = _save_user_form(request, form, None)
        except DomainError as exc:
            add_domain_error(form, exc)
        except ValidationError as exc:  # the password validators
            form.add_error("password", exc)
        else:
            messages.success(request, f"User {user.username} created")
            return redirect("web:user-detail", pk=user.pk)
    return TemplateResponse(request, "admin_area/user_form.html", {"form": form, "editing": None})


@requires(Permission.USERS_MANAGE)
@require_http_methods(["GET"])
def user_detail(request, pk: int):
    user = get_object_or_404(User.objects.select_related("region", "pdu"), pk=pk)
    history = AuditEvent.objects.filter(subject_type="accounts.user", subject_id=str(user.pk)).select_related("actor")[
        :50
    ]
    # Every token, revoked ones too (greyed), so an administrator can see what a system held and when.
    tokens = user.api_tokens.select_related("created_by").order_by(F("revoked_at").asc(nulls_first=True), "-created_at")
    return TemplateResponse(
        request,
        "admin_area/user_detail.html",
        # Locked: too many failed sign-ins with this username (cas/accounts/throttle.py); one query.
        {"subject": user, "history": history, "tokens": tokens, "locked": throttle.is_locked(user.username)},
    )


@requires(Permission.USERS_MANAGE)
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    initial = _user_initial(user)
    form = UserForm(request.POST if request.method == "POST" else None, initial=initial, editing=user)
    if request.method == "POST" and form.is_valid():
        try:
            _save_user_form(request, form, user)
        except StaleEdit as exc:
            user = User.objects.get(pk=pk)
            form = form_with_current_values(UserForm, _user_initial(user), exc.message, editing=user)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Changes to {user.username} saved")
            return redirect("web:user-detail", pk=user.pk)
    return TemplateResponse(request, "admin_area/user_form.html", {"form": form, "editing": user})


def _user_initial(user: User) -> dict:
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone_number": user.phone_number,
        "roles": [str(r) for r in user.role_set],
        "region": user.region_id,
        "pdu": user.pdu_id,
        "prison": user.prison_id,
        "version": user.version,
    }


@requires(Permission.USERS_MANAGE)
@require_http_methods(["GET", "POST"])
def user_set_active(request, pk: int, action: str):
    user = get_object_or_404(User, pk=pk)
    if action not in {"deactivate", "reactivate", "unlock"}:
        return redirect("web:user-detail", pk=pk)
    error = None
    if request.method == "POST":
        try:
            if action == "unlock":
                accounts.unlock(request.user, user)
                messages.success(request, f"{user.username} unlocked")
            else:
                accounts.set_active(request.user, user, action == "reactivate")
                messages.success(request, f"{user.username} {action}d")
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("web:user-detail", pk=pk)
    return TemplateResponse(
        request, "admin_area/user_confirm.html", {"subject": user, "action": action, "error": error}
    )


@requires(Permission.USERS_MANAGE)
@require_http_methods(["GET", "POST"])
def token_create(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            api_token, token = accounts.create_api_token(request.user, user, form.cleaned_data["name"])
        except DomainError as exc:
            form.add_error("name", exc.message)
        else:
            # Shown once, on this response only; never stored in plain text.
            response = TemplateResponse(
                request, "admin_area/token_created.html", {"subject": user, "api_token": api_token, "token": token}
            )
            response["Cache-Control"] = "no-store"
            return response
    return TemplateResponse(request, "admin_area/token_form.html", {"subject": user, "form": form})


@requires(Permission.USERS_MANAGE)
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk: int, token_id: int):
    api_token = get_object_or_404(ApiToken.objects.select_related("user"), pk=token_id, user_id=pk)
    if request.method == "POST":
        if api_token.is_active:
            accounts.revoke_api_token(request.user, api_token)
            messages.success(request, f"Token ‘{api_token.name}’ revoked: systems using it are refused from now on")
        else:  # a second click, or two administrators at once: nothing more to do
            messages.success(request, f"Token ‘{api_token.name}’ was already revoked")
        return redirect(reverse("web:user-detail", args=[pk]) + "#api-tokens")
    return TemplateResponse(
        request, "admin_area/token_revoke.html", {"subject": api_token.user, "api_token": api_token}
    )
