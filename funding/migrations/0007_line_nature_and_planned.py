"""Each line's nature (co-financing or the public body's own spending) and the
« prévu » status for commitments not decided yet (issue 19).

Adding a column with a default makes SQLite rebuild the table, and a trigger
that names the table (the operation's, 0006) makes the rebuild fail: every
trigger of the lines is dropped before and created again after, the share/amount
rules (0002) and the derived amount (0006) — forwards and backwards alike.
"""

from importlib import import_module

from django.db import migrations, models

rules = import_module("funding.migrations.0004_updated_at")
to_the_cent = import_module("funding.migrations.0006_effective_to_the_cent")

NATURES = [
    ("subsidy", "subvention"),
    ("advance", "avance remboursable"),
    ("direct", "dépense directe"),
    ("acquisition", "acquisition"),
]
NATURE_HELP = (
    "Une subvention ou une avance cofinance le projet du lieu ; une dépense directe "
    "ou une acquisition est l'argent que la collectivité dépense pour elle-même."
)
STATUSES = [
    ("planned", "prévu"),
    ("requested", "demandé"),
    ("granted", "accordé"),
    ("paid", "versé"),
]


def recreate_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL keeps its triggers through ALTER TABLE ADD COLUMN
    rules.recreate_sqlite_triggers(apps, schema_editor)
    to_the_cent.forwards(apps, schema_editor)


def drop_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in rules.triggers.SQLITE_REVERSE + to_the_cent.derived.SQLITE_REVERSE:
        schema_editor.execute(statement, params=None)


def nature_field():
    return models.CharField(
        choices=NATURES,
        default="subsidy",
        help_text=NATURE_HELP,
        max_length=12,
        verbose_name="nature",
    )


def status_field():
    return models.CharField(
        choices=STATUSES, db_index=True, default="granted", max_length=10, verbose_name="état"
    )


class Migration(migrations.Migration):
    dependencies = [("funding", "0006_effective_to_the_cent")]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, recreate_sqlite_triggers),
        migrations.AddField(model_name="financingline", name="nature", field=nature_field()),
        migrations.AddField(
            model_name="historicalfinancingline", name="nature", field=nature_field()
        ),
        migrations.AlterField(model_name="financingline", name="status", field=status_field()),
        migrations.AlterField(
            model_name="historicalfinancingline", name="status", field=status_field()
        ),
        migrations.RunPython(recreate_sqlite_triggers, drop_sqlite_triggers),
    ]
