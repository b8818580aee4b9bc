"""Writes for deviations and disputes. Each function is atomic, refuses personal data in free text, and
records an event in the case's timeline."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement
from deviations import CACHE_SCOPE, permissions, rollup, selectors
from deviations.models import (
    FINAL_STATES,
    TRANSITIONS,
    Case,
    Category,
    Event,
    Ladder,
    LadderLevel,
    Position,
)
from deviations.selectors import escalation_waits_until, ladder_level
from governance.models import Body
from samverkan import pagecache
from samverkan.concurrency import guard
from samverkan.history import attribute
from samverkan.models import Organisation
from samverkan.personal_data import validate_no_identity_numbers
from samverkan.tasks import email_send, enqueue_on_commit
from samverkan.uploads import check_upload

S = Case.State
A = Event.Action

LADDER_PAGES = "agreements"  # the scope of the agreement pages, which show the escalation ladder


def _personal_data_errors(**texts: str) -> dict[str, list[ValidationError]]:
    """The personal identity numbers in the free-text fields, each field's error under its name."""
    errors = {}
    for field, text in texts.items():
        try:
            validate_no_identity_numbers(text or "")
        except ValidationError as error:
            errors[field] = error.error_list
    return errors


def _guard(**texts: str) -> None:
    """Refuse personal identity numbers in any of the free-text fields, each error on its own field."""
    if errors := _personal_data_errors(**texts):
        raise ValidationError(errors)


def _event(case: Case, action: str, *, by: User | None, now: datetime, text: str = "", **extra) -> Event:
    return Event.objects.create(case=case, action=action, by=by, at=now, level=case.level, text=text, **extra)


def _save(case: Case, *, by: User | None, reason: str) -> None:
    """Every save of a case: attributed, and the statistics' rollup moved in the same transaction."""
    before = rollup.before_save(case)
    attribute(case, by=by, reason=reason)
    case.save()
    rollup.saved(case, before)


def _enter_level(case: Case, level: LadderLevel | None, *, body: Body | None, now: datetime) -> None:
    """Put the case at a level: its name, handler and the deadlines counted from today."""
    case.level_started_at, case.level_started_handling_at, case.level_feedback_at = now, None, None
    case.handling_body = body
    case.deciding_body = level.deciding_body if level is not None else None
    if level is None:  # an agreement without a ladder: the parties handle it, with default deadlines
        case.level_name, case.level_handler = _("Parterna"), LadderLevel.Handler.PARTIES
        start_days, feedback_days = 14, 30
    else:
        case.level_name, case.level_handler = level.name, level.handler
        start_days, feedback_days = level.start_days, level.feedback_days
    day = timezone.localtime(now).date()
    # A level without a deadline (the agreement sets none) gives the case none: it is never overdue there.
    case.start_due = day + timedelta(days=start_days) if start_days is not None else None
    case.feedback_due = day + timedelta(days=feedback_days) if feedback_days is not None else None


def _choose_body(level: LadderLevel | None, body: Body | None, case: Case) -> Body | None:
    if level is None or level.handler != LadderLevel.Handler.BODY:
        return None
    candidates = list(level.bodies.all())
    if body is None and len(candidates) == 1:
        return candidates[0]
    if body is None or (candidates and body not in candidates) or body.county_id != case.county_id:
        raise ValidationError(
            {"body": _("Välj vilket organ som ska hantera ärendet på nivå %(n)s.") % {"n": level.number}}
        )
    return body


# --- Reporting --------------------------------------------------------------------------------------


@dataclass
class Report:
    """What the reporter fills in. Deviations use category/event_date/consequence/improvement; disputes use
    question and the reporting party's position."""

    kind: str
    agreement: Agreement
    reporting_organisation: Organisation
    concerned: list[Organisation]
    title: str
    description: str
    category: Category | None = None
    section: object = None
    area: object = None
    duty: object = None
    target_group: object = None
    reporting_unit: object = None
    event_date: date | None = None
    consequence: str = ""
    improvement: str = ""
    question: str = ""
    position: str = ""
    body: Body | None = None


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def case_report(*, report: Report, by: User, now: datetime | None = None) -> Case:
    """Register a deviation or a dispute at level 1 of the agreement's ladder."""
    now = now or timezone.now()
    errors = _personal_data_errors(  # reported together with the other errors, in one round
        title=report.title,
        description=report.description,
        consequence=report.consequence,
        improvement=report.improvement,
        position=report.position,
    )
    parties = set(report.agreement.parties.values_list("organisation_id", flat=True))
    concerned = [o for o in report.concerned if o.pk != report.reporting_organisation.pk]
    if not concerned:
        errors["concerned"] = _("Ange vilken organisation avvikelsen gäller (en annan än er egen).")
    outside = [o.name for o in [report.reporting_organisation, *concerned] if parties and o.pk not in parties]
    if outside:
        errors["concerned"] = _("%(orgs)s är inte part i överenskommelsen.") % {"orgs": ", ".join(outside)}
    if report.kind == Case.Kind.DEVIATION and report.category is None:
        errors["category"] = _("Välj en kategori.")
    if report.kind == Case.Kind.DISPUTE and report.question not in Case.Question.values:
        errors["question"] = _("Välj vad tvisten gäller.")
    if report.event_date and report.event_date > timezone.localtime(now).date():
        errors["event_date"] = _("Datumet kan inte ligga i framtiden.")
    if errors:
        raise ValidationError(errors)
    ladder = selectors.ladder_for(report.agreement, report.kind)
    case = Case(
        kind=report.kind,
        county=report.agreement.county,
        agreement=report.agreement,
        section=report.section,
        area=report.area,
        duty=report.duty,
        target_group=report.target_group,
        reporting_organisation=report.reporting_organisation,
        reporting_unit=report.reporting_unit,
        reported_by=by,
        reported_at=now,
        category=report.category,
        title=report.title.strip(),
        description=report.description.strip(),
        event_date=report.event_date,
        consequence=report.consequence.strip(),
        improvement=report.improvement.strip(),
        question=report.question if report.kind == Case.Kind.DISPUTE else "",
        state=S.REPORTED if report.kind == Case.Kind.DEVIATION else S.RAISED,
        ladder=ladder,
        level=1,
    )
    first = ladder_level(case, 1)
    _enter_level(case, first, body=_choose_body(first, report.body, case), now=now)
    case.full_clean(exclude=["concerned", "involved_bodies"])
    _save(case, by=by, reason=_("Ärendet anmält"))
    case.concerned.set(concerned)
    rollup.concerned_add(case, {o.pk for o in concerned})
    case.involved_bodies.add(*(b for b in (case.handling_body, case.deciding_body) if b is not None))
    _event(case, A.REPORTED, by=by, now=now, organisation=report.reporting_organisation)
    if report.kind == Case.Kind.DISPUTE and report.position.strip():
        Position.objects.create(
            case=case, organisation=report.reporting_organisation, text=report.position.strip(), written_by=by
        )
    _notify_after_commit(case, _("Nytt ärende att hantera: %(ref)s"))
    return case


# --- Handling ---------------------------------------------------------------------------------------


# action -> (kinds, states it may be taken from, state afterwards, text required)


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def case_act(
    *,
    case: Case,
    action: str,
    by: User,
    text: str = "",
    parties_agree: bool = False,
    now: datetime | None = None,
    seen: str | None = None,
) -> Case:
    """Move the case one step: receive, investigate, decide measures, give feedback, close (deviations);
    start, give feedback, resolve (disputes). Late starts and late feedback mark the case as having been
    overdue. ``seen`` is the version of the case the handler acted on (no lost updates)."""
    now = now or timezone.now()
    guard(case, seen)
    case = Case.objects.select_for_update().get(pk=case.pk)
    today = timezone.localtime(now).date()
    if action == A.FEEDBACK and case.kind == Case.Kind.DISPUTE and case.state == S.HANDLING:
        target = S.HANDLING  # feedback to all parties while the dispute is handled
    else:
        step = TRANSITIONS.get(action)
        if step is None or step.kind != case.kind or case.state not in step.sources:
            raise ValidationError(
                _("Det går inte nu: ärendet har status ”%(state)s”.") % {"state": case.get_state_display()}
            )
        target = step.target
    if TRANSITIONS[action].needs_text and not text.strip():
        raise ValidationError({"text": _("Beskriv beslutet eller återkopplingen.")})
    _guard(text=text)
    level = ladder_level(case)
    if action in (A.CLOSED, A.RESOLVED) and level is not None and level.needs_agreement and not parties_agree:
        raise ValidationError(
            {
                "parties_agree": _(
                    "På den här nivån avslutas ärendet bara när parterna är överens. Bekräfta det."
                )
            }
        )
    if action in (A.RECEIVED, A.STARTED):
        case.level_started_handling_at = now
        case.was_overdue |= case.start_due is not None and today > case.start_due
    if action == A.FEEDBACK:
        case.level_feedback_at = case.level_feedback_at or now
        case.first_feedback_at = case.first_feedback_at or now
        case.was_overdue |= case.feedback_due is not None and today > case.feedback_due
    if action in (A.MEASURES, A.RESOLVED):
        case.resolution = text.strip()
    if target in FINAL_STATES:
        case.closed_at = now
    case.state = target
    _save(case, by=by, reason=Event.Action(action).label)
    _event(case, action, by=by, now=now, text=text.strip())
    return case


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def case_escalate(
    *,
    case: Case,
    by: User,
    reason: str,
    body: Body | None = None,
    now: datetime | None = None,
    seen: str | None = None,
) -> Case:
    """Take the case to the next level of the ladder; its handlers are e-mailed. At the last level a dispute
    is referred onwards (to the body for general questions, or outside the agreement) instead."""
    now = now or timezone.now()
    guard(case, seen)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(_("Ärendet är avslutat."))
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv varför ärendet lyfts till nästa nivå.")})
    _guard(reason=reason)
    waits_until = escalation_waits_until(case, now=now)
    if waits_until is not None:
        raise ValidationError(
            _(
                "Ärendet kan lyftas när nivåns handläggare har börjat hantera det, eller efter %(day)s om de "
                "inte har gjort det."
            )
            % {"day": waits_until.isoformat()}
        )
    following = ladder_level(case, case.level + 1)
    if following is None:
        if case.kind == Case.Kind.DEVIATION:
            raise ValidationError(_("Ärendet är redan på trappans sista nivå."))
        case.state, case.closed_at = S.REFERRED, now
        case.resolution = reason.strip()
        _save(case, by=by, reason=_("Hänskjuten vidare"))
        _event(case, A.REFERRED, by=by, now=now, text=reason.strip())
        return case
    chosen = _choose_body(following, body, case)
    case.level += 1
    _enter_level(case, following, body=chosen, now=now)
    case.state = S.REPORTED if case.kind == Case.Kind.DEVIATION else S.RAISED
    _save(case, by=by, reason=_("Eskalerad till nivå %(n)s") % {"n": case.level})
    case.involved_bodies.add(*(b for b in (chosen, case.deciding_body) if b is not None))
    _event(case, A.ESCALATED, by=by, now=now, text=reason.strip())
    _notify_after_commit(case, _("Ärende lyft till er nivå: %(ref)s"))
    return case


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def case_comment(*, case: Case, by: User, text: str, upload=None, now: datetime | None = None) -> Event:
    """A comment, optionally with an attachment (PDF or office document)."""
    now = now or timezone.now()
    if not text.strip() and upload is None:
        raise ValidationError({"text": _("Skriv en kommentar eller bifoga en fil.")})
    _guard(text=text)
    if upload is None:
        return _event(case, A.COMMENT, by=by, now=now, text=text.strip())
    checked = check_upload(upload, field="file")
    event = Event(
        case=case,
        action=A.ATTACHMENT,
        by=by,
        at=now,
        level=case.level,
        text=text.strip(),
        file_name=checked.name,
        file_type=checked.content_type,
        file_size=checked.size,
        file_sha256=checked.sha256,
    )
    event.file.save(checked.name, upload, save=False)
    event.save()
    return event


@pagecache.changes(CACHE_SCOPE)
@transaction.atomic
def position_state(
    *, case: Case, organisation: Organisation, by: User, text: str, now: datetime | None = None
) -> Position:
    """A party states (or restates) its position in a dispute."""
    now = now or timezone.now()
    if case.kind != Case.Kind.DISPUTE or not case.is_open:
        raise ValidationError(_("Ståndpunkter lämnas i pågående tvister."))
    if not text.strip():
        raise ValidationError({"text": _("Skriv er ståndpunkt.")})
    _guard(text=text)
    position = Position.objects.filter(case=case, organisation=organisation).first() or Position(
        case=case, organisation=organisation
    )
    position.text, position.written_by = text.strip(), by
    attribute(position, by=by, reason=_("Ståndpunkt"))
    position.save()
    _event(case, A.POSITION, by=by, now=now, text=text.strip(), organisation=organisation)
    return position


# --- Deadlines --------------------------------------------------------------------------------------


@transaction.atomic
def overdue_cases_flag(*, today: date | None = None) -> int:
    """Mark overdue cases and e-mail their handlers once per level. Run daily (``overdue_cases_flag``)."""
    today = today or timezone.localdate()
    now = timezone.now()
    flagged = 0
    for case in (
        Case.objects.overdue(today)
        .select_related("agreement", "handling_body")
        .select_for_update(of=("self",))
    ):
        if (
            case.overdue_notified_on
            and case.overdue_notified_on >= timezone.localtime(case.level_started_at).date()
        ):
            continue
        case.was_overdue, case.overdue_notified_on = True, today
        _save(case, by=None, reason=_("Försenad"))
        _event(case, A.OVERDUE, by=None, now=now)
        _notify_after_commit(case, _("Försenat ärende: %(ref)s"))
        flagged += 1
    if flagged:
        pagecache.bump(CACHE_SCOPE)  # the statistics count the overdue share
    return flagged


# --- Ladders ----------------------------------------------------------------------------------------


@pagecache.changes(CACHE_SCOPE, LADDER_PAGES)
@transaction.atomic
def ladder_save(
    *,
    agreement: Agreement,
    levels: list[dict],
    by: User | None,
    general_body: Body | None = None,
    note: str = "",
    applies_to: str = Ladder.AppliesTo.BOTH,
) -> Ladder:
    """Replace the agreement's ladder for ``applies_to`` (both kinds, deviations or disputes) with these
    levels (numbered in order). Cases keep the deadlines they were given; the history keeps every
    revision."""
    if not levels:
        raise ValidationError(_("En trappa behöver minst en nivå."))
    for index, level in enumerate(levels, start=1):
        if level.get("handler") == LadderLevel.Handler.BODY and not level.get("bodies"):
            raise ValidationError(_("Nivå %(n)s hanteras av ett organ: välj vilket.") % {"n": index})
        deciding = [level["deciding_body"]] if level.get("deciding_body") else []
        if any(b.county_id != agreement.county_id for b in [*level.get("bodies", []), *deciding]):
            raise ValidationError(_("Organen ska höra till överenskommelsens län."))
        if deciding and level.get("handler") != LadderLevel.Handler.BODY:
            raise ValidationError(
                _("Nivå %(n)s: ett beslutande organ förutsätter att ett organ bereder ärendet.")
                % {"n": index}
            )
    ladder, created = Ladder.objects.get_or_create(agreement=agreement, applies_to=applies_to)
    ladder.general_body, ladder.note = general_body, note
    ladder.revision = 1 if created else ladder.revision + 1
    ladder.full_clean()
    attribute(ladder, by=by, reason=_("Trappan sparad"))
    ladder.save()
    ladder.levels.all().delete()
    for number, spec in enumerate(levels, start=1):
        spec = dict(spec)  # the caller's list of levels stays as it was
        bodies = spec.pop("bodies", [])
        level = LadderLevel(ladder=ladder, number=number, **spec)
        try:
            level.full_clean(exclude=["ladder"])
        except ValidationError as error:
            raise ValidationError(
                _("Nivå %(n)s: %(errors)s") % {"n": number, "errors": " ".join(error.messages)}
            ) from error
        attribute(level, by=by, reason=_("Trappan sparad"))
        level.save()
        level.bodies.set(bodies)
    return ladder


# --- Notifications ----------------------------------------------------------------------------------


def _notify_after_commit(case: Case, subject: str) -> None:
    """Queue an e-mail to the handlers of the case's current level once the transaction has committed;
    the task worker sends it, so the action never waits for the mail server."""
    enqueue_on_commit("deviations.tasks.case_handlers_notify", case.pk, str(subject))


def notify_handlers(case: Case, subject: str) -> int:
    """Send the handlers a short message with a link (run by the task worker); a failing address is
    logged and does not stop the others."""
    addresses = sorted({u.email for u in permissions.handlers_of(case) if u.email})
    url = settings.SITE_URL.rstrip("/") + case.get_absolute_url()
    body = _(
        "%(ref)s, nivå %(level)s (%(name)s).\n"
        "Påbörjas senast %(start)s, återkoppling senast %(feedback)s.\n%(url)s\n"
    ) % {
        "ref": case.reference,
        "level": case.level,
        "name": case.level_name,
        "start": case.start_due,
        "feedback": case.feedback_due,
        "url": url,
    }
    return email_send.call(subject=subject % {"ref": case.reference}, body=body, to=addresses)
