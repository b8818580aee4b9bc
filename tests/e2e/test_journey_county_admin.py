"""Journey 5: the county administrator of a county with nothing in the portal yet moves it in, in the
browser only (no shell, no /admin/): invites three people (one by the form, two from a file), sets up four
bodies with a reporting line and seats, uploads the agreement file (first with an error, then fixed), edits
the escalation ladder with a level outside the county, and publishes the agreement; an anonymous visitor
then finds a duty of it by search."""

import re

import pytest
import yaml
from django.utils import timezone
from playwright.sync_api import expect

from samverkan import services
from samverkan.models import County, Organisation, Role

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Samverkan-Uppsala-2027"
TITLE = "Överenskommelse om samverkan kring personer med psykisk funktionsnedsättning i Uppsala län"
DUTY = "boendestöd i ordinärt boende för personer med psykisk funktionsnedsättning"


def agreement_file(path, *, side: str) -> str:
    """The county's agreement in the portal's YAML format, with ``side`` for its first duty (give "kommunen"
    for the error)."""
    data = {
        "agreement": {
            "county": "03",
            "title": TITLE,
            "short_title": "Psykisk funktionsnedsättning",
            "purpose": "Att personer med psykisk funktionsnedsättning får samordnat stöd.",
            "valid_from": "2026-07-01",
            "valid_to": "2029-12-31",
            "notice_months": 6,
            "adopted_by": "Ledningsgruppen för vård och omsorg",
            "parties": {"region": ["R03"], "municipal": ["0380", "0381", "0382"]},
        },
        "version": {
            "number": 1,
            "status": "draft",
            "sections": [
                {"number": "1", "title": "Ansvarsfördelning", "text": "Parterna ansvarar enligt tabellen."}
            ],
            "target_groups": [
                {
                    "key": "vuxna",
                    "name": "Vuxna med psykisk funktionsnedsättning",
                    "section": "1",
                    "responsibility_areas": [
                        {
                            "name": "Boende och boendestöd",
                            "duties": [
                                {"side": side, "text": DUTY, "laws": ["SoL"]},
                                {
                                    "side": "region",
                                    "text": "psykiatrisk behandling och uppföljning",
                                    "laws": ["HSL"],
                                },
                            ],
                        }
                    ],
                }
            ],
        },
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


@pytest.fixture
def uppsala_admin(transactional_db):
    """What a superuser does once for a new county: one county administrator."""
    admin = services.person_create(
        username="admin.uppsala",
        password=PASSWORD,
        first_name="Ulla",
        last_name="Administratör",
        email="ulla@regionuppsala.se",
        organisation=Organisation.objects.get(code="R03"),
        by=None,
        reason="Ny län",
    )
    services.role_assign(
        user=admin, role=Role.COUNTY_ADMIN, scope=County.objects.get(code="03"), by=None, reason="Ny län"
    )
    return admin


def test_a_county_administrator_moves_an_empty_county_in_and_the_public_finds_a_duty(
    uppsala_admin, visitor_factory, tmp_path
):
    ulla = visitor_factory("admin")
    page = ulla.page
    ulla.log_in("admin.uppsala", PASSWORD)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Administration").click()
    ulla.check(screenshot="workspace")
    workspace = page.get_by_role("region", name="Uppsala län")

    # Three people: one by the form, two from a file.
    workspace.get_by_role("link", name="Personer").click()
    ulla.check()
    page.get_by_role("link", name="Bjud in en person").click()
    ulla.check()
    page.get_by_label("Namn").fill("Petra Psykiatri")
    page.get_by_label("E-post").fill("petra@regionuppsala.se")
    page.get_by_label("Organisation").select_option(label="Region Uppsala")
    page.get_by_label("Titel").fill("Verksamhetschef")
    page.get_by_role("button", name="Skicka inbjudan").click()
    ulla.check()
    expect(page.get_by_role("status")).to_contain_text("Petra Psykiatri är inbjuden")
    people = tmp_path / "personer.csv"
    people.write_text(
        "namn;e-post;organisation;enhet;titel\n"
        "Sven Socialchef;sven@uppsala.se;Uppsala kommun;;Socialchef\n"
        "Eva Enköping;eva@enkoping.se;Enköpings kommun;;Enhetschef\n",
        encoding="utf-8",
    )
    page.get_by_role("link", name="Bjud in många från en fil").click()
    ulla.check()
    page.get_by_label("Fil med personer (CSV)").set_input_files(str(people))
    page.get_by_role("button", name="Kontrollera filen").click()
    ulla.check(screenshot="people-preview")
    page.get_by_role("button", name="Bekräfta och skicka inbjudningarna").click()
    ulla.check()
    expect(page.get_by_role("status")).to_contain_text("2 personer är inbjudna")
    expect(page.get_by_role("table")).to_contain_text("Eva Enköping")

    # Four bodies: a county-wide group, two groups under it, and a local group that answers to both.
    bodies = [
        ("Ledningsgruppen för vård och omsorg", "Strategisk nivå", []),
        ("Samverkansgrupp vuxna", "Taktisk nivå", ["Ledningsgruppen för vård och omsorg"]),
        ("Samverkansgrupp barn och unga", "Taktisk nivå", ["Ledningsgruppen för vård och omsorg"]),
        (
            "Lokal samverkansgrupp Enköping",
            "Operativ nivå",
            ["Samverkansgrupp vuxna", "Samverkansgrupp barn och unga"],
        ),
    ]
    for name, level, parents in bodies:
        page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Administration").click()
        ulla.check()
        page.get_by_role("region", name="Uppsala län").get_by_role(
            "link", name="Nytt samverkansorgan"
        ).click()
        ulla.check()
        page.get_by_label("Namn").fill(name)
        page.get_by_label("Nivå").select_option(label=level)
        for parent in parents:
            page.get_by_role("checkbox", name=parent).check()
        page.get_by_role("button", name="Lägg upp organet").click()
        ulla.check()
        expect(page.get_by_role("status")).to_contain_text(f"{name} är upplagt")
    seat = page.locator("form").filter(has=page.get_by_role("button", name="Lägg till plats"))
    seat.get_by_label("Funktion").fill("Enhetschef socialtjänst")
    seat.get_by_label("Organisation").select_option(label="Enköpings kommun")
    seat.get_by_label("Antal").fill("2")
    seat.get_by_role("button", name="Lägg till plats").click()
    ulla.check(screenshot="body-admin")
    expect(page.get_by_role("status")).to_contain_text("Platsen är tillagd")
    member = page.locator("form").filter(has=page.get_by_role("button", name="Lägg till ledamot"))
    member.get_by_label("Person").select_option(label="Eva Enköping, Enköpings kommun")
    member.get_by_label("Roll").select_option(label="Ordförande")
    member.get_by_role("button", name="Lägg till ledamot").click()
    ulla.check()
    expect(page.get_by_role("status")).to_contain_text("Eva Enköping är tillagd")
    page.get_by_role("navigation", name="Brödsmulor").get_by_role(
        "link", name="Samverkansorgan – Uppsala"
    ).click()
    ulla.check()
    chart = page.locator(".org-chart")
    expect(chart.get_by_role("link", name="Lokal samverkansgrupp Enköping")).to_have_count(2)

    # The agreement: the editor role first (at /roller/, as for anybody), then the file.
    page.goto(ulla.url("/roller/"))
    ulla.check()
    page.get_by_label("Sök person eller organisation").fill("Ulla")
    page.get_by_role("button", name="Sök").click()
    ulla.check()
    page.get_by_role("link", name="Ulla Administratör").click()
    ulla.check()
    page.get_by_label("Roll").select_option(label="Redaktör för länets överenskommelser")
    page.get_by_label("Gäller").select_option(label="Uppsala län")
    page.get_by_label("Anledning").last.fill("Lägger in länets överenskommelse")
    page.get_by_role("button", name="Tilldela roll").click()
    ulla.check()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Administration").click()
    ulla.check()
    page.get_by_role("region", name="Uppsala län").get_by_role(
        "link", name="Ladda upp en överenskommelse"
    ).click()
    ulla.check()
    field = page.get_by_label("Överenskommelsen som fil (YAML)")
    field.set_input_files(agreement_file(tmp_path / "uppsala.yaml", side="kommunen"))
    page.get_by_role("button", name="Kontrollera filen").click()
    ulla.check(screenshot="upload-error")
    expect(page.get_by_role("alert")).to_contain_text(
        "version.target_groups[0].responsibility_areas[0].duties[0].side: ska vara en av"
    )
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"rad \d+"))
    page.get_by_label("Överenskommelsen som fil (YAML)").set_input_files(
        agreement_file(tmp_path / "uppsala.yaml", side="municipal")
    )
    page.get_by_role("button", name="Kontrollera filen").click()
    ulla.check(screenshot="upload-preview")
    expect(page.locator(".facts")).to_contain_text("1 avsnitt, 1 målgrupper, 1 ansvarsområden, 2 åtaganden")
    page.get_by_role("button", name="Läs in överenskommelsen").click()
    ulla.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)

    # The ladder: the parties first, then an external legal opinion, costs shared equally.
    page.goto(ulla.url("/avvikelser/trappor/"))
    ulla.check()
    page.get_by_role("link", name=re.compile("Ändra trappan")).click()
    ulla.check()
    page.get_by_label("Namn").first.fill("Närmaste chefer")
    page.get_by_label("Hanteras av").first.select_option("parties")
    page.get_by_role("button", name="Spara trappan").click()
    ulla.check()
    page.get_by_role("link", name=re.compile("Ändra trappan")).click()
    ulla.check()
    level = page.get_by_role("group", name="Nivå 2")
    level.get_by_label("Namn").fill("Extern juridisk bedömning")
    level.get_by_label("Hanteras av").select_option("external")
    level.get_by_label("Extern handläggare").fill("Advokat enligt parternas ramavtal")
    level.get_by_label("Kostnader:").select_option(label="Delas lika mellan parterna")
    page.get_by_role("button", name="Spara trappan").click()
    ulla.check(screenshot="ladder")
    expect(page.get_by_text("hanteras utanför länet: Advokat enligt parternas ramavtal")).to_be_visible()

    # Published: the draft adopted.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Överenskommelser").click()
    ulla.check()
    page.get_by_role("link", name="Psykisk funktionsnedsättning").click()
    ulla.check()
    page.get_by_role("link", name="Anta versionen").click()
    ulla.check()
    page.get_by_label("Beslutsreferens").fill(f"Ledningsgruppen {timezone.localdate():%Y-%m-%d} § 4")
    page.get_by_label("Vad har ändrats?").fill("Ny överenskommelse")
    page.get_by_role("button", name="Anta och lås versionen").click()
    ulla.check(screenshot="adopted")
    expect(page.get_by_text("Delas lika mellan parterna")).to_be_visible()

    # Anybody finds the duty.
    public = visitor_factory("public")
    public.open("/overenskommelser/sok/")
    field = public.page.get_by_label("Vem ansvarar för …?")
    field.fill("boendestöd")
    field.press("Enter")
    public.page.wait_for_url("**/sok/?*")
    public.check(screenshot="search")
    expect(public.page.locator(".hit").first).to_contain_text(DUTY)
