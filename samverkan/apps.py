from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SamverkanConfig(AppConfig):
    name = "samverkan"
    verbose_name = _("Län, organisationer och roller")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from samverkan.pagecache import account_changed
        from samverkan.personal_data import guard_free_text

        user = get_user_model()
        post_save.connect(account_changed, sender=user, dispatch_uid="pagecache-account-saved")
        post_delete.connect(account_changed, sender=user, dispatch_uid="pagecache-account-removed")
        guard_free_text(
            self,
            machine_set=(
                "County.code",
                "Organisation.code",
                "FailedLogin.username",
                "ApiRequestCount.client",
            ),
        )
