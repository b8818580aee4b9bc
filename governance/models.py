"""Governance bodies. The foundation defines the body so roles can be scoped to it; meetings, agendas and
protocols come with the governance issue."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samverkan.models import County


class Body(models.Model):
    """A cooperation body (samverkansorgan) such as LSVO, SocialKOLA or a samverkansgrupp."""

    class Level(models.TextChoices):
        POLITICAL = "political", _("Politisk nivå")
        STRATEGIC = "strategic", _("Strategisk nivå")
        TACTICAL = "tactical", _("Taktisk nivå")
        OPERATIONAL = "operational", _("Operativ nivå")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="bodies", verbose_name=_("län"))
    name = models.CharField(_("namn"), max_length=160)
    abbreviation = models.CharField(_("förkortning"), max_length=30, blank=True)
    level = models.CharField(_("nivå"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("rapporterar till"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["county__name", "name"]
        verbose_name = _("samverkansorgan")
        verbose_name_plural = _("samverkansorgan")
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="body_unique_name_in_county")]
        permissions = [
            ("chair_body", _("Är ordförande i organet")),
            ("secretary_of_body", _("Är sekreterare i organet")),
            ("member_of_body", _("Är ledamot i organet")),
        ]

    def __str__(self) -> str:
        return f"{self.abbreviation} ({self.county.short_name})" if self.abbreviation else self.name
