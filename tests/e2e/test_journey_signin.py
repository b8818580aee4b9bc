"""Journey 6: signing in with the organisation's own account, through real identity providers started
beside the live server: the pysaml2 IdP (idp/saml_idp.py) and node-oidc-provider (idp/oidc_provider.mjs).

Blekinge's county administrator logs in with the portal's password and a TOTP code (enrolled on the way),
then connects Karlskrona kommun to its SAML2 IdP (metadata from its URL, signature checked) and Region
Blekinge to its OpenID Connect provider. Anna of Karlskrona chooses her organisation on the login page, signs
in at her IdP and lands in the portal as an official of Karlskrona; signing out ends the IdP's session too
(single logout). Erik of the Region is recognised by his e-mail domain and does the same through OIDC.
Every page on the way, the providers' included, goes through the journeys' checks (axe, vnu, CSP)."""

import pytest
from django.contrib.auth.models import User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from idp.run import OIDC_MODULE, oidc_provider, saml_idp
from samverkan.models import Role
from tests.factories import PASSWORD, county, person

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not OIDC_MODULE.exists(), reason="oidc-provider saknas i var/node (make setup)"),
]
ANNA = {
    "password": "anna-idp-lösen",
    "uid": "karlskrona-7f3a",
    "email": "anna.andersson@karlskrona.se",
    "given_name": "Anna",
    "family_name": "Andersson",
}
ERIK = {
    "password": "erik-idp-lösen",
    "uid": "regionblekinge-00042",
    "email": "erik.eriksson@regionblekinge.se",
    "given_name": "Erik",
    "family_name": "Eriksson",
}
CLIENT_SECRET = "en-klienthemlighet-for-journeyn"


@pytest.fixture
def providers(live_server, settings, tmp_path):
    settings.SITE_URL = live_server.url
    settings.SIGNIN_SECOND_FACTOR_REQUIRED = True
    state = tmp_path / "saml-idp"
    with (
        saml_idp(
            sp_metadata_url=live_server.url + "/konto/saml/metadata/",
            users={"anna": ANNA},
            state_dir=state,
            host_name="localhost",  # the live server's name: the same site, so the session cookie goes along
        ) as saml_url,
        oidc_provider(
            client_id="samverkan",
            client_secret=CLIENT_SECRET,
            redirect_uri=live_server.url + "/konto/oidc/callback/",
            post_logout_uri=live_server.url + "/konto/utloggad/",
            users={"erik": ERIK},
        ) as issuer,
    ):
        yield {"saml": saml_url, "certificate": (state / "idp-cert.pem").read_text(), "oidc": issuer}


@pytest.fixture
def blekinge_admin():
    return person("R10", (Role.COUNTY_ADMIN, county("10")), username="lansadmin.blekinge")


def code_for(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def sign_out(visitor) -> None:
    visitor.page.get_by_role("button", name="Logga ut").click()


def test_staff_sign_in_with_their_organisations_account_through_saml_and_oidc(
    providers, blekinge_admin, visitor_factory
):
    # The county administrator: password, then the second factor, enrolled on the way.
    admin = visitor_factory("admin")
    admin.open("/konto/logga-in/")
    admin.page.get_by_label("Användarnamn").fill(blekinge_admin.username)
    admin.page.get_by_label("Lösenord").fill(PASSWORD)
    admin.page.get_by_role("button", name="Logga in").click()
    expect(admin.page.get_by_role("heading", name="Tvåfaktorsinloggning")).to_be_visible()
    admin.check("tvafaktor")
    expect(admin.page.get_by_role("img", name="QR-kod för autentiseringsappen")).to_be_visible()
    admin.page.get_by_label("Engångskod från appen").fill(code_for(blekinge_admin))
    admin.page.get_by_role("button", name="Fortsätt").click()
    admin.page.wait_for_url(lambda url: "/tvafaktor/" not in url)
    admin.check()

    # Connects Karlskrona to its SAML2 IdP and the Region to its OpenID Connect provider.
    admin.open("/administration/")
    admin.page.get_by_role("link", name="Inloggning").click()
    admin.check("inloggning")
    admin.page.get_by_role("link", name="Karlskrona kommun").click()
    admin.check()
    admin.page.get_by_label("Protokoll").select_option("saml")
    admin.page.get_by_label("E-postdomäner").fill("karlskrona.se")
    admin.page.get_by_label("SAML: metadata-URL").fill(providers["saml"] + "/metadata")
    admin.page.get_by_label("SAML: certifikat som signerar metadata (PEM)").fill(providers["certificate"])
    admin.page.get_by_role("button", name="Spara").click()
    expect(admin.page.get_by_text("Inloggningen för Karlskrona kommun är sparad.")).to_be_visible()
    admin.check()
    admin.page.get_by_role("link", name="Region Blekinge").click()
    admin.check()
    admin.page.get_by_label("Protokoll").select_option("oidc")
    admin.page.get_by_label("E-postdomäner").fill("regionblekinge.se")
    admin.page.get_by_label("OpenID Connect: utfärdare (issuer)").fill(providers["oidc"])
    admin.page.get_by_label("OpenID Connect: klient-id").fill("samverkan")
    admin.page.get_by_label("OpenID Connect: klienthemlighet").fill(CLIENT_SECRET)
    admin.page.get_by_role("button", name="Spara").click()
    expect(admin.page.get_by_text("Inloggningen för Region Blekinge är sparad.")).to_be_visible()
    admin.check("kopplade")

    # Anna chooses her organisation and signs in at Karlskrona's SAML2 IdP.
    anna = visitor_factory("anna")
    anna.open("/konto/logga-in/")
    anna.page.get_by_label("Vilken organisation arbetar du i?").fill("Karlskrona kommun (Blekinge län)")
    anna.page.get_by_role("button", name="Fortsätt till inloggningen").click()
    anna.page.wait_for_url(providers["saml"] + "/**")
    anna.check("saml-idp")
    anna.page.get_by_label("Användarnamn").fill("anna")
    anna.page.get_by_label("Lösenord").fill(ANNA["password"])
    anna.page.get_by_role("button", name="Logga in").click()
    expect(anna.page.get_by_text("Du är inloggad som Anna Andersson.")).to_be_visible()
    anna.check()
    anna.page.get_by_role("button", name="Fortsätt till tjänsten").click()
    expect(
        anna.page.get_by_text("Välkommen, Anna Andersson. Du är inloggad via Karlskrona kommun.")
    ).to_be_visible()
    anna.check("saml-inloggad")
    user = User.objects.get(external_identities__subject=ANNA["uid"])
    assert user.profile.organisation.name == "Karlskrona kommun"
    anna.open("/konto/")
    expect(anna.page.get_by_text("Karlskrona kommun").first).to_be_visible()
    sign_out(anna)
    expect(anna.page.get_by_text("även hos din organisations identitetsleverantör")).to_be_visible()
    anna.check("saml-utloggad")
    anna.open("/konto/")  # the portal's session has ended
    assert "/konto/logga-in/" in anna.page.url

    # Erik gives his e-mail address; the domain takes him to the Region's OpenID Connect provider.
    erik = visitor_factory("erik")
    erik.open("/konto/logga-in/")
    erik.page.get_by_label("eller din e-postadress i jobbet").fill(ERIK["email"])
    erik.page.get_by_role("button", name="Fortsätt till inloggningen").click()
    erik.page.wait_for_url(providers["oidc"] + "/**")
    erik.check("oidc-leverantor")
    erik.page.get_by_label("Användarnamn").fill("erik")
    erik.page.get_by_label("Lösenord").fill(ERIK["password"])
    erik.page.get_by_role("button", name="Logga in").click()
    expect(
        erik.page.get_by_text("Välkommen, Erik Eriksson. Du är inloggad via Region Blekinge.")
    ).to_be_visible()
    erik.check("oidc-inloggad")
    assert (
        User.objects.get(external_identities__subject=ERIK["uid"]).profile.organisation.name
        == "Region Blekinge"
    )
    sign_out(erik)
    erik.page.wait_for_url(providers["oidc"] + "/**")
    erik.check()
    erik.page.get_by_role("button", name="Ja, logga ut").click()
    expect(erik.page.get_by_text("även hos din organisations identitetsleverantör")).to_be_visible()
    erik.check("oidc-utloggad")
