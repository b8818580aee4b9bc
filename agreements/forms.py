from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import AgreementParty, Law, Side
from governance.models import Body
from samverkan.forms import PortalForm, PortalModelForm, seen_field
from samverkan.models import County, Organisation


class SearchForm(PortalForm):
    q = forms.CharField(
        label=_("Vem ansvarar för …?"),
        max_length=200,
        required=False,
        help_text=_("Till exempel ”hjälpmedel”, ”SIP” eller ”tvångsvård”."),
    )
    lan = forms.ChoiceField(label=_("Län"), required=False)
    historik = forms.BooleanField(label=_("Sök även i tidigare versioner"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lan"].choices = [("", _("Alla län"))] + [
            (county.code, county.name) for county in County.objects.order_by("name")
        ]


class TableFilterForm(PortalForm):
    omrade = forms.TypedChoiceField(label=_("Ansvarsområde"), required=False, coerce=int, empty_value=None)
    lag = forms.ChoiceField(label=_("Lag"), required=False)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["omrade"].choices = [("", _("Alla områden"))] + [(a.pk, a.name) for a in areas]
        self.fields["lag"].choices = [("", _("Alla lagar"))] + [
            (law.code, f"{law.code} – {law.name}") for law in Law.objects.order_by("code")
        ]


class PointInTimeForm(PortalForm):
    datum = forms.DateField(label=_("Som den gällde den"), widget=forms.DateInput(attrs={"type": "date"}))


class AdoptForm(PortalForm):
    adopted_on = forms.DateField(
        label=_("Antagen den"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    effective_from = forms.DateField(
        label=_("Gäller från"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Lämna tomt om versionen gäller från beslutsdagen."),
    )
    decision_reference = forms.CharField(
        label=_("Beslutsreferens"), max_length=200, help_text=_("T.ex. ”LSVO 2026-11-20 § 7”.")
    )
    change = forms.CharField(
        label=_("Vad har ändrats?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skrivs in i ändringshistoriken."),
    )


class AdoptingBodyForm(PortalForm):
    """Which of the county's bodies adopted the agreement (its page and the body's page link each other)."""

    adopting_body = forms.ModelChoiceField(
        label=_("Antagande organ"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("Inget organ i portalen"),
        help_text=_("Organet i länet som antog överenskommelsen, t.ex. ett politiskt samverkansorgan."),
    )
    reason = forms.CharField(label=_("Anledning"), max_length=200, help_text=_("Sparas i historiken."))

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adopting_body"].queryset = Body.objects.filter(county=county).order_by("name")


class RatificationForm(PortalForm):
    """A party's own decision on the agreement, after the joint body adopted it."""

    party = forms.ModelChoiceField(label=_("Part"), queryset=AgreementParty.objects.none())
    ratified_by = forms.CharField(
        label=_("Fastställd av"),
        max_length=200,
        required=False,
        help_text=_("T.ex. kommunfullmäktige, regionstyrelsen."),
    )
    ratified_on = forms.DateField(
        label=_("Fastställd den"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Lämna tomt för att ta bort en felaktig uppgift."),
    )
    reference = forms.CharField(label=_("Beslutsreferens"), max_length=200, required=False)
    reason = forms.CharField(label=_("Anledning"), max_length=200, help_text=_("Sparas i historiken."))

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = agreement.parties.select_related("organisation")


class RevisionForm(PortalForm):
    reason = forms.CharField(label=_("Anledning till revideringen"), max_length=200)


class DutyForm(PortalForm):
    side = forms.ChoiceField(label=_("Sida"), choices=Side.choices)
    text = forms.CharField(label=_("Åtagande"), widget=forms.Textarea(attrs={"rows": 2}))


class AreaForm(PortalForm):
    name = forms.CharField(label=_("Ansvarsområde"), max_length=300)
    seen = seen_field()


class DutyEditForm(DutyForm):
    """An existing duty: carries the version the editor saw (samverkan.concurrency)."""

    seen = seen_field()


class SectionForm(PortalForm):
    seen = seen_field()
    title = forms.CharField(label=_("Rubrik"), max_length=300)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Tom rad mellan stycken; rader som börjar med ”- ” blir punktlistor."),
    )


class AgreementFileForm(PortalForm):
    """An agreement file in the YAML format of docs/agreement-format.md."""

    file = forms.FileField(
        label=_("Överenskommelsen som fil (YAML)"),
        help_text=_("I formatet som beskrivs i docs/agreement-format.md, sparad som UTF-8. Högst 2 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".yaml", ".yml")):
            raise forms.ValidationError(_("Välj en YAML-fil (.yaml eller .yml)."))
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("Filen är större än 2 MB."))
        try:
            return upload.name, upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("Filen är inte sparad som UTF-8.")) from error


class AgreementFileImportForm(PortalForm):
    token = forms.CharField(widget=forms.HiddenInput)


class NewAgreementForm(PortalForm):
    """A new agreement's terms and parties; its content follows in the draft editor (or from a file)."""

    county = forms.ModelChoiceField(label=_("Län"), queryset=County.objects.none())
    title = forms.CharField(label=_("Titel"), max_length=300)
    short_title = forms.CharField(
        label=_("Kort titel"), max_length=120, required=False, help_text=_("För listor.")
    )
    purpose = forms.CharField(label=_("Syfte"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    valid_from = forms.DateField(label=_("Gäller från"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label=_("Gäller till"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Tomt: tills vidare."),
    )
    notice_months = forms.IntegerField(label=_("Uppsägningstid (månader)"), min_value=0, required=False)
    extension_years = forms.IntegerField(
        label=_("Förlängs med (år) om ingen säger upp"), min_value=1, required=False
    )
    region_parties = forms.ModelMultipleChoiceField(
        label=_("Regionen"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipal_parties = forms.ModelMultipleChoiceField(
        label=_("Kommunerna och kommunalförbunden"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    first_target_group = forms.CharField(
        label=_("Första målgruppen"),
        max_length=300,
        required=False,
        help_text=_(
            "T.ex. ”Vuxna med psykisk funktionsnedsättning”; dess ansvarsfördelning fyller du i sedan."
        ),
    )

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties.order_by("name")
        organisations = (
            Organisation.objects.filter(county__in=counties).select_related("county").order_by("name")
        )
        self.fields["region_parties"].queryset = organisations.filter(kind=Organisation.Kind.REGION)
        self.fields["municipal_parties"].queryset = organisations.exclude(kind=Organisation.Kind.REGION)
        if counties.count() > 1:
            for name in ("region_parties", "municipal_parties"):
                self.fields[name].label_from_instance = lambda org: f"{org.name} ({org.county.short_name})"

    def clean(self):
        cleaned = super().clean()
        valid_from, valid_to = cleaned.get("valid_from"), cleaned.get("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            self.add_error("valid_to", _("Slutdatumet ligger före startdatumet."))
        return cleaned


class WordFileForm(PortalForm):
    file = forms.FileField(
        label=_("Överenskommelsen som Word-dokument (.docx)"),
        help_text=_("Rubriker blir avsnitt och tabeller blir ansvarsfördelning. Högst 10 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError(
                _("Välj ett Word-dokument (.docx). Spara ett äldre .doc som .docx först.")
            )
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Filen är större än 10 MB."))
        return upload


class LawForm(PortalModelForm):
    class Meta:
        model = Law
        fields = ["code", "name", "kind", "sfs", "replaced_by"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = Law.objects.order_by("code")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["replaced_by"].queryset = others


class ColumnHeadingsForm(PortalForm):
    """The table's own column headings (empty: the parties' names)."""

    municipal = forms.CharField(label=_("Kolumnen för kommunerna"), max_length=120, required=False)
    region = forms.CharField(label=_("Kolumnen för regionen"), max_length=120, required=False)
    shared = forms.CharField(label=_("Kolumnen för gemensamt ansvar"), max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "heading_%s")
        super().__init__(*args, **kwargs)
