import pytest

from agreements import services
from agreements.diff import AreaChange, DutyChange, version_diff
from agreements.models import AgreementVersion, Duty, ResponsibilityArea, Section, Side, TargetGroup
from tests.factories import agreement

GROUP = "Vuxna med funktionsnedsättning"


@pytest.fixture
def first(db) -> AgreementVersion:
    return agreement(extra_area="Tandvård")


@pytest.fixture
def revision(first) -> AgreementVersion:
    return services.version_revision_create(agreement=first.agreement, by=None, reason="Revidering")


def area(version, name):
    return ResponsibilityArea.objects.get(version=version, name=name)


def test_identical_versions_have_no_changes(first, revision):
    diff = version_diff(first, revision)
    assert diff.is_empty
    assert (diff.sections, diff.areas) == ([], [])


def test_diff_reports_exactly_the_changes_made_in_the_revision(first, revision):
    services.duty_create(
        area=area(revision, "Hjälpmedel"), side=Side.SHARED, text="gemensam rutin", by=None, reason="x"
    )
    services.duty_update(
        duty=Duty.objects.get(version=revision, text="insatser enligt LSS 9 §"),
        side=Side.MUNICIPAL,
        text="insatser enligt LSS 9 § och SoL",
        by=None,
        reason="x",
    )
    services.area_delete(area=area(revision, "Tandvård"), by=None, reason="x")
    services.section_update(
        section=Section.objects.get(version=revision, number="1.1"),
        title="Bakgrund",
        text="Lagen kräver samverkan mellan huvudmännen.",
        by=None,
        reason="x",
    )

    diff = version_diff(first, revision)

    assert not diff.is_empty
    assert [(c.number, c.kind, c.old.text, c.new.text) for c in diff.sections] == [
        ("1.1", "changed", "Lagen kräver samverkan.", "Lagen kräver samverkan mellan huvudmännen.")
    ]
    assert diff.areas == [
        AreaChange(GROUP, "Hjälpmedel", "changed", [DutyChange("added", Side.SHARED, "", "gemensam rutin")]),
        AreaChange(
            GROUP,
            "Insatser enligt LSS",
            "changed",
            [
                DutyChange(
                    "changed", Side.MUNICIPAL, "insatser enligt LSS 9 §", "insatser enligt LSS 9 § och SoL"
                )
            ],
        ),
        AreaChange(
            GROUP, "Tandvård", "removed", [DutyChange("removed", Side.SHARED, "gemensamt om Tandvård", "")]
        ),
    ]


def test_a_new_area_is_reported_as_added_with_its_duties(first, revision):
    group = TargetGroup.objects.get(version=revision)
    new = services.area_create(target_group=group, name="Tolk", by=None, reason="x")
    services.duty_create(area=new, side=Side.REGION, text="tolk vid besök", by=None, reason="x")
    assert version_diff(first, revision).areas == [
        AreaChange(GROUP, "Tolk", "added", [DutyChange("added", Side.REGION, "", "tolk vid besök")])
    ]


def test_a_new_empty_area_is_reported_as_added(first, revision):
    services.area_create(
        target_group=TargetGroup.objects.get(version=revision), name="Tolk", by=None, reason="x"
    )
    assert version_diff(first, revision).areas == [AreaChange(GROUP, "Tolk", "added", [])]


def test_a_duty_moved_to_the_other_side_is_removed_from_one_and_added_to_the_other(first, revision):
    duty = Duty.objects.get(version=revision, text="insatser enligt LSS 9 §")
    services.duty_update(duty=duty, side=Side.REGION, text=duty.text, by=None, reason="x")
    [change] = version_diff(first, revision).areas
    assert change.kind == "changed"
    assert change.duties == [
        DutyChange("removed", Side.MUNICIPAL, "insatser enligt LSS 9 §", ""),
        DutyChange("added", Side.REGION, "", "insatser enligt LSS 9 §"),
    ]


def test_the_diff_the_other_way_round_reverses_the_kinds(first, revision):
    services.area_delete(area=area(revision, "Tandvård"), by=None, reason="x")
    [change] = version_diff(revision, first).areas
    assert (change.area, change.kind) == ("Tandvård", "added")
    assert change.duties == [DutyChange("added", Side.SHARED, "", "gemensamt om Tandvård")]


def test_a_section_title_change_is_a_change(first, revision):
    section = Section.objects.get(version=revision, number="1")
    services.section_update(section=section, title="Inledning", text=section.text, by=None, reason="x")
    [change] = version_diff(first, revision).sections
    assert (change.number, change.kind, change.old.title, change.new.title) == (
        "1",
        "changed",
        "Allmänt",
        "Inledning",
    )
