from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Samverkansorgan")

    def ready(self) -> None:
        from governance import CACHE_SCOPE, api
        from governance.roles import body_roles
        from samverkan import registry
        from samverkan.personal_data import guard_free_text

        guard_free_text(self, machine_set=("Attachment.content_type", "Attachment.sha256"))
        registry.register_cache_scope(CACHE_SCOPE)
        registry.register_role_provider(body_roles)
        registry.register_workspace_entry(
            registry.WorkspaceEntry(
                key="bodies",
                label=_("Nytt samverkansorgan"),
                description=_(
                    "lägg upp länets organ med rapporteringslinjer; platser och ledamöter administrerar du "
                    "sedan från organets sida"
                ),
                url_name="governance:body_new",
                order=20,
            )
        )
        registry.register_api_router(api.router, order=20)
        # The bodies first (the demo users hold roles in them), the meetings first of the apps' content.
        registry.register_demo_loader("governance.demo.loader.governance_bodies_demo_load", order=10)
        registry.register_demo_loader("governance.demo.loader.governance_demo_run", order=30)
        registry.register_counted_models(
            "governance.Body", "governance.Meeting", "governance.Paragraph", "governance.Attachment"
        )
