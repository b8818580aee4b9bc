"""The demo data of the previous release (the landed commit before this work, 9d86df4), migrated forward:
bodies with their one parent become bodies with reporting lines, ladders become routes for both kinds of
case with their deadlines kept, and nothing is lost on the way.

The fixture (tests/data/previous_release_demo.json) is `manage.py dumpdata governance.body
agreements.agreement deviations.ladder deviations.ladderlevel` of that release's `load_demo`. It is
written here through the historical models of the previous migrations, as that release's database held it.
"""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.shared import migrate_to as migrate

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "previous_release_demo.json"
PREVIOUS = [
    ("governance", "0011_body_roles_are_memberships"),
    ("deviations", "0004_ladderlevel_escalate_at_once"),
    ("samverkan", "0007_vice_chair_role_and_no_groups"),
    ("agreements", "0011_party_ratification"),
]


def load(apps, records: list[dict]) -> None:
    """Insert the records in an order their foreign keys allow, with the historical models."""
    later_m2m = []
    for record in sorted(records, key=lambda r: ORDER.index(r["model"])):
        model = apps.get_model(record["model"])
        values, m2m = {"pk": record["pk"]}, {}
        for name, value in record["fields"].items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                m2m[name] = value
            elif field.is_relation:
                values[field.attname] = value
            else:
                values[name] = value
        obj = model(**values)
        obj.save_base(raw=True)
        later_m2m.append((obj, m2m))
    for obj, m2m in later_m2m:
        for name, value in m2m.items():
            getattr(obj, name).set(value)


ORDER = ["governance.body", "agreements.agreement", "deviations.ladder", "deviations.ladderlevel"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_previous_releases_demo_migrates_forward_with_nothing_lost():
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    bodies = [r for r in records if r["model"] == "governance.body"]
    # Parents first: a body's parent is inserted before it (the fixture lists bodies by name).
    bodies.sort(key=lambda r: r["fields"]["parent"] is not None)
    rest = [r for r in records if r["model"] != "governance.body"]
    old = migrate(PREVIOUS)
    try:
        load(old, bodies + rest)
        leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
        new = migrate(leaves)
        lines = set(
            new.get_model("governance", "ReportingLine").objects.values_list("body_id", "reports_to_id")
        )
        parents = {(r["pk"], r["fields"]["parent"]) for r in bodies if r["fields"]["parent"]}
        assert parents and lines == parents
        Body = new.get_model("governance", "Body")
        assert Body.objects.count() == len(bodies) and not Body.objects.exclude(valid_to=None).exists()
        Ladder = new.get_model("deviations", "Ladder")
        assert set(Ladder.objects.values_list("applies_to", flat=True)) == {"both"}
        Level = new.get_model("deviations", "LadderLevel")
        before = {
            (r["pk"], r["fields"]["start_days"], r["fields"]["feedback_days"])
            for r in records
            if r["model"] == "deviations.ladderlevel"
        }
        assert set(Level.objects.values_list("pk", "start_days", "feedback_days")) == before
        assert not Level.objects.exclude(cost_sharing="").exists()
        assert not Level.objects.exclude(deciding_body=None).exists()
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
