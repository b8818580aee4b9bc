"""The public statistics of deviations and disputes, against a dataset whose every figure is known.

Blekinge 2024 has seven deviations and one dispute about one agreement: three categories, two concerned
municipalities, levels 1–3, feedback after 2, 3, 4, 7, 8 and 10 days (median 5.5), one overdue. A Blekinge
case from 2023 and a Kalmar case from 2024 must not count.
"""

import csv
import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from agreements.models import ResponsibilityArea, Section
from deviations import charts, rollup, selectors
from deviations.models import Case, Category
from governance.models import Body
from tests.factories import BodyFactory, agreement, county, organisation, person

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = date(2025, 2, 1)
DUTY = "Åtagande har inte utförts"
UNREACHABLE = "Verksamheten gick inte att nå"
SIP = "SIP har inte påbörjats i tid"


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=STOCKHOLM)


def make_case(
    version,
    reporter,
    reported_at: datetime,
    *,
    concerned: tuple[str, ...] = ("1080",),
    kind: str = Case.Kind.DEVIATION,
    category: str | None = None,
    level: int = 1,
    section: str | None = None,
    area: str | None = None,
    feedback_days: float | None = None,
    state: str = Case.State.CLOSED,
    was_overdue: bool = False,
) -> Case:
    """A case straight through the ORM: the statistics read stored facts, not the services' workflow."""
    found_area = ResponsibilityArea.objects.get(version=version, name=area) if area else None
    feedback = reported_at + timedelta(days=feedback_days) if feedback_days is not None else None
    case = Case.objects.create(
        kind=kind,
        county=version.agreement.county,
        agreement=version.agreement,
        section=Section.objects.get(version=version, number=section) if section else None,
        area=found_area,
        target_group=found_area.target_group if found_area else None,
        reporting_organisation=organisation("R10" if version.agreement.county.code == "10" else "R08"),
        reported_by=reporter,
        reported_at=reported_at,
        category=Category.objects.get(county=None, name=category) if category else None,
        question=Case.Question.PAYMENT if kind == Case.Kind.DISPUTE else "",
        title="Hjälpmedel skrevs inte ut",
        description="Förskrivningen dröjde.",
        state=state,
        level=level,
        first_feedback_at=feedback,
        level_feedback_at=feedback,
        closed_at=feedback if state in (Case.State.CLOSED, Case.State.RESOLVED) else None,
        was_overdue=was_overdue,
    )
    case.concerned.set([organisation(code) for code in concerned])
    rollup.rebuild()  # written past the services, so the statistics' rollup is computed again
    return case


@pytest.fixture
def reporter(db):
    return person("R10", username="regina")


@pytest.fixture
def blekinge(db):
    return agreement()


@pytest.fixture
def dataset(blekinge, reporter):
    v = blekinge
    make_case(v, reporter, at(2024, 3, 4), category=DUTY, section="1", area="Hjälpmedel", feedback_days=2)
    make_case(v, reporter, at(2024, 3, 20), category=DUTY, section="1", area="Hjälpmedel", feedback_days=4)
    make_case(
        v,
        reporter,
        at(2024, 4, 2),
        concerned=("1081",),
        category=DUTY,
        level=2,
        section="1.1",
        area="Hjälpmedel",
        feedback_days=7,
    )
    make_case(
        v,
        reporter,
        at(2024, 5, 6),
        category=UNREACHABLE,
        level=2,
        section="1.1",
        area="Insatser enligt LSS",
        feedback_days=8,
        state=Case.State.INVESTIGATING,
    )
    make_case(
        v, reporter, at(2024, 6, 3), concerned=("1081",), category=UNREACHABLE, level=3, feedback_days=10
    )
    make_case(
        v,
        reporter,
        at(2024, 6, 24),
        concerned=("1080", "1081"),
        category=SIP,
        section="1",
        area="Insatser enligt LSS",
        state=Case.State.INVESTIGATING,
        was_overdue=True,
    )
    make_case(v, reporter, at(2024, 11, 11), concerned=("1081",), category=SIP, state=Case.State.REPORTED)
    make_case(
        v,
        reporter,
        at(2024, 12, 2),
        kind=Case.Kind.DISPUTE,
        level=3,
        section="1",
        area="Hjälpmedel",
        feedback_days=3,
        state=Case.State.RESOLVED,
    )
    # must not count: another year, another county
    make_case(v, reporter, at(2023, 6, 1), category=DUTY, section="1", area="Hjälpmedel", was_overdue=True)
    kalmar = agreement(county="08")
    make_case(kalmar, reporter, at(2024, 6, 1), concerned=("0880",), category=DUTY, was_overdue=True)


def stats_url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("deviations:statistics") + (f"?{query}" if query else "")


def flat(html: str) -> str:
    return re.sub(r"\s+", " ", html)


# --- the figures ------------------------------------------------------------------------------------


def test_statistics_count_every_figure_of_the_county_and_year_only(dataset):
    stats = selectors.statistics(county("10"), 2024, today=TODAY)
    assert (stats.total, stats.deviations, stats.disputes, stats.open, stats.overdue) == (8, 7, 1, 3, 1)
    assert stats.overdue_share == pytest.approx(0.125)
    assert stats.median_days_to_feedback == pytest.approx(5.5)
    assert stats.by_month == [(3, 2), (4, 1), (5, 1), (6, 2), (11, 1), (12, 1)]
    assert stats.by_category == [(DUTY, 3), (SIP, 2), (UNREACHABLE, 2)]
    assert stats.by_concerned == [("Karlskrona kommun", 5), ("Ronneby kommun", 4)]
    assert stats.by_section == [
        ("1 Allmänt", 4),
        ("1.1 Bakgrund – Vuxna med funktionsnedsättning", 2),
        ("–", 2),
    ]
    assert stats.by_level == [(1, 4), (2, 2), (3, 2)]
    assert stats.by_area == [
        ("Vuxna med funktionsnedsättning", "Hjälpmedel", 4),
        ("Vuxna med funktionsnedsättning", "Insatser enligt LSS", 2),
    ]


def test_the_whole_country_counts_every_county_of_the_year(dataset):
    national = selectors.statistics(None, 2024, today=TODAY)
    blekinge = selectors.statistics(county("10"), 2024, today=TODAY)
    assert national.county is None
    assert (national.total, national.deviations, national.overdue) == (9, 8, 2)  # Blekinge's and Kalmar's
    assert ("Kalmar kommun", 1) in national.by_concerned and ("Kalmar kommun", 1) not in blekinge.by_concerned
    assert national == selectors.statistics_live(None, 2024, today=TODAY)


def test_a_year_without_cases_has_zeros_and_no_median(dataset):
    stats = selectors.statistics(county("10"), 2022, today=TODAY)
    assert (stats.total, stats.overdue_share, stats.median_days_to_feedback) == (0, None, None)
    assert stats.by_category == [] and stats.by_area == []


def test_bar_chart_scales_the_longest_bar_and_stacks_rows():
    chart = charts.bar_chart([("Karlskrona kommun", 4), ("Ronneby kommun", 2), ("Olofström", 0)])
    assert [bar.width for bar in chart.bars] == ["85.00%", "42.50%", "0.00%"]
    assert [bar.bar_y for bar in chart.bars] == [22, 66, 110]
    assert (chart.height, chart.total, chart.maximum) == (132, 6, 4)
    assert chart.leaders == "Karlskrona kommun"
    assert charts.bar_chart([("a", 2), ("b", 1), ("c", 2)]).leaders == "a och c"
    assert charts.bar_chart([]).leaders == ""


def test_heat_shades_are_proportional_and_the_legend_covers_every_count():
    assert [charts.heat_level(n, 10) for n in (0, 1, 2, 3, 5, 9, 10)] == [0, 1, 1, 2, 3, 5, 5]
    rows = charts.heat_rows([("Vuxna", "LSS", 1), ("Barn", "Hjälpmedel", 4)])
    assert [(row.area, row.level) for row in rows] == [("Hjälpmedel", 5), ("LSS", 2)]
    legend = charts.heat_legend(rows)
    assert legend == [(2, 1, 1), (3, 2, 2), (4, 3, 3), (5, 4, 4)]
    for n in range(1, 5):
        assert [level for level, low, high in legend if low <= n <= high] == [charts.heat_level(n, 4)]


def _luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_heat_shade_keeps_text_contrast_of_at_least_4_5():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    shades = re.findall(r"\.heat-(\d) \{ background: (#[0-9a-f]+); color: (#[0-9a-f]+); \}", css)
    assert sorted(level for level, _bg, _fg in shades) == ["0", "1", "2", "3", "4", "5"]
    for level, background, text in shades:
        light, dark = sorted([_luminance(background), _luminance(text)], reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, f"heat-{level}"


# --- the page ---------------------------------------------------------------------------------------


def test_cached_statistics_are_counted_again_after_the_daily_overdue_flagging(
    client, dataset, blekinge, reporter, page_cache, django_capture_on_commit_callbacks
):
    from deviations.services import overdue_cases_flag

    url = stats_url(lan="10", ar="2024")
    assert "<dt>Ärenden totalt</dt><dd>8</dd>" in flat(client.get(url).content.decode())
    late = make_case(blekinge, reporter, at(2024, 11, 1), state=Case.State.REPORTED)
    Case.objects.filter(pk=late.pk).update(level_started_at=at(2024, 11, 1), start_due=date(2024, 11, 15))
    assert client.get(url)["X-Page-Cache"] == "early"  # nothing through the portal yet
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_cases_flag(today=date(2024, 12, 1)) == 1
    page = client.get(url)
    assert "X-Page-Cache" not in page
    assert "<dt>Ärenden totalt</dt><dd>9</dd>" in flat(page.content.decode())


def test_anonymous_visitor_sees_key_figures_and_every_dimension_as_a_table(client, dataset):
    response = client.get(stats_url(lan="10", ar="2024"))
    assert response.status_code == 200
    html = flat(response.content.decode())
    assert "Avvikelser och tvister 2024 – Blekinge län" in html
    assert "<dt>Ärenden totalt</dt><dd>8</dd>" in html
    assert "<dt>Avvikelser</dt><dd>7</dd>" in html and "<dt>Tvister</dt><dd>1</dd>" in html
    assert "12,5&nbsp;%" in html and "5,5 dagar" in html
    for label, n in [
        ("Mars", 2),
        ("Juni", 2),
        (DUTY, 3),
        (SIP, 2),
        ("Karlskrona kommun", 5),
        ("Ronneby kommun", 4),
        ("1 Allmänt", 4),
        ("Ej angivet", 2),
        ("Nivå 1", 4),
        ("Nivå 3", 2),
    ]:
        assert f'<tr><th scope="row">{label}</th><td class="num">{n}</td></tr>' in html, label
    assert html.count('role="img"') == 5 and html.count("<caption>") == 5
    assert 'aria-labelledby="chart-category-title chart-category-desc"' in html
    assert f"Högst: {DUTY} med 3." in html
    assert "Högst: Mars och Juni med 2. Summa 8." in html
    assert reverse("deviations:statistics_csv", args=["10", 2024]) in html
    assert reverse("deviations:statistics_pdf", args=["10", 2024]) in html
    assert reverse("deviations:heat", args=["10", 2024]) in html


def test_page_shows_only_aggregates_never_a_case(client, dataset):
    html = client.get(stats_url(lan="10", ar="2024")).content.decode()
    assert "Hjälpmedel skrevs inte ut" not in html and "Förskrivningen dröjde" not in html
    assert "A-2024-" not in html


def test_page_has_no_inline_styles_or_scripts(client, dataset):
    html = client.get(stats_url(lan="10", ar="2024")).content.decode()
    assert "style=" not in html and "<script>" not in html


def test_official_starts_in_their_own_county_and_the_public_in_blekinge(client, dataset, kalmar_official):
    year = str(date.today().year)
    assert "Blekinge län" in client.get(stats_url()).content.decode().split("<h1>")[1].split("</h1>")[0]
    client.force_login(kalmar_official)
    heading = client.get(stats_url()).content.decode().split("<h1>")[1].split("</h1>")[0]
    assert "Kalmar län" in heading and year in heading


def test_a_year_without_cases_says_so(client, dataset):
    html = flat(client.get(stats_url(lan="10", ar="2021")).content.decode())
    assert "Inga avvikelser eller tvister anmäldes i Blekinge län under 2021." in html
    assert 'role="img"' not in html


@pytest.mark.parametrize("params", [{"lan": "99"}, {"lan": "10", "ar": "1999"}, {"lan": "10", "ar": "2101"}])
def test_unknown_county_or_year_out_of_range_is_not_found(client, db, params):
    assert client.get(stats_url(**params)).status_code == 404


def test_a_year_that_is_not_a_number_is_not_found(client, db):
    assert client.get(stats_url(lan="10", ar="tjugo")).status_code == 404


def _cases(version, reporter, count: int) -> None:
    categories = [DUTY, SIP, UNREACHABLE]
    for i in range(count):
        make_case(
            version,
            reporter,
            at(2024, 1 + i % 12, 1 + i % 28),
            concerned=("1080", "1081")[: 1 + i % 2],
            category=categories[i % 3],
            level=1 + i % 3,
            section=("1", "1.1")[i % 2],
            area=("Hjälpmedel", "Insatser enligt LSS")[i % 2],
            feedback_days=i % 9,
        )


@pytest.mark.parametrize("count", [5, 50])
def test_page_query_count_does_not_grow_with_the_cases(
    client, blekinge, reporter, count, django_assert_num_queries
):
    _cases(blekinge, reporter, count)
    # the county, the groupings in one pass, the median, the names of categories, sections and areas,
    # the concerned organisations, the counties for the picker
    with django_assert_num_queries(8):
        response = client.get(stats_url(lan="10", ar="2024"))
    assert response.status_code == 200
    assert f"<dt>Ärenden totalt</dt><dd>{count}</dd>" in flat(response.content.decode())


def test_the_whole_country_has_its_page_and_csv_but_no_county_report(client, dataset):
    html = flat(client.get(stats_url(lan="riket", ar="2024")).content.decode())
    assert "<h1>Avvikelser och tvister 2024 – Hela landet</h1>" in html
    assert '<option value="riket" selected>Hela landet</option>' in html
    assert "<dt>Ärenden totalt</dt><dd>9</dd>" in html
    assert reverse("deviations:statistics_csv", args=["riket", 2024]) in html
    assert "/statistik/riket/2024.pdf" not in html and "/omraden/" not in html  # the county's own
    csv_text = client.get(reverse("deviations:statistics_csv", args=["riket", 2024])).content.decode()
    assert "Ärenden totalt;9" in csv_text
    assert client.get(reverse("deviations:statistics_pdf", args=["riket", 2024])).status_code == 404
    assert client.get(reverse("deviations:heat", args=["riket", 2024])).status_code == 404


# --- downloads and the heat view --------------------------------------------------------------------


def test_csv_opens_in_swedish_excel_and_has_every_figure(client, dataset):
    response = client.get(reverse("deviations:statistics_csv", args=["10", 2024]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="avvikelser-10-2024.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["Indelning", "Värde", "Antal"]
    for row in [
        ["Nyckeltal", "Ärenden totalt", "8"],
        ["Nyckeltal", "Avvikelser", "7"],
        ["Nyckeltal", "Tvister", "1"],
        ["Nyckeltal", "Fortfarande öppna", "3"],
        ["Nyckeltal", "Andel som blivit försenade (%)", "12,5"],
        ["Nyckeltal", "Mediantid till första återkoppling (dagar)", "5,5"],
        ["Per månad", "Mars", "2"],
        ["Avvikelser per kategori", DUTY, "3"],
        ["Per berörd organisation", "Ronneby kommun", "4"],
        ["Per avsnitt i överenskommelsen", "1.1 Bakgrund – Vuxna med funktionsnedsättning", "2"],
        ["Per nivå som nåtts i eskaleringstrappan", "Nivå 2", "2"],
        ["Målgrupp och ansvarsområde", "Vuxna med funktionsnedsättning – Hjälpmedel", "4"],
    ]:
        assert row in rows, row
    assert len([row for row in rows if row[0] == "Per månad"]) == 12


def test_csv_does_not_let_a_name_become_an_excel_formula(client, blekinge, reporter):
    Category.objects.filter(name=DUTY).update(name="@SUM(A1)")
    make_case(blekinge, reporter, at(2024, 3, 4), category="@SUM(A1)")
    body = client.get(reverse("deviations:statistics_csv", args=["10", 2024])).content.decode()
    assert ";'@SUM(A1);1" in body


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_yearly_report_pdf_is_addressed_to_the_political_body(client, dataset):
    BodyFactory(
        name="Politisk samverkansberedning vård och omsorg", abbreviation="PSVO", level=Body.Level.POLITICAL
    )
    response = client.get(reverse("deviations:statistics_pdf", args=["10", 2024]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Årsredovisning av avvikelser och tvister 2024 – Blekinge län" in text
    assert "Till Politisk samverkansberedning vård och omsorg" in text
    assert "Under 2024 anmäldes 8 ärenden: 7 avvikelser och 1 tvist." in text
    assert f"Flest avvikelser gällde {DUTY} (3)" in text
    assert "Hjälpmedel – Vuxna med funktionsnedsättning (4)" in text
    assert "12,5 % av ärendena (1 ärende) blev försenade" in text
    assert "5,5 dagar" in text
    assert PdfReader(io.BytesIO(response.content)).metadata.title.startswith("Årsredovisning")


def test_yearly_report_without_a_political_body_uses_generic_wording(client, dataset):
    text = pdf_text(client.get(reverse("deviations:statistics_pdf", args=["10", 2024])).content)
    assert "Till den politiska samverkansnivån i länet" in text


def test_heat_view_lists_areas_by_count_with_the_count_as_text(client, dataset):
    response = client.get(reverse("deviations:heat", args=["10", 2024]))
    assert response.status_code == 200
    html = flat(response.content.decode())
    group = "<td>Vuxna med funktionsnedsättning</td>"
    hjalpmedel = f'<th scope="row">Hjälpmedel</th>{group}<td class="num heat-5">4</td>'
    lss = f'<th scope="row">Insatser enligt LSS</th>{group}<td class="num heat-3">2</td>'
    assert hjalpmedel in html and lss in html
    assert html.index(hjalpmedel) < html.index(lss)
    assert "2 ärenden saknar angivet ansvarsområde" in html


@pytest.mark.parametrize(
    ("name", "code", "year"),
    [
        (name, code, year)
        for name in ("statistics_csv", "statistics_pdf", "heat")
        for code, year in (("99", 2024), ("10", 1999), ("10", 2101))
    ],
)
def test_downloads_and_heat_view_are_not_found_for_unknown_county_or_year(client, db, name, code, year):
    assert client.get(reverse(f"deviations:{name}", args=[code, year])).status_code == 404


def test_the_median_is_rounded_once_so_page_csv_and_report_say_the_same(client, blekinge, reporter):
    make_case(blekinge, reporter, at(2024, 3, 4), category=DUTY, feedback_days=15.45)
    make_case(blekinge, reporter, at(2024, 3, 5), category=DUTY, feedback_days=15.45, was_overdue=True)
    make_case(blekinge, reporter, at(2024, 3, 6), category=DUTY, feedback_days=15.45)
    page = flat(client.get(stats_url(lan="10", ar="2024")).text)
    csv_body = client.get(reverse("deviations:statistics_csv", args=["10", 2024])).content.decode()
    report = pdf_text(client.get(reverse("deviations:statistics_pdf", args=["10", 2024])).content)
    assert "15,5 dagar" in page and "33,3" in page
    assert "Mediantid till första återkoppling (dagar);15,5" in csv_body
    assert "Andel som blivit försenade (%);33,3" in csv_body
    assert "15,5 dagar" in report and "33,3 %" in report


def test_sections_with_the_same_title_are_named_by_their_target_group(reporter):
    version = agreement(status="draft")  # adopted content is frozen
    from agreements.models import TargetGroup

    first = Section.objects.get(version=version, number="1")
    for number, group in (("2", "Barn och unga"), ("3", "Personer i psykiatrisk tvångsvård")):
        Section.objects.create(version=version, order=int(number) * 10, number=number, title=group)
        Section.objects.create(
            version=version, order=int(number) * 10 + 1, number=f"{number}.3", title="Ansvarsfördelning"
        )
        TargetGroup.objects.create(version=version, key=f"g{number}", name=group, section_number=number)
    Section.objects.create(version=version, order=5, number="1.3", title="Ansvarsfördelning", parent=first)
    for number in ("1.3", "2.3", "3.3"):
        make_case(version, reporter, at(2024, 3, 4), category=DUTY, section=number)
    labels = [label for label, _n in selectors.statistics(county("10"), 2024, today=TODAY).by_section]
    assert sorted(labels) == [
        "1.3 Ansvarsfördelning – Vuxna med funktionsnedsättning",
        "2.3 Ansvarsfördelning – Barn och unga",
        "3.3 Ansvarsfördelning – Personer i psykiatrisk tvångsvård",
    ]


def test_the_index_of_open_unflagged_cases_names_the_final_states():
    from deviations.models import FINAL_STATES, Case

    [index] = [i for i in Case._meta.indexes if i.name == "case_open_unflagged"]
    assert f"('state__in', {[str(s) for s in FINAL_STATES]!r})" in str(index.condition)
