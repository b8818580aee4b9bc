"""Adopted versions are frozen in the database itself: triggers refuse any insert, update or delete of
content that belongs to a version that is not a draft, and any change to such a version except the step
adopted → superseded. Also loads the known laws."""

from django.db import migrations

CONTENT_TABLES = [
    "agreements_changelogentry",
    "agreements_section",
    "agreements_targetgroup",
    "agreements_responsibilityarea",
    "agreements_duty",
    "agreements_legalreference",
    "agreements_developmentarea",
]

FUNCTIONS = """
CREATE OR REPLACE FUNCTION agreements_refuse_frozen_content() RETURNS trigger AS $$
DECLARE
    frozen_status text;
BEGIN
    SELECT status INTO frozen_status FROM agreements_agreementversion
     WHERE id IN (CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.version_id END,
                  CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.version_id END)
       AND status <> 'draft'
     LIMIT 1;
    IF frozen_status IS NOT NULL THEN
        RAISE EXCEPTION 'agreement version is % and frozen: % on % refused', frozen_status, TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION agreements_refuse_frozen_version() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'draft' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'agreement version % is % and cannot be deleted', OLD.id, OLD.status
            USING ERRCODE = 'check_violation';
    END IF;
    IF (NEW.agreement_id, NEW.number, NEW.adopted_on, NEW.effective_from, NEW.decision_reference,
        NEW.based_on_id)
       IS DISTINCT FROM
       (OLD.agreement_id, OLD.number, OLD.adopted_on, OLD.effective_from, OLD.decision_reference,
        OLD.based_on_id)
       OR NOT (NEW.status = OLD.status OR (OLD.status = 'adopted' AND NEW.status = 'superseded')) THEN
        RAISE EXCEPTION 'agreement version % is % and frozen', OLD.id, OLD.status
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER agreements_version_frozen BEFORE UPDATE OR DELETE ON agreements_agreementversion
    FOR EACH ROW EXECUTE FUNCTION agreements_refuse_frozen_version();
"""

CONTENT_TRIGGERS = "\n".join(
    f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION agreements_refuse_frozen_content();"
    for table in CONTENT_TABLES
)

DROP = (
    "\n".join(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table};" for table in CONTENT_TABLES)
    + """
DROP TRIGGER IF EXISTS agreements_version_frozen ON agreements_agreementversion;
DROP FUNCTION IF EXISTS agreements_refuse_frozen_content();
DROP FUNCTION IF EXISTS agreements_refuse_frozen_version();
"""
)


def load_laws(apps, schema_editor):
    from agreements.laws import LAWS

    Law = apps.get_model("agreements", "Law")
    for code, name in LAWS.items():
        Law.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [
        migrations.RunSQL(FUNCTIONS + CONTENT_TRIGGERS, DROP),
        migrations.RunPython(load_laws, migrations.RunPython.noop),
    ]
