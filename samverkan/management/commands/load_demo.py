from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agreements.demo import agreements_demo_load
from deviations.demo import deviations_demo_load
from governance.demo import governance_demo_load
from samverkan.demo import demo_load, demo_password
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
            users = demo_load()
            governance_demo_load()  # first, so agreements find the bodies that adopted them
            agreements = agreements_demo_load()
            deviations_demo_load()  # ladders need the bodies and the agreements
        self.stdout.write(f"Demoanvändare (lösenord för alla: {demo_password()}):")
        width = max(len(u.username) for u in users)
        for user in users:
            roles = ", ".join(f"{role} {scope}" for role, scope in user.roles)
            self.stdout.write(f"  {user.username.ljust(width)}  {roles}")
        self.stdout.write(f"  {'superadmin'.ljust(width)}  superanvändare (allt, även /admin/)")
        for agreement in agreements:
            self.stdout.write(f"Överenskommelse inläst: {agreement}")
