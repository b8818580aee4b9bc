"""What the portal says about an agreement over time: a version adopted for a later day is not in force
before that day, and an automatic extension that has taken effect moves the current period, its end and
its next notice deadline, on every page, in the API and in the notice watch.

Today is fixed at 3 December 2026. The factory's agreement has Blekinge's terms: valid 2023-06-01 –
2026-12-31, 12 months' notice, extended by 2 years at a time; nobody gave notice by 2025-12-31, so it runs
to 2028-12-31 and the next notice deadline is 2027-12-31.
"""

import io
import re
import time
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from pypdf import PdfReader

from agreements import pdf, selectors, services
from agreements.models import Agreement, AgreementVersion, Duty, Law, ResponsibilityArea
from agreements.notices import notice_alerts_send
from agreements.validity import VersionState
from samverkan.permissions import AnyUser
from tests.factories import agreement

TODAY = date(2026, 12, 3)
API = "/api/v1"
NEW_DUTY = "samordnad individuell plan inom tre veckor"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def adopted(db) -> AgreementVersion:
    return agreement()


@pytest.fixture
def draft(adopted) -> AgreementVersion:
    draft = services.version_revision_create(agreement=adopted.agreement, by=None, reason="Revidering")
    area = ResponsibilityArea.objects.get(version=draft, name="Hjälpmedel")
    services.duty_create(area=area, side="region", text=NEW_DUTY, by=None, reason="Nytt")
    return draft


@pytest.fixture
def pending(draft) -> AgreementVersion:
    """Version 2, adopted on 20 November 2026 to take effect on 1 January 2027."""
    return services.version_adopt(
        version=draft,
        adopted_on=date(2026, 11, 20),
        effective_from=date(2027, 1, 1),
        decision_reference="LSVO 2026-11-20 § 7",
        change="Ny ansvarsfördelning",
        by=None,
    )


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


# A version adopted for a later day


def test_adopting_a_version_for_a_later_day_says_when_it_takes_effect(login, blekinge_editor, draft):
    client = login(blekinge_editor)
    response = client.post(
        reverse("agreements:adopt", args=[draft.agreement_id, draft.number]),
        {
            "adopted_on": "2026-11-20",
            "effective_from": "2027-01-01",
            "decision_reference": "LSVO 2026-11-20 § 7",
            "change": "Ny ansvarsfördelning",
        },
        follow=True,
    )
    html = re.sub(r"\s+", " ", response.content.decode())
    assert "gäller nu" not in html
    assert "Version 2 är antagen och gäller från 1 januari 2027. Till dess gäller version 1." in html


def test_adopting_a_version_from_today_says_it_is_in_force(login, blekinge_editor, draft):
    client = login(blekinge_editor)
    data = {"adopted_on": "2026-12-03", "decision_reference": "LSVO § 7", "change": "Ändrad"}
    response = client.post(reverse("agreements:adopt", args=[draft.agreement_id, 2]), data, follow=True)
    assert "Version 2 är antagen och gäller nu." in response.content.decode()


def test_agreement_page_shows_the_version_in_force_until_the_adopted_one_takes_effect(client, pending):
    html = page(client, reverse("agreements:detail", args=[pending.agreement_id]))
    assert "Version 1 · Gällande" in html
    assert "Version 2</a> – Antagen, gäller från 1 januari 2027" in html
    assert "Ersatt" not in html


def test_agreement_page_on_a_day_before_the_effective_date_shows_the_version_then_in_force(client, pending):
    url = reverse("agreements:detail", args=[pending.agreement_id]) + "?datum=2026-12-15"
    html = page(client, url)
    assert "Version 1 · Gällande" in html
    assert "Ersatt" not in html
    html = page(client, reverse("agreements:detail", args=[pending.agreement_id]) + "?datum=2027-01-01")
    assert "Version 2 · Gällande" in html
    assert "Version 1</a> – Ersatt" in html


def test_the_pending_version_page_says_it_is_not_yet_in_force(client, pending):
    html = page(client, pending.get_absolute_url())
    assert "Version 2 · Antagen, gäller från 1 januari 2027" in html
    assert "gäller först från 1 januari 2027" in html
    assert "Till dess gäller version 1" in html


def test_responsibility_table_of_the_pending_version_says_so(client, pending):
    html = page(client, reverse("agreements:table", args=[pending.agreement_id, 2, "vuxna"]))
    assert "version 2 (Antagen, gäller från 1 januari 2027)" in html
    html = page(client, reverse("agreements:table", args=[pending.agreement_id, 1, "vuxna"]))
    assert "version 1 (Gällande)" in html


def test_search_looks_in_the_version_in_force_not_in_one_adopted_for_a_later_day(anonymous, pending):
    assert selectors.duty_search(anonymous, "individuell plan") == []
    [group] = selectors.duty_search(anonymous, "hjälpmedel")
    assert group.version.number == 1
    [group] = selectors.duty_search(anonymous, "individuell plan", day=date(2027, 1, 1))
    assert group.version.number == 2


def test_law_index_and_comparison_read_the_version_in_force(anonymous: AnyUser, pending):
    hsl = Law.objects.get(code="HSL")
    references = selectors.law_references(anonymous, hsl)
    assert {ref.version.number for ref in references} == {1}
    assert selectors.laws_with_counts(anonymous).get(code="HSL").duty_count == 2
    rows = selectors.area_across_counties(anonymous, "Hjälpmedel")
    assert [row.area.version.number for row in rows] == [1]
    assert [
        row.area.version.number
        for row in selectors.area_across_counties(anonymous, "Hjälpmedel", day=date(2027, 1, 1))
    ] == [2]


def test_api_says_which_version_is_in_force_and_which_is_pending(client, pending):
    detail = client.get(f"{API}/agreements/{pending.agreement_id}").json()
    assert detail["current_version"]["number"] == 1
    assert detail["current_version"]["status"] == "in_force"
    assert detail["version_in_force"]["number"] == 1
    assert [(v["number"], v["status"]) for v in detail["versions"]] == [(2, "pending"), (1, "in_force")]
    [item] = client.get(f"{API}/agreements").json()["items"]
    assert item["current_version"]["number"] == 1
    groups = client.get(f"{API}/target-groups").json()["items"]
    assert [(g["version"], g["version_status"]) for g in groups] == [(1, "in_force")]
    assert client.get(f"{API}/search?q=individuell plan").json()["groups"] == []
    later = client.get(f"{API}/agreements/{pending.agreement_id}?on=2027-01-01").json()
    assert [(v["number"], v["status"]) for v in later["versions"]] == [(2, "in_force"), (1, "superseded")]


def test_api_version_detail_labels_the_pending_version(client, pending):
    version = client.get(f"{API}/agreements/{pending.agreement_id}/versions/2").json()
    assert version["status"] == "pending"
    assert version["effective_from"] == "2027-01-01"


def test_pdf_cover_gives_the_effective_date(pending):
    cover = PdfReader(io.BytesIO(pdf.render_version_pdf(pending))).pages[0].extract_text()
    assert "gäller från 2027-01-01" in re.sub(r"\s+", " ", cover)


def test_pdf_cover_gives_the_first_period_of_an_extended_agreement_as_the_first_period(adopted):
    cover = re.sub(
        r"\s+", " ", PdfReader(io.BytesIO(pdf.render_version_pdf(adopted))).pages[0].extract_text()
    )
    assert "Första period 2023-06-01 – 2026-12-31" in cover
    assert "förlängs med 2 år i taget" in cover


def test_only_a_version_in_force_can_have_deviations_reported_against_its_table(
    login, karlskrona_official, pending
):
    client = login(karlskrona_official)
    response = client.get(reverse("agreements:table", args=[pending.agreement_id, 2, "vuxna"]))
    assert response.context["duty_actions"] == []


# An automatic extension that has taken effect


def test_state_follows_the_extension_once_the_notice_deadline_has_passed(adopted):
    state = adopted.agreement.state_on(TODAY)
    assert state.period_end == date(2028, 12, 31)
    assert state.next_notice_deadline == date(2027, 12, 31)
    assert state.version_in_force == adopted
    assert state.state_of(adopted) == VersionState.IN_FORCE


def test_list_shows_the_end_of_the_extended_period_and_the_short_title(client, adopted):
    Agreement.objects.filter(pk=adopted.agreement_id).update(short_title="Samverkan Blekinge")
    html = page(client, reverse("agreements:list"))
    assert "Samverkan Blekinge</a>" in html
    assert "31 december 2028" in html
    assert "31 december 2026" not in html


def test_agreement_page_shows_the_current_period_and_next_notice_deadline_after_an_extension(client, adopted):
    html = page(client, reverse("agreements:detail", args=[adopted.agreement_id]))
    assert re.search(r"Nuvarande period slutar</dt> ?<dd>31 december 2028", html)
    assert re.search(r"Säg upp senast</dt> ?<dd>31 december 2027", html)


def test_api_period_end_and_notice_deadline_follow_the_extension(client, adopted):
    [item] = client.get(f"{API}/agreements").json()["items"]
    assert item["validity_today"]["period_end"] == "2028-12-31"
    assert item["validity_today"]["notice_deadline"] == "2027-12-31"
    assert item["validity_today"]["status"] == "extended"


def test_notice_watch_lists_the_next_deadline_of_the_extended_period(login, blekinge_editor, adopted):
    html = page(login(blekinge_editor), reverse("agreements:notice_watch"))
    assert "31 december 2027" in html
    assert "Inget att bevaka" not in html


def test_notice_alerts_remind_of_the_next_deadline_of_the_extended_period(blekinge_editor, adopted):
    assert notice_alerts_send(today=TODAY) == 1
    assert "2027-12-31" in mail.outbox[0].subject


def test_a_duty_count_is_not_doubled_by_a_pending_version(anonymous, pending):
    assert Duty.objects.filter(version__agreement=pending.agreement, text=NEW_DUTY).count() == 1
    assert selectors.laws_with_counts(anonymous).get(code="LSS").duty_count == 1


def test_api_answers_anew_when_a_version_takes_effect_without_any_edit(client, pending, monkeypatch):
    url = f"{API}/agreements/{pending.agreement_id}"
    seen = client.get(url)
    assert seen.json()["version_in_force"]["number"] == 1
    since = {"If-Modified-Since": http_date(time.time() + 60)}
    assert client.get(url, headers=since).status_code == 304
    later = max(date(2027, 1, 1), date.today() + timedelta(days=2))  # a day that began after `since`
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    response = client.get(url, headers=since)
    assert response.status_code == 200
    assert response.json()["version_in_force"]["number"] == 2
