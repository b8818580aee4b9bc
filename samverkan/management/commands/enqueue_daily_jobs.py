from django.core.management.base import BaseCommand

from agreements.tasks import notice_alerts_run
from deviations.tasks import overdue_cases_flag


class Command(BaseCommand):
    help = (
        "Lägger dagens jobb i kön åt arbetsprocessen (db_worker): påminnelser om uppsägning och slutdatum "
        "och markering av försenade ärenden. Kör dagligen från cron på en maskin."
    )

    def handle(self, *args, **options):
        for job in (notice_alerts_run, overdue_cases_flag):
            result = job.enqueue()
            self.stdout.write(f"Köade {job.name} ({result.id}).")
