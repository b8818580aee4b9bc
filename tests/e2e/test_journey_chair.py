"""Journey 2: a chair reports a deviation from a row of a responsibility table, escalates it when the deadline
has passed, and the next level of the ladder sees it."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from deviations.models import Case
from governance.models import Body, Membership
from governance.services import membership_add
from tests.factories import PASSWORD, organisation, person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ADULTS = "Vuxna med funktionsnedsättning med behov av samtidiga insatser från region och kommun"
REGION_DUTY = "personer som bor i ordinärt boende och förskrivningen ej kräver hembesök"
TITLE = "Förskrivning av rollator dröjde sju veckor"
LSG_KARLSHAMN = "Lokal samverkansgrupp Karlshamn"


@pytest.fixture
def lsg_chair(demo):
    """The chair of the local cooperation group in Karlshamn: the ladder's second level for Karlshamn."""
    user = person("1082", username="lotta.lsg")
    membership_add(
        body=Body.objects.get(name=LSG_KARLSHAMN),
        user=user,
        organisation=organisation("1082"),
        role=Membership.Role.CHAIR,
        starts_on=date(2025, 1, 1),
        by=None,
        reason="Utsedd",
    )
    return user


def test_a_chair_reports_a_deviation_from_a_table_row_and_escalates_it_after_the_deadline(
    demo, lsg_chair, visitor_factory, run_tasks
):
    olof = visitor_factory("chair")
    page = olof.page
    olof.log_in("ordforande.lsvo")

    # From the row of the responsibility table.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Överenskommelser").click()
    olof.check()
    page.get_by_role("link", name="Överenskommelse om samarbete mellan Region Blekinge").click()
    olof.check()
    page.get_by_role("region", name="Målgrupper och ansvarsfördelning").get_by_role(
        "link", name=ADULTS
    ).click()
    olof.check()
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(r"^Hjälpmedel( |$)"))
    )
    # The link's name tells which duty it is about (its first eight words).
    report_link = row.get_by_role("link", name=f"Rapportera avvikelse om åtagandet: {REGION_DUTY[:53]}")
    olof.tab_to(report_link, limit=400)
    page.keyboard.press("Enter")
    page.wait_for_url("**/avvikelser/ny/?*")
    olof.check(screenshot="report-form")
    expect(page.locator(".banner", has_text="Gäller åtagandet:")).to_contain_text(REGION_DUTY)

    # Sent without the required fields: an error summary at the top, each field tied to its error.
    page.get_by_role("button", name="Rapportera avvikelsen").click()
    olof.check(screenshot="report-errors")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Något behöver rättas")
    title = page.get_by_label("Rubrik")
    expect(title).to_have_attribute("aria-invalid", "true")
    error_id = title.get_attribute("aria-describedby").split()[-1]
    expect(page.locator(f"#{error_id}")).to_contain_text("Detta fält måste fyllas i")
    summary.get_by_role("link", name="Rubrik").click()
    expect(title).to_be_focused()

    page.get_by_label("Region Blekinge").check()
    page.get_by_label("Kategori").select_option(index=1)
    title.fill(TITLE)
    page.get_by_label("Vad hände?").fill(
        "Förskrivningen av en rollator till en vuxen i ordinärt boende dröjde sju veckor trots att "
        "förskrivningen inte krävde hembesök."
    )
    page.get_by_role("button", name="Rapportera avvikelsen").click()
    olof.check(screenshot="case-reported")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.locator(".facts")).to_contain_text(REGION_DUTY)
    expect(page.locator(".facts")).to_contain_text("Närmaste chef i respektive organisation")

    # The deadline at level 1 passes without feedback; the daily job flags the case.
    case = Case.objects.get(title=TITLE)
    yesterday = date.today() - timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(start_due=yesterday - timedelta(days=14), feedback_due=yesterday)
    call_command("overdue_cases_flag", stdout=None)
    page.reload()
    olof.check(screenshot="case-overdue")
    expect(page.locator(".banner", has_text="Försenat")).to_be_visible()

    # Escalated to the local cooperation group, with the keyboard.
    reason = page.get_by_label("Varför lyfts ärendet?")
    olof.tab_to(reason, limit=200)
    page.keyboard.type("Ingen återkoppling inom tidsgränsen.")
    body = page.get_by_label("Organ på nästa nivå")
    olof.tab_to(body)
    body.select_option(label=str(Body.objects.get(name=LSG_KARLSHAMN)))
    olof.tab_to(page.get_by_role("button", name="Lyft ärendet"))
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    olof.check(screenshot="case-escalated")
    expect(page.locator(".facts")).to_contain_text(LSG_KARLSHAMN)
    expect(page.locator(".timeline")).to_contain_text("Ingen återkoppling inom tidsgränsen.")
    run_tasks()  # the e-mail to the next level is queued for the task worker
    assert any(lsg_chair.email in m.to for m in mail.outbox)

    # The next level sees it: the group's chair finds it waiting for her and in the group's queue.
    lotta = visitor_factory("next-level")
    lotta.log_in("lotta.lsg", password=PASSWORD)
    page = lotta.page
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Avvikelser").click()
    lotta.check(screenshot="waiting")
    waiting = page.get_by_role("table", name="Öppna ärenden där du hanterar den aktuella nivån")
    expect(waiting).to_contain_text(TITLE)
    page.get_by_role("link", name=LSG_KARLSHAMN).click()
    lotta.check()
    expect(page.get_by_role("main")).to_contain_text(TITLE)
    page.get_by_role("row").filter(has_text=TITLE).get_by_role("link").click()
    lotta.check(screenshot="case-at-level-2")
    expect(page.get_by_role("heading", name="Hantera ärendet")).to_be_visible()
