from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from samverkan import permissions, services
from samverkan.concurrency import ConcurrentChange
from samverkan.models import County, Organisation, Role
from samverkan.netaddr import client_ip
from samverkan.roles import ROLE_SPECS
from samverkan.tasks import email_enqueue


class LoginForm(AuthenticationForm):
    """Django's login form with throttling: repeated failures block the user name for a while."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "För många misslyckade inloggningsförsök. Vänta %(minutes)s minuter och försök igen, "
            "eller återställ ditt lösenord."
        ),
    }

    def clean(self):
        username = (self.data.get("username") or "").strip()
        ip_address = client_ip(self.request) if self.request else None
        window = settings.LOGIN_FAILURE_WINDOW_SECONDS
        if services.login_is_blocked(
            username=username,
            ip_address=ip_address,
            limit=settings.LOGIN_FAILURE_LIMIT,
            window_seconds=window,
        ):
            raise forms.ValidationError(
                self.error_messages["throttled"], code="throttled", params={"minutes": window // 60}
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            services.login_failure_record(username=username, ip_address=ip_address)
            raise
        services.login_success_record(username=username, window_seconds=window)
        return cleaned


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


class RoleAssignForm(forms.Form):
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
            model = ROLE_SPECS[role].model
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
        spec = ROLE_SPECS[role]
        model_name, _sep, pk = value.partition(":")
        scope = None
        if model_name == spec.model._meta.model_name and pk.isdigit():
            scope = permissions.assignable_scopes(self.admin, role).filter(pk=int(pk)).first()
        if scope is None:
            wrong = WRONG_SCOPE.get(spec.model._meta.model_name, WRONG_SCOPE["organisation"])
            self.add_error("scope", wrong % {"role": Role(role).label.lower()})
        cleaned["scope_object"] = scope
        return cleaned


class RoleRemoveForm(forms.Form):
    reason = forms.CharField(label=_("Anledning"), max_length=200)


def seen_field() -> forms.CharField:
    """The version of the record the form edits, as the form was shown (samverkan.concurrency)."""
    return forms.CharField(required=False, widget=forms.HiddenInput)


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
