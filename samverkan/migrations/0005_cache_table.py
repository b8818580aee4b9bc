"""The table of the shared cache (settings.CACHES["default"], Django's database cache), as
`manage.py createcachetable` makes it, so that every installation gets it with `migrate`."""

from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS "samverkan_cache" (
    "cache_key" varchar(255) NOT NULL PRIMARY KEY,
    "value" text NOT NULL,
    "expires" timestamp with time zone NOT NULL
);
CREATE INDEX IF NOT EXISTS "samverkan_cache_expires" ON "samverkan_cache" ("expires");
"""


class Migration(migrations.Migration):
    dependencies = [("samverkan", "0004_swedish_collation")]

    operations = [migrations.RunSQL(CREATE, 'DROP TABLE IF EXISTS "samverkan_cache";')]
