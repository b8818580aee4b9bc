"""The core of the portal: counties, organisations, people and the roles they hold."""

import unicodedata

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history import register as register_history
from simple_history.models import HistoricalRecords

# Names sort as in Swedish (… x y z å ä ö), not by code point (ä before å) as the C collation does. An ICU
# collation, created by migration 0004; PostgreSQL uses a column's collation in ORDER BY.
SWEDISH = "sv_se"


class County(models.Model):
    """A Swedish county (län), identified by its two-digit SCB code."""

    code = models.CharField(_("länskod"), max_length=2, unique=True)
    name = models.CharField(_("namn"), max_length=80, unique=True, db_collation=SWEDISH)
    short_name = models.CharField(_("kortnamn"), max_length=40, db_collation=SWEDISH)

    class Meta:
        ordering = ["name"]
        verbose_name = _("län")
        verbose_name_plural = _("län")
        permissions = [
            ("edit_agreements", _("Får redigera länets överenskommelser")),
            ("administer_county", _("Får administrera roller i länet")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("county_detail", kwargs={"code": self.code})


class Organisation(models.Model):
    """A principal (huvudman): a region, a municipality, a municipal association or another body."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        MUNICIPALITY = "municipality", _("Kommun")
        ASSOCIATION = "association", _("Kommunalförbund")
        OTHER = "other", _("Annan organisation")

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("län")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("namn"), max_length=120, db_collation=SWEDISH)
    short_name = models.CharField(_("kortnamn"), max_length=60, db_collation=SWEDISH)
    code = models.CharField(
        _("kod"), max_length=10, blank=True, help_text=_("Kommunkod enligt SCB, eller R + länskod")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["county__name", "kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="organisation_unique_name_in_county"),
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="organisation_unique_code"),
        ]
        permissions = [("act_for_organisation", _("Får agera för organisationen"))]

    def __str__(self) -> str:
        return self.name


class OrganisationUnit(models.Model):
    """An optional part of an organisation (förvaltning, enhet), possibly inside another unit."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("organisation")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("ingår i"),
    )
    name = models.CharField(_("namn"), max_length=120, db_collation=SWEDISH)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name_in_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation.short_name}"


class Profile(models.Model):
    """What the portal knows about a person beyond the Django user: where they work."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        OrganisationUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("enhet"),
    )
    title = models.CharField(_("titel"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profil")
        verbose_name_plural = _("profiler")

    def __str__(self) -> str:
        return str(self.user)


class Role(models.TextChoices):
    OFFICIAL = "official", _("Tjänsteperson")
    EDITOR = "editor", _("Redaktör för länets överenskommelser")
    COUNTY_ADMIN = "county_admin", _("Länsadministratör")
    CHAIR = "chair", _("Ordförande")
    VICE_CHAIR = "vice_chair", _("Vice ordförande")
    SECRETARY = "secretary", _("Sekreterare")
    MEMBER = "member", _("Ledamot")


class RoleAssignment(models.Model):
    """A role a user holds somewhere: in an organisation, a county or a body.

    The assignment is the audited record; the object permission it implies is granted by
    ``services.role_assign`` and withdrawn by ``services.role_remove``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    scope_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    scope_id = models.PositiveBigIntegerField()
    scope = GenericForeignKey("scope_type", "scope_id")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tilldelad av"),
    )
    created_at = models.DateTimeField(_("tilldelad"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "scope_type", "scope_id"]
        verbose_name = _("rolltilldelning")
        verbose_name_plural = _("rolltilldelningar")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "scope_type", "scope_id"], name="role_assignment_unique"
            )
        ]
        indexes = [models.Index(fields=["scope_type", "scope_id"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.scope}"


class FailedLogin(models.Model):
    """One failed login attempt, kept for throttling (see ``services.login_failure_record``)."""

    username = models.CharField(max_length=150)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"]),
            models.Index(fields=["ip_address", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"

    # An address may fail this many times as often as one name: many officials share one address
    # behind a municipal network.
    ADDRESS_FACTOR = 10

    @staticmethod
    def name_key(username: str) -> str:
        """The name a login is counted on: NFKC-normalised (as Django's login forms normalise what is
        typed) and case-folded, so that look-alikes (``ｒut``, ``RUT``) count as one name."""
        folded = unicodedata.normalize("NFKC", username.strip()).casefold()
        return unicodedata.normalize("NFKC", folded)[:150]


class ApiRequestCount(models.Model):
    """Requests to the open data API from one client address within one rate window (see
    ``services.api_request_count``). Kept in the database so the limit holds across app servers; windows
    older than the current one are pruned as new ones start."""

    client = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "window_start"], name="api_request_count_unique")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.client} {self.window_start:%Y-%m-%d %H:%M:%S}: {self.hits}"


class UserHistory(HistoricalRecords):
    """The audit trail of accounts (name, e-mail, active or not), without the password. A login, which
    saves only ``last_login``, is not a change anybody needs to read back."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields and set(update_fields) <= {"last_login"}:
            return
        super().post_save(instance, created, using=using, **kwargs)


register_history(
    User,
    app=__package__,
    records_class=UserHistory,
    table_name="samverkan_historicaluser",
    excluded_fields=["password", "last_login"],
)
