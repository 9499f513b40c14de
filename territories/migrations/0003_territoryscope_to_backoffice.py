"""TerritoryScope now belongs to backoffice (its 0001 takes over the table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("territories", "0002_territoryscope"),
        ("backoffice", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="TerritoryScope")],
            database_operations=[],
        ),
    ]
