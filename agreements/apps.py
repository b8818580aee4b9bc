from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Överenskommelser")

    def ready(self) -> None:
        from agreements import CACHE_SCOPE, api, selectors
        from samverkan import registry
        from samverkan.personal_data import guard_free_text

        guard_free_text(self, machine_set=("Law.code", "NoticeAlert.what", "VersionPdf.sha256"))
        registry.register_cache_scope(CACHE_SCOPE)
        registry.register_api_router(api.router, order=10)
        # After the bodies that adopted the agreements.
        registry.register_demo_loader("agreements.demo.loader.agreements_demo_run", order=40)
        registry.register_daily_job("agreements.tasks.notice_alerts_run")
        registry.register_workspace_entry(
            registry.WorkspaceEntry(
                key="agreements",
                label=_("Ladda upp en överenskommelse"),
                description=_(
                    "en fil i portalens YAML-format kontrolleras, visas och läses in; du behöver rollen "
                    "redaktör i länet"
                ),
                url_name="agreements:upload",
                order=30,
                per_county=False,
            )
        )
        registry.register_workspace_entry(
            registry.WorkspaceEntry(
                key="agreement_new",
                label=_("Ny överenskommelse"),
                description=_("villkor och parter i ett formulär; innehållet fyller du i utkastet"),
                url_name="agreements:new",
                order=31,
                per_county=False,
            )
        )
        registry.register_stored_files(selectors.version_pdfs_stored)
        registry.register_counted_models(
            "agreements.Agreement", "agreements.AgreementVersion", "agreements.Duty", "agreements.VersionPdf"
        )

        from agreements.blocks import body_agreements_block
        from samverkan.blocks import BODY_PAGE, register_block

        register_block(BODY_PAGE, body_agreements_block)  # the agreements a body adopted, on its page
