from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeviationsConfig(AppConfig):
    name = "deviations"
    verbose_name = _("Avvikelser och tvister")

    def ready(self) -> None:
        from samverkan.personal_data import guard_free_text

        guard_free_text(self, machine_set=("Case.level_name", "Event.file_type", "Event.file_sha256"))

        from django.urls import reverse

        from deviations.permissions import can_report
        from samverkan.actions import register_duty_action

        register_duty_action(
            _("Rapportera avvikelse"),
            lambda duty: f"{reverse('deviations:report')}?atagande={duty.pk}",
            can_report,
        )
