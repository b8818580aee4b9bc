from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "signin"
    verbose_name = _("Inloggning via organisationens konto")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from samverkan import registry
        from signin.twofactor import on_login

        user_logged_in.connect(on_login, dispatch_uid="signin-second-factor")
        registry.register_login_panel("signin.views.login_panel", order=10)
        registry.register_logout_hook("signin.views.logout_redirect", order=10)
        registry.register_daily_job("signin.tasks.metadata_refresh_run")
        registry.register_workspace_entry(
            registry.WorkspaceEntry(
                key="signin",
                label=_("Inloggning"),
                description=_(
                    "koppla organisationerna till sina identitetsleverantörer (SAML2, OpenID Connect)"
                ),
                url_name="signin_admin:connections",
                order=15,
            )
        )
