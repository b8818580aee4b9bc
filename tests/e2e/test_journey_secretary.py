"""Journey 3: a secretary builds an agenda (reordering it with the keyboard), publishes it, records the
meeting, sends the protocol for adjustment; the adjusters approve, and the public sees the published
protocol."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LSVO = "Ledningssamverkan vård och omsorg"
ITEMS = [
    ("Mötets öppnande", "Information", ""),
    ("Uppföljning av avvikelser i samverkan", "Beslut", "Att godkänna uppföljningen."),
    ("Val av justerare", "Beslut", "Att välja två justerare."),
]
DECISION = "LSVO godkänner uppföljningen och ger Samverkansgrupp Vuxna i uppdrag att följa upp hjälpmedel."


def agenda_titles(page) -> list[str]:
    return page.locator("#agenda ol.agenda > li > strong").all_inner_texts()


def test_a_secretary_takes_a_meeting_from_agenda_to_published_protocol(demo, visitor_factory):
    adjusters = [User.objects.get(username=u) for u in ("ledamot.lsvo", "tjansteperson.ronneby")]
    sara = visitor_factory("secretary")
    page = sara.page
    sara.log_in("sekreterare.lsvo")

    # A new meeting five weeks ahead, so the agenda goes out in time.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mina organ").click()
    sara.check()
    page.get_by_role("link", name=LSVO).click()
    sara.check()
    page.get_by_role("link", name="Planera ett möte").click()
    sara.check()
    starts = timezone.localtime() + timedelta(days=35)
    page.get_by_label("Tid").fill(starts.strftime("%Y-%m-%dT13:00"))
    with translation.override("sv"):
        day = date_format(starts, "j F Y")  # as the pages write it: "29 december 2026"
    page.get_by_label("Plats eller länk").fill("Regionhuset, Karlskrona")
    page.get_by_role("button", name="Planera mötet").click()
    sara.check()
    expect(page.get_by_role("status")).to_contain_text("Mötet är planerat")

    # The agenda: three items, taken up, then reordered with the keyboard only.
    for title, kind, proposal in ITEMS:
        form = page.get_by_role("region", name="Anmäl ett ärende")
        form.get_by_label("Rubrik").fill(title)
        form.get_by_label("Typ").select_option(label=kind)
        form.get_by_label("Förslag till beslut").fill(proposal)
        form.get_by_role("button", name="Anmäl ärendet").click()
        sara.check()
    for title, _kind, _proposal in ITEMS:
        page.get_by_role("button", name=f"Ta upp {title}").click()
        expect(page.get_by_role("button", name=f"Ta upp {title}")).to_have_count(0)
    sara.check(screenshot="agenda-accepted")
    assert agenda_titles(page) == [t for t, _k, _p in ITEMS]

    up = page.get_by_role("button", name="Upp Val av justerare")
    sara.tab_to(up, limit=150)
    page.keyboard.press("Enter")
    expect(page.locator("#agenda ol.agenda > li").nth(1)).to_contain_text("Val av justerare")
    # The focus stays on the item that moved, so the next press moves it again.
    expect(page.get_by_role("button", name="Upp Val av justerare")).to_be_focused()
    sara.assert_focus_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#agenda ol.agenda > li").first).to_contain_text("Val av justerare")
    # At the top there is no "up": the focus moves to the item's "down".
    expect(page.get_by_role("button", name="Ner Val av justerare")).to_be_focused()
    sara.assert_focus_visible()
    page.keyboard.press("Enter")
    expected = ["Mötets öppnande", "Val av justerare", "Uppföljning av avvikelser i samverkan"]
    expect(page.locator("#agenda ol.agenda > li").nth(1)).to_contain_text("Val av justerare")
    sara.check(screenshot="agenda-reordered")
    assert agenda_titles(page) == expected
    sara.assert_reflows_at_200_percent(page.get_by_role("heading", name="Dagordning"))

    page.get_by_role("button", name="Skicka kallelse och publicera dagordningen").click()
    sara.check(screenshot="agenda-published")
    expect(page.locator(".facts")).to_contain_text("Kallelse skickad")

    # The meeting is held: everybody present; the protocol gets one § per item.
    page.get_by_role("link", name="Registrera närvaro och upprätta protokoll").click()
    sara.check(screenshot="attendance")
    page.get_by_role("button", name="Registrera och upprätta protokoll").click()
    sara.check()
    follow_up = page.locator("section.paragraph").filter(has_text="Uppföljning av avvikelser i samverkan")
    follow_up.get_by_label("Beslut").fill(DECISION)
    follow_up.get_by_role("button", name="Spara §").click()
    sara.check()

    for adjuster in adjusters:
        page.get_by_label(adjuster.get_full_name()).check()
    page.get_by_role("button", name="Skicka protokollet för justering").click()
    sara.check(screenshot="protocol-in-adjustment")
    meeting_url = page.url

    # Each adjuster finds the protocol under "Mina organ" and adjusts it.
    for adjuster in adjusters:
        person = visitor_factory(adjuster.username)
        person.log_in(adjuster.username)
        person.page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mina organ").click()
        person.check()
        person.page.get_by_role("region", name="Protokoll att justera").get_by_role("link", name=day).click()
        person.check()
        expect(person.page.get_by_role("main")).to_contain_text(DECISION)
        person.page.get_by_role("button", name="Justera protokollet").click()
        person.check(screenshot="adjusted")

    page.goto(meeting_url)
    sara.check()
    page.get_by_role("button", name="Publicera protokollet").click()
    sara.check(screenshot="protocol-published")

    # The public: no login, through the directory of bodies.
    public = visitor_factory("public")
    public.open("/")
    public.page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Samverkansorgan"
    ).click()
    public.check()
    public.page.get_by_role("link", name=LSVO).first.click()
    public.check()
    public.page.get_by_role("link", name=f"{day} 13:00").click()
    public.check(screenshot="public-protocol")
    main = public.page.get_by_role("main")
    expect(main.get_by_role("heading", name="Protokoll", exact=True)).to_be_visible()
    expect(main).to_contain_text(DECISION)
    expect(main).not_to_contain_text("Protokollet är inte publicerat")
    public.assert_reflows_at_200_percent(main.get_by_text(DECISION))
