"""Signing in with the organisation's account, under /konto/."""

from django.urls import path

from signin import views

app_name = "signin"
urlpatterns = [
    path("organisation/", views.start, name="start"),
    path("saml/metadata/", views.saml_metadata, name="saml_metadata"),
    path("saml/acs/", views.saml_acs, name="saml_acs"),
    path("saml/sls/", views.saml_sls, name="saml_sls"),
    path("oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("utloggad/", views.signed_out, name="signed_out"),
    path("tvafaktor/", views.second_factor, name="second_factor"),
]
