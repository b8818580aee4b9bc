from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeviationsConfig(AppConfig):
    name = "deviations"
    verbose_name = _("Avvikelser och tvister")

    def ready(self) -> None:
        from deviations import CACHE_SCOPE, api
        from samverkan import registry
        from samverkan.personal_data import guard_free_text

        guard_free_text(self, machine_set=("Case.level_name", "Event.file_type", "Event.file_sha256"))
        registry.register_cache_scope(CACHE_SCOPE)
        registry.register_api_router(api.router, order=30)
        # Ladders need the bodies and the agreements.
        registry.register_demo_loader("deviations.demo.loader.deviations_demo_run", order=50)
        registry.register_daily_job("deviations.tasks.overdue_cases_run")
        registry.register_counted_models("deviations.Case", "deviations.Event")

        from django.urls import reverse

        from deviations.blocks import agreement_ladders_block
        from deviations.permissions import can_report
        from samverkan.actions import register_duty_action
        from samverkan.blocks import AGREEMENT_PAGE, register_block

        register_block(AGREEMENT_PAGE, agreement_ladders_block)  # the ladders, on the agreement's page
        register_duty_action(
            _("Rapportera avvikelse"),
            lambda duty: f"{reverse('deviations:report')}?atagande={duty.pk}",
            can_report,
        )
