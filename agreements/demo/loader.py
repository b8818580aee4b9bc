"""Demo agreements from the seeds: Blekinge (with an earlier version, so history and comparison show
something), Kalmar and Västernorrland. Loaded by ``manage.py load_demo``; agreements already present are
left alone."""

import copy
from datetime import date
from pathlib import Path

from django.db import transaction

from agreements import services
from agreements.importer import parse_file
from agreements.models import Agreement, ResponsibilityArea, Side
from samverkan.registry import Demo

DATA = Path(__file__).resolve().parent.parent / "data"
FILES = ["blekinge-2023.yaml", "kalmar-psykisk-funktionsnedsattning-2024.yaml", "vasternorrland-2017.yaml"]
REASON = "Demodata"

# The earlier Blekinge version differs from the document in the assistive-devices row for adults: it lacked
# the duty for daily activities, and version 2 added it. This history is invented for the demo.
BLEKINGE_GROUP, BLEKINGE_AREA = "vuxna-med-funktionsnedsattning", "Hjälpmedel"
BLEKINGE_ADDED_DUTY = "personer som bor i ordinärt boende och förskrivning gäller till daglig verksamhet"


def agreements_demo_run(demo: Demo) -> None:
    for agreement in agreements_demo_load():
        demo.report.append(f"Överenskommelse inläst: {agreement}")


@transaction.atomic
def agreements_demo_load() -> list[Agreement]:
    loaded = []
    for name in FILES:
        parsed = parse_file(DATA / name)
        if Agreement.objects.filter(county=parsed.county, title=parsed.agreement["title"]).exists():
            continue
        if name.startswith("blekinge"):
            loaded.append(_blekinge(parsed, source=name))
        else:
            loaded.append(services.agreement_version_import(parsed=parsed, source=name, by=None).agreement)
    return loaded


def _blekinge(parsed, *, source: str) -> Agreement:
    earlier = copy.deepcopy(parsed)
    earlier.version["adopted_on"] = date(2023, 5, 5)
    earlier.version["effective_from"] = date(2023, 6, 1)
    group = next(g for g in earlier.target_groups if g["key"] == BLEKINGE_GROUP)
    area = next(a for a in group["areas"] if a["name"] == BLEKINGE_AREA)
    area["duties"] = [d for d in area["duties"] if d["text"] != BLEKINGE_ADDED_DUTY]
    version_1 = services.agreement_version_import(parsed=earlier, source=source, by=None)
    agreement = version_1.agreement

    draft = services.version_revision_create(
        agreement=agreement, by=None, reason="Förtydligande om hjälpmedel"
    )
    area_2 = ResponsibilityArea.objects.get(
        version=draft, name=BLEKINGE_AREA, target_group__key=BLEKINGE_GROUP
    )
    area_2.version = draft
    services.duty_create(area=area_2, side=Side.MUNICIPAL, text=BLEKINGE_ADDED_DUTY, by=None, reason=REASON)
    services.version_adopt(
        version=draft,
        adopted_on=date(2024, 3, 8),
        effective_from=date(2024, 4, 1),
        decision_reference="LSVO 2024-03-08 § 6 (exempel)",
        change="Förtydligat att kommunerna förskriver hjälpmedel till daglig verksamhet för personer i "
        "ordinärt boende (påhittad ändring för demonstration av versionshantering).",
        by=None,
    )
    lsvo = agreement.county.bodies.filter(abbreviation="LSVO").first()
    if lsvo is not None:
        services.agreement_adopting_body_set(agreement=agreement, body=lsvo, by=None)
    return agreement
