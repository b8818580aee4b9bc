from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from samverkan import login_throttle, permissions
from samverkan.concurrency import ConcurrentChange
from samverkan.models import County, Organisation, OrganisationUnit, Role
from samverkan.personal_data import validate_file_name, validate_no_identity_numbers
from samverkan.roles import scope_model
from samverkan.services import PersonData
from samverkan.tasks import email_enqueue


def is_free_text_field(field: forms.Field) -> bool:
    """Whether people type the form field's value: a visible text field (not a password, e-mail address,
    link, slug, UUID or JSON)."""
    return (
        isinstance(field, forms.CharField)
        and not isinstance(
            field, forms.EmailField | forms.URLField | forms.SlugField | forms.UUIDField | forms.JSONField
        )
        and not field.widget.is_hidden
        and not isinstance(field.widget, forms.PasswordInput)
    )


def _validate_upload_name(upload) -> None:
    validate_file_name(getattr(upload, "name", "") or "")


class PersonalDataMixin:
    """Refuses personal identity numbers and coordination numbers in every free-text field and uploaded
    file name of the form, next to the field and together with the form's other errors. Every form of the
    portal where people write something uses it (through ``PortalForm`` or ``PortalModelForm``); fields a
    form adds in its ``__init__`` are covered too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.guard_personal_data()

    def guard_personal_data(self) -> None:
        for field in self.fields.values():
            if is_free_text_field(field):
                validator = validate_no_identity_numbers
            elif isinstance(field, forms.FileField):
                validator = _validate_upload_name
            else:
                continue
            if validator not in field.validators:
                field.validators.append(validator)

    def full_clean(self):
        self.guard_personal_data()
        super().full_clean()


class PortalForm(PersonalDataMixin, forms.Form):
    """The base of the portal's forms."""


class PortalModelForm(PersonalDataMixin, forms.ModelForm):
    """The base of the portal's model forms."""


class LoginForm(login_throttle.ThrottledLoginFormMixin, AuthenticationForm):
    """The portal's login form."""


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset form, with the message queued for the task worker instead of sent during
    the request (the link is rendered now; only the sending waits)."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kw):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_enqueue(subject=subject, body=body, to=[to_email])


# Whole sentences per kind of scope, so that article and pronoun agree with the noun's gender.
WRONG_SCOPE = {
    "organisation": _("Rollen %(role)s gäller en organisation – välj en sådan i listan."),
    "county": _("Rollen %(role)s gäller ett län – välj ett sådant i listan."),
    "body": _("Rollen %(role)s gäller ett samverkansorgan – välj ett sådant i listan."),
}


class RoleAssignForm(PortalForm):
    """Choose a role and where it applies, among the scopes the administrator may assign."""

    role = forms.ChoiceField(label=_("Roll"))
    scope = forms.ChoiceField(
        label=_("Gäller"),
        help_text=_(
            "Organisation för tjänstepersoner, län för redaktörer och administratörer, organ för "
            "ordförande, sekreterare och ledamöter."
        ),
    )
    reason = forms.CharField(
        label=_("Anledning"),
        max_length=200,
        help_text=_("Sparas i historiken, t.ex. ”Ny handläggare på socialförvaltningen”."),
    )

    def __init__(self, *args, admin, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin = admin
        self.fields["role"].choices = [("", "–––")] + [
            (role.value, role.label) for role in Role if permissions.assignable_scopes(admin, role).exists()
        ]
        self.fields["scope"].choices = [("", "–––"), *self._scope_choices()]

    def _scope_choices(self):
        seen = set()
        for role in Role:
            model = scope_model(role)
            if model in seen:
                continue
            seen.add(model)
            scopes = permissions.assignable_scopes(self.admin, role)
            if model is not County:
                scopes = scopes.select_related("county")
            options = [(f"{model._meta.model_name}:{obj.pk}", self._label(obj)) for obj in scopes]
            if options:
                yield (str(model._meta.verbose_name_plural).capitalize(), options)

    @staticmethod
    def _label(obj) -> str:
        if isinstance(obj, Organisation):
            return f"{obj} ({obj.county.short_name})"
        return str(obj)

    def clean(self):
        cleaned = super().clean()
        role, value = cleaned.get("role"), cleaned.get("scope")
        if not role or not value:
            return cleaned
        model = scope_model(role)
        model_name, _sep, pk = value.partition(":")
        scope = None
        if model_name == model._meta.model_name and pk.isdigit():
            scope = permissions.assignable_scopes(self.admin, role).filter(pk=int(pk)).first()
        if scope is None:
            wrong = WRONG_SCOPE.get(model._meta.model_name, WRONG_SCOPE["organisation"])
            self.add_error("scope", wrong % {"role": Role(role).label.lower()})
        cleaned["scope_object"] = scope
        return cleaned


class RoleRemoveForm(PortalForm):
    reason = forms.CharField(label=_("Anledning"), max_length=200)


def seen_field() -> forms.CharField:
    """The version of the record the form edits, as the form was shown (samverkan.concurrency)."""
    return forms.CharField(required=False, widget=forms.HiddenInput)


def refusal_or(form: forms.Form, message: str) -> str:
    """Why a form posted from another page failed, for a message there: its personal-data refusals (with
    the fields' labels) if there are any, otherwise ``message``."""
    refusals = [
        f"{form[name].label}: {error}"
        for name in form.fields
        if form.has_error(name, "personal_identity_number")
        for error in form.errors[name]
    ]
    return " ".join(refusals) or str(message)


def add_service_errors(form: forms.Form, error) -> None:
    """Show a service's ValidationError on the form: each message next to its field when the form has that
    field, otherwise at the top. Nothing the user typed is lost. After a concurrent change the form takes
    the record's new version, so saving again overwrites the other change knowingly."""
    if isinstance(error, ConcurrentChange) and "seen" in form.fields:
        form.data = form.data.copy()
        form.data[form.add_prefix("seen")] = error.current
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class PersonForm(PortalForm):
    """A person as the county administrator invites or edits them: only the county's organisations and
    units can be chosen."""

    name = forms.CharField(label=_("Namn"), max_length=150, help_text=_("Förnamn och efternamn."))
    email = forms.EmailField(label=_("E-post"), max_length=254, validators=[validate_no_identity_numbers])
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    unit = forms.ModelChoiceField(
        label=_("Enhet"), queryset=OrganisationUnit.objects.none(), required=False, help_text=_("Valfri.")
    )
    title = forms.CharField(label=_("Titel"), max_length=120, required=False)

    def __init__(self, *args, county: County, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(county=county).order_by(
            "kind", "name"
        )
        self.fields["unit"].queryset = OrganisationUnit.objects.filter(
            organisation__county=county
        ).select_related("organisation")

    @classmethod
    def initial_for(cls, person) -> dict:
        profile = person.profile
        return {
            "name": person.get_full_name(),
            "email": person.email,
            "organisation": profile.organisation_id,
            "unit": profile.unit_id,
            "title": profile.title,
        }

    def person_data(self) -> PersonData:
        data = self.cleaned_data
        return PersonData(data["name"], data["email"], data["organisation"], data["unit"], data["title"])


class PeopleFileForm(PortalForm):
    file = forms.FileField(
        label=_("Fil med personer (CSV)"),
        help_text=_(
            "En rad per person med rubrikraden namn; e-post; organisation; enhet; titel. "
            "Komma eller semikolon som avgränsare, UTF-8."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Välj en CSV-fil (.csv)."))
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("Filen är större än 2 MB; dela upp den."))
        return upload


class PeopleImportForm(PortalForm):
    token = forms.CharField(widget=forms.HiddenInput)


class PersonStatusForm(PortalForm):
    reason = forms.CharField(
        label=_("Anledning"),
        max_length=200,
        help_text=_("Sparas i historiken, t.ex. ”Slutat sin anställning”."),
    )
