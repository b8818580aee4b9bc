"""Deviations (avvikelser i samverkan) and disputes (tvister), handled on an agreement's escalation ladder.

A case starts at level 1 of its agreement's ladder. Each level has a deadline to start handling and a
deadline to give feedback; the case records the level it is at and the deadlines that applied when it got
there, so editing a ladder later never rewrites what a case was held to. Every action is an event in the
case's timeline.
"""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, FloatField, Func, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Agreement, Duty, ResponsibilityArea, Section, TargetGroup
from governance.models import Body
from samverkan.models import County, Organisation, OrganisationUnit


class Ladder(models.Model):
    """An escalation ladder of an agreement (ärendegång vid avvikelser och tvister). An agreement may have
    one for both kinds of case, or a route for deviations and another for disputes."""

    class AppliesTo(models.TextChoices):
        BOTH = "both", _("Avvikelser och tvister")
        DEVIATION = "deviation", _("Avvikelser")
        DISPUTE = "dispute", _("Tvister")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="ladders", verbose_name=_("överenskommelse")
    )
    applies_to = models.CharField(
        _("gäller"), max_length=20, choices=AppliesTo.choices, default=AppliesTo.BOTH
    )
    general_body = models.ForeignKey(
        Body,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organ för generella eller återkommande frågor"),
    )
    note = models.TextField(_("anmärkning"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("eskaleringstrappa")
        verbose_name_plural = _("eskaleringstrappor")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "applies_to"], name="ladder_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} ({self.get_applies_to_display().lower()})"


class LadderLevel(models.Model):
    class Handler(models.TextChoices):
        PARTIES = "parties", _("Parterna (närmaste chef eller linjeorganisation i varje berörd organisation)")
        BODY = "body", _("Ett samverkansorgan")
        EXECUTIVES = "executives", _("Kommunchefer/förbundsdirektör och regiondirektör")
        EXTERNAL = (
            "external",
            _("Utanför länet (t.ex. ett externt juridiskt utlåtande eller en nationell instans)"),
        )

    class CostSharing(models.TextChoices):
        NOT_STATED = "", _("Anges inte")
        EQUAL = "equal", _("Delas lika mellan parterna")
        OWN = "own", _("Varje part står för sina egna kostnader")
        CAUSE = "cause", _("Betalas av den part som orsakat ärendet")
        OTHER = "other", _("Enligt anmärkningen")

    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("nivå"))
    name = models.CharField(_("namn"), max_length=200)
    handler = models.CharField(_("hanteras av"), max_length=20, choices=Handler.choices)
    bodies = models.ManyToManyField(
        Body,
        blank=True,
        related_name="+",
        verbose_name=_("organ"),
        help_text=_("Organ som kan hantera nivån (t.ex. de lokala samverkansgrupperna)."),
    )
    external_handler = models.CharField(
        _("extern handläggare"),
        max_length=200,
        blank=True,
        help_text=_("Vem som hanterar nivån utanför länet, t.ex. ”Extern juridisk bedömning”."),
    )
    deciding_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslutande organ"),
        help_text=_("Om ett annat organ än det som bereder ärendet fattar beslutet."),
    )
    cost_sharing = models.CharField(
        _("kostnader"), max_length=10, choices=CostSharing.choices, default=CostSharing.NOT_STATED, blank=True
    )
    cost_note = models.CharField(_("om kostnaderna"), max_length=300, blank=True)
    start_days = models.PositiveSmallIntegerField(
        _("påbörjas inom (dagar)"),
        null=True,
        blank=True,
        help_text=_("Tomt om överenskommelsen inte anger någon tid."),
    )
    feedback_days = models.PositiveSmallIntegerField(
        _("återkoppling inom (dagar)"),
        null=True,
        blank=True,
        help_text=_("Tomt om överenskommelsen inte anger någon tid."),
    )
    needs_agreement = models.BooleanField(_("kräver parternas samstämmighet för att avslutas"), default=False)
    escalate_at_once = models.BooleanField(
        _("får lyftas direkt"),
        default=False,
        help_text=_(
            "Annars kan ett ärende lyftas från nivån först när nivåns handläggare har agerat eller tiden för "
            "att påbörja hanteringen har gått ut."
        ),
    )
    history = HistoricalRecords(excluded_fields=["bodies"])

    class Meta:
        ordering = ["ladder", "number"]
        verbose_name = _("nivå")
        verbose_name_plural = _("nivåer")
        constraints = [models.UniqueConstraint(fields=["ladder", "number"], name="ladder_level_once")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def clean(self) -> None:
        if self.handler == self.Handler.EXTERNAL and not self.external_handler.strip():
            raise ValidationError({"external_handler": _("Ange vem som hanterar nivån utanför länet.")})
        if self.cost_sharing == self.CostSharing.OTHER and not self.cost_note.strip():
            raise ValidationError({"cost_note": _("Beskriv hur kostnaderna delas.")})

    @property
    def cost_text(self) -> str:
        """How the level's costs are shared, as the ladder, the agreement page and the case say it."""
        parts = [
            str(self.get_cost_sharing_display()) if self.cost_sharing not in ("", "other") else "",
            self.cost_note,
        ]
        return ". ".join(part for part in parts if part)


class Category(models.Model):
    """Deviation categories: the defaults (county empty) plus a county's own."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    code = models.SlugField(_("kod"), max_length=40)
    name = models.CharField(_("namn"), max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("används"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="category_code_per_county"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(county__isnull=True), name="category_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def overdue_q(today: date) -> Q:
    """The one definition of an overdue case: open, and not started by its level's start deadline, or
    without feedback by its feedback deadline. ``Case.is_overdue`` says the same of one loaded case, and
    ``overdue_sql`` hands it to the statistics' SQL."""
    waiting = Q(state__in=WAITING_STATES, start_due__lt=today)
    no_feedback = Q(level_feedback_at__isnull=True, feedback_due__lt=today) & ~Q(state__in=FINAL_STATES)
    return waiting | no_feedback


class DaysBetween(Func):
    """Days (fractional) from the second timestamp to the first."""

    template = "EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0"
    arg_joiner = " - "
    output_field = FloatField()


class CaseQuerySet(models.QuerySet):
    def overdue(self, today: date) -> "CaseQuerySet":
        return self.filter(overdue_q(today))


class Case(models.Model):
    """A deviation or a dispute."""

    class Kind(models.TextChoices):
        DEVIATION = "deviation", _("Avvikelse")
        DISPUTE = "dispute", _("Tvist")

    class State(models.TextChoices):
        # deviations
        REPORTED = "reported", _("Anmäld")
        RECEIVED = "received", _("Mottagen")
        INVESTIGATING = "investigating", _("Utreds")
        MEASURES_DECIDED = "measures_decided", _("Åtgärder beslutade")
        FEEDBACK_GIVEN = "feedback_given", _("Återkoppling lämnad")
        CLOSED = "closed", _("Avslutad")
        # disputes
        RAISED = "raised", _("Väckt")
        HANDLING = "handling", _("Behandlas")
        RESOLVED = "resolved", _("Löst")
        REFERRED = "referred", _("Hänskjuten vidare")

    class Question(models.TextChoices):
        RESPONSIBILITY = "responsibility", _("Ansvarsfråga")
        PAYMENT = "payment", _("Betalningsansvar")
        INDIVIDUAL = "individual", _("Samverkan kring en enskild")

    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("län"))
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="cases", verbose_name=_("överenskommelse")
    )
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("avsnitt")
    )
    area = models.ForeignKey(
        ResponsibilityArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarsområde"),
    )
    duty = models.ForeignKey(
        Duty, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("åtagande")
    )
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("målgrupp"),
    )
    reporting_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("rapporterande organisation")
    )
    reporting_unit = models.ForeignKey(
        OrganisationUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhet"),
    )
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("anmäld"))
    concerned = models.ManyToManyField(
        Organisation, related_name="cases_concerning", verbose_name=_("berörda organisationer")
    )
    # the deviation
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kategori"),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("vad hände"))
    event_date = models.DateField(_("datum för händelsen"), null=True, blank=True)
    consequence = models.TextField(_("konsekvens"), blank=True)
    improvement = models.TextField(_("förslag till förbättring"), blank=True)
    # the dispute
    question = models.CharField(_("frågetyp"), max_length=20, choices=Question.choices, blank=True)
    # where it stands
    state = models.CharField(_("status"), max_length=20, choices=State.choices)
    ladder = models.ForeignKey(Ladder, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    level = models.PositiveSmallIntegerField(_("nivå"), default=1)
    level_name = models.CharField(_("nivåns namn"), max_length=200, blank=True)
    level_handler = models.CharField(max_length=20, choices=LadderLevel.Handler.choices, blank=True)
    handling_body = models.ForeignKey(
        Body,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hanteras av"),
    )
    deciding_body = models.ForeignKey(
        Body,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslutas av"),
    )
    involved_bodies = models.ManyToManyField(Body, blank=True, related_name="+")
    level_started_at = models.DateTimeField(null=True, blank=True)
    start_due = models.DateField(_("påbörjas senast"), null=True, blank=True)
    feedback_due = models.DateField(_("återkoppling senast"), null=True, blank=True)
    level_started_handling_at = models.DateTimeField(null=True, blank=True)
    level_feedback_at = models.DateTimeField(null=True, blank=True)
    first_feedback_at = models.DateTimeField(_("första återkoppling"), null=True, blank=True)
    closed_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    was_overdue = models.BooleanField(_("har varit försenad"), default=False)
    overdue_notified_on = models.DateField(null=True, blank=True)
    resolution = models.TextField(_("beslut/lösning"), blank=True)
    # Stored for the statistics' median: an index on (county, year, days) walks to the middle case instead
    # of sorting a year's cases (deviations.selectors.median_days_to_feedback). The year is the Swedish
    # calendar year (TIME_ZONE), as ``year_range`` counts it.
    feedback_days = models.GeneratedField(
        expression=DaysBetween(F("first_feedback_at"), F("reported_at")),
        output_field=models.FloatField(),
        db_persist=True,
    )
    reported_year = models.GeneratedField(
        expression=ExtractYear("reported_at", tzinfo=ZoneInfo("Europe/Stockholm")),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    history = HistoricalRecords(
        excluded_fields=["concerned", "involved_bodies", "feedback_days", "reported_year"]
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        indexes = [
            models.Index(fields=["county", "reported_at"]),
            models.Index(fields=["reporting_organisation", "reported_at"]),
            models.Index(fields=["state", "start_due"]),
            models.Index(fields=["state", "feedback_due"]),
            models.Index(fields=["handling_body", "state"]),
            models.Index(
                fields=["county", "reported_year", "feedback_days"],
                condition=Q(feedback_days__isnull=False),
                name="case_county_year_feedback",
            ),
            models.Index(
                fields=["reported_year", "feedback_days"],
                condition=Q(feedback_days__isnull=False),
                name="case_year_feedback",
            ),
            # The open cases the daily job has not flagged: the statistics count those overdue today.
            # The states are FINAL_STATES (defined below the class; a test holds them equal).
            models.Index(
                fields=["reported_at", "county"],
                include=["state", "start_due", "feedback_due", "level_feedback_at"],  # index-only
                condition=Q(was_overdue=False) & ~Q(state__in=["closed", "resolved", "referred"]),
                name="case_open_unflagged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("deviations:case", kwargs={"pk": self.pk})

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        """Also remembers what the case adds to the statistics' rollup as loaded, for the services' next
        save (``deviations.rollup``)."""
        case = super().from_db(db, field_names, values, **kwargs)
        if set(field_names) >= ROLLUP_FIELDS:
            case._rollup = rollup_snapshot(case)
        return case

    @property
    def reference(self) -> str:
        prefix = "A" if self.kind == self.Kind.DEVIATION else "T"
        return f"{prefix}-{self.reported_at:%Y}-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_STATES

    @property
    def waiting(self) -> bool:
        """Waiting for the level's handlers to start (to receive a deviation, to answer a dispute)."""
        return self.state in WAITING_STATES

    @property
    def next_due(self) -> date | None:
        """The deadline the case waits for now: the start deadline, else the feedback deadline."""
        if not self.is_open:
            return None
        if self.waiting:
            return self.start_due
        return self.feedback_due if self.level_feedback_at is None else None

    def is_overdue(self, today: date) -> bool:
        """``overdue_q`` for this case."""
        if self.waiting and self.start_due and self.start_due < today:
            return True
        return (
            self.is_open
            and self.level_feedback_at is None
            and bool(self.feedback_due and self.feedback_due < today)
        )

    @property
    def available_actions(self) -> list[tuple[str, str]]:
        """The handling actions the case's state allows, with their labels (from ``TRANSITIONS``;
        escalation and referral are separate)."""
        return [
            (action, step.label)
            for action, step in TRANSITIONS.items()
            if step.kind == self.kind and self.state in step.sources
        ]

    @property
    def overdue(self) -> bool:
        """Overdue today (for the pages)."""
        return self.is_overdue(timezone.localdate())


FINAL_STATES = (Case.State.CLOSED, Case.State.RESOLVED, Case.State.REFERRED)
WAITING_STATES = (Case.State.REPORTED, Case.State.RAISED)  # waiting for the level's handlers to start

# What a case adds to the statistics' rollup (deviations/rollup.py): the fields it reads, and their values.
ROLLUP_FIELDS = frozenset(
    (
        "county_id",
        "reported_at",
        "kind",
        "category_id",
        "section_id",
        "level",
        "area_id",
        "state",
        "was_overdue",
    )
)


@dataclass(frozen=True)
class RollupSnapshot:
    county_id: int
    year: int
    month: int
    deviation: bool
    category_id: int | None
    section_id: int | None
    level: int
    area_id: int | None
    open: bool
    was_overdue: bool


def rollup_snapshot(case: Case) -> RollupSnapshot:
    local = timezone.localtime(case.reported_at)
    return RollupSnapshot(
        county_id=case.county_id,
        year=local.year,
        month=local.month,
        deviation=case.kind == Case.Kind.DEVIATION,
        category_id=case.category_id,
        section_id=case.section_id,
        level=case.level,
        area_id=case.area_id,
        open=case.state not in FINAL_STATES,
        was_overdue=case.was_overdue,
    )


class Position(models.Model):
    """A party's position in a dispute."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="positions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ståndpunkt"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [models.UniqueConstraint(fields=["case", "organisation"], name="position_per_party")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.text[:40]}"


def _event_file_path(instance: "Event", filename: str) -> str:
    return f"deviations/{instance.case_id}/{instance.file_sha256[:16]}/{filename}"


class Event(models.Model):
    """One entry in a case's timeline: who did what, when, at which level."""

    class Action(models.TextChoices):
        REPORTED = "reported", _("Anmäld")
        RECEIVED = "received", _("Mottagen")
        INVESTIGATING = "investigating", _("Utredning påbörjad")
        MEASURES = "measures", _("Åtgärder beslutade")
        FEEDBACK = "feedback", _("Återkoppling")
        CLOSED = "closed", _("Avslutad")
        STARTED = "started", _("Behandling påbörjad")
        RESOLVED = "resolved", _("Löst")
        REFERRED = "referred", _("Hänskjuten vidare")
        ESCALATED = "escalated", _("Eskalerad")
        COMMENT = "comment", _("Kommentar")
        POSITION = "position", _("Ståndpunkt")
        ATTACHMENT = "attachment", _("Bilaga")
        OVERDUE = "overdue", _("Försenad")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    level = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    file = models.FileField(upload_to=_event_file_path, max_length=300, blank=True)
    file_name = models.CharField(max_length=150, blank=True)
    file_type = models.CharField(max_length=120, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_action_display()}"

    def get_file_url(self) -> str:
        return reverse("deviations:event_file", kwargs={"pk": self.pk})


def overdue_sql(today: date, connection) -> tuple[str, dict]:
    """``overdue_q`` as a SQL condition on ``deviations_case`` with named parameters, for raw SQL (the
    statistics), so that the rule is written once."""
    query = Case.objects.filter(overdue_q(today)).query
    sql, params = query.get_compiler(connection=connection).compile(query.where)
    names = [f"overdue_{n}" for n in range(len(params))]
    return sql % tuple(f"%({name})s" for name in names), dict(zip(names, params, strict=True))


@dataclass(frozen=True)
class Transition:
    """A handling action: on which kind of case, from which states, to which state, whether it needs a
    text (the decision or the feedback), and its button's label."""

    kind: str
    sources: tuple[str, ...]
    target: str
    needs_text: bool
    label: str
    decides: bool = False  # at a level where one body prepares and another decides, only the latter may


TRANSITIONS = {
    Event.Action.RECEIVED: Transition(
        Case.Kind.DEVIATION, (Case.State.REPORTED,), Case.State.RECEIVED, False, _("Ta emot")
    ),
    Event.Action.INVESTIGATING: Transition(
        Case.Kind.DEVIATION, (Case.State.RECEIVED,), Case.State.INVESTIGATING, False, _("Påbörja utredning")
    ),
    Event.Action.MEASURES: Transition(
        Case.Kind.DEVIATION,
        (Case.State.RECEIVED, Case.State.INVESTIGATING),
        Case.State.MEASURES_DECIDED,
        True,
        _("Besluta åtgärder"),
        decides=True,
    ),
    Event.Action.FEEDBACK: Transition(
        Case.Kind.DEVIATION,
        (Case.State.RECEIVED, Case.State.INVESTIGATING, Case.State.MEASURES_DECIDED),
        Case.State.FEEDBACK_GIVEN,
        True,
        _("Lämna återkoppling"),
    ),
    Event.Action.CLOSED: Transition(
        Case.Kind.DEVIATION,
        (Case.State.FEEDBACK_GIVEN,),
        Case.State.CLOSED,
        False,
        _("Avsluta"),
        decides=True,
    ),
    Event.Action.STARTED: Transition(
        Case.Kind.DISPUTE, (Case.State.RAISED,), Case.State.HANDLING, False, _("Påbörja behandling")
    ),
    Event.Action.RESOLVED: Transition(
        Case.Kind.DISPUTE,
        (Case.State.HANDLING,),
        Case.State.RESOLVED,
        True,
        _("Tvisten är löst"),
        decides=True,
    ),
}


HANDLING_ACTIONS = (
    Event.Action.RECEIVED,
    Event.Action.INVESTIGATING,
    Event.Action.MEASURES,
    Event.Action.FEEDBACK,
    Event.Action.STARTED,
    Event.Action.RESOLVED,
)


class CaseRollup(models.Model):
    """The statistics' counts, kept per county, year, month, dimension and key by the case services in the
    same transaction as the change (``deviations.rollup``), so that the yearly statistics read a few
    hundred rows instead of every case. ``manage.py case_rollup_rebuild`` computes it again from the cases.

    Dimensions: 0 all cases (key 0), 1 category (deviations; key 0: none), 2 section, 3 level, 4 area, 5 a
    concerned organisation; key 0 where the case has none."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    dimension = models.PositiveSmallIntegerField()
    key = models.BigIntegerField()
    n = models.IntegerField(default=0)
    deviations = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    flagged_overdue = models.IntegerField(default=0)  # was_overdue

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "month", "dimension", "key"], name="case_rollup_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.county_id} {self.year}-{self.month:02} {self.dimension}:{self.key} = {self.n}"
