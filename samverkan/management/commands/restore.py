from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samverkan.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Återställer en säkerhetskopia från backup till en tom installation (tom databas och tom "
        "MEDIA_ROOT) och kontrollerar antal rader och PDF-kontrollsummor mot manifestet."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Katalogen som backup skrev.")
        parser.add_argument("--yes", action="store_true", help="Fråga inte om bekräftelse.")

    def handle(self, *args, directory, yes=False, **options):
        try:
            restore(Path(directory), self.stdout.write, confirm=None if yes else self.confirm)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS("Återställningen är klar"))

    def confirm(self, question: str) -> bool:
        answer = input(f"{question} Skriv ja för att fortsätta: ")
        return answer.strip().lower() in {"ja", "j", "yes", "y"}
