"""governance 0012: each body's one parent becomes its first reporting line (and back)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.shared import migrate_to as migrate

BEFORE = [("governance", "0011_body_roles_are_memberships")]
AFTER = [("governance", "0012_reporting_lines_and_validity")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_parent_becomes_a_reporting_line_and_a_body_without_one_gets_none():
    old = migrate(BEFORE)
    try:
        Body = old.get_model("governance", "Body")
        county_id = old.get_model("samverkan", "County").objects.get(code="10").pk
        top = Body.objects.create(county_id=county_id, name="Länsgrupp", level="strategic")
        group = Body.objects.create(county_id=county_id, name="Lokal grupp", level="tactical", parent=top)

        new = migrate(AFTER)
        lines = new.get_model("governance", "ReportingLine").objects.values_list("body_id", "reports_to_id")
        assert list(lines) == [(group.pk, top.pk)]
        assert new.get_model("governance", "Body").objects.get(pk=top.pk).valid_to is None

        back = migrate(BEFORE)
        assert back.get_model("governance", "Body").objects.get(pk=group.pk).parent_id == top.pk
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
