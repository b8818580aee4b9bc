import sys
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from samverkan import login_throttle, permissions, registry, selectors, services
from samverkan.forms import RoleAssignForm, RoleRemoveForm, refusal_or
from samverkan.models import County, Organisation, Role


class LoginView(auth_views.LoginView):
    """Django's, with the parts apps add to the login page (samverkan.registry.login_panels), such as
    signing in with the organisation's own account."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["login_panels"] = [panel(self.request) for panel in registry.login_panels()]
        return context


class LogoutView(auth_views.LogoutView):
    """Django's; the apps' logout hooks run first (while the session still says how the person signed in),
    and the first place a hook names, e.g. the identity provider's single logout, is where the browser
    goes after the portal's session has ended."""

    def post(self, request, *args, **kwargs):
        after = next((url for hook in registry.logout_hooks() if (url := hook(request))), None)
        response = super().post(request, *args, **kwargs)
        return redirect(after) if after else response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's; a completed reset also lifts a login lock on the account, so that its owner, locked out by
    somebody failing on purpose, gets in with the new password (samverkan.login_throttle)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        login_throttle.lift_for_owner(
            request=self.request, response=response, username=form.user.get_username()
        )
        return response


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "samverkan/home_public.html", {"counties": selectors.counties_with_counts()})
    roles = selectors.roles_of(request.user)
    held = {role.role for role in roles}
    return render(
        request,
        "samverkan/home.html",
        {
            "roles": roles,
            "is_official": Role.OFFICIAL in held,
            "is_chair": Role.CHAIR in held,
            "is_secretary": Role.SECRETARY in held,
            "is_member": bool(held & {Role.MEMBER, Role.VICE_CHAIR}),
            "is_editor": Role.EDITOR in held,
            "can_manage_roles": permissions.can_manage_roles(request.user),
        },
    )


@require_safe
def county_list(request: HttpRequest) -> HttpResponse:
    return render(request, "samverkan/county_list.html", {"counties": selectors.counties_with_counts()})


@require_safe
def county_detail(request: HttpRequest, code: str) -> HttpResponse:
    county = get_object_or_404(County, code=code)
    organisations = selectors.county_organisations(county)
    return render(request, "samverkan/county_detail.html", {"county": county, "organisations": organisations})


ACCESSIBILITY_STATEMENT_DATE = date(2026, 11, 24)


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "samverkan/accessibility.html",
        {
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "statement_date": date_format(ACCESSIBILITY_STATEMENT_DATE, "j F Y"),
        },
    )


@require_safe
@never_cache
def language_choose(request: HttpRequest) -> HttpResponse:
    """The header's language switch, a GET form: so the public pages hold no CSRF token, and a balancer or
    CDN may keep them (``pagecache.public_page``). It only sets the language cookie, a display preference
    that changes no data, so a switch forged by another site can at worst show the other language; the
    address to go back to must be the portal's own."""
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = "/"
    response = HttpResponseRedirect(back)
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler. When the database is unreachable (restarting, failing over) the answer is a friendly
    503 with Retry-After instead; the broken connection is dropped at the end of the request (Django closes
    connections that had errors), and health checks on reuse mean the next request reconnects by itself."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "15"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


@cache_control(public=True, max_age=86400)
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links to: send them to the static file."""
    return redirect(static("favicon.ico"))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers, 503 otherwise. No login, no session."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "samverkan/account.html",
        {
            "roles": selectors.roles_of(request.user),
            "acting_choices": permissions.organisations_acting_for(request.user).order_by("name"),
        },
    )


@login_required
@require_POST
def acting_organisation_set(request: HttpRequest) -> HttpResponse:
    """Choose which of one's organisations to act for; acting for another organisation is refused."""
    chosen = request.POST.get("organisation", "")
    organisation = get_object_or_404(Organisation, pk=chosen) if chosen.isdigit() else None
    if organisation is None:
        messages.error(request, _("Välj en organisation att agera för."))
        return redirect("account")
    if not permissions.can_act_for(request.user, organisation):
        raise PermissionDenied
    request.session[selectors.ACTING_SESSION_KEY] = organisation.pk
    messages.success(request, _("Du agerar nu för %(org)s.") % {"org": organisation})
    return redirect("account")


@login_required
@require_safe
def role_people(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_roles(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    people = selectors.people_for_role_admin(request.user, query=query)
    page = Paginator(people, 50).get_page(request.GET.get("sida"))
    rows = selectors.with_roles(page)
    return render(request, "samverkan/role_people.html", {"page": page, "rows": rows, "query": query})


@login_required
def role_person(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(
        permissions.users_manageable(request.user).select_related("profile"), pk=user_id
    )
    form = RoleAssignForm(request.POST or None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            held = services.role_assign(
                user=person,
                role=form.cleaned_data["role"],
                scope=form.cleaned_data["scope_object"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(person)s har fått rollen %(role)s.")
                % {"person": person.get_full_name() or person.username, "role": held},
            )
            return redirect("role_person", user_id=person.pk)
    roles = selectors.roles_of(person)
    removable = permissions.roles_removable(request.user, roles)
    return render(
        request,
        "samverkan/role_person.html",
        {
            "person": person,
            "roles": roles,
            "removable": removable,
            "form": form,
            "remove_form": RoleRemoveForm(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def role_remove(request: HttpRequest, kind: str, held_id: int) -> HttpResponse:
    held = selectors.held_role_or_404(permissions.users_manageable(request.user), kind=kind, held_id=held_id)
    if not permissions.can_end_role(request.user, held):
        raise PermissionDenied
    form = RoleRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, refusal_or(form, _("Ange en anledning till att rollen tas bort.")))
        return redirect("role_person", user_id=held.user_id)
    services.role_end(held=held, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Rollen %(role)s har tagits bort.") % {"role": held})
    return redirect("role_person", user_id=held.user_id)
