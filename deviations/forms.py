from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementVersion, Duty, ResponsibilityArea, Section, TargetGroup
from deviations.models import Case, Category, Event, Ladder, LadderLevel
from deviations.selectors import ladder_for
from governance.models import Body
from samverkan.forms import PortalForm, PortalModelForm, seen_field
from samverkan.models import Organisation, OrganisationUnit
from samverkan.personal_data import name_warning_message, name_warnings

FREE_TEXT = ("title", "description", "consequence", "improvement", "position")


class AgreementChoiceForm(PortalForm):
    """Step one: which agreement."""

    avtal = forms.ModelChoiceField(label=_("Överenskommelse"), queryset=Agreement.objects.none())

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["avtal"].queryset = agreements
        self.fields["avtal"].label_from_instance = lambda a: (
            f"{a.county.short_name}: {a.short_title or a.title}"
        )


class NamesCheckMixin:
    """Warn (without refusing) about what looks like a client's name, once: the reporter confirms."""

    def check_names(self) -> None:
        if self.cleaned_data.get("names_checked"):
            return
        for name in FREE_TEXT:
            hits = name_warnings(self.cleaned_data.get(name) or "")
            if hits:
                self.add_error(name, name_warning_message(hits))
                self.fields["names_checked"].widget = forms.CheckboxInput()


class ReportForm(NamesCheckMixin, PortalForm):
    """Step two: the deviation or dispute, for the chosen agreement."""

    reporting_organisation = forms.ModelChoiceField(label=_("Rapporterande organisation"), queryset=None)
    reporting_unit = forms.ModelChoiceField(
        label=_("Enhet (valfri)"), queryset=OrganisationUnit.objects.none(), required=False
    )
    concerned = forms.ModelMultipleChoiceField(
        label=_("Organisation som avvikelsen gäller"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    category = forms.ModelChoiceField(label=_("Kategori"), queryset=None, required=False)
    question = forms.ChoiceField(label=_("Tvisten gäller"), choices=Case.Question.choices, required=False)
    target_group = forms.ModelChoiceField(label=_("Målgrupp"), queryset=None, required=False)
    area = forms.ModelChoiceField(label=_("Ansvarsområde"), queryset=None, required=False)
    duty = forms.ModelChoiceField(
        label=_("Åtagande"), queryset=None, required=False, widget=forms.HiddenInput
    )
    section = forms.ModelChoiceField(label=_("Avsnitt i överenskommelsen"), queryset=None, required=False)
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = forms.CharField(
        label=_("Vad hände?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Beskriv vad som inte fungerade i samverkan. "
            "Skriv inga personuppgifter: inga namn eller personnummer."
        ),
    )
    event_date = forms.DateField(
        label=_("Datum för händelsen"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    consequence = forms.CharField(
        label=_("Konsekvens"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    improvement = forms.CharField(
        label=_("Förslag till förbättring"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    position = forms.CharField(
        label=_("Er ståndpunkt"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.ModelChoiceField(label=_("Organ som hanterar ärendet"), queryset=None, required=False)
    names_checked = forms.BooleanField(
        label=_("Jag har kontrollerat att texten inte innehåller namn på enskilda personer"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(
        self, *args, kind: str, agreement: Agreement, version: AgreementVersion | None, reporting, **kw
    ):
        super().__init__(*args, **kw)
        self.kind = kind
        self.fields["reporting_organisation"].queryset = reporting
        units = OrganisationUnit.objects.filter(organisation__in=reporting).select_related("organisation")
        self.fields["reporting_unit"].queryset = units
        self.fields["reporting_unit"].label_from_instance = lambda u: f"{u.organisation.short_name}: {u.name}"
        if not units.exists():
            del self.fields["reporting_unit"]
        parties = Organisation.objects.filter(agreement_parties__agreement=agreement).order_by("kind", "name")
        self.fields["concerned"].queryset = parties
        self.fields["category"].queryset = Category.objects.filter(
            Q(county__isnull=True) | Q(county=agreement.county_id), active=True
        )
        content = {"version": version} if version else {"pk__in": []}
        self.fields["target_group"].queryset = TargetGroup.objects.filter(**content)
        self.fields["area"].queryset = ResponsibilityArea.objects.filter(**content).select_related(
            "target_group"
        )
        self.fields["area"].label_from_instance = lambda a: f"{a.target_group.name}: {a.name}"
        self.fields["duty"].queryset = Duty.objects.filter(**content)
        self.fields["section"].queryset = Section.objects.filter(**content).order_by("order")
        self.fields["section"].label_from_instance = lambda s: f"{s.number} {s.title}"
        ladder = ladder_for(agreement, kind)
        level = ladder.levels.filter(number=1).first() if ladder else None
        bodies = (
            level.bodies.all() if level and level.handler == LadderLevel.Handler.BODY else Body.objects.none()
        )
        self.fields["body"].queryset = bodies
        if not bodies or len(bodies) == 1:
            del self.fields["body"]
        if kind == Case.Kind.DEVIATION:
            del self.fields["question"], self.fields["position"]
            self.fields["category"].required = True
        else:
            del self.fields["category"], self.fields["event_date"], self.fields["consequence"]
            self.fields["concerned"].label = _("Övriga parter i tvisten")
            self.fields["description"].label = _("Vad gäller tvisten?")
            self.fields["question"].required = True

    def clean(self):
        cleaned = super().clean()
        unit, organisation = cleaned.get("reporting_unit"), cleaned.get("reporting_organisation")
        if unit and organisation and unit.organisation_id != organisation.pk:
            self.add_error("reporting_unit", _("Enheten hör inte till den rapporterande organisationen."))
        self.check_names()
        return cleaned


class ActForm(PortalForm):
    action = forms.ChoiceField(choices=Event.Action.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Beslut, åtgärd eller återkoppling"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    parties_agree = forms.BooleanField(label=_("Parterna är överens om att avsluta ärendet"), required=False)
    seen = seen_field()


class EscalateForm(PortalForm):
    reason = forms.CharField(label=_("Varför lyfts ärendet?"), widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.ModelChoiceField(
        label=_("Organ på nästa nivå"), queryset=Body.objects.none(), required=False
    )
    seen = seen_field()

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bodies is not None and len(bodies) > 1:
            self.fields["body"].queryset = bodies
        else:
            del self.fields["body"]


class CommentForm(PortalForm):
    text = forms.CharField(label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Bilaga (valfri)"), required=False)

    def __init__(self, *args, **kwargs):
        # The case page also has the handling form's "text": the ids must differ.
        kwargs.setdefault("auto_id", "comment_%s")
        super().__init__(*args, **kwargs)


class PositionForm(PortalForm):
    organisation = forms.ModelChoiceField(label=_("Part"), queryset=None)
    text = forms.CharField(label=_("Ståndpunkt"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisations, **kwargs):
        kwargs.setdefault("auto_id", "position_%s")  # beside the handling and comment forms' "text"
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class LevelForm(PortalModelForm):
    class Meta:
        model = LadderLevel
        fields = [
            "name",
            "handler",
            "bodies",
            "external_handler",
            "deciding_body",
            "start_days",
            "feedback_days",
            "cost_sharing",
            "cost_note",
            "needs_agreement",
            "escalate_at_once",
        ]
        widgets = {"bodies": forms.CheckboxSelectMultiple}
        labels = {"bodies": _("Organ som bereder och hanterar nivån")}

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = Body.objects.filter(county=county, valid_to__isnull=True).order_by("level", "name")
        self.fields["bodies"].queryset = bodies
        self.fields["deciding_body"].queryset = bodies


LevelFormSet = forms.formset_factory(LevelForm, extra=1, can_delete=True)


class LadderForm(PortalForm):
    applies_to = forms.ChoiceField(
        label=_("Trappan gäller"),
        choices=Ladder.AppliesTo.choices,
        required=False,
        help_text=_(
            "En överenskommelse kan ha en väg för båda slagen av ärenden, eller en för avvikelser och en "
            "för tvister. Ett ärende följer trappan för sitt slag, annars den för båda."
        ),
    )
    general_body = forms.ModelChoiceField(
        label=_("Organ för generella eller återkommande frågor"), queryset=None, required=False
    )
    note = forms.CharField(label=_("Anmärkning"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["general_body"].queryset = Body.objects.filter(county=county).order_by("level", "name")

    def clean_applies_to(self) -> str:
        return self.cleaned_data["applies_to"] or Ladder.AppliesTo.BOTH
