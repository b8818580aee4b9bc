from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SamverkanConfig(AppConfig):
    name = "samverkan"
    verbose_name = _("Län, organisationer och roller")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from samverkan import api_routes, registry
        from samverkan.pagecache import account_changed
        from samverkan.personal_data import guard_free_text

        user = get_user_model()
        post_save.connect(account_changed, sender=user, dispatch_uid="pagecache-account-saved")
        post_delete.connect(account_changed, sender=user, dispatch_uid="pagecache-account-removed")
        # What the core composes from every app's AppConfig.ready() (samverkan/registry.py); its own first.
        registry.register_api_router(api_routes.router, order=0)
        registry.register_demo_loader("samverkan.demo.loader.demo_organisations_load", order=0)
        # The users after the bodies they hold roles in (order 10, governance).
        registry.register_demo_loader("samverkan.demo.loader.demo_users_load", order=20)
        registry.register_workspace_entry(
            registry.WorkspaceEntry(
                key="people",
                label=_("Personer"),
                description=_(
                    "bjud in medarbetare, en i taget eller många från en fil; ändra och avaktivera"
                ),
                url_name="people",
                order=10,
            )
        )
        guard_free_text(
            self,
            machine_set=(
                "County.code",
                "Organisation.code",
                "FailedLogin.username",
                "ApiRequestCount.client",
            ),
        )
