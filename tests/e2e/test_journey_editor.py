"""Journey 4: an editor creates a revision, changes a duty, adopts the version, and the public compares the
two versions."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BLEKINGE = "Överenskommelse om samarbete mellan Region Blekinge och kommunerna i Blekinge"
ADULTS = "Vuxna med funktionsnedsättning med behov av samtidiga insatser från region och kommun"
OLD_DUTY = "personer som bor i ordinärt boende och förskrivningen ej kräver hembesök"
NEW_DUTY = (
    "personer som bor i ordinärt boende och förskrivningen ej kräver hembesök eller anpassning av bostaden"
)


def test_an_editor_revises_a_duty_adopts_the_version_and_the_public_compares_versions(demo, visitor_factory):
    eva = visitor_factory("editor")
    page = eva.page
    eva.log_in("redaktor.blekinge")

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Överenskommelser").click()
    eva.check()
    page.get_by_role("link", name=BLEKINGE).click()
    eva.check()
    page.get_by_label("Anledning till revideringen").fill("Förtydligande om bostadsanpassning")
    page.get_by_role("button", name="Skapa ny version").click()
    eva.check(screenshot="draft")
    expect(page.get_by_role("status")).to_contain_text("Version 3 är skapad som utkast")

    # The duty, changed in the table editor with the keyboard.
    page.get_by_role("region", name="Målgrupper och ansvarsfördelning").get_by_role(
        "link", name=ADULTS
    ).click()
    eva.check()
    page.get_by_role("link", name="Redigera tabellen").click()
    eva.check(screenshot="table-editor")
    duty = page.locator("form.duty-edit").filter(has=page.locator("textarea", has_text=OLD_DUTY))
    text = duty.get_by_label("Åtagande")
    eva.tab_to(text, limit=400)
    page.keyboard.press("Control+End")
    page.keyboard.type(" eller anpassning av bostaden")
    page.keyboard.press("Tab")
    save = duty.get_by_role("button", name="Spara")
    expect(save).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Tabellen är uppdaterad.")).to_be_attached()
    changed = page.locator("textarea", has_text=NEW_DUTY)
    expect(changed).to_have_count(1)
    # The focus is back on the button that saved, not at the top of the page.
    expect(
        page.locator("form.duty-edit").filter(has=changed).get_by_role("button", name="Spara")
    ).to_be_focused()
    eva.assert_focus_visible()
    eva.check(screenshot="duty-changed")

    # Adopted: first without the required fields (the errors are announced), then properly.
    page.get_by_role("link", name=re.compile(r"version 3 \(utkast\)")).click()
    eva.check()
    page.get_by_role("link", name="Anta versionen").click()
    eva.check()
    page.get_by_role("button", name="Anta och lås versionen").click()
    eva.check(screenshot="adopt-errors")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Beslutsreferens")
    reference = page.get_by_label("Beslutsreferens")
    expect(reference).to_have_attribute("aria-invalid", "true")
    described = reference.get_attribute("aria-describedby").split()
    assert any("Detta fält måste fyllas i" in page.locator(f"#{i}").inner_text() for i in described)
    reference.fill(f"LSVO {timezone.localdate():%Y-%m-%d} § 12")
    page.get_by_label("Vad har ändrats?").fill("Region Blekinges ansvar för hjälpmedel förtydligat.")
    page.get_by_role("button", name="Anta och lås versionen").click()
    eva.check(screenshot="adopted")
    expect(page.locator(".version-line")).to_contain_text("Version 3 · Gällande")

    # The public compares version 2 with version 3.
    public = visitor_factory("public")
    public.open("/overenskommelser/")
    page = public.page
    page.get_by_role("link", name=BLEKINGE).click()
    public.check()
    page.get_by_role("link", name="Jämför versioner").click()
    public.check()
    page.get_by_label("Från version").select_option("2")
    page.get_by_label("Till version").select_option("3")
    page.get_by_role("button", name="Jämför").click()
    public.check(screenshot="compare")
    expect(page.get_by_text("Ändringar från version 2 till version 3.")).to_be_visible()
    change = page.locator("section.change").filter(has_text="Hjälpmedel")
    expect(change.locator("del")).to_have_text(OLD_DUTY)
    expect(change.locator("ins")).to_have_text(NEW_DUTY)
    public.assert_reflows_at_200_percent(change.locator("ins"))
