from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from governance import permissions, selectors, services, word
from governance.forms import (
    AdjustersForm,
    AttachmentForm,
    AttendanceForm,
    ChangeRequestForm,
    CorrectionForm,
    CycleRuleForm,
    FollowUpForm,
    ItemForm,
    MeetingForm,
    ParagraphForm,
    PublishForm,
    WrittenViewsForm,
)
from governance.models import AgendaItem, Body, CycleDuty, Decision, Meeting
from governance.pdf import render_meeting_pdf
from samverkan import history
from samverkan.blocks import BODY_PAGE, blocks_for
from samverkan.concurrency import ConcurrentChange
from samverkan.documents.pdf import PdfRenderError
from samverkan.documents.word import DocumentFile
from samverkan.forms import add_service_errors, refusal_or
from samverkan.models import County
from samverkan.selectors import acting_organisation
from samverkan.uploads import download_response


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """Bodies by county and level, as a chart of who reports to whom. Officials start in their county."""
    code = request.GET.get("lan")
    if code is None:
        code = selectors.home_county_code(
            request, acting_organisation(request) if request.user.is_authenticated else None
        )
    county = County.objects.filter(code=code).first()
    return render(
        request,
        "governance/directory.html",
        {
            "counties": County.objects.order_by("name"),
            "county": county,
            "tree": selectors.body_tree(county) if county else [],
            "can_add": bool(county) and permissions.can_create_body_in(request.user, county),
            "levels": Body.Level,
        },
    )


PAST_MEETINGS_PER_PAGE = 20


@require_safe
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_or_404(pk)
    upcoming, past = selectors.body_meetings(request.user, body)
    past_page = Paginator(past, PAST_MEETINGS_PER_PAGE).get_page(request.GET.get("sida"))
    open_decisions, overdue = selectors.decisions_to_follow_up(request.user, body)
    return render(
        request,
        "governance/body.html",
        {
            "body": body,
            "children": body.children.order_by("name"),
            "seats": body.seats.select_related("organisation"),
            "members": selectors.current_members(body),
            "upcoming": upcoming,
            "past": past_page,
            "open_decisions": open_decisions,
            "overdue": overdue,
            "can_run": permissions.can_run_meetings(request.user, body),
            "can_administer": permissions.can_administer_body(request.user, body),
            "statuses": Decision.Status.choices,
            "blocks": blocks_for(BODY_PAGE, request, body),  # what other apps show on a body's page
            "template_kinds": word.TEMPLATE_KINDS,
            "this_year": timezone.localdate().year,
        },
    )


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return meeting_page(request, pk)


def meeting_page(
    request: HttpRequest, pk: int, *, partial: str = "", status: int = 200, **forms
) -> HttpResponse:
    """The meeting: agenda, protocol and, for members and the secretary, what they can do next. The actions
    below render it again with their form's errors."""
    meeting = selectors.meeting_or_404(request.user, pk)
    page = selectors.meeting_page(request.user, meeting, refused_paragraph=forms.get("paragraph_form"))
    template = "governance/meeting.html" + (f"#{partial}" if partial else "")
    context = page.context() | {
        "item_form": forms.get("item_form") or ItemForm(),
        "publish_form": forms.get("publish_form") or PublishForm(),
        "adjusters_form": forms.get("adjusters_form") or AdjustersForm(memberships=page.members),
        "change_form": forms.get("change_form") or ChangeRequestForm(),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "attachment_item": forms.get("attachment_item"),
        "views_form": forms.get("views_form") or WrittenViewsForm(items=[row.item for row in page.items]),
    }
    return render(request, template, context, status=status)


# --- Members' and the secretary's actions -----------------------------------------------------------


def _meeting_for(request: HttpRequest, pk: int, *, run: bool = False) -> Meeting:
    """The meeting (404 if invisible); with run=True the user must be able to run the body's meetings."""
    meeting = selectors.meeting_or_404(request.user, pk)
    if run and not permissions.can_run_meetings(request.user, meeting.body):
        raise PermissionDenied
    return meeting


def _back(meeting: Meeting, error: ValidationError | None = None, request: HttpRequest | None = None):
    """Back to the meeting page with the error as a message; from htmx, as a whole page (not swapped into
    the agenda)."""
    if error is not None and request is not None:
        messages.error(request, " ".join(error.messages))
    if request is not None and request.htmx:
        return HttpResponseClientRedirect(meeting.get_absolute_url())
    return redirect(meeting)


@login_required
@require_POST
def item_submit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    if not permissions.can_submit_item(request.user, meeting):
        raise PermissionDenied
    form = ItemForm(request.POST)
    if not form.is_valid():
        return meeting_page(request, pk, item_form=form, status=400)
    try:
        item = services.agenda_item_submit(meeting=meeting, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _back(meeting, error, request)
    if item.late:
        messages.warning(request, _("Ärendet kom in efter sista dag. Sekreteraren avgör om det tas upp."))
    else:
        messages.success(request, _("Ärendet är anmält."))
    return redirect(meeting)


@login_required
@require_POST
def item_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_or_404(request.user, pk)
    meeting = _meeting_for(request, item.meeting_id, run=True)
    decision = request.POST.get("decision", "")
    move_to = None
    if decision == AgendaItem.Status.MOVED:
        move_to = meeting.body.meetings.filter(pk=request.POST.get("move_to") or 0).first()
    seen = request.POST.get("seen")
    try:
        if decision in ("up", "down"):
            services.agenda_item_move(item=item, up=decision == "up", by=request.user, seen=seen)
        else:
            services.agenda_item_decide(
                item=item, decision=decision, by=request.user, move_to=move_to, seen=seen
            )
    except ValidationError as error:
        return _back(meeting, error, request)
    if request.htmx:
        return meeting_page(request, meeting.pk, partial="agenda")
    return redirect(meeting)


@login_required
@require_POST
def agenda_publish(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, run=True)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return meeting_page(request, pk, publish_form=form, status=400)
    try:
        services.agenda_publish(
            meeting=meeting, by=request.user, late_reason=form.cleaned_data.get("late_reason", "")
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return meeting_page(request, pk, publish_form=form, status=400)
    messages.success(request, _("Kallelsen är skickad och dagordningen publicerad."))
    return redirect(meeting)


@login_required
def attendance_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, run=True)
    memberships = selectors.current_members(meeting.body)
    form = AttendanceForm(
        request.POST or None,
        memberships=memberships,
        sent_views=selectors.written_views_by_membership(meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record(meeting=meeting, presence=form.presence(), by=request.user)
        except ValidationError as error:
            return _back(meeting, error, request)
        messages.success(request, _("Närvaron är registrerad och protokollet upprättat."))
        return redirect(meeting)
    return render(
        request,
        "governance/attendance.html",
        {"meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def paragraph_save(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = selectors.paragraph_or_404(request.user, pk)
    meeting = _meeting_for(request, paragraph.meeting_id, run=True)
    form = ParagraphForm(request.POST)
    if not form.is_valid():  # a personal identity number: show what was written, and why
        return meeting_page(request, meeting.pk, paragraph_form=(paragraph.pk, form), status=400)
    try:
        services.paragraph_write(paragraph=paragraph, by=request.user, **form.cleaned_data)
    except ConcurrentChange as error:  # somebody else saved the paragraph: show what, keep what was written
        add_service_errors(form, error)
        return meeting_page(request, meeting.pk, paragraph_form=(paragraph.pk, form), status=409)
    except ValidationError as error:
        return _back(meeting, error, request)
    messages.success(request, _("§ %(n)s är sparad.") % {"n": paragraph.number})
    return redirect(f"{meeting.get_absolute_url()}#p-{paragraph.pk}")


@login_required
@require_POST
def adjustment_send(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, run=True)
    form = AdjustersForm(request.POST, memberships=selectors.current_members(meeting.body))
    if not form.is_valid():
        return meeting_page(request, pk, adjusters_form=form, status=400)
    try:
        services.protocol_send_for_adjustment(meeting=meeting, adjusters=form.chosen(), by=request.user)
    except ValidationError as error:
        return _back(meeting, error, request)
    messages.success(request, _("Protokollet är skickat för justering."))
    return redirect(meeting)


@login_required
@require_POST
def protocol_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    if not permissions.can_adjust(request.user, meeting):
        raise PermissionDenied
    try:
        services.protocol_adjust(meeting=meeting, by=request.user)
    except ValidationError as error:
        return _back(meeting, error, request)
    messages.success(request, _("Du har justerat protokollet."))
    return redirect(meeting)


@login_required
@require_POST
def protocol_request_change(request: HttpRequest, pk: int) -> HttpResponse:
    """An adjuster sends the protocol back to the secretary with a comment instead of approving it."""
    meeting = _meeting_for(request, pk)
    if not permissions.can_adjust(request.user, meeting):
        raise PermissionDenied
    form = ChangeRequestForm(request.POST)
    if form.is_valid():
        try:
            services.protocol_request_change(
                meeting=meeting, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return meeting_page(request, pk, change_form=form, status=400)
    messages.success(request, _("Protokollet är skickat tillbaka till sekreteraren med din kommentar."))
    return redirect(meeting)


@login_required
@require_POST
def protocol_publish(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, run=True)
    try:
        services.protocol_publish(meeting=meeting, by=request.user)
    except ValidationError as error:
        return _back(meeting, error, request)
    messages.success(request, _("Protokollet är publicerat."))
    return redirect(meeting)


@login_required
@require_POST
def paragraph_correct(request: HttpRequest, pk: int) -> HttpResponse:
    paragraph = selectors.paragraph_or_404(request.user, pk)
    meeting = _meeting_for(request, paragraph.meeting_id, run=True)
    form = CorrectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(refusal_or(form, _("Skriv rättelsen.")))
        services.paragraph_correct(paragraph=paragraph, text=form.cleaned_data["text"], by=request.user)
    except ValidationError as error:
        return _back(meeting, error, request)
    messages.success(request, _("Rättelsen är registrerad."))
    return redirect(f"{meeting.get_absolute_url()}#p-{paragraph.pk}")


@login_required
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary plans a meeting of the body."""
    body = selectors.body_or_404(pk)
    if not permissions.can_run_meetings(request.user, body):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_plan(body=body, by=request.user, **form.cleaned_data)
        messages.success(request, _("Mötet är planerat. Ledamöterna kan nu anmäla ärenden."))
        return redirect(meeting)
    return render(
        request,
        "governance/meeting_new.html",
        {"body": body, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def my_bodies(request: HttpRequest) -> HttpResponse:
    """The bodies I belong to, my coming meetings, and protocols waiting for my adjustment."""
    bodies = list(permissions.bodies_member_of(request.user).select_related("county"))
    return render(
        request,
        "governance/mine.html",
        {
            "bodies": bodies,
            "meetings": selectors.coming_meetings(bodies),
            "to_adjust": selectors.protocols_to_adjust(request.user),
        },
    )


@login_required
@require_POST
def decision_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary records how a decision is followed up."""
    decision = selectors.decision_or_404(request.user, pk)
    if not permissions.can_run_meetings(request.user, decision.body):
        raise PermissionDenied
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, refusal_or(form, _("Uppföljningen kunde inte sparas: kontrollera status och datum."))
        )
        return redirect(f"{decision.body.get_absolute_url()}#beslut-{decision.pk}")
    services.decision_follow_up(decision=decision, by=request.user, **form.cleaned_data)
    messages.success(request, _("Uppföljningen är sparad."))
    return redirect(f"{decision.body.get_absolute_url()}#beslut-{decision.pk}")


def _meeting_document(request: HttpRequest, pk: int, kind: str) -> Meeting:
    """The meeting whose notice (public once sent) or protocol (public once published; members earlier)
    the user may download; 404 otherwise."""
    if kind not in ("kallelse", "protokoll"):
        raise Http404
    meeting = selectors.meeting_or_404(request.user, pk)
    if kind == "protokoll" and not permissions.can_see_protocol(request.user, meeting):
        raise Http404
    return meeting


@require_safe
def meeting_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    meeting = _meeting_document(request, pk, kind)
    try:
        data = render_meeting_pdf(meeting, kind=kind)
    except PdfRenderError:
        return render(request, "documents/pdf_error.html", {"back_to": meeting}, status=500)
    response = HttpResponse(data, content_type="application/pdf")
    day = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{meeting.body.pk}-{day}.pdf"'
    response["Cache-Control"] = (
        "private, no-cache" if not meeting.protocol_is_public else "public, max-age=3600"
    )
    return response


# --- Attachments and written views ------------------------------------------------------------------


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_or_404(request.user, pk)
    meeting = item.meeting
    if not permissions.can_attach(request.user, item):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(item=item, upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return meeting_page(request, meeting.pk, attachment_form=form, attachment_item=item.pk, status=400)
    messages.success(request, _("Bilagan är bifogad."))
    return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")


@require_safe
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_or_404(request.user, pk)
    return download_response(attachment.file, name=attachment.name, content_type=attachment.content_type)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_or_404(request.user, pk)
    meeting = attachment.item.meeting
    if not permissions.can_attach(request.user, attachment.item):
        raise PermissionDenied
    try:
        services.attachment_remove(attachment=attachment, by=request.user)
    except ValidationError as error:
        return _back(meeting, error, request)
    messages.success(request, _("Bilagan är borttagen."))
    return redirect(meeting)


@login_required
@require_POST
def written_views_send(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    if not permissions.can_send_written_views(request.user, meeting):
        raise PermissionDenied
    form = WrittenViewsForm(request.POST, items=selectors.meeting_agenda(meeting, unpublished=True))
    if form.is_valid():
        try:
            services.written_views_send(
                meeting=meeting, by=request.user, text=form.cleaned_data["text"], item=form.chosen_item()
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
    if form.errors:
        return meeting_page(request, pk, views_form=form, status=400)
    messages.success(request, _("Dina skriftliga synpunkter är skickade till sekreteraren."))
    return redirect(meeting)


# --- Annual cycle -----------------------------------------------------------------------------------


def _check_year(year: int) -> None:
    """Years the cycle is planned for; others (0, 99999) would fail in date arithmetic."""
    if not 2000 <= year <= 2100:
        raise Http404


@require_safe
def annual_cycle(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    return annual_cycle_page(request, pk, year)


def annual_cycle_page(
    request: HttpRequest, pk: int, year: int, *, rule_form=None, status: int = 200
) -> HttpResponse:
    """The body's year (årshjul): meetings and recurring duties by month."""
    body = selectors.body_or_404(pk)
    _check_year(year)
    can_run = permissions.can_run_meetings(request.user, body)
    entries = selectors.annual_cycle(request.user, body, year)
    return render(
        request,
        "governance/annual_cycle.html",
        {
            "body": body,
            "year": year,
            "months": [(month, MONTHS[month], found) for month, found in selectors.cycle_months(entries)],
            "duties": selectors.cycle_duties_by_id(body, year) if can_run else {},
            "rules": body.cycle_rules.all() if can_run else [],
            "rule_form": rule_form or CycleRuleForm(),
            "can_run": can_run,
        },
        status=status,
    )


def _body_run_by(request: HttpRequest, pk: int) -> Body:
    body = selectors.body_or_404(pk)
    if not permissions.can_run_meetings(request.user, body):
        raise PermissionDenied
    return body


@login_required
@require_POST
def cycle_generate(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    body = _body_run_by(request, pk)
    _check_year(year)
    try:
        meetings, duties = services.annual_cycle_generate(body=body, year=year, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("governance:annual_cycle", pk=pk, year=year)
    messages.success(
        request,
        _("Årshjulet är genererat: %(m)s nya möten, %(d)s nya uppgifter.") % {"m": meetings, "d": duties},
    )
    return redirect("governance:annual_cycle", pk=pk, year=year)


@login_required
@require_POST
def cycle_rule_add(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    body = _body_run_by(request, pk)
    _check_year(year)
    form = CycleRuleForm(request.POST)
    if form.is_valid():
        try:
            services.cycle_rule_create(body=body, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return annual_cycle_page(request, pk, year, rule_form=form, status=400)
    messages.success(request, _("Regeln är sparad. Generera året för att skapa möten och uppgifter."))
    return redirect("governance:annual_cycle", pk=pk, year=year)


@login_required
@require_POST
def cycle_duty_mark(request: HttpRequest, pk: int) -> HttpResponse:
    duty = get_object_or_404(CycleDuty.objects.select_related("body__county"), pk=pk)
    _body_run_by(request, duty.body_id)
    services.cycle_duty_mark(duty=duty, done=request.POST.get("done") == "1", by=request.user)
    return redirect("governance:annual_cycle", pk=duty.body_id, year=duty.due.year)


# --- Templates as Word documents --------------------------------------------------------------------


def _docx(document: DocumentFile, *, public: bool) -> HttpResponse:
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-cache"
    return response


@require_safe
def body_template(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """An empty template of the body (kallelse, protokoll, föredragning…) with what is known filled in."""
    body = selectors.body_or_404(pk)
    if kind not in word.TEMPLATE_KINDS:
        raise Http404
    return _docx(word.blank(body, kind), public=True)


@require_safe
def meeting_docx(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    meeting = _meeting_document(request, pk, kind)
    unpublished = kind == "kallelse" and permissions.can_see_unpublished(request.user, meeting.body)
    if kind == "kallelse":
        document = word.notice_and_agenda(meeting, unpublished=unpublished)
    else:
        document = word.protocol(meeting)
    # A member's notice lists items the public does not see: never for shared caches.
    return _docx(document, public=meeting.protocol_is_public and not unpublished)


@require_safe
def item_memo(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_or_404(request.user, pk)
    return _docx(word.presentation_memo(item), public=False)


@require_safe
def decision_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """A project plan prefilled from a decision in the register (public once its protocol is published)."""
    decision = selectors.decision_or_404(request.user, pk)
    public = decision.paragraph.meeting.protocol_is_public
    return _docx(word.project_plan(decision.body, decision), public=public)


@require_safe
def cycle_docx(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    body = selectors.body_or_404(pk)
    _check_year(year)
    entries = selectors.annual_cycle(request.user, body, year)
    return _docx(word.annual_cycle(body, year, entries), public=not request.user.is_authenticated)


@login_required
@require_safe
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed the meeting, its agenda, protocol and decisions, and when. For the body's members and
    secretary: the history holds items and drafts the public never sees."""
    meeting = selectors.meeting_or_404(request.user, pk)
    if not permissions.can_see_unpublished(request.user, meeting.body):
        raise PermissionDenied
    return render(
        request,
        "history.html",
        {
            "title": f"{meeting.body.name} {timezone.localtime(meeting.starts_at):%Y-%m-%d}",
            "back_url": meeting.get_absolute_url(),
            "groups": history.grouped(selectors.meeting_history(meeting)),
        },
    )
