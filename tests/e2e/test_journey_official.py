"""Journey 1: an official of Ronneby finds who is responsible for assistive devices for an adult in ordinary
housing, via the search and via the responsibility table, and downloads the agreement as PDF."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BLEKINGE = "Överenskommelse om samarbete mellan Region Blekinge och kommunerna i Blekinge"
ADULTS = "Vuxna med funktionsnedsättning med behov av samtidiga insatser från region och kommun"
MUNICIPAL_DUTY = (
    "personer som bor i ordinärt boende och som har hemsjukvård eller då förskrivningen kräver hembesök"
)
REGION_DUTY = "personer som bor i ordinärt boende och förskrivningen ej kräver hembesök"


def test_an_official_of_ronneby_finds_who_is_responsible_for_assistive_devices(demo, visitor_factory):
    rut = visitor_factory()
    page = rut.page
    rut.log_in("tjansteperson.ronneby")
    expect(page.locator(".who")).to_contain_text("agerar för Ronneby kommun")

    # The main menu, with the keyboard: the skip link comes first, then the menu's links.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hoppa till huvudinnehållet")).to_be_focused()
    rut.assert_focus_visible()
    search_link = page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Vem ansvarar för …?"
    )
    rut.tab_to(search_link)
    page.keyboard.press("Enter")
    page.wait_for_url("**/overenskommelser/sok/")
    rut.check()

    # Via the search.
    field = page.get_by_label("Vem ansvarar för …?")
    field.fill("hjälpmedel ordinärt boende")
    field.press("Enter")
    page.wait_for_url("**/sok/?*")
    rut.check(screenshot="search")
    result = page.locator(".search-group").filter(has=page.get_by_role("heading", name=ADULTS))
    hit = result.locator(".hit").filter(has=page.get_by_role("heading", name="Hjälpmedel", exact=True))
    expect(hit.locator("dd").first).to_contain_text(MUNICIPAL_DUTY)
    expect(hit.locator("dd").nth(1)).to_contain_text(REGION_DUTY)
    rut.assert_reflows_at_200_percent(hit)

    # Via the responsibility table: the list of agreements, the agreement, the target group, the row.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Överenskommelser").click()
    rut.check()
    page.get_by_role("link", name=BLEKINGE).click()
    rut.check(screenshot="agreement")
    page.get_by_role("region", name="Målgrupper och ansvarsfördelning").get_by_role(
        "link", name=ADULTS
    ).click()
    rut.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ADULTS)
    # The official's own side is named as such in the column heading.
    expect(page.locator("th.own")).to_have_text("Ronneby kommun (kommunerna i Blekinge)")

    # "Om målgruppen" is a disclosure: it opens with the keyboard.
    summary = page.locator("summary", has_text="Om målgruppen")
    rut.tab_to(summary)
    page.keyboard.press("Enter")
    expect(page.locator("details")).to_have_attribute("open", "")

    page.get_by_label("Ansvarsområde").select_option(label="Hjälpmedel")
    page.get_by_role("button", name="Filtrera").click()
    rut.check(screenshot="table-assistive-devices")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Hjälpmedel"))
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(0)).to_contain_text(MUNICIPAL_DUTY)
    expect(row.get_by_role("cell").nth(1)).to_contain_text(REGION_DUTY)
    rut.assert_reflows_at_200_percent(row.get_by_role("rowheader"))

    # The agreement as PDF.
    page.get_by_role("link", name=BLEKINGE.split(" mellan")[0]).first.click()
    rut.check()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner version 2 som PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert download.path().read_bytes()[:5] == b"%PDF-"


def test_the_language_switch_works_with_the_keyboard_and_marks_the_page_as_english(
    transactional_db, visitor_factory
):
    visitor = visitor_factory()
    page = visitor.open("/overenskommelser/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    english = page.get_by_role("button", name="English")
    expect(english).to_have_attribute("lang", "en")
    visitor.tab_to(english)
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    visitor.check(screenshot="english")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreements")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_attached()
    swedish = page.get_by_role("button", name="Svenska")
    expect(swedish).to_have_attribute("lang", "sv")
    swedish.click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    visitor.check()


def test_a_misspelled_search_shows_what_it_found_instead_and_offers_the_words_as_written(
    demo, visitor_factory
):
    visitor = visitor_factory()
    page = visitor.open("/overenskommelser/sok/")
    field = page.get_by_label("Vem ansvarar för …?")
    field.fill("hjälpmdel ordinärt boende")
    field.press("Enter")
    page.wait_for_url("**/sok/?*")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Visar träffar för hjälpmedel ordinärt boende")
    visitor.check(screenshot="search-corrected")
    expect(page.locator(".search-group").first).to_be_visible()
    as_written = status.get_by_role("link", name="Sök i stället efter ”hjälpmdel ordinärt boende”")
    visitor.tab_to(as_written)
    page.keyboard.press("Enter")
    page.wait_for_url("**exakt=1*")
    expect(page.get_by_role("status")).to_have_count(0)
    visitor.check()
