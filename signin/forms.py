"""Forms of the sign-in app. Labels and messages are Swedish and shown next to their fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samverkan.forms import PortalForm
from samverkan.personal_data import validate_no_identity_numbers
from signin.models import Connection
from signin.services import ConnectionData

MAX_METADATA_BYTES = 2 * 1024 * 1024


def connection_label(connection: Connection) -> str:
    return f"{connection.organisation.name} ({connection.organisation.county.name})"


class OrganisationChoiceForm(forms.Form):
    """ "Which organisation do you work for?", or the e-mail address whose domain tells."""

    organisation = forms.CharField(
        label=_("Vilken organisation arbetar du i?"),
        required=False,
        max_length=300,
        help_text=_("Skriv några bokstäver och välj i listan."),
    )
    email = forms.EmailField(
        label=_("eller din e-postadress i jobbet"),
        required=False,
        validators=[validate_no_identity_numbers],
    )

    def __init__(self, *args, connections, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections = {connection_label(c): c for c in connections}
        self.fields["organisation"].widget.attrs.update(
            {"list": "signin-organisations", "autocomplete": "off"}
        )
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})

    def clean(self):
        data = super().clean()
        chosen, email = data.get("organisation", "").strip(), data.get("email", "")
        if self.errors:
            return data
        if chosen:
            connection = self.connections.get(chosen)
            if connection is None:
                matches = [c for label, c in self.connections.items() if label.startswith(chosen + " (")]
                connection = matches[0] if len(matches) == 1 else None
            if connection is None:
                raise ValidationError(
                    {
                        "organisation": _(
                            "Ingen organisation med inloggning via eget konto heter så. Välj i listan, "
                            "eller logga in med portalens lösenord nedan."
                        )
                    }
                )
        elif email:
            from signin import selectors

            connection = selectors.connection_for_email(email)
            if connection is None:
                raise ValidationError(
                    {
                        "email": _(
                            "Ingen organisation med inloggning via eget konto använder den e-postdomänen. "
                            "Välj organisation i listan, eller logga in med portalens lösenord nedan."
                        )
                    }
                )
        else:
            raise ValidationError({"organisation": _("Välj din organisation eller skriv din e-postadress.")})
        data["connection"] = connection
        return data


class ConnectionForm(PortalForm):
    protocol = forms.ChoiceField(label=_("Protokoll"), choices=Connection.Protocol.choices)
    active = forms.BooleanField(label=_("I bruk (visas på inloggningssidan)"), required=False, initial=True)
    email_domains = forms.CharField(
        label=_("E-postdomäner"),
        required=False,
        max_length=500,
        help_text=_("Kommaseparerade, t.ex. karlskrona.se. Den som skriver en sådan adress skickas hit."),
    )
    metadata_url = forms.URLField(
        label=_("SAML: metadata-URL"), required=False, max_length=500, assume_scheme="https"
    )
    metadata_certificate = forms.CharField(
        label=_("SAML: certifikat som signerar metadata (PEM)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Krävs för metadata från en URL: metadata används bara om signaturen stämmer."),
    )
    metadata_file = forms.FileField(
        label=_("SAML: eller en metadatafil (XML)"),
        required=False,
        help_text=_("Ersätter den metadata som finns."),
    )
    issuer = forms.URLField(
        label=_("OpenID Connect: utfärdare (issuer)"), required=False, max_length=500, assume_scheme="https"
    )
    client_id = forms.CharField(label=_("OpenID Connect: klient-id"), required=False, max_length=200)
    client_secret = forms.CharField(
        label=_("OpenID Connect: klienthemlighet"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Lagras krypterad. Lämna tomt för att behålla den som finns."),
    )
    id_attribute = forms.CharField(
        label=_("Attribut med personens unika id"),
        required=False,
        max_length=200,
        help_text=_("Tomt: SAML:s beständiga NameID eller OpenID Connects sub."),
    )
    email_attribute = forms.CharField(label=_("Attribut med e-postadress"), max_length=200, initial="email")
    given_name_attribute = forms.CharField(
        label=_("Attribut med förnamn"), max_length=200, initial="given_name"
    )
    family_name_attribute = forms.CharField(
        label=_("Attribut med efternamn"), max_length=200, initial="family_name"
    )

    def __init__(self, *args, connection: Connection | None = None, **kwargs):
        if connection is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = {
                name: getattr(connection, name)
                for name in self.base_fields
                if name not in ("metadata_file", "client_secret")
            }
        super().__init__(*args, **kwargs)
        for name in ("metadata_certificate", "issuer", "client_id", "id_attribute"):
            self.fields[name].widget.attrs["spellcheck"] = "false"

    def clean_metadata_file(self) -> str:
        upload = self.cleaned_data.get("metadata_file")
        if not upload:
            return ""
        if upload.size > MAX_METADATA_BYTES:
            raise ValidationError(_("Filen är för stor (högst 2 MB)."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError(_("Filen ska vara XML i UTF-8.")) from error

    def connection_data(self) -> ConnectionData:
        data = self.cleaned_data
        return ConnectionData(
            **{name: data.get(name) or "" for name in ConnectionData.__dataclass_fields__}
            | {
                "active": bool(data.get("active")),
            }
        )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Engångskod från appen"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise ValidationError(_("Koden består av siffror."))
        return token
