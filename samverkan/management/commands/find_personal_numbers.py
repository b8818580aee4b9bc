from django.apps import apps
from django.core.management.base import BaseCommand

from samverkan.personal_data import (
    find_identity_numbers,
    mask_identity_number,
    validate_no_identity_numbers,
)


class Command(BaseCommand):
    help = (
        "Listar sparade texter som innehåller personnummer eller samordningsnummer (maskerade): texter som "
        "skrevs innan spärren täckte fältet. Ändrar ingenting; rätta eller ta bort texterna i portalen."
    )

    def handle(self, *args, **options):
        found = 0
        for model in apps.get_models():
            fields = [
                field.name
                for field in model._meta.local_concrete_fields
                if validate_no_identity_numbers in field.validators
            ]
            if not fields:
                continue
            for row in model.objects.values_list("pk", *fields).iterator():
                for name, text in zip(fields, row[1:], strict=True):
                    if hits := find_identity_numbers(text or ""):
                        masked = ", ".join(mask_identity_number(hit) for hit in hits)
                        self.stdout.write(f"{model._meta.label} {row[0]} {name}: {masked}")
                        found += 1
        self.stdout.write(f"{found} texter med personnummer.")
