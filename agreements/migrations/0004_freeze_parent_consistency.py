"""Content rows must belong to the same version as the row they hang off (a duty to its area's version,
an area to its target group's, …). Otherwise a draft row could be attached to an adopted version's area
and slip past the freeze."""

from django.db import migrations

CHECKS = [
    ("agreements_duty", "area_id", "agreements_responsibilityarea"),
    ("agreements_responsibilityarea", "target_group_id", "agreements_targetgroup"),
    ("agreements_legalreference", "duty_id", "agreements_duty"),
    ("agreements_section", "parent_id", "agreements_section"),
    ("agreements_developmentarea", "target_group_id", "agreements_targetgroup"),
]

FUNCTION = """
CREATE OR REPLACE FUNCTION agreements_same_version_as_parent() RETURNS trigger AS $$
DECLARE
    parent_id bigint := (to_jsonb(NEW) ->> TG_ARGV[1])::bigint;
    parent_version bigint;
BEGIN
    IF parent_id IS NULL THEN RETURN NEW; END IF;
    EXECUTE format('SELECT version_id FROM %I WHERE id = $1', TG_ARGV[0]) INTO parent_version USING parent_id;
    IF parent_version IS DISTINCT FROM NEW.version_id THEN
        RAISE EXCEPTION '% belongs to version % but its % is in version %',
            TG_TABLE_NAME, NEW.version_id, TG_ARGV[1], parent_version USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

TRIGGERS = "\n".join(
    f"CREATE TRIGGER {table}_same_version BEFORE INSERT OR UPDATE ON {table} "
    f"FOR EACH ROW EXECUTE FUNCTION agreements_same_version_as_parent('{parent}', '{column}');"
    for table, column, parent in CHECKS
)

DROP = "\n".join(f"DROP TRIGGER IF EXISTS {table}_same_version ON {table};" for table, _c, _p in CHECKS) + (
    "\nDROP FUNCTION IF EXISTS agreements_same_version_as_parent();"
)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_notice_alerts")]

    operations = [migrations.RunSQL(FUNCTION + TRIGGERS, DROP)]
