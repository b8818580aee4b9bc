from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import AgendaItem, Attendance, Decision


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=300)
    kind = forms.ChoiceField(label=_("Typ"), choices=AgendaItem.Kind.choices)
    proposal = forms.CharField(
        label=_("Förslag till beslut"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    presenter = forms.CharField(label=_("Föredragande"), max_length=200, required=False)


class PublishForm(forms.Form):
    late_reason = forms.CharField(
        label=_("Skäl till sen kallelse"),
        max_length=300,
        required=False,
        help_text=_("Krävs bara om kallelsen skickas senare än organets kallelsetid."),
    )


class AttendanceForm(forms.Form):
    """One choice per member: present, absent, or absent with written views."""

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = memberships
        for membership in memberships:
            self.fields[f"m{membership.pk}"] = forms.ChoiceField(
                label=f"{membership.user.get_full_name() or membership.user.username}, "
                f"{membership.organisation.short_name}",
                choices=Attendance.Presence.choices,
                initial=Attendance.Presence.PRESENT,
            )

    def presence(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"m{m.pk}"] for m in self.memberships}


class AdjustersForm(forms.Form):
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


class CorrectionForm(forms.Form):
    text = forms.CharField(label=_("Rättelse"), widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Tid"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    location = forms.CharField(label=_("Plats eller länk"), max_length=300, required=False)


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Decision.Status.choices)
    due = forms.DateField(
        label=_("Klart senast"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    responsible_person = forms.CharField(label=_("Ansvarig"), max_length=200, required=False)
    notes = forms.CharField(label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
