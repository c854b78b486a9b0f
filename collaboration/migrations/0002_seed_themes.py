from django.db import migrations

# The Landsbyggefonden 2019-2026 focus areas are active; earlier periods' themes stay available but inactive.
THEMES = [
    ("Uddannelse og livschancer", True),
    ("Beskæftigelse", True),
    ("Kriminalitetsforebyggelse", True),
    ("Sammenhængskraft og medborgerskab", True),
    ("Tryghed og trivsel", False),
    ("Forebyggelse og forældreansvar", False),
    ("Sundhed", False),
]


def seed_themes(apps, schema_editor):
    Theme = apps.get_model("collaboration", "Theme")
    for position, (name, active) in enumerate(THEMES):
        Theme.objects.get_or_create(name=name, defaults={"active": active, "position": position})


class Migration(migrations.Migration):
    dependencies = [("collaboration", "0001_initial")]
    operations = [migrations.RunPython(seed_themes, migrations.RunPython.noop)]
