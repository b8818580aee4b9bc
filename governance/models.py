"""Cooperation bodies, their seats and members, meetings with agendas and protocols, and decisions."""

import calendar
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.models import SWEDISH, County, Organisation


class Body(models.Model):
    """A cooperation body (samverkansorgan) such as LSVO, SocialKOLA or a samverkansgrupp."""

    class Level(models.TextChoices):
        POLITICAL = "political", _("Politisk nivå")
        STRATEGIC = "strategic", _("Strategisk nivå")
        TACTICAL = "tactical", _("Taktisk nivå")
        OPERATIONAL = "operational", _("Operativ nivå")

    class Quorum(models.TextChoices):
        MAJORITY_EACH_SIDE = (
            "majority_each_side",
            _("Mer än hälften av ledamöterna från varje huvudmannasida"),
        )
        MAJORITY = "majority", _("Mer än hälften av ledamöterna")
        NONE = "none", _("Inget krav")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="bodies", verbose_name=_("län"))
    name = models.CharField(_("namn"), max_length=160, db_collation=SWEDISH)
    abbreviation = models.CharField(_("förkortning"), max_length=30, blank=True)
    level = models.CharField(_("nivå"), max_length=20, choices=Level.choices)
    parents = models.ManyToManyField(
        "self",
        through="ReportingLine",
        through_fields=("body", "reports_to"),
        symmetrical=False,
        blank=True,
        related_name="children",
        verbose_name=_("rapporterar till"),
    )
    valid_from = models.DateField(_("inrättat"), null=True, blank=True)
    valid_to = models.DateField(
        _("avslutat"), null=True, blank=True, help_text=_("Organets sista dag. Protokollen finns kvar.")
    )
    mandate = models.TextField(_("uppdrag"), blank=True)
    time_horizon = models.CharField(_("tidshorisont"), max_length=60, blank=True)
    meetings_per_year = models.PositiveSmallIntegerField(_("möten per år"), null=True, blank=True)
    agenda_notice_days = models.PositiveSmallIntegerField(_("kallelse senast (dagar före mötet)"), default=7)
    item_deadline_days = models.PositiveSmallIntegerField(
        _("ärenden senast (dagar före kallelsen)"), default=7
    )
    quorum_rule = models.CharField(
        _("beslutförhet"), max_length=30, choices=Quorum.choices, default=Quorum.MAJORITY_EACH_SIDE
    )
    chair_has_mandate = models.BooleanField(_("ordföranden har beslutsmandat"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["county__name", "name"]
        verbose_name = _("samverkansorgan")
        verbose_name_plural = _("samverkansorgan")
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="body_unique_name_in_county")]

    def __str__(self) -> str:
        return f"{self.abbreviation} ({self.county.short_name})" if self.abbreviation else self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:body", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Organet kan inte avslutas innan det har inrättats.")})

    def is_current(self, day: date) -> bool:
        """Has the body been set up by ``day``, and not ended before it?"""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def reporting_refusal(self, parents: list["Body"]) -> str | None:
        """Why the body cannot report to ``parents``, or None: each must be of the body's own county, and
        no line may lead (through other bodies) back to the body itself."""
        if any(parent.county_id != self.county_id for parent in parents):
            return _("Organet kan bara rapportera till organ i samma län.")
        if self.pk is None:
            return None
        up: dict[int, set[int]] = {}
        for body_id, reports_to_id in ReportingLine.objects.filter(
            body__county_id=self.county_id
        ).values_list("body_id", "reports_to_id"):
            up.setdefault(body_id, set()).add(reports_to_id)
        up[self.pk] = {parent.pk for parent in parents}
        seen, todo = set(), list(up[self.pk])
        while todo:
            current = todo.pop()
            if current == self.pk:
                return _("Ett organ kan inte rapportera till sig självt, inte heller via andra organ.")
            if current not in seen:
                seen.add(current)
                todo.extend(up.get(current, ()))
        return None

    def is_quorate(self, present: set[int], memberships: list["Membership"]) -> bool:
        """Is a meeting quorate with these memberships present? Blekinge: more than half of the voting
        members from each principal side."""
        voters = [m for m in memberships if m.votes]
        if self.quorum_rule == self.Quorum.NONE:
            return True
        if self.quorum_rule == self.Quorum.MAJORITY:
            return sum(m.pk in present for m in voters) * 2 > len(voters)
        for side in ("region", "municipal"):
            side_voters = [m for m in voters if m.side == side]
            if side_voters and sum(m.pk in present for m in side_voters) * 2 <= len(side_voters):
                return False
        return True


class ReportingLine(models.Model):
    """A body reports to another: a local group may answer to two county-wide groups."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="lines_up")
    reports_to = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="lines_down")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapporteringslinje")
        verbose_name_plural = _("rapporteringslinjer")
        constraints = [
            models.UniqueConstraint(fields=["body", "reports_to"], name="reporting_line_unique"),
            models.CheckConstraint(
                condition=~Q(body=models.F("reports_to")), name="reporting_line_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} → {self.reports_to}"


class Seat(models.Model):
    """A seat as in the seeds' tables: function × organisation × count."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats")
    function = models.CharField(_("funktion"), max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)
    organisation_text = models.CharField(_("organisation (text)"), max_length=200, blank=True)
    count = models.PositiveSmallIntegerField(_("antal"), default=1)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("plats")
        verbose_name_plural = _("platser")

    def __str__(self) -> str:
        return f"{self.function}, {self.organisation or self.organisation_text} ({self.count})"


class MembershipQuerySet(models.QuerySet):
    def in_force(self, day: date) -> "MembershipQuerySet":
        """Memberships held on ``day`` (``ends_on`` is the last day in the body)."""
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Membership(models.Model):
    """A person's place in a body, with a role and a period. A body role (chair, secretary, member) is a
    membership: there is no other record of it (governance/roles.py tells the core about them)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Ordförande")
        VICE_CHAIR = "vice_chair", _("Vice ordförande")
        SECRETARY = "secretary", _("Sekreterare")
        MEMBER = "member", _("Ledamot")
        CO_OPTED = "co_opted", _("Adjungerad")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    function = models.CharField(_("funktion"), max_length=200, blank=True)
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["body", "role", "user__last_name"]
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.body})"

    @property
    def side(self) -> str:
        """The principal side the member represents: region or municipal."""
        return "region" if self.organisation.kind == Organisation.Kind.REGION else "municipal"

    @property
    def votes(self) -> bool:
        """Members and the vice chair take part in decisions; the chair only if the body says so."""
        if self.role == self.Role.CHAIR:
            return self.body.chair_has_mandate
        return self.role in (self.Role.MEMBER, self.Role.VICE_CHAIR)


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerat")
        AGENDA_PUBLISHED = "agenda_published", _("Kallelse skickad")
        HELD = "held", _("Genomfört")
        PROTOCOL_DRAFT = "protocol_draft", _("Protokoll under arbete")
        IN_ADJUSTMENT = "in_adjustment", _("Protokoll för justering")
        ADJUSTED = "adjusted", _("Protokoll justerat")
        PUBLISHED = "published", _("Protokoll publicerat")
        CANCELLED = "cancelled", _("Inställt")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("tid"))
    location = models.CharField(_("plats eller länk"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    agenda_published_at = models.DateTimeField(_("kallelse skickad"), null=True, blank=True)
    late_agenda_reason = models.CharField(_("skäl till sen kallelse"), max_length=300, blank=True)
    quorate = models.BooleanField(_("beslutfört"), null=True, blank=True)
    protocol_published_at = models.DateTimeField(_("protokoll publicerat"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        indexes = [
            models.Index(fields=["body", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            # the latest meetings across all bodies (the API's meeting list, newest first)
            models.Index(fields=["starts_at", "id"], name="meeting_starts_at_id"),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", kwargs={"pk": self.pk})

    # The one definition of each stage a rule or a page asks about.
    AGENDA_OPEN = (Status.PLANNED, Status.AGENDA_PUBLISHED)
    PROTOCOL_LOCKED = (Status.ADJUSTED, Status.PUBLISHED)

    @property
    def agenda_open(self) -> bool:
        """Items may be submitted, decided, moved and given files; written views may be sent."""
        return self.status in self.AGENDA_OPEN

    @property
    def agenda_unsent(self) -> bool:
        """The agenda has not been sent: the secretary may publish it."""
        return self.status == self.Status.PLANNED

    @property
    def agenda_sent(self) -> bool:
        """The agenda is out and the protocol not begun: attendance is registered once the meeting starts."""
        return self.status == self.Status.AGENDA_PUBLISHED

    @property
    def protocol_in_draft(self) -> bool:
        """The secretary writes the paragraphs; adjusters are not yet appointed."""
        return self.status == self.Status.PROTOCOL_DRAFT

    @property
    def protocol_in_adjustment(self) -> bool:
        return self.status == self.Status.IN_ADJUSTMENT

    @property
    def protocol_adjusted(self) -> bool:
        """Adjusted, waiting to be published."""
        return self.status == self.Status.ADJUSTED

    @property
    def protocol_locked(self) -> bool:
        """Adjusted (and perhaps published): the text is fixed; a change is a correction."""
        return self.status in self.PROTOCOL_LOCKED

    @property
    def agenda_deadline(self) -> datetime:
        """The latest time the agenda may be sent: the body's notice period before the meeting."""
        # Count whole days in Swedish wall-clock time, so a deadline across a DST change keeps its hour.
        return timezone.localtime(self.starts_at) - timedelta(days=self.body.agenda_notice_days)

    @property
    def item_deadline(self) -> datetime:
        """The latest time items can be submitted: the body's item deadline before the agenda is due."""
        return self.agenda_deadline - timedelta(days=self.body.item_deadline_days)

    @property
    def agenda_is_public(self) -> bool:
        return self.status not in (self.Status.PLANNED, self.Status.CANCELLED)

    @property
    def protocol_is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def has_begun(self, now: datetime | None = None) -> bool:
        """Attendance and the protocol are recorded from the start of the meeting, never before."""
        return self.starts_at <= (now or timezone.now())


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        DECISION = "decision", _("Beslut")
        DISCUSSION = "discussion", _("Diskussion")
        # the meeting's own business: opening, choice of adjusters, closing; no decision to follow up
        PROCEDURAL = "procedural", _("Formalia")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Anmält")
        ACCEPTED = "accepted", _("På dagordningen")
        REJECTED = "rejected", _("Avvisat")
        MOVED = "moved", _("Flyttat till annat möte")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("rubrik"), max_length=300)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.INFORMATION)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    presenter = models.CharField(_("föredragande"), max_length=200, blank=True)
    proposal = models.TextField(_("förslag till beslut"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    late = models.BooleanField(_("anmält efter sista dag"), default=False)
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")

    def __str__(self) -> str:
        return self.title

    @property
    def awaiting_decision(self) -> bool:
        """Submitted; the secretary has not yet taken it up or turned it away."""
        return self.status == self.Status.SUBMITTED

    @property
    def accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED


class Attendance(models.Model):
    class Presence(models.TextChoices):
        PRESENT = "present", _("Närvarande")
        ABSENT = "absent", _("Frånvarande")
        WRITTEN_VIEWS = "written_views", _("Frånvarande, skriftliga synpunkter")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    presence = models.CharField(_("närvaro"), max_length=20, choices=Presence.choices)
    written_views = models.TextField(_("skriftliga synpunkter"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="attendance_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.membership.user}: {self.get_presence_display()}"


class Paragraph(models.Model):
    """One § of a protocol. Numbers run per body per calendar year."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="paragraphs")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(_("rubrik"), max_length=300)
    notes = models.TextField(_("anteckningar"), blank=True)
    decision = models.TextField(_("beslut"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "number"]
        verbose_name = _("paragraf")
        verbose_name_plural = _("paragrafer")
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "number"], name="paragraph_number_per_body_year")
        ]

    def __str__(self) -> str:
        return f"§ {self.number}/{self.year} {self.title}"


class Adjustment(models.Model):
    """An adjuster (justerare) of a protocol and when they approved it, or what they asked to be changed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="adjustments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    change_requested_at = models.DateTimeField(_("ändring begärd"), null=True, blank=True)
    change_request = models.TextField(_("begärd ändring"), blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="adjuster_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.user} ({self.meeting})"


class Correction(models.Model):
    """A correction to an adjusted protocol: recorded next to the paragraph, never an edit of it."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.PROTECT, related_name="corrections")
    text = models.TextField(_("rättelse"))
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made_at"]
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")

    def __str__(self) -> str:
        return f"{self.paragraph}: {self.text[:40]}"


class Decision(models.Model):
    """A decision to follow up (beslutsuppföljning)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Pågår")
        DONE = "done", _("Genomfört")
        CANCELLED = "cancelled", _("Avslutat utan åtgärd")

    paragraph = models.OneToOneField(Paragraph, on_delete=models.PROTECT, related_name="follow_up")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions")
    text = models.TextField(_("beslut"))
    without_quorum = models.BooleanField(_("fattat utan beslutförhet"), default=False)
    responsible_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible_person = models.CharField(_("ansvarig person"), max_length=200, blank=True)
    due = models.DateField(_("klart senast"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField(_("anteckningar"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        indexes = [models.Index(fields=["body", "status", "due"])]

    def __str__(self) -> str:
        return self.text[:60]


class WrittenViews(models.Model):
    """Written views a member who cannot attend sends before the meeting (skriftliga synpunkter)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="written_views")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="written_views"
    )
    text = models.TextField(_("synpunkter"))
    sent_at = models.DateTimeField(_("skickade"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("skriftliga synpunkter")
        verbose_name_plural = _("skriftliga synpunkter")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership", "item"], name="written_views_once"),
            models.UniqueConstraint(
                fields=["meeting", "membership"],
                condition=Q(item__isnull=True),
                name="written_views_once_general",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user}: {self.text[:40]}"


def _attachment_path(instance: "Attachment", filename: str) -> str:
    return f"governance/attachments/{instance.item.meeting_id}/{instance.sha256[:16]}/{instance.name}"


class Attachment(models.Model):
    """A file attached to an agenda item. Checked by content and size on upload (samverkan.uploads)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=300)
    name = models.CharField(_("filnamn"), max_length=150)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:attachment", kwargs={"pk": self.pk})


class CycleRule(models.Model):
    """A rule of the body's annual cycle (årshjul): a recurring meeting or duty in given months.

    The day is either a fixed day of the month or the n:th weekday (week -1 = the last one)."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Möte")
        DUTY = "duty", _("Återkommande uppgift")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="cycle_rules")
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    months = models.JSONField(_("månader"), default=list, help_text=_("Månadernas nummer, 1–12."))
    day = models.PositiveSmallIntegerField(_("dag i månaden"), null=True, blank=True)
    week = models.SmallIntegerField(_("vecka i månaden"), null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(_("veckodag"), null=True, blank=True)
    time = models.TimeField(_("klockslag"), null=True, blank=True)
    location = models.CharField(_("plats eller länk"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "kind", "pk"]
        verbose_name = _("regel i årshjulet")
        verbose_name_plural = _("regler i årshjulet")

    def __str__(self) -> str:
        return f"{self.body}: {self.title}"

    def clean(self) -> None:
        errors = {}
        if not self.months or any(not str(m).isdigit() or not 1 <= int(m) <= 12 for m in self.months):
            errors["months"] = _("Ange månader mellan 1 och 12.")
        if self.weekday is None and not self.day:
            errors["day"] = _("Ange en dag i månaden, eller vecka och veckodag.")
        if self.weekday is not None and (self.weekday > 6 or self.week not in (1, 2, 3, 4, -1)):
            errors["week"] = _("Vecka ska vara 1–4 eller -1 (sista), veckodag 0–6 (måndag–söndag).")
        if self.day and not 1 <= self.day <= 31:
            errors["day"] = _("Dagen ska vara 1–31.")
        if errors:
            raise ValidationError(errors)

    def dates(self, year: int) -> list[date]:
        """The dates the rule gives in a year: a fixed day of the month (capped at the month's end) or the
        n:th weekday of the month (week -1 is the last)."""
        dates = []
        for month in sorted({int(m) for m in self.months if 1 <= int(m) <= 12}):
            last_day = calendar.monthrange(year, month)[1]
            if self.weekday is not None and self.week:
                days = [d for d in range(1, last_day + 1) if date(year, month, d).weekday() == self.weekday]
                index = self.week - 1 if self.week > 0 else self.week
                if -len(days) <= index < len(days):
                    dates.append(date(year, month, days[index]))
            else:
                dates.append(date(year, month, min(self.day or 1, last_day)))
        return dates

    def describe(self) -> str:
        """The rule in words, e.g. "andra torsdagen i jan, feb, mar kl. 13:00"."""
        months = ", ".join(str(MONTHS_3[int(m)]) for m in sorted(self.months))
        if self.weekday is not None and self.week:
            ordinal = {1: _("första"), 2: _("andra"), 3: _("tredje"), 4: _("fjärde"), -1: _("sista")}
            when = _("%(n)s %(day)sen i månaden") % {
                "n": ordinal.get(self.week, self.week),
                "day": WEEKDAYS[self.weekday],
            }
        else:
            when = _("den %(day)s") % {"day": self.day}
        at = _(" kl. %(time)s") % {"time": self.time.strftime("%H:%M")} if self.time else ""
        return f"{when} ({months}){at}"


class CycleDuty(models.Model):
    """A recurring duty generated for a year from a cycle rule (årsrapport, handlingsplan, uppföljning)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        DONE = "done", _("Klar")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="cycle_duties")
    rule = models.ForeignKey(CycleRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    due = models.DateField(_("datum"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("uppgift i årshjulet")
        verbose_name_plural = _("uppgifter i årshjulet")
        constraints = [models.UniqueConstraint(fields=["rule", "due"], name="cycle_duty_once")]

    def __str__(self) -> str:
        return f"{self.title} {self.due}"
