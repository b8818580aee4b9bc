from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Samverkansorgan")

    def ready(self) -> None:
        from samverkan.personal_data import guard_free_text

        guard_free_text(self, machine_set=("Attachment.content_type", "Attachment.sha256"))
