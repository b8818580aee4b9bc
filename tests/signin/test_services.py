"""The sign-in app's services: connecting an organisation, and who a provider's assertion signs in."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from samverkan import services as core_services
from signin import services
from signin.keys import secret_decrypt, self_signed_pair
from signin.models import Connection, ExternalIdentity, UsedAssertion
from signin.saml import Identity, SignInRefused
from tests.factories import organisation, person
from tests.signin.saml_helpers import connect, local_idp

pytestmark = pytest.mark.django_db


def oidc_connection(org_code="1080", **extra) -> Connection:
    return services.connection_save(
        organisation=organisation(org_code),
        data=services.ConnectionData(
            protocol="oidc",
            issuer="https://login.example.se/",
            client_id="portal",
            client_secret="s3",
            **extra,
        ),
        by=None,
        reason="Test",
    )


def identity(subject="uid-1", email="kim@karlskrona.se", key="a1", **extra) -> Identity:
    return Identity(
        subject=subject,
        email=email,
        first_name=extra.get("first_name", "Kim"),
        last_name=extra.get("last_name", "Karlsson"),
        assertion_key=key,
        expires_at=timezone.now() + datetime.timedelta(minutes=5),
        logout={},
    )


def test_the_client_secret_is_stored_encrypted_and_kept_when_a_change_leaves_it_empty():
    connection = oidc_connection()
    assert "s3" not in connection.client_secret
    assert secret_decrypt(connection.client_secret) == "s3"

    services.connection_save(
        organisation=connection.organisation,
        data=services.ConnectionData(protocol="oidc", issuer="https://login.example.se", client_id="portal"),
        by=None,
        reason="Test",
        connection=connection,
    )

    connection.refresh_from_db()
    assert secret_decrypt(connection.client_secret) == "s3"
    assert connection.history.count() == 2


def test_an_email_domain_belongs_to_one_organisation_only():
    oidc_connection("1080", email_domains="karlskrona.se")

    with pytest.raises(ValidationError) as refusal:
        oidc_connection("1081", email_domains="ronneby.se, @Karlskrona.se")

    assert "karlskrona.se hör redan till Karlskrona kommun" in str(
        refusal.value.message_dict["email_domains"]
    )


def test_metadata_from_a_url_needs_the_certificate_that_signs_it():
    with pytest.raises(ValidationError) as refusal:
        services.connection_save(
            organisation=organisation("1080"),
            data=services.ConnectionData(protocol="saml", metadata_url="https://idp.example.se/metadata"),
            by=None,
            reason="Test",
        )

    assert "metadata_certificate" in refusal.value.message_dict
    assert not Connection.objects.exists()


def test_metadata_signed_by_another_key_is_refused_next_to_the_field(tmp_path):
    idp = local_idp(tmp_path)
    _, other_certificate = self_signed_pair("Någon annan")

    with pytest.raises(ValidationError) as refusal:
        services.connection_save(
            organisation=organisation("1080"),
            data=services.ConnectionData(
                protocol="saml", metadata_file=idp.metadata(), metadata_certificate=other_certificate.decode()
            ),
            by=None,
            reason="Test",
        )

    assert refusal.value.message_dict["metadata_file"] == [
        "Metadatans signatur stämmer inte med certifikatet."
    ]


def test_unsigned_metadata_is_refused_when_a_certificate_is_given(tmp_path):
    idp = local_idp(tmp_path)
    unsigned = idp.metadata().split("<ns1:Signature")[0]
    unsigned += idp.metadata().split("</ns1:Signature>")[1]
    certificate = Path(idp.cert_file).read_text(encoding="ascii")

    with pytest.raises(ValidationError) as refusal:
        services.connection_save(
            organisation=organisation("1080"),
            data=services.ConnectionData(
                protocol="saml", metadata_file=unsigned, metadata_certificate=certificate
            ),
            by=None,
            reason="Test",
        )

    assert "inte signerad" in refusal.value.message_dict["metadata_file"][0]


def test_metadata_is_refreshed_from_its_url_with_the_signature_checked(tmp_path, monkeypatch):
    idp = local_idp(tmp_path)
    connection = connect(idp)
    Connection.objects.filter(pk=connection.pk).update(
        metadata_url="https://idp.example.se/metadata", metadata_fetched_at=None
    )
    connection.refresh_from_db()
    monkeypatch.setattr("signin.metadata.fetch", lambda url: idp.metadata())

    services.connection_metadata_refresh(connection=connection, reason="Test")

    connection.refresh_from_db()
    assert connection.metadata_fetched_at is not None


def test_a_new_identity_becomes_an_official_of_the_connections_organisation_with_history():
    connection = oidc_connection()

    user = services.identity_sign_in(connection=connection, identity=identity())

    assert user.profile.organisation == organisation("1080")
    assert user.has_usable_password() is False
    assert ExternalIdentity.objects.get().history.first().history_change_reason.startswith("Inloggning via")


def test_an_existing_account_of_the_same_organisation_with_that_email_is_linked_not_duplicated():
    connection = oidc_connection()
    existing = person("1080", username="kim")
    existing.email = "KIM@karlskrona.se"
    existing.save()

    user = services.identity_sign_in(connection=connection, identity=identity())

    assert user == existing
    assert User.objects.filter(email__iexact="kim@karlskrona.se").count() == 1


@pytest.mark.parametrize("who", ["superuser", "other_organisation"])
def test_an_email_of_a_superuser_or_another_organisations_person_is_never_taken_over(who):
    connection = oidc_connection()
    victim = person("1080" if who == "superuser" else "1081", username="victim")
    victim.email = "kim@karlskrona.se"
    victim.is_superuser = who == "superuser"
    victim.save()

    with pytest.raises(SignInRefused):
        services.identity_sign_in(connection=connection, identity=identity())

    assert not ExternalIdentity.objects.exists()
    assert not UsedAssertion.objects.exists()  # the refusal undid everything


def test_a_deactivated_person_cannot_sign_in_through_the_provider():
    connection = oidc_connection()
    user = services.identity_sign_in(connection=connection, identity=identity())
    core_services.person_deactivate(person=user, by=None, reason="Slutat")

    with pytest.raises(SignInRefused, match="avaktiverat"):
        services.identity_sign_in(connection=connection, identity=identity(key="a2"))


def test_the_same_assertion_is_accepted_once():
    connection = oidc_connection()
    services.identity_sign_in(connection=connection, identity=identity(key="same"))

    with pytest.raises(SignInRefused, match="redan använts"):
        services.identity_sign_in(connection=connection, identity=identity(key="same"))


def test_a_connection_turned_off_signs_nobody_in():
    connection = oidc_connection(active=False)

    with pytest.raises(SignInRefused, match="avstängd"):
        services.identity_sign_in(connection=connection, identity=identity())
