"""Agreements (överenskommelser), their versions and the content that hangs off a version.

Content rows carry their version's id so the database can refuse changes to an adopted version
(see migration 0002: triggers) and so a version's content can be read without joins.
"""

from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.validity import AgreementState, add_months, agreement_state_on
from samverkan.models import SWEDISH, County, Organisation

REVIEW_DUE_MONTHS = 3  # a review shows as due this long before its date


class Side(models.TextChoices):
    MUNICIPAL = "municipal", _("Kommunerna")
    REGION = "region", _("Regionen")
    SHARED = "shared", _("Gemensamt")


LAW_CODE = r"^[A-Za-zÅÄÖåäö][\wÅÄÖåäö:-]*$"  # as the references write it: "SoL", "SOSFS2011:9"


class Law(models.Model):
    """A statute duties rest on, e.g. SoL or HSL: the catalogue superusers keep in the portal. An older
    version of a law is a row of its own, with its own SFS number, that the newer one replaces."""

    class Kind(models.TextChoices):
        LAW = "law", _("Lag")
        ORDINANCE = "ordinance", _("Förordning")
        REGULATION = "regulation", _("Föreskrift (t.ex. SOSFS, HSLF-FS)")

    code = models.CharField(
        _("förkortning"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(LAW_CODE, _("Bokstäver och siffror, utan mellanslag."))],
        help_text=_("Så som lagrummet skrivs i överenskommelserna, t.ex. ”SoL” eller ”SOSFS2011-9”."),
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=12, choices=Kind.choices, default=Kind.LAW)
    sfs = models.CharField(
        _("SFS-nummer"),
        max_length=30,
        blank=True,
        help_text=_("T.ex. ”2001:453”, eller föreskriftens nummer."),
    )
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("ersatt av"),
        help_text=_("För en äldre version av en lag: den nyare som gäller i dag."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("lag")
        verbose_name_plural = _("lagar")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("agreements:law_detail", kwargs={"code": self.code})


class Agreement(models.Model):
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("län")
    )
    title = models.CharField(_("titel"), max_length=300, db_collation=SWEDISH)
    short_title = models.CharField(_("kort titel"), max_length=120, blank=True)
    purpose = models.TextField(_("syfte"), blank=True)
    common_goals = models.TextField(_("gemensamma mål"), blank=True)
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    notice_months = models.PositiveSmallIntegerField(_("uppsägningstid (månader)"), null=True, blank=True)
    extension_years = models.PositiveSmallIntegerField(_("förlängning (år)"), null=True, blank=True)
    notice_given_on = models.DateField(_("uppsagd den"), null=True, blank=True)
    review_every_years = models.PositiveSmallIntegerField(
        _("följs upp minst vart N:e år"), null=True, blank=True
    )
    review_due = models.DateField(_("uppföljning senast"), null=True, blank=True)
    adopted_by = models.CharField(_("antagen av"), max_length=200, blank=True)
    adopting_body = models.ForeignKey(
        "governance.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adopted_agreements",
        verbose_name=_("antagen av organ"),
    )
    adopted_on = models.DateField(_("antagen den"), null=True, blank=True)
    decision_reference = models.CharField(_("beslutsreferens"), max_length=200, blank=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("ersätter"),
    )
    replaces_text = models.CharField(_("ersätter (text)"), max_length=300, blank=True)
    related = models.ManyToManyField("self", blank=True, symmetrical=True, verbose_name=_("relaterade"))
    related_text = models.JSONField(_("relaterade dokument"), default=list, blank=True)
    history = HistoricalRecords(excluded_fields=["related"])

    class Meta:
        ordering = ["county__name", "title"]
        verbose_name = _("överenskommelse")
        verbose_name_plural = _("överenskommelser")
        constraints = [
            models.UniqueConstraint(fields=["county", "title"], name="agreement_unique_title_in_county"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="agreement_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return self.short_title or self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", kwargs={"pk": self.pk})

    def review_state(self, today: date) -> str:
        """ "overdue" once the review date has passed, "due" within the last REVIEW_DUE_MONTHS before it,
        otherwise "" (also when the agreement sets no date)."""
        if self.review_due is None:
            return ""
        if self.review_due < today:
            return "overdue"
        return "due" if today >= add_months(self.review_due, -REVIEW_DUE_MONTHS) else ""

    def state_on(self, day: date, versions: list | None = None) -> AgreementState:
        """The agreement on ``day``: its validity (status, current period, next notice deadline) and the
        state of each version (in force, adopted but not yet in force, superseded, draft). Pass the
        versions already read to save a query."""
        if versions is None:
            versions = list(self.versions.all())
        return agreement_state_on(self, day, versions)


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agreement_parties")
    side = models.CharField(_("sida"), max_length=20, choices=Side.choices)
    # Adoption in steps: after the joint body adopted the agreement, each party's own council or board
    # ratifies it on its own date.
    ratified_by = models.CharField(_("fastställd av"), max_length=200, blank=True)
    ratified_on = models.DateField(_("fastställd den"), null=True, blank=True)
    ratification_reference = models.CharField(_("beslutsreferens"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["side", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="party_unique_per_agreement"),
            models.CheckConstraint(condition=~Q(side=Side.SHARED), name="party_side_is_region_or_municipal"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Signatory(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(_("namn"), max_length=120)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class VersionQuerySet(models.QuerySet):
    def published(self):
        """Versions the public may read: adopted ones and the superseded history."""
        return self.exclude(status=AgreementVersion.Status.DRAFT)


class AgreementVersion(models.Model):
    """One version of an agreement's content. Adopting freezes it (database triggers refuse edits).

    ``status`` is the stored lifecycle (the newest adopted version is "adopted", older ones "superseded").
    Which version is in force on a day, and how each is labelled then, is ``Agreement.state_on(day)``: a
    version adopted for a later day is not in force before it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        ADOPTED = "adopted", _("Antagen")
        SUPERSEDED = "superseded", _("Ersatt")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versionsnummer"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    adopted_on = models.DateField(_("antagen den"), null=True, blank=True)
    effective_from = models.DateField(_("gäller från"), null=True, blank=True)
    decision_reference = models.CharField(_("beslutsreferens"), max_length=200, blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    objects = VersionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "-number"]
        verbose_name = _("version")
        verbose_name_plural = _("versioner")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_unique_number"),
            models.UniqueConstraint(
                fields=["agreement"], condition=Q(status="draft"), name="version_one_draft_per_agreement"
            ),
            models.UniqueConstraint(
                fields=["agreement"], condition=Q(status="adopted"), name="version_one_adopted_per_agreement"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(adopted_on__isnull=False, effective_from__isnull=False),
                name="version_adopted_has_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} – version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:version", kwargs={"pk": self.agreement_id, "number": self.number})

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT


class VersionContent(models.Model):
    """Base for rows that belong to one version's content."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order"]


class ChangeLogEntry(VersionContent):
    date = models.DateField(_("datum"))
    change = models.TextField(_("ändring"))
    made_by = models.CharField(_("gjord av"), max_length=200, blank=True)

    class Meta(VersionContent.Meta):
        verbose_name = _("ändringslogg")

    def __str__(self) -> str:
        return f"{self.date}: {self.change[:40]}"


class Section(VersionContent):
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    number = models.CharField(_("nummer"), max_length=20)
    title = models.CharField(_("rubrik"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    search = models.GeneratedField(
        expression=SearchVector("title", "text", config="swedish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    history = HistoricalRecords(excluded_fields=["search"])

    class Meta(VersionContent.Meta):
        verbose_name = _("avsnitt")
        verbose_name_plural = _("avsnitt")
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="section_unique_number")]
        indexes = [GinIndex(fields=["search"], name="section_search_gin")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def depth(self) -> int:
        return self.number.count(".") + 1


class TargetGroup(VersionContent):
    key = models.SlugField(_("nyckel"), max_length=60)
    name = models.CharField(_("namn"), max_length=300)
    section_number = models.CharField(_("avsnitt"), max_length=20, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    common_goals = models.TextField(_("gemensamma mål"), blank=True)
    column_headings = models.JSONField(
        _("kolumnrubriker"),
        default=dict,
        blank=True,
        help_text=_(
            "Tabellens egna rubriker per kolumn, t.ex. ”Socialtjänst” och ”Hälso- och sjukvård” när "
            "överenskommelsen delar ansvaret per verksamhet; tomt ger parternas namn."
        ),
    )
    history = HistoricalRecords()

    class Meta(VersionContent.Meta):
        verbose_name = _("målgrupp")
        verbose_name_plural = _("målgrupper")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="target_group_unique_key")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        headings = self.column_headings or {}
        if not isinstance(headings, dict) or set(headings) - set(Side.values):
            raise ValidationError(
                {"column_headings": _("Rubriker anges per sida: municipal, region, shared.")}
            )
        if any(not isinstance(text, str) or len(text) > 120 for text in headings.values()):
            raise ValidationError({"column_headings": _("En rubrik är text på högst 120 tecken.")})


class ResponsibilityArea(VersionContent):
    target_group = models.ForeignKey(TargetGroup, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("ansvarsområde"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    search = models.GeneratedField(
        expression=SearchVector("name", config="swedish"), output_field=SearchVectorField(), db_persist=True
    )
    history = HistoricalRecords(excluded_fields=["search"])

    class Meta(VersionContent.Meta):
        verbose_name = _("ansvarsområde")
        verbose_name_plural = _("ansvarsområden")
        indexes = [GinIndex(fields=["search"], name="area_search_gin")]

    def __str__(self) -> str:
        return self.name


class Duty(VersionContent):
    area = models.ForeignKey(ResponsibilityArea, on_delete=models.CASCADE, related_name="duties")
    side = models.CharField(_("sida"), max_length=20, choices=Side.choices)
    text = models.TextField(_("åtagande"))
    search = models.GeneratedField(
        expression=SearchVector("text", config="swedish"), output_field=SearchVectorField(), db_persist=True
    )
    history = HistoricalRecords(excluded_fields=["search"])

    class Meta(VersionContent.Meta):
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        indexes = [GinIndex(fields=["search"], name="duty_search_gin"), models.Index(fields=["area", "side"])]

    def __str__(self) -> str:
        return self.text[:60]


class SearchWord(models.Model):
    """A word of the published agreements (duties, area names, sections), for the search to correct a
    misspelled word to ("Visar träffar för …").

    Kept by the database: when a version leaves draft, a trigger adds the words of its texts (migration
    0014). Drafts never add words, so a correction never reveals what an unpublished draft says. ``stem``
    is the word's Swedish lexeme, as the full-text search sees it; a query word is known when some stem
    begins with its own."""

    word = models.CharField(max_length=60, primary_key=True, db_collation="C")
    stem = models.CharField(max_length=60, db_collation="C")
    uses = models.PositiveIntegerField(default=0, help_text="Texts that contain the word.")

    class Meta:
        indexes = [
            GistIndex(fields=["word"], opclasses=["gist_trgm_ops"], name="search_word_trgm"),
            models.Index(fields=["stem"], name="search_word_stem"),  # C collation: ^@ uses it
        ]

    def __str__(self) -> str:
        return self.word


class LegalReference(VersionContent):
    duty = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="legal_references")
    law = models.ForeignKey(Law, on_delete=models.PROTECT, related_name="references")
    chapter = models.CharField(_("kapitel"), max_length=10, blank=True)
    paragraph = models.CharField(_("paragraf"), max_length=10, blank=True)
    point = models.CharField(_("punkt"), max_length=10, blank=True)

    class Meta(VersionContent.Meta):
        verbose_name = _("lagrum")
        verbose_name_plural = _("lagrum")

    def __str__(self) -> str:
        parts = [self.law.code]
        if self.chapter:
            parts.append(f"{self.chapter} kap.")
        if self.paragraph:
            parts.append(f"{self.paragraph} §")
        if self.point:
            parts.append(f"{self.point} p.")
        return " ".join(parts)


class DevelopmentArea(VersionContent):
    target_group = models.ForeignKey(TargetGroup, on_delete=models.CASCADE, related_name="development_areas")
    name = models.CharField(_("utvecklingsområde"), max_length=300)
    owner_group = models.CharField(_("ansvarig grupp för handlingsplan"), max_length=200, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta(VersionContent.Meta):
        verbose_name = _("utvecklingsområde")
        verbose_name_plural = _("utvecklingsområden")

    def __str__(self) -> str:
        return self.name


class ActionItem(models.Model):
    """An item of the annual action plan for a development area. Followed up during the version's life, so
    it is not frozen with the version."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        ONGOING = "ongoing", _("Pågår")
        DONE = "done", _("Klar")
        CANCELLED = "cancelled", _("Avbruten")

    development_area = models.ForeignKey(DevelopmentArea, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("åtgärd"), max_length=300)
    owner = models.CharField(_("ansvarig"), max_length=200, blank=True)
    due = models.DateField(_("klart senast"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")

    def __str__(self) -> str:
        return self.title


class NoticeAlert(models.Model):
    """A reminder e-mail sent to a county's editors about a notice deadline or an end date, kept so that
    each reminder is sent once."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="notice_alerts")
    what = models.CharField(max_length=10)  # "notice" or "end"
    due = models.DateField()
    months_before = models.PositiveSmallIntegerField()
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "what", "due", "months_before"], name="notice_alert_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.what} {self.due} ({self.months_before} mån)"


class VersionPdf(models.Model):
    """The rendered PDF of an adopted (or superseded) version, stored once and served from storage."""

    version = models.OneToOneField(AgreementVersion, on_delete=models.PROTECT, related_name="pdf")
    file = models.FileField(upload_to="agreements/pdf/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    rendered_at = models.DateTimeField(auto_now_add=True)
    render_seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("PDF")
        verbose_name_plural = _("PDF:er")

    def __str__(self) -> str:
        return self.file.name
