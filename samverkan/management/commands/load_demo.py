from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from samverkan.demo.loader import demo_load
from samverkan.models import County, Organisation
from samverkan.reference import reference_data_load


class Command(BaseCommand):
    help = (
        "Läser in referensdata och demodata (organisationer, organ och demoanvändare för varje roll i "
        "Blekinge, Kalmar och Västernorrland). Kan köras flera gånger."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Tillåt demoanvändare med känt lösenord även när DEBUG är av.",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Demodata har kända lösenord och läses bara in när DEBUG är på "
                "(eller med --allow-production)."
            )
        with transaction.atomic():
            reference_data_load(County, Organisation)
            demo = demo_load()  # every app's registered demo loader, in their order
        for line in demo.report:
            self.stdout.write(line)
