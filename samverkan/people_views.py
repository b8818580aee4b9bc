"""The county administrator's workspace and people: invite, import from a file, edit, deactivate.

A county the user does not administer, and a person outside it, are 404; the workspace itself is 403 for
those who administer no county."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from samverkan import permissions, selectors, services
from samverkan.forms import (
    PeopleFileForm,
    PeopleImportForm,
    PersonForm,
    PersonStatusForm,
    add_service_errors,
    refusal_or,
)
from samverkan.invitations import invited_user
from samverkan.models import County
from samverkan.people_file import people_file_read, people_from_token_rows, people_token_rows

IMPORT_SALT = "samverkan.people-import"
IMPORT_MAX_AGE = 60 * 60


def _county_or_404(request: HttpRequest, code: str) -> County:
    return get_object_or_404(permissions.counties_administered(request.user), code=code)


def _name(person) -> str:
    return person.get_full_name() or person.username


@login_required
@require_safe
def workspace(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_roles(request.user):
        raise PermissionDenied
    return render(request, "samverkan/workspace.html", {"counties": selectors.workspace_of(request.user)})


@login_required
@require_safe
def people(request: HttpRequest, code: str) -> HttpResponse:
    county = _county_or_404(request, code)
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.county_people(county, query=query), 50).get_page(request.GET.get("sida"))
    return render(request, "samverkan/people.html", {"county": county, "page": page, "query": query})


@login_required
def person_invite(request: HttpRequest, code: str) -> HttpResponse:
    county = _county_or_404(request, code)
    form = PersonForm(request.POST or None, county=county)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_invite(
                county=county,
                data=form.person_data(),
                by=request.user,
                reason=_("Inbjuden av länsadministratör"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s är inbjuden. En länk för att välja lösenord har skickats till %(email)s.")
                % {"name": _name(person), "email": person.email},
            )
            return redirect("people", code=county.code)
    return render(
        request,
        "samverkan/person_invite.html",
        {"county": county, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def people_import(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a file (checked, shown as a preview), then confirm: the checked rows travel signed in the form,
    and are checked again as they are imported, all or nothing."""
    county = _county_or_404(request, code)
    form, preview, token = PeopleFileForm(), None, ""
    if request.method == "POST" and "token" in request.POST:
        return _people_import_confirm(request, county)
    if request.method == "POST":
        form = PeopleFileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                preview = people_file_read(form.cleaned_data["file"].read(), county=county)
            except ValidationError as error:
                form.add_error("file", error)
            else:
                if preview.errors:
                    form.add_error(
                        "file",
                        _("%(count)s fel i filen. Inget har importerats; rätta filen och ladda upp den igen.")
                        % {"count": len(preview.errors)},
                    )
                else:
                    token = signing.dumps(
                        people_token_rows(preview.people),
                        salt=f"{IMPORT_SALT}:{county.pk}:{request.user.pk}",
                        compress=True,
                    )
    return render(
        request,
        "samverkan/people_import.html",
        {"county": county, "form": form, "preview": preview, "token": token},
        status=400 if form.errors else 200,
    )


def _people_import_confirm(request: HttpRequest, county: County) -> HttpResponse:
    form = PeopleImportForm(request.POST)
    try:
        if not form.is_valid():
            raise signing.BadSignature
        rows = signing.loads(
            form.cleaned_data["token"],
            salt=f"{IMPORT_SALT}:{county.pk}:{request.user.pk}",
            max_age=IMPORT_MAX_AGE,
        )
        invited = services.people_import(
            county=county,
            rows=people_from_token_rows(rows, county=county),
            by=request.user,
            reason=_("Importerad från fil av länsadministratör"),
            first_row=2,
        )
    except signing.BadSignature:
        messages.error(request, _("Förhandsgranskningen har gått ut. Ladda upp filen igen."))
        return redirect("people_import", code=county.code)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages) + " " + _("Inget har importerats."))
        return redirect("people_import", code=county.code)
    messages.success(
        request,
        _("%(count)s personer är inbjudna och har fått en länk för att välja lösenord.")
        % {"count": len(invited)},
    )
    return redirect("people", code=county.code)


@login_required
def person_edit(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
    county = _county_or_404(request, code)
    person = selectors.county_person_or_404(county, user_id)
    form = PersonForm(request.POST or None, county=county, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                county=county,
                person=person,
                data=form.person_data(),
                by=request.user,
                reason=_("Uppgifter ändrade"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Uppgifterna om %(name)s är sparade.") % {"name": _name(person)})
            return redirect("person_edit", code=county.code, user_id=person.pk)
    return render(
        request,
        "samverkan/person_edit.html",
        {
            "county": county,
            "person": person,
            "form": form,
            "status_form": PersonStatusForm(),
            "roles": selectors.roles_of(person),
            # no password and never logged in (a person who signs in with the organisation's account has none)
            "invited": not person.has_usable_password() and person.last_login is None,
        },
        status=400 if form.errors else 200,
    )


def _person_status_change(request: HttpRequest, code: str, user_id: int, service, done: str) -> HttpResponse:
    county = _county_or_404(request, code)
    person = selectors.county_person_or_404(county, user_id)
    form = PersonStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, refusal_or(form, _("Ange en anledning.")))
        return redirect("person_edit", code=county.code, user_id=person.pk)
    try:
        service(person=person, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"name": _name(person)})
    return redirect("person_edit", code=county.code, user_id=person.pk)


@login_required
@require_POST
def person_deactivate(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
    return _person_status_change(
        request,
        code,
        user_id,
        services.person_deactivate,
        _("%(name)s är avaktiverad och har inga roller längre."),
    )


@login_required
@require_POST
def person_reactivate(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
    return _person_status_change(
        request,
        code,
        user_id,
        services.person_reactivate,
        _("%(name)s är aktiverad igen, som tjänsteperson."),
    )


@login_required
@require_POST
def invitation_resend(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
    county = _county_or_404(request, code)
    person = selectors.county_person_or_404(county, user_id)
    if not person.is_active or person.has_usable_password():
        messages.error(request, _("%(name)s har redan valt ett lösenord.") % {"name": _name(person)})
    else:
        services.invitation_send(person=person, by=request.user)
        messages.success(request, _("En ny inbjudan har skickats till %(email)s.") % {"email": person.email})
    return redirect("person_edit", code=county.code, user_id=person.pk)


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person chooses a password through their one-time link, and is signed in."""
    person = invited_user(token)
    if person is None:
        return render(request, "samverkan/invitation_invalid.html", status=404)
    form = SetPasswordForm(person, request.POST or None)  # the validators of a password change
    if request.method == "POST" and form.is_valid():
        services.invitation_accept(person=person, password=form.cleaned_data["new_password1"])
        login(request, person, backend="samverkan.login_throttle.ThrottledModelBackend")
        messages.success(request, _("Välkommen! Ditt lösenord är sparat."))
        return redirect("home")
    return render(
        request,
        "samverkan/invitation_accept.html",
        {"person": person, "form": form},
        status=400 if form.errors else 200,
    )
