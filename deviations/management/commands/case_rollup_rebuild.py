"""Compute the statistics' rollup again from the cases (after a bulk load, or to repair it)."""

from django.core.management.base import BaseCommand

from deviations import rollup


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        rows = rollup.rebuild()
        self.stdout.write(f"{rows} rader i statistikens sammanställning")
