from django.db import migrations

DEFAULTS = [
    ("duty-not-performed", "Åtagande har inte utförts"),
    ("unit-unreachable", "Verksamheten gick inte att nå"),
    ("referral-not-answered", "Remiss eller förfrågan har inte besvarats"),
    ("sip-late", "SIP har inte påbörjats i tid"),
    ("discharge-failed", "Samordnad utskrivning fungerade inte"),
    ("information-not-transferred", "Information har inte överförts"),
    ("other", "Övrigt"),
]


def add_defaults(apps, schema_editor):
    Category = apps.get_model("deviations", "Category")
    for order, (code, name) in enumerate(DEFAULTS):
        Category.objects.update_or_create(county=None, code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("deviations", "0001_cases")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
