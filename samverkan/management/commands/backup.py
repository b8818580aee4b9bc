from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samverkan.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar databasen (pg_dump) och de lagrade filerna i MEDIA_ROOT till en ny katalog, "
        "med ett manifest (antal rader, PDF-kontrollsummor) som restore kontrollerar mot."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Ny (eller tom) katalog att skriva säkerhetskopian till.")

    def handle(self, *args, directory, **options):
        try:
            backup(Path(directory), self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Säkerhetskopian är klar i {directory}"))
