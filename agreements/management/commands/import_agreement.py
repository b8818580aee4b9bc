from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agreements.importer import AgreementFileError, agreement_import


class Command(BaseCommand):
    help = (
        "Läser in överenskommelser från YAML-filer (se docs/agreement-format.md). Alla filer kontrolleras "
        "först; blir något fel läses ingenting in."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, files, **options):
        try:
            versions = agreement_import(paths=files, by=None)
        except AgreementFileError as error:
            raise CommandError(f"Ingenting lästes in. {error}") from None
        except ValidationError as error:
            raise CommandError(f"Ingenting lästes in. {' '.join(error.messages)}") from None
        for version in versions:
            self.stdout.write(f"Läste in {version} ({version.get_status_display().lower()}).")
