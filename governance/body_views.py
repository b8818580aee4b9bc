"""Setting up a county's bodies in the browser: create, edit and end a body, its seats and its members.

The body and its county are public, so a body the user may not administer is 403; a county-scoped page of
a county the user does not administer is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import permissions, selectors, services
from governance.forms import BodyEndForm, BodyForm, MemberForm, MembershipEndForm, SeatForm
from governance.models import Body, Membership, Seat
from samverkan.forms import add_service_errors, refusal_or


def _administered_body(request: HttpRequest, pk: int) -> Body:
    body = selectors.body_or_404(pk)
    if not permissions.can_administer_body(request.user, body):
        raise PermissionDenied
    return body


def _values(form: BodyForm) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


@login_required
def body_new(request: HttpRequest, code: str) -> HttpResponse:
    county = get_object_or_404(permissions.counties_for_new_bodies(request.user), code=code)
    form = BodyForm(request.POST or None, county=county)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(
                county=county,
                values=_values(form),
                parents=list(form.cleaned_data["parents"]),
                by=request.user,
                reason=_("Organet inrättat"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(body)s är upplagt. Lägg nu till platser och ledamöter.") % {"body": body.name}
            )
            return redirect("governance:body_admin", pk=body.pk)
    return render(
        request,
        "governance/body_new.html",
        {"county": county, "form": form},
        status=400 if form.errors else 200,
    )


def _admin_page(request: HttpRequest, body: Body, **forms) -> HttpResponse:
    county = body.county
    today = timezone.localdate()
    context = {
        "body": body,
        "form": forms.get("form") or BodyForm(instance=body, county=county),
        "seat_form": forms.get("seat_form") or SeatForm(county=county),
        "member_form": forms.get("member_form") or MemberForm(county=county, initial={"starts_on": today}),
        "end_form": forms.get("end_form") or BodyEndForm(initial={"last_day": today}),
        "seats": body.seats.select_related("organisation"),
        "members": selectors.current_members(body),
        "today": today,
    }
    bad = any(f is not None and f.errors for f in forms.values())
    return render(request, "governance/body_admin.html", context, status=400 if bad else 200)


@login_required
def body_admin(request: HttpRequest, pk: int) -> HttpResponse:
    """The body's administration page; a POST saves its particulars and reporting lines."""
    body = _administered_body(request, pk)
    if request.method != "POST":
        return _admin_page(request, body)
    form = BodyForm(request.POST, instance=body, county=body.county)
    if form.is_valid():
        try:
            services.body_update(
                body=body,
                values=_values(form),
                parents=list(form.cleaned_data["parents"]),
                by=request.user,
                reason=_("Organets uppgifter ändrade"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Uppgifterna är sparade."))
            return redirect("governance:body_admin", pk=body.pk)
    body.refresh_from_db()
    return _admin_page(request, body, form=form)


@login_required
@require_POST
def body_end(request: HttpRequest, pk: int) -> HttpResponse:
    body = _administered_body(request, pk)
    form = BodyEndForm(request.POST)
    if form.is_valid():
        try:
            services.body_end(
                body=body,
                last_day=form.cleaned_data["last_day"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(body)s är avslutat. Protokollen finns kvar.") % {"body": body.name}
            )
            return redirect(body)
    return _admin_page(request, body, end_form=form)


@login_required
@require_POST
def seat_add(request: HttpRequest, pk: int) -> HttpResponse:
    body = _administered_body(request, pk)
    form = SeatForm(request.POST, county=body.county)
    if form.is_valid():
        try:
            services.seat_add(body=body, **form.cleaned_data, by=request.user, reason=_("Plats tillagd"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Platsen är tillagd."))
            return redirect("governance:body_admin", pk=body.pk)
    return _admin_page(request, body, seat_form=form)


@login_required
@require_POST
def seat_remove(request: HttpRequest, pk: int) -> HttpResponse:
    seat = get_object_or_404(Seat.objects.select_related("body__county"), pk=pk)
    body = _administered_body(request, seat.body_id)
    services.seat_remove(seat=seat, by=request.user, reason=_("Plats borttagen"))
    messages.success(request, _("Platsen är borttagen."))
    return redirect("governance:body_admin", pk=body.pk)


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    body = _administered_body(request, pk)
    form = MemberForm(request.POST, county=body.county)
    if form.is_valid():
        data = form.cleaned_data
        person = data["user"]
        try:
            services.member_seat(
                body=body,
                user=person,
                organisation=data["organisation"] or person.profile.organisation,
                role=data["role"],
                function=data["function"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                by=request.user,
                reason=_("Ledamot tillagd av länsadministratör"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s är tillagd i %(body)s.") % {"name": person.get_full_name(), "body": body.name},
            )
            return redirect("governance:body_admin", pk=body.pk)
    return _admin_page(request, body, member_form=form)


@login_required
@require_POST
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    body = _administered_body(request, membership.body_id)
    form = MembershipEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, refusal_or(form, _("Ange den sista dagen i organet.")))
        return redirect("governance:body_admin", pk=body.pk)
    try:
        services.membership_end(
            membership=membership,
            ends_on=form.cleaned_data["ends_on"],
            by=request.user,
            reason=_("Mandatet avslutat av länsadministratör"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Mandatet för %(name)s är avslutat.") % {"name": membership.user.get_full_name()}
        )
    return redirect("governance:body_admin", pk=body.pk)
