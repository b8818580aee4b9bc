from django.core.management.base import BaseCommand
from django.db import transaction

from samverkan import pagecache
from samverkan.models import County, Organisation
from samverkan.reference import reference_data_load


class Command(BaseCommand):
    help = "Läser in alla län, regioner och kommuner (referensdata) och uppdaterar det som ändrats."

    def handle(self, *args, **options):
        with transaction.atomic():
            created, updated = reference_data_load(County, Organisation)
            pagecache.bump()  # names of counties and organisations are on every public page
        self.stdout.write(f"Referensdata: {created} nya, {updated} uppdaterade.")
