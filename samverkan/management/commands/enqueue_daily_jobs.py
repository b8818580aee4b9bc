from django.core.management.base import BaseCommand

from samverkan import registry


class Command(BaseCommand):
    help = (
        "Lägger dagens jobb i kön åt arbetsprocessen (db_worker): påminnelser om uppsägning och slutdatum "
        "och markering av försenade ärenden. Kör dagligen från cron på en maskin."
    )

    def handle(self, *args, **options):
        for job in registry.daily_jobs():  # registered by each app's AppConfig.ready()
            result = job.enqueue()
            self.stdout.write(f"Köade {job.name} ({result.id}).")
