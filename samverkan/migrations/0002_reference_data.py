from django.db import migrations

from samverkan.reference import reference_data_load


def load(apps, schema_editor):
    reference_data_load(apps.get_model("samverkan", "County"), apps.get_model("samverkan", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [("samverkan", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
