"""Seed the schemes (see lokalkomp/schemes/seed.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from lokalkomp.schemes.seed import seed_schemes

    seed_schemes(apps.get_model("schemes", "Scheme"), apps.get_model("schemes", "SchemeCap"))


class Migration(migrations.Migration):
    dependencies = [("schemes", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
