from django import forms
from django.contrib.auth.models import User
from django.template.defaultfilters import filesizeformat
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext_lazy as _

from governance.models import AgendaItem, Attendance, Body, CycleRule, Decision, Membership
from samverkan.forms import PortalForm, PortalModelForm, seen_field
from samverkan.models import Organisation
from samverkan.uploads import FORMATS, max_upload_bytes


class ParagraphForm(PortalForm):
    """A paragraph of the protocol draft, as the secretary writes it."""

    notes = forms.CharField(required=False)
    decision = forms.CharField(required=False)
    seen = seen_field()


class ItemForm(PortalForm):
    title = forms.CharField(label=_("Rubrik"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Typ"),
        choices=AgendaItem.Kind.choices,
        help_text=_(
            "Formalia är mötets egna punkter (mötets öppnande, val av justerare, mötets avslutande): "
            "de blir inga beslut att följa upp."
        ),
    )
    proposal = forms.CharField(
        label=_("Förslag till beslut"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    presenter = forms.CharField(label=_("Föredragande"), max_length=200, required=False)


class PublishForm(PortalForm):
    late_reason = forms.CharField(
        label=_("Skäl till sen kallelse"),
        max_length=300,
        required=False,
        help_text=_("Krävs bara om kallelsen skickas senare än organets kallelsetid."),
    )


class AttendanceForm(PortalForm):
    """One choice per member: present, absent, or absent with written views."""

    def __init__(self, *args, memberships, sent_views=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = memberships
        for membership in memberships:
            views = (sent_views or {}).get(membership.pk)
            self.fields[f"m{membership.pk}"] = forms.ChoiceField(
                label=f"{membership.user.get_full_name() or membership.user.username}, "
                f"{membership.organisation.short_name}",
                choices=Attendance.Presence.choices,
                initial=Attendance.Presence.WRITTEN_VIEWS if views else Attendance.Presence.PRESENT,
                help_text=_("Har skickat skriftliga synpunkter.") if views else "",
            )

    def presence(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"m{m.pk}"] for m in self.memberships}


class AdjustersForm(PortalForm):
    adjusters = forms.MultipleChoiceField(
        label=_("Justerare"), widget=forms.CheckboxSelectMultiple, help_text=_("Välj en eller två ledamöter.")
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {str(m.user_id): m.user for m in memberships}
        self.fields["adjusters"].choices = [
            (str(m.user_id), m.user.get_full_name() or m.user.username) for m in memberships
        ]

    def chosen(self):
        return [self.users[pk] for pk in self.cleaned_data["adjusters"]]


class ChangeRequestForm(PortalForm):
    """An adjuster sends the protocol back to the secretary with what should change."""

    comment = forms.CharField(
        label=_("Vad ska ändras?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Protokollet går tillbaka till sekreteraren, som ändrar och skickar det för justering igen."
        ),
    )


class CorrectionForm(PortalForm):
    text = forms.CharField(label=_("Rättelse"), widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(PortalForm):
    starts_at = forms.DateTimeField(
        label=_("Tid"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    location = forms.CharField(label=_("Plats eller länk"), max_length=300, required=False)


class FollowUpForm(PortalForm):
    status = forms.ChoiceField(label=_("Status"), choices=Decision.Status.choices)
    due = forms.DateField(
        label=_("Klart senast"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    responsible_person = forms.CharField(label=_("Ansvarig"), max_length=200, required=False)
    notes = forms.CharField(label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(PortalForm):
    file = forms.FileField(label=_("Bilaga"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF eller kontorsdokument (Word, Excel, PowerPoint, OpenDocument), högst %(size)s."
        ) % {"size": filesizeformat(max_upload_bytes())}
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in FORMATS)


class WrittenViewsForm(PortalForm):
    item = forms.ChoiceField(label=_("Gäller"), required=False)
    text = forms.CharField(label=_("Mina synpunkter"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {str(item.pk): item for item in items}
        self.fields["item"].choices = [("", _("Hela dagordningen"))] + [
            (pk, item.title) for pk, item in self.items.items()
        ]

    def chosen_item(self):
        return self.items.get(self.cleaned_data.get("item") or "")


class CycleRuleForm(PortalModelForm):
    months = forms.TypedMultipleChoiceField(
        label=_("Månader"),
        coerce=int,
        choices=list(MONTHS.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CycleRule
        fields = ["kind", "title", "description", "months", "day", "week", "weekday", "time", "location"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "week": forms.Select(
                choices=[
                    ("", "—"),
                    (1, _("första")),
                    (2, _("andra")),
                    (3, _("tredje")),
                    (4, _("fjärde")),
                    (-1, _("sista")),
                ]
            ),
            "weekday": forms.Select(choices=[("", "—"), *WEEKDAYS.items()]),
        }
        help_texts = {"day": _("Eller välj vecka och veckodag nedan, t.ex. andra torsdagen.")}


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


class BodyForm(PortalModelForm):
    """A body as its county's administrator sets it up; it reports to current bodies of its own county."""

    parents = forms.ModelMultipleChoiceField(
        label=_("Rapporterar till"),
        queryset=Body.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Ett organ kan rapportera till flera, t.ex. en lokal grupp under två länsgemensamma grupper."
        ),
    )

    class Meta:
        model = Body
        fields = [
            "name",
            "abbreviation",
            "level",
            "valid_from",
            "mandate",
            "time_horizon",
            "meetings_per_year",
            "agenda_notice_days",
            "item_deadline_days",
            "quorum_rule",
            "chair_has_mandate",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "mandate": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.county = county
        others = Body.objects.filter(county=county, valid_to__isnull=True).order_by("name")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            self.initial.setdefault("parents", list(self.instance.parents.values_list("pk", flat=True)))
        self.fields["parents"].queryset = others


class BodyEndForm(PortalForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "end_%s")
        super().__init__(*args, **kwargs)

    last_day = _date_field(_("Organets sista dag"))
    reason = forms.CharField(
        label=_("Anledning"), max_length=200, help_text=_("T.ex. beslut om ny organisation.")
    )


class SeatForm(PortalForm):
    function = forms.CharField(label=_("Funktion"), max_length=200, help_text=_("T.ex. ”Socialchef”."))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    count = forms.IntegerField(label=_("Antal"), min_value=1, max_value=99, initial=1)

    def __init__(self, *args, county, **kwargs):
        kwargs.setdefault("auto_id", "seat_%s")  # beside the member form on the body's administration page
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(county=county).order_by(
            "kind", "name"
        )


class MemberForm(PortalForm):
    """A member is a person of the county; the organisation they represent defaults to their own."""

    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Roll"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
    organisation = forms.ModelChoiceField(
        label=_("Företräder"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Lämna tomt för personens egen organisation."),
    )
    function = forms.CharField(label=_("Funktion"), max_length=200, required=False)
    starts_on = _date_field(_("Från"))
    ends_on = _date_field(
        _("Till och med"), required=False, help_text=_("Lämna tomt om mandatet löper tills vidare.")
    )

    def __init__(self, *args, county, **kwargs):
        kwargs.setdefault("auto_id", "member_%s")
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True, profile__organisation__county=county)
            .select_related("profile__organisation")
            .order_by("last_name", "first_name")
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username}, {u.profile.organisation}"
        )
        self.fields["organisation"].queryset = Organisation.objects.filter(county=county).order_by(
            "kind", "name"
        )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Mandatet kan inte sluta innan det börjar."))
        return cleaned


class MembershipEndForm(PortalForm):
    ends_on = _date_field(_("Sista dag i organet"))
