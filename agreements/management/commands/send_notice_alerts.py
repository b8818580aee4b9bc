from django.core.management.base import BaseCommand
from django.utils import timezone

from agreements.notices import notice_alerts_send


class Command(BaseCommand):
    help = "Skickar påminnelser till redaktörer om sista dag för uppsägning och slutdatum (kör dagligen)."

    def handle(self, *args, **options):
        sent = notice_alerts_send(today=timezone.localdate())
        self.stdout.write(f"Skickade {sent} påminnelser.")
