from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements import services
from agreements.models import (
    AgreementVersion,
    ChangeLogEntry,
    DevelopmentArea,
    Duty,
    Law,
    LegalReference,
    ResponsibilityArea,
    Section,
    Side,
    TargetGroup,
)
from tests.factories import agreement

FROZEN = "frozen|cannot be deleted"
CONTENT_MODELS = [
    ChangeLogEntry,
    Section,
    TargetGroup,
    ResponsibilityArea,
    Duty,
    LegalReference,
    DevelopmentArea,
]


@pytest.fixture
def adopted(db) -> AgreementVersion:
    return agreement()


@pytest.fixture
def draft(adopted) -> AgreementVersion:
    return services.version_revision_create(agreement=adopted.agreement, by=None, reason="Revidering")


def area_of(version: AgreementVersion, name: str = "Hjälpmedel") -> ResponsibilityArea:
    return ResponsibilityArea.objects.get(version=version, name=name)


def duty_of(version: AgreementVersion, text: str = "förskrivning av hjälpmedlen i särskilt boende") -> Duty:
    return Duty.objects.get(version=version, text=text)


def adopt(version: AgreementVersion, *, by: User | None = None, on: date = date(2025, 1, 15)):
    return services.version_adopt(
        version=version, adopted_on=on, decision_reference="LSVO 2025-01-15 § 3", change="Ändrad", by=by
    )


# The database freezes adopted versions, whatever the ORM does


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_updating_content_of_an_adopted_version_with_the_orm_is_refused(adopted, model):
    row = model.objects.filter(version=adopted).first()
    with pytest.raises(IntegrityError, match=FROZEN), transaction.atomic():
        model.objects.filter(pk=row.pk).update(order=row.order + 10)
    assert model.objects.get(pk=row.pk).order == row.order


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_deleting_content_of_an_adopted_version_with_the_orm_is_refused(adopted, model):
    row = model.objects.filter(version=adopted).first()
    with pytest.raises(IntegrityError, match=FROZEN), transaction.atomic():
        row.delete()
    assert model.objects.filter(pk=row.pk).exists()


def test_saving_a_changed_duty_of_an_adopted_version_is_refused(adopted):
    duty = duty_of(adopted)
    duty.text = "ändrad i smyg"
    with pytest.raises(IntegrityError, match=FROZEN), transaction.atomic():
        duty.save()
    assert duty_of(adopted).side == Side.MUNICIPAL


def test_saving_a_changed_section_of_an_adopted_version_is_refused(adopted):
    section = Section.objects.get(version=adopted, number="1.1")
    section.text = "Ny bakgrund"
    with pytest.raises(IntegrityError, match=FROZEN), transaction.atomic():
        section.save()
    assert Section.objects.get(pk=section.pk).text == "Lagen kräver samverkan."


def test_inserting_a_duty_into_an_adopted_version_is_refused(adopted):
    with pytest.raises(IntegrityError, match=FROZEN), transaction.atomic():
        Duty.objects.create(version=adopted, area=area_of(adopted), side=Side.SHARED, text="nytt")
    assert Duty.objects.filter(version=adopted).count() == 3


def test_inserting_a_section_into_an_adopted_version_is_refused(adopted):
    with pytest.raises(IntegrityError, match=FROZEN), transaction.atomic():
        Section.objects.create(version=adopted, number="2", title="Nytt avsnitt")
    assert not Section.objects.filter(number="2").exists()


def test_inserting_an_area_into_an_adopted_version_is_refused(adopted):
    group = TargetGroup.objects.get(version=adopted)
    with pytest.raises(IntegrityError, match=FROZEN), transaction.atomic():
        ResponsibilityArea.objects.create(version=adopted, target_group=group, name="Tandvård")
    assert not ResponsibilityArea.objects.filter(name="Tandvård").exists()


def test_inserting_a_legal_reference_into_an_adopted_version_is_refused(adopted):
    with pytest.raises(IntegrityError, match=FROZEN), transaction.atomic():
        LegalReference.objects.create(version=adopted, duty=duty_of(adopted), law=Law.objects.get(code="SoL"))
    assert not LegalReference.objects.filter(law__code="SoL").exists()


def test_moving_a_draft_duty_into_an_adopted_version_is_refused(draft, adopted):
    duty = duty_of(draft)
    with pytest.raises(IntegrityError, match=FROZEN), transaction.atomic():
        Duty.objects.filter(pk=duty.pk).update(version=adopted, area=area_of(adopted))
    assert Duty.objects.filter(version=adopted).count() == 3


def test_a_duty_cannot_be_slipped_into_an_adopted_area_under_a_draft_label(draft, adopted):
    with pytest.raises(IntegrityError), transaction.atomic():
        Duty.objects.create(version=draft, area=area_of(adopted), side=Side.SHARED, text="inskuggad")
    assert area_of(adopted).duties.count() == 2


def test_content_of_a_draft_can_be_changed_with_the_orm(draft):
    Duty.objects.filter(pk=duty_of(draft).pk).update(text="ändrad i utkastet")
    assert Duty.objects.filter(version=draft, text="ändrad i utkastet").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("decision_reference", "Annan paragraf"),
        ("adopted_on", date(2020, 1, 1)),
        ("effective_from", date(2020, 1, 1)),
        ("number", 7),
        ("status", AgreementVersion.Status.DRAFT),
    ],
)
def test_changing_an_adopted_versions_fields_is_refused(adopted, field, value):
    with pytest.raises(IntegrityError, match=FROZEN), transaction.atomic():
        AgreementVersion.objects.filter(pk=adopted.pk).update(**{field: value})
    assert AgreementVersion.objects.get(pk=adopted.pk).status == AgreementVersion.Status.ADOPTED


def test_an_adopted_version_may_only_step_to_superseded(adopted):
    AgreementVersion.objects.filter(pk=adopted.pk).update(status=AgreementVersion.Status.SUPERSEDED)
    with pytest.raises(IntegrityError, match=FROZEN), transaction.atomic():
        AgreementVersion.objects.filter(pk=adopted.pk).update(status=AgreementVersion.Status.ADOPTED)
    assert AgreementVersion.objects.get(pk=adopted.pk).status == AgreementVersion.Status.SUPERSEDED


def test_deleting_an_adopted_version_is_refused(adopted):
    with pytest.raises(IntegrityError, match=FROZEN), transaction.atomic():
        adopted.delete()
    assert AgreementVersion.objects.filter(pk=adopted.pk).exists()
    assert Duty.objects.filter(version=adopted).count() == 3


def test_deleting_a_draft_version_deletes_its_content(draft):
    draft.delete()
    assert not Duty.objects.filter(version_id=draft.pk).exists()
    assert Duty.objects.count() == 3


def test_deleting_the_person_who_created_an_adopted_version_keeps_the_version(adopted, blekinge_editor):
    draft = services.version_revision_create(agreement=adopted.agreement, by=blekinge_editor, reason="Ny")
    adopt(draft, by=blekinge_editor)
    blekinge_editor.delete()
    version = AgreementVersion.objects.get(pk=draft.pk)
    assert version.created_by is None
    assert version.status == AgreementVersion.Status.ADOPTED


# Services refuse to edit a frozen version


def test_duty_update_refuses_an_adopted_version(adopted):
    with pytest.raises(ValidationError, match="Version 1 är antagen och kan inte ändras"):
        services.duty_update(duty=duty_of(adopted), side=Side.REGION, text="ändrad", by=None, reason="x")
    assert duty_of(adopted).side == Side.MUNICIPAL


def test_duty_create_refuses_an_adopted_version(adopted):
    with pytest.raises(ValidationError):
        services.duty_create(area=area_of(adopted), side=Side.SHARED, text="nytt", by=None, reason="x")
    assert Duty.objects.count() == 3


def test_duty_delete_refuses_an_adopted_version(adopted):
    with pytest.raises(ValidationError):
        services.duty_delete(duty=duty_of(adopted), by=None, reason="x")
    assert Duty.objects.count() == 3


def test_area_create_refuses_an_adopted_version(adopted):
    group = TargetGroup.objects.get(version=adopted)
    with pytest.raises(ValidationError):
        services.area_create(target_group=group, name="Tandvård", by=None, reason="x")
    assert ResponsibilityArea.objects.count() == 2


def test_area_update_move_and_delete_refuse_an_adopted_version(adopted):
    area = area_of(adopted)
    with pytest.raises(ValidationError):
        services.area_update(area=area, name="Nytt namn", by=None, reason="x")
    with pytest.raises(ValidationError):
        services.area_move(area=area, up=False, by=None, reason="x")
    with pytest.raises(ValidationError):
        services.area_delete(area=area, by=None, reason="x")
    assert list(ResponsibilityArea.objects.order_by("order").values_list("name", flat=True)) == [
        "Hjälpmedel",
        "Insatser enligt LSS",
    ]


def test_section_update_refuses_a_superseded_version(adopted, draft):
    adopt(draft)
    section = Section.objects.get(version=adopted, number="1")
    with pytest.raises(ValidationError, match="Version 1 är ersatt"):
        services.section_update(section=section, title="Ny", text="Ny text", by=None, reason="x")


def test_section_update_refuses_an_adopted_version(adopted):
    section = Section.objects.get(version=adopted, number="1")
    with pytest.raises(ValidationError):
        services.section_update(section=section, title="Ny", text="Ny text", by=None, reason="x")
    assert Section.objects.get(pk=section.pk).title == "Allmänt"


# Editing a draft


def test_duty_create_adds_a_duty_last_in_the_area_with_clean_text(draft):
    duty = services.duty_create(
        area=area_of(draft),
        side=Side.SHARED,
        text="  gemensam rutin \r\nför hjälpmedel  ",
        by=None,
        reason="x",
    )
    assert duty.text == "gemensam rutin\nför hjälpmedel"
    assert duty.version == draft
    assert list(area_of(draft).duties.order_by("order"))[-1] == duty


def test_duty_create_refuses_an_unknown_side(draft):
    with pytest.raises(ValidationError):
        services.duty_create(area=area_of(draft), side="kommunen", text="x", by=None, reason="x")


def test_area_move_swaps_an_area_with_its_neighbour(draft):
    services.area_move(area=area_of(draft, "Insatser enligt LSS"), up=True, by=None, reason="Ordning")
    names = ResponsibilityArea.objects.filter(version=draft).order_by("order").values_list("name", flat=True)
    assert list(names) == ["Insatser enligt LSS", "Hjälpmedel"]


def test_area_move_past_the_end_changes_nothing(draft):
    services.area_move(area=area_of(draft), up=True, by=None, reason="Ordning")
    names = ResponsibilityArea.objects.filter(version=draft).order_by("order").values_list("name", flat=True)
    assert list(names) == ["Hjälpmedel", "Insatser enligt LSS"]


def test_area_delete_removes_its_duties_and_their_references(draft):
    services.area_delete(area=area_of(draft), by=None, reason="Bort")
    assert Duty.objects.filter(version=draft).count() == 1
    assert LegalReference.objects.filter(version=draft).count() == 1


# Revisions


def test_revision_is_a_draft_numbered_one_higher_based_on_the_adopted_version(adopted, draft):
    assert draft.number == 2
    assert draft.status == AgreementVersion.Status.DRAFT
    assert draft.based_on == adopted
    assert adopted.agreement.versions.count() == 2


def content(version: AgreementVersion) -> dict:
    """The version's content without ids, to compare two versions."""
    return {
        "sections": [
            (s.number, s.title, s.text, s.parent.number if s.parent else None, s.order)
            for s in Section.objects.filter(version=version).select_related("parent").order_by("order")
        ],
        "groups": list(
            TargetGroup.objects.filter(version=version).values_list("key", "name", "section_number", "order")
        ),
        "areas": list(
            ResponsibilityArea.objects.filter(version=version)
            .order_by("order")
            .values_list("target_group__key", "name", "order")
        ),
        "duties": list(
            Duty.objects.filter(version=version)
            .order_by("area__order", "order")
            .values_list("area__name", "side", "text", "order")
        ),
        "references": sorted(
            LegalReference.objects.filter(version=version).values_list(
                "duty__text", "law__code", "chapter", "paragraph"
            )
        ),
        "development": list(
            DevelopmentArea.objects.filter(version=version).values_list("target_group__key", "name")
        ),
    }


def test_revision_copies_all_content_of_the_adopted_version(adopted, draft):
    copied = content(draft)
    assert copied == content(adopted)
    assert len(copied["sections"]) == 2
    assert len(copied["duties"]) == 3
    assert len(copied["references"]) == 3


def test_revision_content_belongs_to_the_draft_alone(adopted, draft):
    for model in (Section, TargetGroup, ResponsibilityArea, Duty, LegalReference, DevelopmentArea):
        old = set(model.objects.filter(version=adopted).values_list("pk", flat=True))
        new = set(model.objects.filter(version=draft).values_list("pk", flat=True))
        assert old and new and not old & new, model.__name__
    child = Section.objects.get(version=draft, number="1.1")
    assert child.parent.version_id == draft.pk
    for duty in Duty.objects.filter(version=draft).select_related("area__target_group"):
        assert duty.area.version_id == duty.area.target_group.version_id == draft.pk
    for reference in LegalReference.objects.filter(version=draft).select_related("duty"):
        assert reference.duty.version_id == draft.pk


def test_editing_a_revision_leaves_the_original_untouched(adopted, draft):
    before = content(adopted)
    services.duty_update(duty=duty_of(draft), side=Side.REGION, text="ändrad", by=None, reason="x")
    services.area_delete(area=area_of(draft, "Insatser enligt LSS"), by=None, reason="x")
    services.section_update(
        section=Section.objects.get(version=draft, number="1"), title="Ny", text="Ny", by=None, reason="x"
    )
    assert content(adopted) == before


def test_a_second_draft_is_refused(adopted, draft):
    with pytest.raises(ValidationError, match="redan ett utkast"):
        services.version_revision_create(agreement=adopted.agreement, by=None, reason="Igen")
    assert adopted.agreement.versions.count() == 2


def test_revision_is_attributed_to_its_author_with_the_reason(adopted, blekinge_editor):
    draft = services.version_revision_create(agreement=adopted.agreement, by=blekinge_editor, reason="Ny lag")
    assert draft.created_by == blekinge_editor
    record = draft.history.get()
    assert (record.history_user, record.history_change_reason) == (blekinge_editor, "Ny lag")
    duty_record = Duty.history.filter(version_id=draft.pk).first()
    assert (duty_record.history_user, duty_record.history_change_reason) == (blekinge_editor, "Ny lag")


# Adoption


def test_adopting_a_draft_supersedes_the_version_in_force(adopted, draft):
    adopt(draft)
    adopted.refresh_from_db()
    draft.refresh_from_db()
    assert adopted.status == AgreementVersion.Status.SUPERSEDED
    assert draft.status == AgreementVersion.Status.ADOPTED
    assert draft.decision_reference == "LSVO 2025-01-15 § 3"
    assert draft.adopted_on == draft.effective_from == date(2025, 1, 15)


def test_adoption_may_take_effect_later_than_the_decision(draft):
    services.version_adopt(
        version=draft,
        adopted_on=date(2025, 1, 15),
        effective_from=date(2025, 3, 1),
        decision_reference="LSVO § 3",
        change="Ändrad",
        by=None,
    )
    draft.refresh_from_db()
    assert draft.effective_from == date(2025, 3, 1)


def test_adoption_adds_a_change_log_entry_by_the_adopter(draft, blekinge_editor):
    adopt(draft, by=blekinge_editor)
    entry = ChangeLogEntry.objects.get(version=draft)
    assert (entry.date, entry.change) == (date(2025, 1, 15), "Ändrad")
    assert entry.made_by == blekinge_editor.get_full_name()


def test_adoption_requires_a_decision_reference(adopted, draft):
    with pytest.raises(ValidationError) as error:
        services.version_adopt(
            version=draft, adopted_on=date(2025, 1, 15), decision_reference="  ", change="Ändrad", by=None
        )
    assert "decision_reference" in error.value.message_dict
    draft.refresh_from_db()
    adopted.refresh_from_db()
    assert draft.status == AgreementVersion.Status.DRAFT
    assert adopted.status == AgreementVersion.Status.ADOPTED
    assert not ChangeLogEntry.objects.filter(version=draft).exists()


def test_adoption_requires_a_description_of_the_change(draft):
    with pytest.raises(ValidationError) as error:
        services.version_adopt(
            version=draft, adopted_on=date(2025, 1, 15), decision_reference="§ 3", change="", by=None
        )
    assert "change" in error.value.message_dict


def test_an_adopted_version_cannot_be_adopted_again(adopted):
    with pytest.raises(ValidationError):
        adopt(adopted)
    assert ChangeLogEntry.objects.filter(version=adopted).count() == 1


def test_adoption_freezes_the_version(draft):
    adopt(draft)
    draft.refresh_from_db()
    with pytest.raises(ValidationError):
        services.duty_update(duty=duty_of(draft), side=Side.REGION, text="sent", by=None, reason="x")
    with pytest.raises(IntegrityError, match=FROZEN), transaction.atomic():
        Duty.objects.filter(version=draft).update(text="sent")


def test_adoption_is_attributed_to_the_adopter_with_the_decision(adopted, draft, blekinge_editor):
    adopt(draft, by=blekinge_editor)
    for version in (draft, adopted):
        record = version.history.first()
        assert record.history_user == blekinge_editor
        assert record.history_change_reason == "Antagen: LSVO 2025-01-15 § 3"
    assert adopted.history.first().status == AgreementVersion.Status.SUPERSEDED


def test_a_new_revision_is_based_on_the_newly_adopted_version(adopted, draft):
    adopt(draft)
    third = services.version_revision_create(agreement=adopted.agreement, by=None, reason="Tredje")
    assert (third.number, third.based_on) == (3, draft)


# History


def test_duty_update_records_who_changed_it_and_why(draft, blekinge_editor):
    duty = services.duty_update(
        duty=duty_of(draft), side=Side.SHARED, text="gemensamt", by=blekinge_editor, reason="Förtydligat"
    )
    record = duty.history.first()
    assert record.history_type == "~"
    assert (record.history_user, record.history_change_reason) == (blekinge_editor, "Förtydligat")
    assert (record.side, record.text) == (Side.SHARED, "gemensamt")
    assert duty.history.last().text == "förskrivning av hjälpmedlen i särskilt boende"


def test_duty_create_and_delete_are_recorded_with_who_and_why(draft, blekinge_editor):
    duty = services.duty_create(
        area=area_of(draft), side=Side.REGION, text="nytt", by=blekinge_editor, reason="Nytt åtagande"
    )
    duty_id = duty.pk
    services.duty_delete(duty=duty, by=blekinge_editor, reason="Felskrivet")
    records = Duty.history.filter(id=duty_id).order_by("history_id")
    assert [(r.history_type, r.history_user, r.history_change_reason) for r in records] == [
        ("+", blekinge_editor, "Nytt åtagande"),
        ("-", blekinge_editor, "Felskrivet"),
    ]


def test_section_and_area_changes_are_recorded_with_who_and_why(draft, blekinge_editor):
    section = Section.objects.get(version=draft, number="1")
    services.section_update(
        section=section, title="Inledning", text="Ny", by=blekinge_editor, reason="Rubrik"
    )
    services.area_update(
        area=area_of(draft), name="Hjälpmedel och tekniska hjälpmedel", by=blekinge_editor, reason="Namn"
    )
    assert section.history.first().history_change_reason == "Rubrik"
    assert section.history.first().history_user == blekinge_editor
    assert (
        area_of(draft, "Hjälpmedel och tekniska hjälpmedel").history.first().history_change_reason == "Namn"
    )


def test_duty_moves_up_among_the_duties_of_its_side(db):
    from agreements import services as agreement_services
    from agreements.models import Duty as DutyModel
    from agreements.models import ResponsibilityArea as Area
    from tests.factories import agreement as make_agreement

    version = make_agreement()
    draft = agreement_services.version_revision_create(agreement=version.agreement, by=None, reason="r")
    area = Area.objects.get(version=draft, name="Hjälpmedel")
    area.version = draft
    added = agreement_services.duty_create(
        area=area, side="municipal", text="nytt åtagande", by=None, reason="r"
    )
    added.version = draft
    agreement_services.duty_move(duty=added, up=True, by=None, reason="Ändrad ordning")
    texts = list(
        DutyModel.objects.filter(area=area, side="municipal").order_by("order").values_list("text", flat=True)
    )
    assert texts == ["nytt åtagande", "förskrivning av hjälpmedlen i särskilt boende"]
