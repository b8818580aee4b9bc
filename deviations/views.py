from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from agreements import permissions as agreement_permissions
from agreements.models import AgreementVersion, Side
from agreements.selectors import agreement_or_404, version_current
from deviations import permissions, selectors, services
from deviations.forms import (
    ActForm,
    AgreementChoiceForm,
    CommentForm,
    EscalateForm,
    LadderForm,
    LevelForm,
    LevelFormSet,
    PositionForm,
    ReportForm,
)
from deviations.models import Case, Event, Ladder, LadderLevel
from governance.selectors import body_or_404
from samverkan import history
from samverkan import permissions as core
from samverkan.forms import add_service_errors
from samverkan.selectors import acting_organisation
from samverkan.uploads import download_response


@login_required
@require_safe
def my_cases(request: HttpRequest) -> HttpResponse:
    """Cases we reported, cases concerning us, and cases waiting for me; the bodies whose queue I see."""
    return render(
        request,
        "deviations/mine.html",
        {
            "cases": selectors.my_cases(request.user),
            "bodies": permissions.bodies_led_by(request.user).select_related("county"),
            "can_report": permissions.can_report(request.user),
        },
    )


@login_required
def report(request: HttpRequest, kind: str = Case.Kind.DEVIATION) -> HttpResponse:
    """Report in two steps: which agreement (or straight from a duty in a responsibility table), then what
    happened. Bad input is shown next to the field and nothing is lost."""
    reporting = permissions.reporting_organisations(request.user).order_by("name")
    if not reporting.exists():
        raise PermissionDenied
    agreements = selectors.agreements_to_report_on(request.user)
    initial = {"reporting_organisation": acting_organisation(request)}
    duty = None
    if duty_id := request.GET.get("atagande", "").strip():
        duty = get_object_or_404(
            agreement_permissions.duties_visible(request.user).select_related(
                "area__target_group", "version__agreement"
            ),
            pk=duty_id if duty_id.isdigit() else 0,
        )
        agreement = get_object_or_404(agreements, pk=duty.version.agreement_id)
        initial |= {"duty": duty, "area": duty.area, "target_group": duty.area.target_group}
        if duty.side == Side.REGION:
            initial["concerned"] = agreement.parties.filter(side=Side.REGION).values_list(
                "organisation", flat=True
            )
    else:
        choice = AgreementChoiceForm(request.GET or None, agreements=agreements)
        if not choice.is_valid():
            return render(request, "deviations/report_start.html", {"form": choice, "kind": kind})
        agreement = choice.cleaned_data["avtal"]
    versions = list(agreement.versions.exclude(status=AgreementVersion.Status.DRAFT).order_by("-number"))
    form = ReportForm(
        request.POST or None,
        initial=initial,
        kind=kind,
        agreement=agreement,
        version=version_current(versions),
        reporting=reporting,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "names_checked"}
        try:
            case = services.case_report(
                report=services.Report(kind=kind, agreement=agreement, **data), by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Ärendet %(ref)s är registrerat och de som hanterar det har fått besked.")
                % {"ref": case.reference},
            )
            return redirect(case)
    return render(
        request,
        "deviations/report.html",
        {"form": form, "agreement": agreement, "kind": kind, "duty": duty},
        status=400 if form.errors else 200,
    )


def _case_page(request: HttpRequest, case: Case, *, status: int = 200, **forms) -> HttpResponse:
    can_handle = permissions.can_handle(request.user, case)
    next_level = selectors.ladder_level(case, case.level + 1) if case.is_open else None
    level = selectors.ladder_level(case) if case.ladder_id else None
    positions = case.positions.select_related("organisation") if case.kind == Case.Kind.DISPUTE else []
    own_parties = (
        permissions.party_organisations(request.user, case) if case.kind == Case.Kind.DISPUTE else None
    )
    return render(
        request,
        "deviations/case.html",
        {
            "case": case,
            "events": selectors.timeline(case),
            "positions": positions,
            "can_handle": can_handle,
            "can_escalate": permissions.can_escalate(request.user, case),
            "escalation_waits_until": selectors.escalation_waits_until(case) if case.is_open else None,
            "actions": permissions.actions_for(request.user, case) if can_handle else [],
            "level": level,
            "next_level": next_level,
            "act_form": forms.get("act_form") or ActForm(initial={"seen": case.seen}),
            "escalate_form": forms.get("escalate_form")
            or EscalateForm(
                bodies=next_level.bodies.all() if next_level else None, initial={"seen": case.seen}
            ),
            "comment_form": forms.get("comment_form") or CommentForm(),
            "position_form": forms.get("position_form")
            or (
                PositionForm(organisations=own_parties)
                if own_parties is not None and own_parties.exists()
                else None
            ),
            "dispute_feedback": case.kind == Case.Kind.DISPUTE and case.state == Case.State.HANDLING,
        },
        status=status,
    )


@login_required
@require_safe
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, selectors.case_or_404(request.user, pk))


@login_required
@require_safe
def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed the case record and the parties' positions, and when (the timeline shows the actions)."""
    case = selectors.case_or_404(request.user, pk)
    return render(
        request,
        "history.html",
        {
            "title": case.reference,
            "back_url": case.get_absolute_url(),
            "groups": history.grouped(selectors.case_history(case)),
        },
    )


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_or_404(request.user, pk)
    if not permissions.can_handle(request.user, case):
        raise PermissionDenied
    form = ActForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        if action in dict(case.available_actions) and action not in dict(
            permissions.actions_for(request.user, case)
        ):
            raise PermissionDenied  # a decision at a level where another body decides
        try:
            services.case_act(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _case_page(request, case, act_form=form, status=400)
    messages.success(request, _("Åtgärden är registrerad."))
    return redirect(case)


@login_required
@require_POST
def case_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_or_404(request.user, pk)
    if not permissions.can_escalate(request.user, case):
        raise PermissionDenied
    following = selectors.ladder_level(case, case.level + 1)
    form = EscalateForm(request.POST, bodies=following.bodies.all() if following else None)
    if form.is_valid():
        try:
            services.case_escalate(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _case_page(request, case, escalate_form=form, status=400)
    messages.success(request, _("Ärendet är lyft. De som hanterar nästa nivå har fått e-post."))
    return redirect(case)


@login_required
@require_POST
def case_comment(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_or_404(request.user, pk)
    form = CommentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.case_comment(
                case=case, by=request.user, text=form.cleaned_data["text"], upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _case_page(request, case, comment_form=form, status=400)
    messages.success(request, _("Kommentaren är sparad."))
    return redirect(case)


@login_required
@require_POST
def position_state(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_or_404(request.user, pk)
    organisations = permissions.party_organisations(request.user, case)
    if case.kind != Case.Kind.DISPUTE or not organisations.exists():
        raise PermissionDenied
    form = PositionForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            services.position_state(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return _case_page(request, case, position_form=form, status=400)
    messages.success(request, _("Ståndpunkten är sparad."))
    return redirect(case)


@login_required
@require_safe
def event_file(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.exclude(file=""), pk=pk)
    selectors.case_or_404(request.user, event.case_id)
    return download_response(event.file, name=event.file_name, content_type=event.file_type)


@login_required
@require_safe
def body_queue(request: HttpRequest, pk: int) -> HttpResponse:
    """The open cases a body handles; for its chair, vice chair and secretary, and the county's admins."""
    body = body_or_404(pk)
    if not permissions.can_see_queue(request.user, body):
        raise PermissionDenied
    return render(request, "deviations/queue.html", {"body": body, "cases": selectors.body_queue(body)})


@require_safe
def ladders(request: HttpRequest) -> HttpResponse:
    """The escalation ladders of every agreement (public: the routine is part of the agreement)."""
    agreements = (
        agreement_permissions.agreements_visible(request.user)
        .select_related("county")
        .prefetch_related(
            Prefetch("ladders", Ladder.objects.select_related("general_body").order_by("applies_to")),
            Prefetch("ladders__levels", LadderLevel.objects.select_related("deciding_body")),
            "ladders__levels__bodies",
        )
        .order_by("county__name", "title")
    )
    return render(
        request,
        "deviations/ladders.html",
        {
            "agreements": agreements,
            "editable": set(core.counties_administered(request.user).values_list("pk", flat=True))
            if request.user.is_authenticated
            else set(),
        },
    )


@login_required
def ladder_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """County admins edit an agreement's ladder; every save is a new revision in the history."""
    agreement = agreement_or_404(request.user, pk)
    if not permissions.can_edit_ladder(request.user, agreement.county):
        raise PermissionDenied
    route = request.POST.get("applies_to") or request.GET.get("galler") or Ladder.AppliesTo.BOTH
    if route not in Ladder.AppliesTo.values:
        route = Ladder.AppliesTo.BOTH
    ladder, levels = selectors.ladder_with_levels(agreement, route)
    initial = [
        {f: getattr(lv, f) for f in LevelForm.Meta.fields if f != "bodies"}
        | {"bodies": list(lv.bodies.all())}
        for lv in levels
    ]
    county = agreement.county
    formset = LevelFormSet(
        request.POST or None, initial=initial, form_kwargs={"county": county}, prefix="niva"
    )
    form = LadderForm(
        request.POST or None,
        county=county,
        initial={
            "applies_to": route,
            "general_body": ladder.general_body if ladder else None,
            "note": ladder.note if ladder else "",
        },
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        chosen = [
            f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        for level in chosen:
            level.pop("DELETE", None)
            level["bodies"] = list(level.get("bodies") or [])
        try:
            services.ladder_save(agreement=agreement, levels=chosen, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Eskaleringstrappan är sparad."))
            return redirect("deviations:ladders")
    return render(
        request,
        "deviations/ladder_edit.html",
        {
            "agreement": agreement,
            "form": form,
            "formset": formset,
            "ladder": ladder,
            "route": route,
            "routes": Ladder.AppliesTo.choices,
        },
        status=400 if request.method == "POST" else 200,
    )
