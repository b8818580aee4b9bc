"""An agreement file uploaded in the browser: checked as by the command, previewed, imported in full
or not at all."""

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import services
from agreements.importer import line_of
from agreements.models import Agreement, AgreementVersion, Section
from tests.factories import agreement_data

URL = reverse("agreements:upload")
BAD_SIDE = "version.target_groups[0].responsibility_areas[1].duties[0].side"


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def upload(data: dict | str, name: str = "blekinge.yaml") -> SimpleUploadedFile:
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return SimpleUploadedFile(name, text.encode("utf-8"), "application/yaml")


def with_bad_side() -> dict:
    data = agreement_data()
    data["version"]["target_groups"][0]["responsibility_areas"][1]["duties"][0]["side"] = "kommunen"
    return data


def test_the_upload_is_for_editors(client, login, karlskrona_official, blekinge_editor):
    assert client.get(URL).status_code == 302
    assert login(karlskrona_official).get(URL).status_code == 403
    assert login(blekinge_editor).get(URL).status_code == 200


def test_an_error_is_shown_with_its_path_and_line_and_nothing_is_imported(login, blekinge_editor):
    response = login(blekinge_editor).post(URL, {"file": upload(with_bad_side())})
    assert response.status_code == 400
    (error,) = response.context["form"].errors["file"]
    assert BAD_SIDE in error and "rad " in error and "ska vara en av municipal" in error
    assert not Agreement.objects.exists()


def test_the_line_of_an_element_is_found_in_the_text():
    text = "agreement:\n  title: x\nversion:\n  sections:\n    - number: '1'\n"
    text += "    - number: '2'\n      title: y\n"
    assert line_of(text, "agreement.title") == 2
    assert line_of(text, "version.sections[1].title") == 7
    assert line_of(text, "version.sections[1].missing") == 6  # the nearest written parent
    assert line_of(":\n  - [", "agreement") is None


def test_invalid_yaml_names_the_line(login, blekinge_editor):
    response = login(blekinge_editor).post(URL, {"file": upload("agreement:\n  title: [oj\nversion: 1\n")})
    assert response.status_code == 400
    assert "rad " in response.context["form"].errors["file"][0]


def test_a_file_of_another_county_is_refused(login, blekinge_editor):
    response = login(blekinge_editor).post(URL, {"file": upload(agreement_data(county="08"))})
    assert response.status_code == 400
    assert "du är inte redaktör för Kalmar län" in response.context["form"].errors["file"][0]


def test_a_file_that_is_not_yaml_is_refused(login, blekinge_editor):
    response = login(blekinge_editor).post(URL, {"file": upload("x", name="avtal.pdf")})
    assert response.status_code == 400


def test_a_good_file_is_previewed_then_imported(login, blekinge_editor):
    client = login(blekinge_editor)
    response = client.post(URL, {"file": upload(agreement_data())})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.sections, preview.target_groups, preview.areas, preview.duties, preview.existing) == (
        2,
        1,
        2,
        3,
        None,
    )
    assert not Agreement.objects.exists()  # a preview saves nothing
    response = client.post(URL, {"token": response.context["token"]})
    deal = Agreement.objects.get()
    assert response.status_code == 302 and response.url == deal.get_absolute_url()
    version = deal.versions.get()
    assert version.status == AgreementVersion.Status.ADOPTED
    assert deal.history.first().history_user == blekinge_editor


def test_a_failure_late_in_the_import_leaves_nothing(login, blekinge_editor, monkeypatch):
    client = login(blekinge_editor)
    token = client.post(URL, {"file": upload(agreement_data())}).context["token"]

    def fail(*args, **kwargs):
        from django.core.exceptions import ValidationError

        raise ValidationError("Ett fel på slutet")

    monkeypatch.setattr(services, "_adopt", fail)
    response = client.post(URL, {"token": token}, follow=True)
    assert "Ingenting lästes in: Ett fel på slutet" in response.content.decode()
    assert not Agreement.objects.exists() and not Section.objects.exists()


def test_a_version_that_exists_is_refused_at_import(login, blekinge_editor):
    client = login(blekinge_editor)
    token = client.post(URL, {"file": upload(agreement_data())}).context["token"]
    client.post(URL, {"token": token})
    again = client.post(URL, {"file": upload(agreement_data())})
    assert again.context["preview"].existing is not None
    response = client.post(URL, {"token": again.context["token"]}, follow=True)
    assert "redan en version 1" in response.content.decode()
    assert AgreementVersion.objects.count() == 1


def test_a_token_of_another_user_imports_nothing(login, blekinge_editor, superuser):
    token = login(blekinge_editor).post(URL, {"file": upload(agreement_data())}).context["token"]
    response = login(superuser).post(URL, {"token": token}, follow=True)
    assert "Förhandsgranskningen har gått ut" in response.content.decode()
    assert not Agreement.objects.exists()
