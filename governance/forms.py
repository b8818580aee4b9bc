from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext_lazy as _

from governance.models import AgendaItem, Attendance, CycleRule, Decision
from samverkan.forms import PortalForm, PortalModelForm, seen_field
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
