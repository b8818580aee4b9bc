from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Överenskommelser")

    def ready(self) -> None:
        from samverkan.personal_data import guard_free_text

        guard_free_text(self, machine_set=("Law.code", "NoticeAlert.what", "VersionPdf.sha256"))

        from agreements.blocks import body_agreements_block
        from samverkan.blocks import BODY_PAGE, register_block

        register_block(BODY_PAGE, body_agreements_block)  # the agreements a body adopted, on its page
