"""Journey 3: a secretary builds an agenda (reordering it with the keyboard), publishes it, records the
meeting, sends the protocol for adjustment; the adjusters approve, and the public sees the published
protocol."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from governance import services
from governance.models import AgendaItem, Body, Meeting

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LSVO = "Ledningssamverkan vård och omsorg"
ITEMS = [
    ("Mötets öppnande", "Formalia", ""),
    ("Uppföljning av avvikelser i samverkan", "Beslut", "Att godkänna uppföljningen."),
    ("Val av justerare", "Formalia", "Att välja två justerare."),
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
    # Five weeks before the meeting there is nothing to record yet.
    expect(page.get_by_role("link", name="Registrera närvaro och upprätta protokoll")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("registreras när mötet har börjat")

    # The day of the meeting comes (the clock cannot move, so the meeting moves: it began a minute ago).
    meeting = Meeting.objects.get(location="Regionhuset, Karlskrona", status=Meeting.Status.AGENDA_PUBLISHED)
    meeting.starts_at = timezone.now() - timedelta(minutes=1)
    meeting.save(update_fields=["starts_at"])
    starts = timezone.localtime(meeting.starts_at)
    with translation.override("sv"):
        day = date_format(starts, "j F Y")
    page.reload()
    sara.check()

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
    public.page.get_by_role("link", name=f"{day} {starts:%H:%M}").click()
    public.check(screenshot="public-protocol")
    main = public.page.get_by_role("main")
    expect(main.get_by_role("heading", name="Protokoll", exact=True)).to_be_visible()
    expect(main).to_contain_text(DECISION)
    expect(main).not_to_contain_text("Protokollet är inte publicerat")
    for role in ("Ordförande", "Sekreterare", "Justerare"):
        expect(main.locator("dl.signatories")).to_contain_text(role)
    public.assert_reflows_at_200_percent(main.get_by_text(DECISION))


def test_two_quick_clicks_on_the_agenda_leave_the_page_showing_what_the_server_saved(demo, visitor_factory):
    """The secretary takes up one item and, before the answer comes, moves another. The second answer is
    held back (as on a slow connection) until the first has replaced the agenda. The agenda shown must be
    the one in the database."""
    secretary = User.objects.get(username="sekreterare.lsvo")
    meeting = services.meeting_plan(
        body=Body.objects.get(abbreviation="LSVO", county__code="10"),
        starts_at=timezone.now() + timedelta(days=40),
        location="Regionhuset, Karlskrona",
        by=secretary,
    )
    for title in ("Mötets öppnande", "Lägesrapport", "Budget"):
        item = services.agenda_item_submit(meeting=meeting, by=secretary, title=title, kind="information")
        services.agenda_item_decide(item=item, decision=AgendaItem.Status.ACCEPTED, by=secretary)
    moved = meeting.items.get(title="Lägesrapport")
    services.agenda_item_submit(meeting=meeting, by=secretary, title="Årsrapport", kind="decision")

    sara = visitor_factory("secretary")
    sara.log_in("sekreterare.lsvo")
    page = sara.open(meeting.get_absolute_url())
    held = []
    page.route(f"**/arende/{moved.pk}/", lambda route: held.append((route, route.fetch())))
    page.get_by_role("button", name="Ta upp Årsrapport").click()
    page.get_by_role("button", name="Ner Lägesrapport").click()
    expect(page.get_by_role("button", name="Ta upp Årsrapport")).to_have_count(0)
    page.wait_for_timeout(300)
    for route, response in held:
        route.fulfill(response=response)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    saved = list(meeting.items.order_by("order", "pk").values_list("title", flat=True))
    assert agenda_titles(page) == saved
    sara.check(screenshot="agenda-after-quick-clicks")
