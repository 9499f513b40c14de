"""An ``updated_at`` on lines and funders: the funding dashboard's cache key.

Adding a NOT NULL column makes SQLite rebuild the table, which drops its
triggers: the share/amount triggers of 0002 are created again afterwards.
"""

from importlib import import_module

import django.utils.timezone
from django.db import migrations, models

triggers = import_module("funding.migrations.0002_share_triggers")


def recreate_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL keeps its triggers through ALTER TABLE ADD COLUMN
    for statement in triggers.SQLITE_REVERSE + triggers.SQLITE:
        schema_editor.execute(statement, params=None)


def drop_sqlite_triggers(apps, schema_editor):
    """Backwards: out of the way while the tables are rebuilt (they refer to operations)."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in triggers.SQLITE_REVERSE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0003_history"),
    ]

    operations = [
        # Backwards too: removing the columns rebuilds the table again (operations are
        # undone in reverse, so this one runs last).
        migrations.RunPython(migrations.RunPython.noop, recreate_sqlite_triggers),
        migrations.AddField(
            model_name="financingline",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, verbose_name="mis à jour le"),
        ),
        migrations.AddField(
            model_name="funder",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, verbose_name="mis à jour le"),
        ),
        migrations.AddField(
            model_name="historicalfinancingline",
            name="updated_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="mis à jour le",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="fundedoperation",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AlterField(
            model_name="historicalfundedoperation",
            name="updated_at",
            field=models.DateTimeField(blank=True, db_index=True, editable=False),
        ),
        migrations.RunPython(recreate_sqlite_triggers, drop_sqlite_triggers),
    ]
