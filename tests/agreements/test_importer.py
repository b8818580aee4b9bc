from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from agreements import services
from agreements.importer import AgreementFileError, agreement_import, parse_data, parse_file
from agreements.laws import parse_reference
from agreements.models import (
    Agreement,
    AgreementParty,
    AgreementVersion,
    ChangeLogEntry,
    DevelopmentArea,
    Duty,
    LegalReference,
    ResponsibilityArea,
    Section,
    Side,
    TargetGroup,
)
from samverkan.demo.loader import ASSOCIATIONS
from samverkan.models import County, Organisation
from tests.factories import agreement, agreement_data

DATA = Path(__file__).resolve().parents[2] / "agreements" / "data"
BAD_SIDE_PATH = "version.target_groups[0].responsibility_areas[1].duties[0].side"


def write(directory: Path, name: str, data: dict) -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def with_bad_last_duty(**kwargs) -> dict:
    """Agreement data whose very last duty (second area, first duty) names a side that does not exist."""
    data = agreement_data(**kwargs)
    data["version"]["target_groups"][0]["responsibility_areas"][1]["duties"][0]["side"] = "kommunen"
    return data


def assert_nothing_imported():
    assert not Agreement.objects.exists()
    assert not Agreement.history.exists()
    assert not AgreementParty.objects.exists()
    assert not AgreementVersion.objects.exists()
    assert not Section.objects.exists()
    assert not TargetGroup.objects.exists()
    assert not ResponsibilityArea.objects.exists()
    assert not Duty.objects.exists()
    assert not LegalReference.objects.exists()


# A good file


def test_good_agreement_is_imported_with_its_terms_and_parties(db):
    version = agreement()
    imported = version.agreement
    assert imported.county.code == "10"
    assert imported.title == "Överenskommelse om samarbete"
    assert (imported.valid_to.isoformat(), imported.notice_months, imported.extension_years) == (
        "2026-12-31",
        12,
        2,
    )
    parties = {
        side: sorted(imported.parties.filter(side=side).values_list("organisation__code", flat=True))
        for side in (Side.REGION, Side.MUNICIPAL)
    }
    assert parties == {Side.REGION: ["R10"], Side.MUNICIPAL: ["1080", "1081"]}


def test_adopted_file_gives_an_adopted_version_with_its_dates_and_change_log(db):
    version = agreement()
    assert version.number == 1
    assert version.status == AgreementVersion.Status.ADOPTED
    assert (version.adopted_on.isoformat(), version.effective_from.isoformat()) == (
        "2023-05-05",
        "2023-06-01",
    )
    assert list(ChangeLogEntry.objects.filter(version=version).values_list("change", flat=True)) == [
        "Ny överenskommelse"
    ]


def test_draft_file_gives_a_draft_version(db):
    version = agreement(status="draft")
    assert version.status == AgreementVersion.Status.DRAFT
    assert version.adopted_on is None


def test_sections_are_imported_as_a_tree_with_parents(db):
    version = agreement()
    sections = {s.number: s for s in Section.objects.filter(version=version)}
    assert set(sections) == {"1", "1.1"}
    assert sections["1"].parent is None
    assert sections["1.1"].parent == sections["1"]
    assert sections["1"].text == "Syftet.\n\n- punkt ett\n- punkt två"
    assert sections["1"].order < sections["1.1"].order


def test_target_group_areas_and_duties_are_imported_in_order(db):
    version = agreement()
    group = TargetGroup.objects.get(version=version)
    assert (group.key, group.section_number) == ("vuxna", "1")
    areas = list(group.areas.order_by("order"))
    assert [a.name for a in areas] == ["Hjälpmedel", "Insatser enligt LSS"]
    assert [(d.side, d.text) for d in areas[0].duties.order_by("order")] == [
        (Side.MUNICIPAL, "förskrivning av hjälpmedlen i särskilt boende"),
        (Side.REGION, "personer i ordinärt boende utan hemsjukvård"),
    ]
    assert {d.version_id for d in Duty.objects.all()} == {version.pk}


def test_each_duty_keeps_its_laws(db):
    agreement()
    laws = {
        duty.text: [ref.law.code for ref in duty.legal_references.order_by("order")]
        for duty in Duty.objects.prefetch_related("legal_references__law")
    }
    assert laws == {
        "förskrivning av hjälpmedlen i särskilt boende": ["HSL"],
        "personer i ordinärt boende utan hemsjukvård": ["HSL"],
        "insatser enligt LSS 9 §": ["LSS"],
    }


def test_legal_references_are_parsed_into_law_chapter_and_paragraph(db):
    agreement()
    references = {
        ref.duty.text: (ref.law.code, ref.chapter, ref.paragraph)
        for ref in LegalReference.objects.select_related("duty", "law")
    }
    assert references == {
        "förskrivning av hjälpmedlen i särskilt boende": ("HSL", "", ""),
        "personer i ordinärt boende utan hemsjukvård": ("HSL", "8", "7"),
        "insatser enligt LSS 9 §": ("LSS", "", "9"),
    }
    assert str(LegalReference.objects.get(chapter="8")) == "HSL 8 kap. 7 §"


def test_development_areas_are_imported(db):
    version = agreement()
    development = DevelopmentArea.objects.get(version=version)
    assert (development.name, development.owner_group) == ("Samsjuklighet", "Mitt i livet")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SoL", ("SoL", "", "")),
        ("lvu", ("LVU", "", "")),
        pytest.param("HSL 8 kap. 7 §", ("HSL", "8", "7")),
        pytest.param("HSL  16 kap.  3 §", ("HSL", "16", "3")),
        pytest.param("LSS 9 §", ("LSS", "", "9")),
        pytest.param("SoL 5 kap. 8 a §", ("SoL", "5", "8 a")),
        pytest.param("hsl 2 kap.", ("HSL", "2", "")),
    ],
)
def test_legal_reference_text_is_parsed(db, text, expected):
    reference = parse_reference(text)
    assert (reference.law, reference.chapter, reference.paragraph) == expected


@pytest.mark.parametrize("text", ["XYZ 5 §", "SoL kapitel fem", "5 kap."])
def test_unparseable_or_unknown_legal_reference_is_refused(db, text):
    with pytest.raises(ValueError):
        parse_reference(text)


# The demo files


@pytest.fixture
def associations(db):
    """The municipal associations that the demo files name as parties (made by samverkan's demo data)."""
    for county_code, name, short_name in ASSOCIATIONS:
        Organisation.objects.create(
            county=County.objects.get(code=county_code),
            name=name,
            short_name=short_name,
            kind=Organisation.Kind.ASSOCIATION,
        )


@pytest.mark.parametrize("path", sorted(DATA.glob("*.yaml")), ids=lambda p: p.name)
def test_demo_file_parses_and_every_duty_has_text(associations, path):
    parsed = parse_file(path)
    duties = [duty for group in parsed.target_groups for area in group["areas"] for duty in area["duties"]]
    assert duties
    for duty in duties:
        assert duty["text"].strip()
        assert duty["side"] in Side.values


def test_blekinge_demo_file_has_four_target_groups_each_with_areas(associations):
    parsed = parse_file(DATA / "blekinge-2023.yaml")
    assert len(parsed.target_groups) == 4
    for group in parsed.target_groups:
        assert group["areas"], group["key"]
    assert parsed.agreement["valid_to"].isoformat() == "2026-12-31"


def test_all_demo_files_import_together(associations):
    versions = agreement_import(paths=sorted(DATA.glob("*.yaml")), by=None)
    assert len(versions) == 3
    assert {v.agreement.county.code for v in versions} == {"08", "10", "22"}
    assert Duty.objects.count() == sum(
        len(area["duties"])
        for path in DATA.glob("*.yaml")
        for group in parse_file(path).target_groups
        for area in group["areas"]
    )


# Errors: all or nothing


def test_bad_side_in_the_last_duty_names_the_file_and_path_and_imports_nothing(db, tmp_path):
    path = write(tmp_path, "blekinge.yaml", with_bad_last_duty())
    with pytest.raises(AgreementFileError) as error:
        agreement_import(paths=[path], by=None)
    message = str(error.value)
    assert str(path) in message
    assert BAD_SIDE_PATH in message
    assert "'kommunen'" in message
    assert error.value.path == BAD_SIDE_PATH
    assert_nothing_imported()


def test_bad_second_file_keeps_the_good_first_file_from_being_imported(db, tmp_path):
    good = write(tmp_path, "good.yaml", agreement_data(title="Den goda"))
    bad = write(tmp_path, "bad.yaml", with_bad_last_duty(title="Den dåliga"))
    with pytest.raises(AgreementFileError) as error:
        agreement_import(paths=[good, bad], by=None)
    assert str(bad) in str(error.value)
    assert str(good) not in str(error.value)
    assert_nothing_imported()


def test_refusal_while_writing_the_second_file_undoes_the_first(db, tmp_path):
    first = write(tmp_path, "first.yaml", agreement_data())
    again = write(tmp_path, "again.yaml", agreement_data())
    with pytest.raises(ValidationError, match="redan en version 1"):
        agreement_import(paths=[first, again], by=None)
    assert_nothing_imported()


def test_importing_the_same_version_number_twice_is_refused(db, tmp_path):
    path = write(tmp_path, "blekinge.yaml", agreement_data())
    agreement_import(paths=[path], by=None)
    with pytest.raises(ValidationError, match="redan en version 1"):
        agreement_import(paths=[path], by=None)
    assert AgreementVersion.objects.count() == 1
    assert Duty.objects.count() == 3


def test_a_new_version_number_of_the_same_agreement_is_added_and_supersedes_the_first(db, tmp_path):
    agreement()
    path = write(tmp_path, "v2.yaml", agreement_data(version=2, extra_area="Tandvård"))
    [version] = agreement_import(paths=[path], by=None)
    assert Agreement.objects.count() == 1
    assert version.number == 2
    assert list(AgreementVersion.objects.order_by("number").values_list("status", flat=True)) == [
        AgreementVersion.Status.SUPERSEDED,
        AgreementVersion.Status.ADOPTED,
    ]


def file_error(tmp_path: Path, data: dict) -> AgreementFileError:
    path = write(tmp_path, "fel.yaml", data)
    with pytest.raises(AgreementFileError) as error:
        agreement_import(paths=[path], by=None)
    assert str(error.value).startswith(f"{path}: ")
    assert_nothing_imported()
    return error.value


def test_unknown_law_code_names_the_path_of_the_reference(db, tmp_path):
    data = agreement_data()
    data["version"]["target_groups"][0]["responsibility_areas"][0]["duties"][1]["laws"] = ["HSL", "XYZ 3 §"]
    error = file_error(tmp_path, data)
    assert error.path == "version.target_groups[0].responsibility_areas[0].duties[1].laws[1]"
    assert "okänd lag 'XYZ'" in error.message


def test_unknown_key_names_its_path(db, tmp_path):
    data = agreement_data()
    data["agreement"]["titel"] = "Stavfel"
    error = file_error(tmp_path, data)
    assert error.path == "agreement.titel"
    assert error.message == "okänd nyckel"


def test_unknown_key_deep_in_the_file_names_its_path(db, tmp_path):
    data = agreement_data()
    data["version"]["target_groups"][0]["responsibility_areas"][1]["duties"][0]["lag"] = ["LSS"]
    error = file_error(tmp_path, data)
    assert error.path == "version.target_groups[0].responsibility_areas[1].duties[0].lag"


def test_bad_date_names_its_path(db, tmp_path):
    data = agreement_data()
    data["agreement"]["valid_from"] = "2023-13-01"
    error = file_error(tmp_path, data)
    assert error.path == "agreement.valid_from"
    assert "ÅÅÅÅ-MM-DD" in error.message
    assert "2023-13-01" in error.message


def test_unquoted_impossible_date_gives_a_file_error_not_a_crash(db, tmp_path):
    path = write(tmp_path, "fel.yaml", agreement_data())
    path.write_text(
        path.read_text(encoding="utf-8").replace("valid_from: '2023-06-01'", "valid_from: 2023-13-01"),
        encoding="utf-8",
    )
    assert "valid_from: 2023-13-01" in path.read_text(encoding="utf-8")
    with pytest.raises(AgreementFileError) as error:
        agreement_import(paths=[path], by=None)
    assert str(path) in str(error.value)


def test_end_before_start_is_refused(db, tmp_path):
    data = agreement_data()
    data["agreement"]["valid_to"] = "2020-01-01"
    assert file_error(tmp_path, data).path == "agreement.valid_to"


def test_unknown_organisation_code_names_the_party(db, tmp_path):
    data = agreement_data()
    data["agreement"]["parties"]["municipal"] = ["1080", "9999"]
    error = file_error(tmp_path, data)
    assert error.path == "agreement.parties.municipal[1]"
    assert "'9999'" in error.message


def test_organisation_of_another_county_is_not_a_party(db, tmp_path):
    data = agreement_data()
    data["agreement"]["parties"]["municipal"] = ["0880"]
    assert file_error(tmp_path, data).path == "agreement.parties.municipal[0]"


def test_unknown_county_is_named(db, tmp_path):
    data = agreement_data()
    data["agreement"]["county"] = "99"
    assert file_error(tmp_path, data).path == "agreement.county"


def test_adopted_version_without_adoption_date_is_refused(db, tmp_path):
    data = agreement_data()
    data["version"]["adopted_on"] = None
    assert file_error(tmp_path, data).path == "version.adopted_on"


def test_subsection_numbered_outside_its_parent_is_refused(db, tmp_path):
    data = agreement_data()
    data["version"]["sections"][0]["sections"][0]["number"] = "2.1"
    assert file_error(tmp_path, data).path == "version.sections[0].sections[0].number"


def test_invalid_yaml_names_the_line(db, tmp_path):
    path = tmp_path / "trasig.yaml"
    path.write_text("agreement:\n  title: [inte stängd\nversion: 1\n", encoding="utf-8")
    with pytest.raises(AgreementFileError) as error:
        agreement_import(paths=[path], by=None)
    assert str(path) in str(error.value)
    assert error.value.path.startswith("rad ")
    assert "inte giltig YAML" in error.value.message
    assert_nothing_imported()


def test_missing_file_is_named(db, tmp_path):
    path = tmp_path / "finns-inte.yaml"
    with pytest.raises(AgreementFileError, match="kan inte läsas") as error:
        agreement_import(paths=[path], by=None)
    assert str(path) in str(error.value)


def test_parse_data_refuses_a_file_that_is_not_a_mapping(db):
    with pytest.raises(AgreementFileError, match="ska vara en mappning"):
        parse_data(["agreement"], "lista.yaml")


# The management command


def test_import_command_imports_a_good_file(db, tmp_path, capsys):
    path = write(tmp_path, "blekinge.yaml", agreement_data())
    call_command("import_agreement", str(path))
    assert "Läste in Överenskommelse om samarbete – version 1 (antagen)." in capsys.readouterr().out
    assert AgreementVersion.objects.count() == 1


def test_import_command_reports_a_bad_file_and_imports_nothing(db, tmp_path):
    good = write(tmp_path, "good.yaml", agreement_data(title="Den goda"))
    bad = write(tmp_path, "bad.yaml", with_bad_last_duty())
    with pytest.raises(CommandError) as error:
        call_command("import_agreement", str(good), str(bad))
    message = str(error.value)
    assert message.startswith("Ingenting lästes in.")
    assert str(bad) in message
    assert BAD_SIDE_PATH in message
    assert_nothing_imported()


def test_import_command_reports_a_version_that_already_exists(db, tmp_path):
    agreement()
    path = write(tmp_path, "blekinge.yaml", agreement_data())
    with pytest.raises(CommandError, match=r"^Ingenting lästes in\. .*redan en version 1"):
        call_command("import_agreement", str(path))
    assert AgreementVersion.objects.count() == 1


def test_each_partys_ratification_is_read_from_the_file(db):
    data = agreement_data()
    data["agreement"]["ratifications"] = [
        {"party": "1080", "by": "Kommunfullmäktige i Karlskrona", "on": "2023-06-12", "reference": "KF § 88"},
        {"party": "Region Blekinge", "by": "Regionfullmäktige", "on": "2023-06-20"},
    ]
    parsed = parse_data(data, "fil.yaml")
    services.agreement_version_import(parsed=parsed, source="fil.yaml", by=None)
    parties = {p.organisation.code: p for p in AgreementParty.objects.select_related("organisation")}
    assert (parties["1080"].ratified_by, str(parties["1080"].ratified_on)) == (
        "Kommunfullmäktige i Karlskrona",
        "2023-06-12",
    )
    assert parties["1080"].ratification_reference == "KF § 88"
    assert parties["R10"].ratified_by == "Regionfullmäktige"
    assert parties["1081"].ratified_on is None


def test_a_ratification_by_an_organisation_that_is_no_party_is_refused(db):
    data = agreement_data()
    data["agreement"]["ratifications"] = [{"party": "1082", "by": "KF", "on": "2023-06-12"}]
    with pytest.raises(AgreementFileError) as refused:
        parse_data(data, "fil.yaml")
    assert refused.value.path == "agreement.ratifications[0].party"
