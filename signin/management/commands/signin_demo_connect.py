"""Connect the demo's Karlskrona kommun to the local SAML2 IdP and Region Blekinge to the local OpenID
Connect provider (``make run`` starts both beside the portal; see idp/)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from samverkan.models import Organisation
from signin import services
from signin.models import Connection


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--saml-metadata-url", required=True)
        parser.add_argument(
            "--saml-certificate", required=True, help="a PEM file: the IdP's signing certificate"
        )
        parser.add_argument("--oidc-issuer", required=True)
        parser.add_argument("--oidc-client-id", default="samverkan")
        parser.add_argument("--oidc-client-secret", required=True)

    def handle(self, *args, **options):
        reason = "Demo: lokala identitetsleverantörer (make run)"
        wanted = [
            (
                "1080",
                services.ConnectionData(
                    protocol="saml",
                    email_domains="karlskrona.se",
                    metadata_url=options["saml_metadata_url"],
                    metadata_certificate=Path(options["saml_certificate"]).read_text(encoding="ascii"),
                ),
            ),
            (
                "R10",
                services.ConnectionData(
                    protocol="oidc",
                    email_domains="regionblekinge.se",
                    issuer=options["oidc_issuer"],
                    client_id=options["oidc_client_id"],
                    client_secret=options["oidc_client_secret"],
                ),
            ),
        ]
        for code, data in wanted:
            organisation = Organisation.objects.get(code=code)
            try:
                services.connection_save(
                    organisation=organisation,
                    data=data,
                    by=None,
                    reason=reason,
                    connection=Connection.objects.filter(organisation=organisation).first(),
                )
            except ValidationError as error:
                raise CommandError(f"{organisation}: {' '.join(error.messages)}") from error
            self.stdout.write(f"{organisation.name}: {data.protocol.upper()}")
