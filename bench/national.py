"""National dataset: every county of Sweden in one installation, for the load benchmark (bench/load.py).

    make bench-national     # or: .venv/bin/python bench/national.py [--fresh] [--cases 200000] [--users 5000]

Writes to its own database, the DATABASE_URL's name + "_national" (never the test or demo database):

- the 21 counties and their 311 regions and municipalities (reference data, loaded by the migrations);
- the Blekinge agreement imported once through the real importer (``agreement_version_import``), then
  25 agreements per county with 5 versions each, every version a copy of Blekinge's content (81 sections,
  4 target groups, 31 areas, 119 duties with their legal references and development areas); versions 1–4
  superseded, version 5 adopted;
- 40 bodies per county (political, strategic, tactical and operational levels) with 10 members each and
  10 years of meetings (9 a year): past meetings have a published protocol with 6 agenda items and
  paragraphs and 2 decisions to follow up, the coming ones are planned;
- 200 000 deviations and disputes over the last 5 years, spread over all counties (the statistics of one
  county and year have a few thousand cases to count);
- 5 000 users, each an official of one organisation (with profile, group and object permission), plus per
  county two editors and one county administrator; the bench persona ``bench.official`` (an official of
  Karlskrona kommun and chair of a body there) with password ``bench-national``. All users share one
  password hash, computed once, so that the benchmark can log in as anybody.

Everything after the Blekinge import is generated with bulk writes (ids reserved from the sequences, rows
sent with COPY, see bench/bulk.py): no ``save()``, no signals and so **no simple-history rows** for
generated data — the benchmark needs no audit trail. Database triggers still hold (content goes in while a
version is a draft, paragraphs before the protocol is published). Prints the time of each stage.

A database that already holds a complete dataset is reused; ``--fresh`` drops and generates it again.
"""

import argparse
import copy
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, database_url, drop_database, setup_django

TZ = ZoneInfo("Europe/Stockholm")
SUFFIX = "_national"
PASSWORD = "bench-national"  # noqa: S105 - benchmark data only
PERSONA = "bench.official"
PERSONA_ORGANISATION = "Karlskrona kommun"
AGREEMENTS_PER_COUNTY = 25
VERSIONS = 5
BODIES_PER_COUNTY = 40
MEMBERS_PER_BODY = 10
MEETINGS_PER_YEAR = 9
YEARS = 10
ITEMS_PER_MEETING = 6
DECISIONS_PER_MEETING = 2
CASE_YEARS = 5
BATCH = 20_000

LEVELS = [("political", 2), ("strategic", 4), ("tactical", 8), ("operational", 26)]
THEMES = ["Barn och unga", "Vuxna", "Äldre", "Psykisk hälsa", "Missbruk och beroende", "Funktionsnedsättning"]
ITEM_TITLES = [
    "Föregående protokoll",
    "Uppföljning av överenskommelsen",
    "Avvikelser i samverkan",
    "Handlingsplan för utvecklingsområden",
    "Information från huvudmännen",
    "Övriga frågor",
]


class Stages:
    """Times each stage and prints it as it finishes."""

    def __init__(self) -> None:
        self.began = time.perf_counter()
        self.rows: list[tuple[str, float]] = []

    def run(self, name: str, call, *args):
        started = time.perf_counter()
        print(f"{name} …", flush=True)
        result = call(*args)
        seconds = time.perf_counter() - started
        self.rows.append((name, seconds))
        print(f"  {name}: {seconds:.1f} s", flush=True)
        return result

    def print(self) -> None:
        print("\nstage                          seconds")
        for name, seconds in self.rows:
            print(f"{name:<30} {seconds:7.1f}")
        print(f"{'total':<30} {time.perf_counter() - self.began:7.1f}")


# --- users and roles ----------------------------------------------------------------------------------


def users_generate(count: int) -> None:
    """Officials spread over all organisations, editors and administrators per county, and the persona."""
    from bulk import copy_objects, with_ids
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from samverkan.models import County, Organisation, Profile, Role

    password = make_password(PASSWORD)  # once: hashing 5 000 times would take minutes
    organisations = list(Organisation.objects.filter(kind__in=["region", "municipality"]).order_by("pk"))
    rng = random.Random(9)  # noqa: S311 - benchmark data
    users, profiles, roles = [], [], []
    persona_org = next(o for o in organisations if o.name == PERSONA_ORGANISATION)
    people = [(PERSONA, persona_org)] + [
        (f"tjp{n:05d}", organisations[n % len(organisations)]) for n in range(1, count)
    ]
    for username, organisation in people:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        users.append(
            User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@{organisation.county_id}.samverkan.localhost",
                password=password,
                is_active=True,
            )
        )
        profiles.append((organisation, "Handläggare"))
        roles.append([(Role.OFFICIAL, organisation)])
    counties = list(County.objects.order_by("code"))
    by_county: dict[int, list[int]] = {}
    for i, (_username, organisation) in enumerate(people):
        by_county.setdefault(organisation.county_id, []).append(i)
    for county in counties:
        indexes = by_county[county.pk]
        roles[indexes[1]].append((Role.EDITOR, county))
        roles[indexes[2]].append((Role.EDITOR, county))
        roles[indexes[3]].append((Role.COUNTY_ADMIN, county))
    with_ids(User, users)
    copy_objects(User, users)
    profile_objects = [
        Profile(user_id=user.pk, organisation=organisation, title=title)
        for user, (organisation, title) in zip(users, profiles, strict=True)
    ]
    copy_objects(Profile, with_ids(Profile, profile_objects))
    role_rows_write(
        [(user.pk, role, scope) for user, held in zip(users, roles, strict=True) for role, scope in held]
    )
    print(f"  {len(users)} users")


def role_rows_write(assignments: list[tuple]) -> None:
    """RoleAssignment rows and the object permission each grants, without history. Body roles are the
    memberships themselves (written with the bodies), so they are left out here."""
    from bulk import copy_objects, with_ids
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    from samverkan.models import RoleAssignment
    from samverkan.roles import ROLE_SPECS

    assignments = [(user_id, role, scope) for user_id, role, scope in assignments if role in ROLE_SPECS]
    specs = {role: ROLE_SPECS[role] for role in {role for _u, role, _s in assignments}}
    content_types = {role: ContentType.objects.get_for_model(spec.model) for role, spec in specs.items()}
    permissions = {
        role: Permission.objects.get(content_type=content_types[role], codename=spec.permission)
        for role, spec in specs.items()
    }
    rows = [
        RoleAssignment(user_id=user_id, role=role, scope_type=content_types[role], scope_id=scope.pk)
        for user_id, role, scope in assignments
    ]
    copy_objects(RoleAssignment, with_ids(RoleAssignment, rows))
    grants = [
        UserObjectPermission(
            user_id=user_id,
            permission=permissions[role],
            content_type=content_types[role],
            object_pk=str(scope.pk),
        )
        for user_id, role, scope in assignments
    ]
    copy_objects(UserObjectPermission, with_ids(UserObjectPermission, grants))


FIRST_NAMES = ["Anna", "Eva", "Maria", "Karin", "Sara", "Lars", "Erik", "Per", "Karl", "Johan", "Lena", "Ali"]
LAST_NAMES = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson"]


# --- agreements ---------------------------------------------------------------------------------------


def template_import():
    """The Blekinge agreement through the real importer: the version every generated one copies."""
    from agreements import services
    from agreements.importer import parse_file
    from agreements.models import AgreementVersion

    parsed = parse_file(ROOT / "agreements" / "data" / "blekinge-2023.yaml")
    version = services.agreement_version_import(parsed=parsed, source="blekinge-2023.yaml", by=None)
    return AgreementVersion.objects.get(pk=version.pk)


def agreements_generate(template) -> None:
    """25 agreements per county, each with 5 versions copying the template's content."""
    from bulk import copy_objects, with_ids
    from django.db import transaction

    from agreements.models import Agreement, AgreementParty, AgreementVersion
    from samverkan.models import County, Organisation

    source = template.agreement
    counties = list(County.objects.order_by("code"))
    organisations: dict[int, list] = {}
    for organisation in Organisation.objects.filter(kind__in=["region", "municipality"]):
        organisations.setdefault(organisation.county_id, []).append(organisation)
    agreements, parties = [], []
    for county in counties:
        for n in range(AGREEMENTS_PER_COUNTY):
            theme = THEMES[n % len(THEMES)]
            agreements.append(
                Agreement(
                    county=county,
                    title=f"Överenskommelse om samarbete – {theme} ({county.short_name} {n + 1})",
                    short_title=f"{theme} {n + 1}",
                    purpose=source.purpose,
                    common_goals=source.common_goals,
                    valid_from=date(2022, 1, 1),
                    valid_to=date(2027, 12, 31),
                    notice_months=12,
                    extension_years=2,
                    adopted_by="Länsgemensam ledningsgrupp",
                    adopted_on=date(2021, 12, 10),
                )
            )
    with transaction.atomic():
        copy_objects(Agreement, with_ids(Agreement, agreements))
        for agreement in agreements:
            for organisation in organisations[agreement.county_id]:
                side = "region" if organisation.kind == "region" else "municipal"
                parties.append(
                    AgreementParty(agreement_id=agreement.pk, organisation=organisation, side=side)
                )
        copy_objects(AgreementParty, with_ids(AgreementParty, parties))
    content = ContentTemplate(template)
    for number in range(1, VERSIONS + 1):
        status = "adopted" if number == VERSIONS else "superseded"
        with transaction.atomic():
            versions = with_ids(
                AgreementVersion,
                [
                    AgreementVersion(
                        agreement_id=agreement.pk,
                        number=number,
                        decision_reference=f"§ {number * 7}/{2021 + number}",
                    )
                    for agreement in agreements
                ],
            )
            copy_objects(AgreementVersion, versions)
            rows = content.copy_to([v.pk for v in versions])
            adopted_on = date(2021 + number, 12, 1)
            AgreementVersion.objects.filter(pk__in=[v.pk for v in versions]).update(
                status=status, adopted_on=adopted_on, effective_from=date(2022 + number - 1, 1, 1)
            )
        print(f"  version {number}: {len(versions)} versions, {rows} content rows", flush=True)


class ContentTemplate:
    """The template version's content rows, copied to other versions with fresh ids."""

    def __init__(self, version) -> None:
        from agreements.models import (
            ActionItem,
            ChangeLogEntry,
            DevelopmentArea,
            Duty,
            LegalReference,
            ResponsibilityArea,
            Section,
            TargetGroup,
        )

        # parents before children; (model, {fk attname: parent model})
        self.plan = [
            (Section, {"parent_id": Section}),
            (TargetGroup, {}),
            (ResponsibilityArea, {"target_group_id": TargetGroup}),
            (Duty, {"area_id": ResponsibilityArea}),
            (LegalReference, {"duty_id": Duty}),
            (DevelopmentArea, {"target_group_id": TargetGroup}),
            (ChangeLogEntry, {}),
        ]
        self.rows = {
            model: list(model.objects.filter(version=version).order_by("pk")) for model, _fks in self.plan
        }
        self.actions = list(ActionItem.objects.filter(development_area__version=version).order_by("pk"))
        self.action_model = ActionItem

    def copy_to(self, version_ids: list[int]) -> int:
        """Copy the content to each (draft) version; returns the number of rows written."""
        from bulk import copy_objects, reserve_ids

        from agreements.models import DevelopmentArea

        written = 0
        new_ids: dict[type, dict[tuple[int, int], int]] = {}
        for model, fks in self.plan:
            template_rows = self.rows[model]
            ids = iter(reserve_ids(model, len(template_rows) * len(version_ids)))
            mapping = new_ids.setdefault(model, {})
            pairs = []
            for version_id in version_ids:
                for row in template_rows:
                    clone = copy.copy(row)
                    clone.pk = next(ids)
                    clone.version_id = version_id
                    mapping[(version_id, row.pk)] = clone.pk
                    pairs.append((version_id, row, clone))
            for version_id, row, clone in pairs:  # after all ids are known: a section's parent may come later
                for attname, parent in fks.items():
                    old = getattr(row, attname)
                    if old is not None:
                        setattr(clone, attname, new_ids[parent][(version_id, old)])
            written += copy_objects(model, (clone for _v, _r, clone in pairs))
        areas = new_ids[DevelopmentArea]
        ids = iter(reserve_ids(self.action_model, len(self.actions) * len(version_ids)))
        objects = []
        for version_id in version_ids:
            for action in self.actions:
                clone = copy.copy(action)
                clone.pk = next(ids)
                clone.development_area_id = areas[(version_id, action.development_area_id)]
                objects.append(clone)
        return written + copy_objects(self.action_model, objects)


# --- governance ---------------------------------------------------------------------------------------


def governance_generate() -> None:
    """40 bodies per county with members, 10 years of meetings, agenda items, protocols and decisions."""
    from bulk import copy_objects, with_ids
    from django.contrib.auth.models import User
    from django.db import transaction

    from governance.models import AgendaItem, Body, Decision, Meeting, Membership, Paragraph, ReportingLine
    from samverkan.models import County, Organisation, Role

    rng = random.Random(40)  # noqa: S311 - benchmark data
    counties = list(County.objects.order_by("code"))
    officials: dict[int, list[tuple[int, int]]] = {}
    for user_id, organisation_id, county_id in User.objects.filter(
        profile__organisation__isnull=False
    ).values_list("pk", "profile__organisation_id", "profile__organisation__county_id"):
        officials.setdefault(county_id, []).append((user_id, organisation_id))
    persona = User.objects.select_related("profile").get(username=PERSONA)
    bodies, memberships, assignments = [], [], []
    for county in counties:
        parents: dict[str, Body] = {}
        n = 0
        for level, count in LEVELS:
            for i in range(count):
                theme = THEMES[i % len(THEMES)]
                body = Body(
                    county=county,
                    name=f"{_level_name(level)} {theme} {county.short_name} {i + 1}",
                    abbreviation=f"{level[:3].upper()}{i + 1}",
                    level=level,
                    mandate="Samverkan mellan regionen och kommunerna enligt överenskommelsen.",
                    time_horizon="Löpande",
                    meetings_per_year=MEETINGS_PER_YEAR,
                )
                body.reports_to_body = parents.get(_parent_level(level))
                bodies.append(body)
                n += 1
            parents[level] = bodies[-count]
        with_ids(Body, bodies[-n:])
    with_ids(Body, [b for b in bodies if b.pk is None])
    lines = [
        ReportingLine(body_id=body.pk, reports_to_id=body.reports_to_body.pk)
        for body in bodies
        if body.reports_to_body is not None
    ]
    start = date(2017, 1, 1)
    for body in bodies:
        people = rng.sample(officials[body.county_id], MEMBERS_PER_BODY)
        for j, (user_id, organisation_id) in enumerate(people):
            role = "chair" if j == 0 else "secretary" if j == 1 else "member"
            memberships.append(
                Membership(
                    body_id=body.pk,
                    user_id=user_id,
                    organisation_id=organisation_id,
                    function="Verksamhetschef",
                    role=role,
                    starts_on=start,
                )
            )
            assignments.append((user_id, role, body))
    karlskrona = Organisation.objects.get(name=PERSONA_ORGANISATION)
    persona_body = next(b for b in bodies if b.county_id == karlskrona.county_id and b.level == "tactical")
    memberships.append(
        Membership(
            body_id=persona_body.pk,
            user_id=persona.pk,
            organisation_id=karlskrona.pk,
            role="chair",
            starts_on=start,
        )
    )
    assignments.append((persona.pk, Role.CHAIR, persona_body))
    with transaction.atomic():
        copy_objects(Body, bodies)
        copy_objects(ReportingLine, with_ids(ReportingLine, lines))
        copy_objects(Membership, with_ids(Membership, memberships))
        role_rows_write([(u, Role(r), scope) for u, r, scope in assignments])
    print(f"  {len(bodies)} bodies, {len(memberships)} memberships", flush=True)
    now = datetime.now(tz=TZ)
    organisations_of: dict[int, list[int]] = {}
    for membership in memberships:
        organisations_of.setdefault(membership.body_id, []).append(membership.organisation_id)
    totals = [0, 0, 0, 0]
    for offset in range(0, len(bodies), 60):
        chunk = bodies[offset : offset + 60]
        meetings, items, paragraphs, decisions = [], [], [], []
        for body in chunk:
            for year in range(now.year - YEARS + 1, now.year + 1):
                for k in range(MEETINGS_PER_YEAR):
                    month = [1, 2, 3, 4, 5, 6, 9, 10, 11, 12][k]
                    starts_at = datetime(year, month, 10 + body.pk % 10, 13, 0, tzinfo=TZ)
                    meetings.append(Meeting(body_id=body.pk, starts_at=starts_at, location="Regionhuset"))
        with_ids(Meeting, meetings)
        number: dict[tuple[int, int], int] = {}
        for meeting in meetings:
            past = meeting.starts_at < now - timedelta(days=30)
            if not past:
                continue
            meeting.status = "protocol_draft"
            meeting.agenda_published_at = meeting.starts_at - timedelta(days=8)
            meeting.quorate = True
            meeting.protocol_published_at = meeting.starts_at + timedelta(days=14)
            year = meeting.starts_at.year
            for k, title in enumerate(ITEM_TITLES):
                item = AgendaItem(
                    meeting_id=meeting.pk,
                    title=title,
                    kind="decision" if k in (1, 3) else "information",
                    presenter="Sekreteraren",
                    proposal="Att godkänna redovisningen." if k in (1, 3) else "",
                    status="accepted",
                    order=k,
                )
                items.append(item)
                n = number.get((meeting.body_id, year), 0) + 1
                number[(meeting.body_id, year)] = n
                paragraphs.append(
                    Paragraph(
                        meeting_id=meeting.pk,
                        body_id=meeting.body_id,
                        year=year,
                        number=n,
                        item=item,
                        title=title,
                        notes="Föredragande redogör för ärendet. Gruppen diskuterar.",
                        decision="Gruppen beslutar att godkänna redovisningen." if k in (1, 3) else "",
                    )
                )
        with_ids(AgendaItem, items)
        with_ids(Paragraph, paragraphs)
        for paragraph in paragraphs:
            paragraph.item_id = paragraph.item.pk
            if paragraph.decision:
                due = paragraph.year + 1
                decisions.append(
                    Decision(
                        paragraph_id=paragraph.pk,
                        body_id=paragraph.body_id,
                        text=paragraph.decision,
                        responsible_organisation_id=rng.choice(organisations_of[paragraph.body_id]),
                        responsible_person="Verksamhetschef",
                        due=date(due, 6, 30),
                        status="open" if due >= now.year else rng.choice(["done", "done", "cancelled"]),
                    )
                )
        with transaction.atomic():
            copy_objects(Meeting, meetings)
            copy_objects(AgendaItem, items)
            copy_objects(Paragraph, paragraphs)
            copy_objects(Decision, with_ids(Decision, decisions))
            Meeting.objects.filter(pk__in=[m.pk for m in meetings], status="protocol_draft").update(
                status="published"
            )
        for i, count in enumerate([len(meetings), len(items), len(paragraphs), len(decisions)]):
            totals[i] += count
    print(f"  {totals[0]} meetings, {totals[1]} agenda items, {totals[2]} paragraphs, {totals[3]} decisions")


def _level_name(level: str) -> str:
    return {
        "political": "Politisk samverkansgrupp",
        "strategic": "Ledningsgrupp",
        "tactical": "Samverkansgrupp",
        "operational": "Lokal samverkansgrupp",
    }[level]


def _parent_level(level: str) -> str | None:
    return {"strategic": "political", "tactical": "strategic", "operational": "tactical"}.get(level)


# --- deviations ---------------------------------------------------------------------------------------


def rollup_rebuild() -> None:
    from deviations import rollup

    print(f"  {rollup.rebuild()} rollup rows")


def cases_generate(total: int) -> None:
    """Deviations and disputes over the last five years in every county, as bench/deviations_bench.py
    draws them (categories, levels, states and feedback times), reported by the organisations' officials."""
    from bulk import copy_objects, copy_rows, with_ids
    from deviations_bench import Pool, _case, _concerned
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from deviations.models import Case, Category
    from samverkan.models import County

    rng = random.Random(2026)  # noqa: S311 - benchmark data
    today = timezone.localdate()
    categories = {c.code: c for c in Category.objects.filter(county__isnull=True)}
    reporters: dict[int, list[int]] = {}
    for user_id, organisation_id in User.objects.filter(profile__organisation__isnull=False).values_list(
        "pk", "profile__organisation_id"
    ):
        reporters.setdefault(organisation_id, []).append(user_id)
    counties = list(County.objects.order_by("code"))
    pools = {county.code: Pool(county.code) for county in counties}
    years = list(range(today.year - CASE_YEARS + 1, today.year + 1))
    written = 0
    while written < total:
        size = min(BATCH, total - written)
        rows = []
        for i in range(size):
            pool = pools[counties[(written + i) % len(counties)].code]
            year = rng.choice(years)
            case, from_region = _case(rng, pool, year, categories, 0, today)
            while case.reported_at.date() > today:  # the current year: only what has happened
                case, from_region = _case(rng, pool, year, categories, 0, today)
            case.reported_by_id = rng.choice(reporters[case.reporting_organisation_id])
            rows.append((case, from_region, pool))
        with transaction.atomic():
            copy_objects(Case, with_ids(Case, [case for case, _r, _p in rows]))
            copy_rows(
                Case.concerned.through,
                ["case_id", "organisation_id"],
                (
                    (case.pk, organisation.pk)
                    for case, from_region, pool in rows
                    for organisation in _concerned(rng, pool, from_region)
                ),
            )
        written += size
        print(f"  {written} cases", flush=True)


# --- the whole ----------------------------------------------------------------------------------------


def complete(cases: int) -> bool:
    from django.contrib.auth.models import User

    from deviations.models import Case

    return User.objects.filter(username=PERSONA).exists() and Case.objects.count() >= cases


def vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="drop the national database and generate anew")
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--users", type=int, default=5_000)
    args = parser.parse_args()
    os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.dummy.DummyBackend")  # no PDF rendering
    stages = Stages()
    if args.fresh:
        drop_database(database_url(SUFFIX))
    stages.run("migrate (reference data)", setup_django, SUFFIX)
    if complete(args.cases):
        name = database_url(SUFFIX).rpartition("/")[2]
        print(f"The national dataset is already in {name} (--fresh to generate it again).")
        return
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM auth_user")
        if cursor.fetchone()[0]:
            connection.close()
            drop_database(database_url(SUFFIX))
            stages.run("migrate again (was partial)", setup_django, SUFFIX)
    template = stages.run("import Blekinge (importer)", template_import)
    stages.run("users and roles", users_generate, args.users)
    stages.run("agreements and versions", agreements_generate, template)
    stages.run("bodies, meetings, protocols", governance_generate)
    stages.run("deviations", cases_generate, args.cases)
    stages.run("statistics rollup (the cases were written past the services)", rollup_rebuild)
    stages.run("vacuum analyze", vacuum)
    stages.print()


if __name__ == "__main__":
    main()
