from datetime import date

import pytest

from agreements import services
from agreements.importer import parse_data
from agreements.models import AgreementVersion, Duty, ResponsibilityArea, Side
from agreements.search import swedish_query, word_variants
from agreements.selectors import duty_search
from tests.factories import agreement, agreement_data

HJALPMEDLEN = "förskrivning av hjälpmedlen i särskilt boende"
ORDINARY = "personer i ordinärt boende utan hemsjukvård"


def imported(data: dict) -> AgreementVersion:
    parsed = parse_data(data, "test.yaml")
    return services.agreement_version_import(parsed=parsed, source="test.yaml", by=None)


def agreement_with_neutral_area_name(
    *, title: str = "Överenskommelse om samarbete", region_text: str = ORDINARY
):
    """The factory's agreement with the assistive-devices row renamed, so matches come from duty texts."""
    data = agreement_data(title=title)
    area = data["version"]["target_groups"][0]["responsibility_areas"][0]
    area["name"] = "Förskrivning"
    area["duties"][1]["text"] = region_text
    return imported(data)


def matched_texts(groups) -> set[str]:
    return {
        duty.text
        for group in groups
        for hit in group.hits
        for duty in (*hit.municipal, *hit.region, *hit.shared)
        if duty.pk in hit.matched
    }


# Word forms


@pytest.mark.parametrize(
    ("word", "variants"),
    [
        ("hjälpmedel", ["hjälpmedel", "hjälpmedl"]),
        ("Hjälpmedel", ["hjälpmedel", "hjälpmedl"]),
        ("nycklar", ["nycklar", "nyckel"]),
        ("SIP", ["sip"]),
        ("vård", ["vård"]),
    ],
)
def test_word_variants_add_the_form_with_or_without_the_unstressed_e(word, variants):
    assert word_variants(word) == variants


def test_word_variants_of_an_inflected_form_include_the_base_form():
    assert "hjälpmedel" in word_variants("hjälpmedlen")
    assert word_variants("hjälpmedlen")[0] == "hjälpmedlen"


def test_a_query_without_words_is_none():
    assert swedish_query("  – ! ") is None
    assert swedish_query("7") is None


# Stemming against the stored duties


def test_searching_hjalpmedel_finds_a_duty_that_says_hjalpmedlen(db, anonymous):
    agreement_with_neutral_area_name()
    groups = duty_search(anonymous, "hjälpmedel")
    assert matched_texts(groups) == {HJALPMEDLEN}


def test_searching_hjalpmedlen_finds_a_duty_that_says_hjalpmedel(db, anonymous):
    agreement_with_neutral_area_name(region_text="hjälpmedel till personer i ordinärt boende")
    groups = duty_search(anonymous, "hjälpmedlen")
    assert matched_texts(groups) == {HJALPMEDLEN, "hjälpmedel till personer i ordinärt boende"}


def test_an_area_name_that_matches_brings_the_row_but_marks_only_the_duties_that_match(db, anonymous):
    agreement()
    [group] = duty_search(anonymous, "hjälpmedel")
    [hit] = group.hits
    assert hit.area.name == "Hjälpmedel"
    assert [d.text for d in hit.region] == [ORDINARY]
    assert matched_texts([group]) == {HJALPMEDLEN}


def test_an_area_name_alone_is_enough_to_find_the_row(db, anonymous):
    data = agreement_data()
    data["version"]["target_groups"][0]["responsibility_areas"].append(
        {"name": "Tolkning", "duties": [{"side": "region", "text": "ordnas vid besök"}]}
    )
    imported(data)
    [group] = duty_search(anonymous, "tolkningen")
    [hit] = group.hits
    assert (hit.area.name, [d.text for d in hit.region], hit.matched) == (
        "Tolkning",
        ["ordnas vid besök"],
        set(),
    )


def test_when_not_every_word_matches_any_word_may(db, anonymous):
    agreement_with_neutral_area_name()
    assert matched_texts(duty_search(anonymous, "hjälpmedlen xylofon")) == {HJALPMEDLEN}


def test_a_word_that_is_nowhere_finds_nothing(db, anonymous):
    agreement()
    assert duty_search(anonymous, "xylofonen") == []


def test_an_empty_search_finds_nothing(db, anonymous):
    agreement()
    assert duty_search(anonymous, " ") == []


# Shape of the results


def test_results_are_grouped_by_version_and_target_group(db, anonymous):
    first = agreement_with_neutral_area_name(title="Första överenskommelsen")
    second = agreement_with_neutral_area_name(title="Andra överenskommelsen")
    groups = duty_search(anonymous, "hjälpmedel")
    assert {(g.version, g.target_group.key) for g in groups} == {(first, "vuxna"), (second, "vuxna")}
    for group in groups:
        assert group.target_group.version_id == group.version.pk
        assert [hit.area.name for hit in group.hits] == ["Förskrivning"]


def test_a_hit_is_the_whole_row_with_both_sides_and_marks_the_matching_duty(db, anonymous):
    version = agreement_with_neutral_area_name()
    [group] = duty_search(anonymous, "ordinärt")
    [hit] = group.hits
    assert hit.area == ResponsibilityArea.objects.get(version=version, name="Förskrivning")
    assert [d.text for d in hit.municipal] == [HJALPMEDLEN]
    assert [d.text for d in hit.region] == [ORDINARY]
    assert hit.shared == []
    assert hit.matched == {Duty.objects.get(text=ORDINARY).pk}


def test_headline_marks_the_matched_word(db, anonymous):
    agreement_with_neutral_area_name()
    [group] = duty_search(anonymous, "hjälpmedel")
    duty = Duty.objects.get(text=HJALPMEDLEN)
    assert group.hits[0].headlines[duty.pk] == "förskrivning av <mark>hjälpmedlen</mark> i särskilt boende"


def test_html_in_a_duty_is_escaped_in_the_headline(db, anonymous):
    version = agreement()
    draft = services.version_revision_create(agreement=version.agreement, by=None, reason="Test")
    area = ResponsibilityArea.objects.get(version=draft, name="Insatser enligt LSS")
    duty = services.duty_create(
        area=area, side=Side.SHARED, text="<script>alert(1)</script> hjälpmedel", by=None, reason="Test"
    )
    services.version_adopt(
        version=draft, adopted_on=date(2025, 1, 1), decision_reference="§ 1", change="Test", by=None
    )
    headlines = {
        pk: text
        for group in duty_search(anonymous, "hjälpmedel")
        for hit in group.hits
        for pk, text in hit.headlines.items()
    }
    assert headlines[duty.pk] == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>hjälpmedel</mark>"
    assert all("<script>" not in text for text in headlines.values())


# Which versions are searched


def test_drafts_are_not_searched_for_the_public(db, anonymous):
    agreement(status="draft")
    assert duty_search(anonymous, "hjälpmedlen") == []
    assert duty_search(anonymous, "hjälpmedlen", include_history=True) == []


def test_drafts_are_not_searched_by_default_even_for_their_editor(db, blekinge_editor):
    agreement(status="draft")
    assert duty_search(blekinge_editor, "hjälpmedlen") == []


def superseded_by_revision_without(word_text: str) -> AgreementVersion:
    """Version 1, superseded by a version 2 in which the duty ``word_text`` has been reworded."""
    first = agreement()
    draft = services.version_revision_create(agreement=first.agreement, by=None, reason="Test")
    services.duty_update(
        duty=Duty.objects.get(version=draft, text=word_text),
        side=Side.MUNICIPAL,
        text="förskrivning av hjälpmedlen i vård- och omsorgsboende",
        by=None,
        reason="Test",
    )
    services.version_adopt(
        version=draft, adopted_on=date(2025, 1, 1), decision_reference="§ 1", change="Test", by=None
    )
    first.refresh_from_db()
    return first


def test_superseded_versions_are_not_searched_by_default(db, anonymous):
    superseded_by_revision_without(HJALPMEDLEN)
    assert duty_search(anonymous, "särskilt") == []


def test_include_history_finds_superseded_versions(db, anonymous):
    first = superseded_by_revision_without(HJALPMEDLEN)
    [group] = duty_search(anonymous, "särskilt", include_history=True)
    assert group.version == first
    assert group.version.status == AgreementVersion.Status.SUPERSEDED
    assert matched_texts([group]) == {HJALPMEDLEN}


def test_include_history_finds_both_versions_of_an_unchanged_duty(db, anonymous):
    superseded_by_revision_without(HJALPMEDLEN)
    groups = duty_search(anonymous, "ordinärt", include_history=True)
    assert sorted(g.version.number for g in groups) == [1, 2]


# Questions, synonyms and ranking


def _with_duties(*duties: tuple[int, str, str]) -> AgreementVersion:
    """The factory's agreement with more duties: (area index, side, text)."""
    data = agreement_data()
    areas = data["version"]["target_groups"][0]["responsibility_areas"]
    for index, side, text in duties:
        areas[index]["duties"].append({"side": side, "text": text})
    return imported(data)


def test_question_words_are_left_out_of_a_search():
    from agreements.search import query_words

    assert query_words("Vem ansvarar för LVM?") == ["LVM"]
    assert query_words("vad gäller som är") == ["vad", "gäller", "som", "är"]  # nothing else to search


def test_a_question_finds_what_it_asks_about_and_not_its_question_words(db, anonymous):
    _with_duties(
        (0, "municipal", "kommunen ansvarar för bostadsanpassning"),
        (1, "municipal", "bedömning inför anmälan enligt LVM"),
    )
    groups = duty_search(anonymous, "vem ansvarar för LVM")
    assert matched_texts(groups) == {"bedömning inför anmälan enligt LVM"}


def test_a_known_synonym_of_the_field_is_found(db, anonymous):
    from agreements.search import synonyms_of

    _with_duties((1, "municipal", "abstinensbehandling i slutenvård"))
    assert matched_texts(duty_search(anonymous, "avgiftning")) == {"abstinensbehandling i slutenvård"}
    assert "beroende" in synonyms_of("missbruk") and "missbruk" in synonyms_of("Beroende")


def test_a_row_with_an_empty_side_is_never_ranked_first(db, anonymous):
    # "Insatser enligt LSS" has no duty on the region's side; its duty names LSS twice and ranks higher
    data = agreement_data()
    areas = data["version"]["target_groups"][0]["responsibility_areas"]
    areas[1]["duties"][0]["text"] = "insatser enligt LSS och LSS 9 §"
    areas[0]["duties"].append({"side": "region", "text": "stöd enligt LSS vid behov"})
    imported(data)
    hits = [hit for group in duty_search(anonymous, "LSS") for hit in group.hits]
    assert [hit.area.name for hit in hits] == ["Hjälpmedel", "Insatser enligt LSS"]
    assert hits[0].municipal and hits[0].region
