"""Demo governance structure from the seeds and a year of LSVO meetings. Loaded by ``load_demo``."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction

from governance import services
from governance.models import (
    AgendaItem,
    Attendance,
    Body,
    CycleRule,
    Decision,
    Membership,
    ReportingLine,
    Seat,
)
from samverkan.models import County, Organisation
from samverkan.registry import Demo

TZ = ZoneInfo("Europe/Stockholm")
POL, STR, TAC, OPE = Body.Level.POLITICAL, Body.Level.STRATEGIC, Body.Level.TACTICAL, Body.Level.OPERATIONAL
LSVO = "Ledningssamverkan vård och omsorg"

# county, name, abbreviation, level, parent name, meetings per year, mandate
STRUCTURE = [
    (
        "10",
        "Politisk samverkan vård och omsorg",
        "PSVO",
        POL,
        None,
        4,
        "Politiskt forum för samverkan mellan Region Blekinge och länets kommuner.",
    ),
    (
        "10",
        LSVO,
        "LSVO",
        STR,
        "Politisk samverkan vård och omsorg",
        10,
        "Ledningsgrupp för Samverkan Blekinge. Beslutar om ramar och inriktning för den långsiktiga "
        "utvecklingen, följer upp samverkansgruppernas handlingsplaner och beslutar om länsgemensamma avtal, "
        "riktlinjer och rutiner.\n\n- arbetar på strategisk nivå\n- har en tidshorisont på 3–5 år",
    ),
    ("10", "Beredningsgrupp", "BG", STR, LSVO, 10, "Bereder ärenden till LSVO."),
    ("10", "Samverkansgrupp Barn och unga", "SG Barn och unga", TAC, LSVO, 8, ""),
    ("10", "Samverkansgrupp Vuxna", "SG Vuxna", TAC, LSVO, 8, ""),
    ("10", "Samverkansgrupp Äldre", "SG Äldre", TAC, LSVO, 8, ""),
    *[
        ("10", f"Lokal samverkansgrupp {m}", f"LSG {m}", OPE, LSVO, 6, "")
        for m in ["Karlshamn", "Karlskrona", "Olofström", "Ronneby", "Sölvesborg"]
    ],
    ("22", "SocialKOLA", "SocialKOLA", POL, None, 4, "Politisk samverkan mellan kommunerna och regionen."),
    (
        "22",
        "Beredningsgruppen",
        "Beredningsgruppen",
        STR,
        "SocialKOLA",
        8,
        "Leder, strukturerar och följer upp utvecklingen av samverkan utifrån prioriterade områden. "
        "Rapporterar till SocialKOLA och följer upp LSG:s arbete.",
    ),
    *[
        ("22", f"LSG {part}", f"LSG {part}", OPE, "Beredningsgruppen", 6, "")
        for part in ["södra länsdelen", "Ådalen", "Örnsköldsvik"]
    ],
    (
        "08",
        "Presidiekonferens",
        "Presidiekonferens",
        POL,
        None,
        2,
        "Presidierna i Region Kalmar län, Kommunförbundet Kalmar län och kommunernas nämnder, "
        "två gånger per år.",
    ),
    ("08", "Länsgemensam ledning i samverkan", "LLS", STR, "Presidiekonferens", 8, ""),
    *[
        ("08", f"Samordnande grupp {g}", f"SG {g}", TAC, "Länsgemensam ledning i samverkan", 6, "")
        for g in ["barn och unga", "äldre", "psykisk hälsa"]
    ],
]

LSVO_SEATS = [
    ("Förvaltningschefer", "1082", 3),
    ("Förvaltningschefer", "1080", 4),
    ("Förvaltningschefer", "1081", 3),
    ("Förvaltningschefer", "1083", 3),
    ("Förvaltningschefer", "1060", 2),
    ("Hälso- och sjukvårdsdirektör", "R10", 1),
    ("Hälso- och sjukvårdschef Nära vård", "R10", 1),
    ("Hälso- och sjukvårdschef Specialiserad vård", "R10", 1),
    ("Hälso- och sjukvårdschef Medicinsk service", "R10", 1),
    ("Strateg Hälsovalet", "R10", 1),
    ("Ordförande i samverkansgrupperna", "R10", 3),
]

# demo user, role in LSVO, function
LSVO_MEMBERS = [
    ("ordforande.lsvo", Membership.Role.CHAIR, "Ordförande"),
    ("sekreterare.lsvo", Membership.Role.SECRETARY, "Sekreterare"),
    ("ledamot.lsvo", Membership.Role.MEMBER, "Förvaltningschef"),
    ("tjansteperson.karlskrona", Membership.Role.MEMBER, "Förvaltningschef"),
    ("tjansteperson.ronneby", Membership.Role.MEMBER, "Förvaltningschef"),
    ("tjansteperson.regionblekinge", Membership.Role.MEMBER, "Hälso- och sjukvårdschef Nära vård"),
    ("redaktor.blekinge", Membership.Role.MEMBER, "Strateg Hälsovalet"),
]

PROCEDURAL = AgendaItem.Kind.PROCEDURAL
OPENING = [
    ("Mötets öppnande", PROCEDURAL, ""),
    ("Val av justerare", PROCEDURAL, "Att välja två justerare att justera dagens protokoll."),
]
CLOSING = [("Mötets avslutande", PROCEDURAL, "")]

TOPICS = [
    ("Uppföljning av överenskommelsen om samarbete", "decision", "Uppföljningen godkänns."),
    ("Handlingsplan Samverkansgrupp Vuxna", "decision", "Handlingsplanen fastställs."),
    ("Avvikelser i samverkan, kvartalsrapport", "information", ""),
    ("Samordnad individuell plan (SIP) – ny rutin", "decision", "Rutinen fastställs och införs i länet."),
    ("Nationella överenskommelser om utvecklingsmedel", "discussion", ""),
]


# The bodies the demo users hold roles in (loaded before the users).
# county code, name, abbreviation, level, parent name
ROLE_BODIES = [
    ("10", "Ledningssamverkan vård och omsorg", "LSVO", Body.Level.STRATEGIC, None),
    (
        "10",
        "Samverkansgrupp Vuxna",
        "SG Vuxna",
        Body.Level.TACTICAL,
        "Ledningssamverkan vård och omsorg",
    ),
    ("08", "Länsgemensam ledning i samverkan", "LLS", Body.Level.STRATEGIC, None),
    ("22", "SocialKOLA", "SocialKOLA", Body.Level.POLITICAL, None),
    ("22", "Beredningsgruppen", "Beredningsgruppen", Body.Level.STRATEGIC, "SocialKOLA"),
]


def governance_bodies_demo_load(demo: Demo) -> None:
    """The bodies that demo users hold roles in; each becomes a role scope under its abbreviation."""
    counties = {c.code: c for c in County.objects.all()}
    by_name: dict[str, Body] = {}
    for county_code, name, abbreviation, level, parent_name in ROLE_BODIES:
        body, _created = Body.objects.get_or_create(
            county=counties[county_code],
            name=name,
            defaults={"abbreviation": abbreviation, "level": level},
        )
        if parent_name in by_name:
            ReportingLine.objects.get_or_create(body=body, reports_to=by_name[parent_name])
        demo.scopes[abbreviation] = by_name[name] = body


def governance_demo_run(demo: Demo) -> None:
    governance_demo_load()


@transaction.atomic
def governance_demo_load() -> None:
    counties = {c.code: c for c in County.objects.all()}
    bodies: dict[str, Body] = {}
    for code, name, abbreviation, level, parent, per_year, mandate in STRUCTURE:
        body, _created = Body.objects.get_or_create(
            county=counties[code], name=name, defaults={"abbreviation": abbreviation, "level": level}
        )
        body.abbreviation, body.level = abbreviation, level
        body.meetings_per_year, body.mandate = per_year, body.mandate or mandate
        body.save()
        if parent in bodies:
            ReportingLine.objects.get_or_create(body=body, reports_to=bodies[parent])
        bodies[name] = body
    lsvo = bodies[LSVO]
    if not lsvo.seats.exists():
        orgs = {o.code: o for o in Organisation.objects.filter(county=counties["10"]).exclude(code="")}
        Seat.objects.bulk_create(
            Seat(body=lsvo, function=f, organisation=orgs[code], count=n, order=i)
            for i, (f, code, n) in enumerate(LSVO_SEATS)
        )
    if not lsvo.memberships.exists():
        for username, role, function in LSVO_MEMBERS:
            user = User.objects.select_related("profile__organisation").get(username=username)
            services.membership_add(
                body=lsvo,
                user=user,
                organisation=user.profile.organisation,
                role=role,
                starts_on=date(2025, 1, 1),
                function=function,
                by=None,
                reason="Demodata",
            )
    if not lsvo.cycle_rules.exists():
        _lsvo_cycle(lsvo)
    if not lsvo.meetings.exists():
        _lsvo_year(lsvo)
        services.annual_cycle_generate(body=lsvo, year=2026, by=None)
        services.annual_cycle_generate(body=lsvo, year=2027, by=None)


# title, kind, months, day, week, weekday, description
LSVO_CYCLE = [
    ("Möte i LSVO", CycleRule.Kind.MEETING, [2, 3, 4, 5, 6, 9, 10, 11, 12], None, 2, 3, ""),
    (
        "Årsrapport till PSVO",
        CycleRule.Kind.DUTY,
        [3],
        31,
        None,
        None,
        "Samverkansgrupperna redovisar året; LSVO sammanställer avvikelser och tvister till PSVO.",
    ),
    (
        "Handlingsplaner för nästa år",
        CycleRule.Kind.DUTY,
        [10],
        15,
        None,
        None,
        "Samverkansgrupperna lämnar förslag till handlingsplaner.",
    ),
    (
        "Årlig uppföljning av överenskommelsen",
        CycleRule.Kind.DUTY,
        [11],
        30,
        None,
        None,
        "Följ upp överenskommelsen och ta ställning till revidering eller uppsägning.",
    ),
    ("Budget och verksamhetsplan", CycleRule.Kind.DUTY, [6], 15, None, None, ""),
]


def _lsvo_cycle(lsvo: Body) -> None:
    for title, kind, months, day, week, weekday, description in LSVO_CYCLE:
        services.cycle_rule_create(
            body=lsvo,
            by=None,
            kind=kind,
            title=title,
            months=months,
            day=day,
            week=week,
            weekday=weekday,
            description=description,
            time=time(9) if kind == CycleRule.Kind.MEETING else None,
            location="Region Blekinge, Karlskrona" if kind == CycleRule.Kind.MEETING else "",
        )


def _lsvo_year(lsvo: Body) -> None:
    """Meetings from December 2025 to December 2026: published protocols, one awaiting adjustment and one
    coming meeting with submitted items. A meeting that has not begun when the demo is loaded gets its
    agenda but no protocol."""
    secretary = User.objects.get(username="sekreterare.lsvo")
    members = list(lsvo.memberships.select_related("user", "organisation"))
    adjusters = [m.user for m in members if m.role == Membership.Role.MEMBER][:2]
    months = [
        (2025, 12),
        (2026, 2),
        (2026, 3),
        (2026, 4),
        (2026, 5),
        (2026, 6),
        (2026, 9),
        (2026, 10),
        (2026, 11),
    ]
    rule = lsvo.cycle_rules.get(kind=CycleRule.Kind.MEETING)
    for index, (year, month) in enumerate(months):
        day = next(d for d in rule.dates(year) if d.month == month)
        starts = datetime.combine(day, rule.time, tzinfo=TZ)
        meeting = services.meeting_plan(
            body=lsvo, starts_at=starts, location="Region Blekinge, Karlskrona", by=secretary
        )
        topics = [TOPICS[(index + k) % len(TOPICS)] for k in range(3)]
        for title, kind, proposal in [*OPENING, *topics, *CLOSING]:
            item = services.agenda_item_submit(
                meeting=meeting,
                by=secretary,
                title=title,
                kind=kind,
                proposal=proposal,
                now=starts - timedelta(days=20),
            )
            services.agenda_item_decide(item=item, decision=AgendaItem.Status.ACCEPTED, by=secretary)
        services.agenda_publish(meeting=meeting, by=secretary, now=starts - timedelta(days=9))
        absent = members[index % len(members)]
        services.written_views_send(
            meeting=meeting,
            by=absent.user,
            text="Jag kan inte delta. Jag stöder förslagen till beslut och vill att uppföljningen "
            "redovisas per kommun.",
            now=starts - timedelta(days=2),
        )
        if not meeting.has_begun():
            continue
        presence = {m.pk: Attendance.Presence.PRESENT for m in members if m.pk != absent.pk}
        presence[absent.pk] = Attendance.Presence.ABSENT
        services.meeting_record(meeting=meeting, presence=presence, by=secretary)
        services.protocol_send_for_adjustment(meeting=meeting, adjusters=adjusters, by=secretary)
        if index == len(months) - 1:
            services.protocol_adjust(meeting=meeting, by=adjusters[0], now=starts + timedelta(days=3))
            break  # awaiting the second adjuster
        for adjuster in adjusters:
            services.protocol_adjust(meeting=meeting, by=adjuster, now=starts + timedelta(days=5))
        services.protocol_publish(meeting=meeting, by=secretary, now=starts + timedelta(days=6))
    for i, decision in enumerate(Decision.objects.filter(body=lsvo).order_by("pk")):
        decision.due = date(2026, 3, 31) + timedelta(days=60 * i)
        decision.responsible_person = "Samverkansgrupp Vuxna" if i % 2 else "Beredningsgruppen"
        if i < 2:
            decision.status = Decision.Status.DONE
        decision.save(update_fields=["due", "responsible_person", "status"])
    coming = services.meeting_plan(
        body=lsvo,
        starts_at=datetime.combine(rule.dates(2026)[-1], rule.time, tzinfo=TZ),
        location="Region Blekinge, Karlskrona",
        by=secretary,
    )
    member = User.objects.get(username="ledamot.lsvo")
    services.agenda_item_submit(
        meeting=coming,
        by=member,
        title="Årsrapport 2026",
        kind="decision",
        proposal="Årsrapporten godkänns.",
        now=datetime(2026, 11, 20, tzinfo=TZ),
    )
