"""Stored days to first feedback and Swedish year of report, indexed, for the statistics' median; and an
index of the open cases not yet flagged overdue, for the statistics' count of those overdue today."""

import zoneinfo

import django.db.models.functions.datetime
from django.db import migrations, models

import deviations.models


class Migration(migrations.Migration):
    dependencies = [("deviations", "0006_statistics_rollup")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="feedback_days",
            field=models.GeneratedField(
                db_persist=True,
                expression=deviations.models.DaysBetween(
                    models.F("first_feedback_at"), models.F("reported_at")
                ),
                output_field=models.FloatField(),
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="reported_year",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.datetime.ExtractYear(
                    "reported_at", tzinfo=zoneinfo.ZoneInfo(key="Europe/Stockholm")
                ),
                output_field=models.IntegerField(),
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("feedback_days__isnull", False)),
                fields=["county", "reported_year", "feedback_days"],
                name="case_county_year_feedback",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("feedback_days__isnull", False)),
                fields=["reported_year", "feedback_days"],
                name="case_year_feedback",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    ("was_overdue", False),
                    models.Q(("state__in", ["closed", "resolved", "referred"]), _negated=True),
                ),
                fields=["reported_at", "county"],
                include=["state", "start_due", "feedback_due", "level_feedback_at"],
                name="case_open_unflagged",
            ),
        ),
    ]
