from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand

from deviations.services import overdue_cases_flag


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"ogiltigt datum: {value} (ange ÅÅÅÅ-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Markerar avvikelser och tvister som inte påbörjats eller fått återkoppling i tid och e-postar "
        "handläggarna på ärendets nivå, en gång per nivå. Kör dagligen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            dest="today",
            type=_date,
            metavar="ÅÅÅÅ-MM-DD",
            help="Räkna förseningar som om det vore detta datum (för test). Standard: i dag.",
        )

    def handle(self, *args, today: date | None = None, **options):
        flagged = overdue_cases_flag(today=today)
        noun = "försenat ärende" if flagged == 1 else "försenade ärenden"
        self.stdout.write(f"Markerade {flagged} {noun}.")
