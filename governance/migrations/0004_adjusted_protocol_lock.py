"""An adjusted (or published) protocol is locked in the database too: its paragraphs cannot be inserted,
changed or deleted, and the meeting cannot go back to an earlier status. Corrections are separate rows."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION governance_refuse_locked_paragraph() RETURNS trigger AS $$
DECLARE
    meeting_status text;
BEGIN
    SELECT status INTO meeting_status FROM governance_meeting
     WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.meeting_id ELSE NEW.meeting_id END;
    IF meeting_status IN ('adjusted', 'published') THEN
        RAISE EXCEPTION 'the protocol is adjusted and locked: % on paragraph refused', TG_OP
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER governance_paragraph_locked BEFORE INSERT OR UPDATE OR DELETE ON governance_paragraph
    FOR EACH ROW EXECUTE FUNCTION governance_refuse_locked_paragraph();

CREATE OR REPLACE FUNCTION governance_refuse_unlocking_meeting() RETURNS trigger AS $$
BEGIN
    IF OLD.status IN ('adjusted', 'published') AND NEW.status NOT IN ('adjusted', 'published') THEN
        RAISE EXCEPTION 'an adjusted protocol cannot be reopened' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER governance_meeting_stays_locked BEFORE UPDATE ON governance_meeting
    FOR EACH ROW EXECUTE FUNCTION governance_refuse_unlocking_meeting();
"""

DROP = """
DROP TRIGGER IF EXISTS governance_paragraph_locked ON governance_paragraph;
DROP TRIGGER IF EXISTS governance_meeting_stays_locked ON governance_meeting;
DROP FUNCTION IF EXISTS governance_refuse_locked_paragraph();
DROP FUNCTION IF EXISTS governance_refuse_unlocking_meeting();
"""


class Migration(migrations.Migration):
    dependencies = [("governance", "0003_meetings_and_protocols")]

    operations = [migrations.RunSQL(SQL, DROP)]
