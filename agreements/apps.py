from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Överenskommelser")

    def ready(self) -> None:
        from samverkan.personal_data import guard_free_text

        guard_free_text(self, machine_set=("Law.code", "NoticeAlert.what", "VersionPdf.sha256"))
