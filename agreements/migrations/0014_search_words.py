"""The words of the published agreements, for the search to correct a misspelled word; and the ranking of
sections for the search.

pg_trgm finds the nearest word; a trigger adds the words of a version's texts when it leaves draft (its
texts are frozen from then on, migration 0002); existing published versions are added here."""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

import samverkan.personal_data

WORDS = r"""
CREATE FUNCTION agreements_search_words_add(versions bigint[]) RETURNS void AS $$
    INSERT INTO agreements_searchword (word, stem, uses)
    SELECT word, (ts_lexize('swedish_stem', word))[1], count(*)
      FROM (
            SELECT unnest(tsvector_to_array(to_tsvector('simple', text)))
              FROM agreements_duty WHERE version_id = ANY (versions)
            UNION ALL
            SELECT unnest(tsvector_to_array(to_tsvector('simple', name)))
              FROM agreements_responsibilityarea WHERE version_id = ANY (versions)
            UNION ALL
            SELECT unnest(tsvector_to_array(to_tsvector('simple', title || ' ' || text)))
              FROM agreements_section WHERE version_id = ANY (versions)
           ) AS found (word)
     WHERE length(word) BETWEEN 3 AND 60 AND word ~ '^[[:alpha:]]+$'
     GROUP BY word
    HAVING (ts_lexize('swedish_stem', word))[1] IS NOT NULL
        ON CONFLICT (word) DO UPDATE SET uses = agreements_searchword.uses + EXCLUDED.uses;
$$ LANGUAGE sql;

CREATE FUNCTION agreements_version_words() RETURNS trigger AS $$
BEGIN
    PERFORM agreements_search_words_add(ARRAY[NEW.id]);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER agreements_version_words AFTER UPDATE OF status ON agreements_agreementversion
    FOR EACH ROW WHEN (OLD.status = 'draft' AND NEW.status <> 'draft')
    EXECUTE FUNCTION agreements_version_words();

-- The best sections of the versions for a query: ranked among the first ``candidates`` that match, so
-- that a word found in most sections costs no more than a rare one. Planned with the actual values
-- (EXECUTE) and from bitmaps: PostgreSQL then combines the version index with the full-text index,
-- where a plain index scan of the versions tests the query on every in-force section.
CREATE FUNCTION agreements_sections_ranked(versions bigint[], query tsquery, best integer, candidates integer)
RETURNS TABLE (id bigint) AS $$
BEGIN
    RETURN QUERY EXECUTE
        'SELECT found.id FROM (SELECT s.id, s.search FROM agreements_section s
                                WHERE s.version_id = ANY ($1) AND s.search @@ $2 LIMIT $4) AS found
          ORDER BY ts_rank(found.search, $2) DESC, found.id LIMIT $3'
        USING versions, query, best, candidates;
END;
$$ LANGUAGE plpgsql STABLE SET enable_indexscan = off;

SELECT agreements_search_words_add(ARRAY(SELECT id FROM agreements_agreementversion WHERE status <> 'draft'));
"""

DROP = """
DROP TRIGGER IF EXISTS agreements_version_words ON agreements_agreementversion;
DROP FUNCTION IF EXISTS agreements_version_words();
DROP FUNCTION IF EXISTS agreements_search_words_add(bigint[]);
DROP FUNCTION IF EXISTS agreements_sections_ranked(bigint[], tsquery, integer, integer);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0013_own_column_headings"),
    ]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "word",
                    models.CharField(
                        db_collation="C",
                        max_length=60,
                        primary_key=True,
                        serialize=False,
                        validators=[samverkan.personal_data.validate_no_identity_numbers],
                    ),
                ),
                (
                    "stem",
                    models.CharField(
                        db_collation="C",
                        max_length=60,
                        validators=[samverkan.personal_data.validate_no_identity_numbers],
                    ),
                ),
                ("uses", models.PositiveIntegerField(default=0, help_text="Texts that contain the word.")),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GistIndex(
                        fields=["word"], name="search_word_trgm", opclasses=["gist_trgm_ops"]
                    ),
                    models.Index(fields=["stem"], name="search_word_stem"),
                ],
            },
        ),
        migrations.RunSQL(WORDS, DROP),
    ]
