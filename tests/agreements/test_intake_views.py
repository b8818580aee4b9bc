"""An agreement file uploaded in the browser: checked as by the command, previewed, imported in full
or not at all."""

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import services
from agreements.importer import line_of
from agreements.models import Agreement, AgreementVersion, Section, TargetGroup
from tests.factories import agreement_data, county, organisation

URL = reverse("agreements:upload")
BAD_SIDE = "version.target_groups[0].responsibility_areas[1].duties[0].side"


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


# A new agreement from the form

NEW = reverse("agreements:new")


def new_data(**changes) -> dict:
    return {
        "county": county("10").pk,
        "title": "Överenskommelse om barn och unga",
        "purpose": "Barn och unga får rätt stöd i rätt tid.",
        "valid_from": "2027-01-01",
        "valid_to": "2028-12-31",
        "notice_months": "6",
        "extension_years": "2",
        "region_parties": [organisation("R10").pk],
        "municipal_parties": [organisation("1080").pk, organisation("1081").pk],
        "first_target_group": "Barn och unga med psykisk ohälsa",
    } | changes


def test_the_new_agreement_form_is_for_editors(
    client, login, karlskrona_official, blekinge_editor, kalmar_admin
):
    assert client.get(NEW).status_code == 302
    assert login(karlskrona_official).get(NEW).status_code == 403
    assert login(kalmar_admin).get(NEW).status_code == 403
    assert login(blekinge_editor).get(NEW).status_code == 200


def test_a_new_agreement_gets_its_parties_terms_and_a_draft_with_a_first_target_group(login, blekinge_editor):
    response = login(blekinge_editor).post(NEW, new_data())
    deal = Agreement.objects.get(title="Överenskommelse om barn och unga")
    version = deal.versions.get()
    assert response.status_code == 302 and response.url == version.get_absolute_url()
    assert (deal.notice_months, deal.extension_years, str(deal.valid_to)) == (6, 2, "2028-12-31")
    assert {(p.organisation.code, p.side) for p in deal.parties.select_related("organisation")} == {
        ("R10", "region"),
        ("1080", "municipal"),
        ("1081", "municipal"),
    }
    assert version.status == AgreementVersion.Status.DRAFT
    group = TargetGroup.objects.get(version=version)
    assert (group.key, group.name) == ("barn-och-unga-med-psykisk-ohalsa", "Barn och unga med psykisk ohälsa")
    assert Section.objects.get(version=version).text == "Barn och unga får rätt stöd i rätt tid."
    assert deal.history.first().history_user == blekinge_editor


def test_a_party_of_another_county_or_a_title_in_use_is_refused_next_to_the_field(login, blekinge_editor):
    client = login(blekinge_editor)
    response = client.post(NEW, new_data(municipal_parties=[organisation("0880").pk]))
    assert response.status_code == 400 and "municipal_parties" in response.context["form"].errors
    client.post(NEW, new_data())
    again = client.post(NEW, new_data())
    assert again.status_code == 400
    assert again.context["form"].errors["title"] == [
        "Det finns redan en överenskommelse med den titeln i länet."
    ]
    assert Agreement.objects.count() == 1


def test_an_end_before_the_start_is_refused(login, blekinge_editor):
    response = login(blekinge_editor).post(NEW, new_data(valid_to="2026-01-01"))
    assert response.status_code == 400
    assert not Agreement.objects.exists()
