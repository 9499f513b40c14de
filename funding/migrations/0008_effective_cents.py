"""Each line's effective amount in whole cents too, kept by the same triggers.

The funding dashboard adds up every visible line three times (per funder and
year, per hub, per operation). PostgreSQL adds ``numeric`` values one digit group
at a time; whole cents in a ``bigint`` are added natively, exactly (issue 19:
the per-operation pass 61 → 49 ms, the per-hub pass 42 → 32 ms over 100,000
lines). The amount in euros (``effective``) stays what the pages, exports and
money rule read; ``effective_cents`` is ``effective`` × 100, an integer since
0006 rounds every derived amount to the cent.

- PostgreSQL: the line's BEFORE trigger (0006) sets it with the others (an
  operation's change reaches its lines through that trigger).
- SQLite: each trigger of 0006 completes it with one more statement (an UPDATE
  that names none of the columns the line's update trigger watches: no loop).

A nullable column without a default: SQLite adds it without rebuilding the table
(a rebuild would drop the triggers, see 0007). Undoing this migration puts 0006's
triggers back before the column goes.
"""

from importlib import import_module

from django.db import migrations, models

to_the_cent = import_module("funding.migrations.0006_effective_to_the_cent")
derived = import_module("funding.migrations.0005_line_derived_columns")

_CENTS = "CAST(ROUND(effective * 100) AS INTEGER)"

SQLITE = [
    *derived.SQLITE_REVERSE,
    f"""
    CREATE TRIGGER funding_line_derived_insert AFTER INSERT ON funding_financingline
    BEGIN {to_the_cent._COMPLETE_NEW_LINE}
        UPDATE funding_financingline SET effective_cents = {_CENTS} WHERE id = NEW.id;
    END
    """,  # noqa: S608 (no input: our own SQL text)
    f"""
    CREATE TRIGGER funding_line_derived_update
    AFTER UPDATE OF amount, share, decision_date, operation_id ON funding_financingline
    BEGIN {to_the_cent._COMPLETE_NEW_LINE}
        UPDATE funding_financingline SET effective_cents = {_CENTS} WHERE id = NEW.id;
    END
    """,  # noqa: S608
    f"""
    CREATE TRIGGER funding_operation_derived
    AFTER UPDATE OF total_cost, start_date, hub_id ON funding_fundedoperation
    WHEN OLD.total_cost IS NOT NEW.total_cost
        OR OLD.start_date IS NOT NEW.start_date
        OR OLD.hub_id IS NOT NEW.hub_id
    BEGIN
        UPDATE funding_financingline SET
            effective = CASE
                WHEN amount IS NOT NULL THEN amount
                WHEN share IS NOT NULL THEN {to_the_cent._sqlite_share_of("NEW.total_cost", "share")}
            END,
            year = COALESCE(
                CAST(strftime('%Y', decision_date) AS INTEGER),
                CAST(strftime('%Y', NEW.start_date) AS INTEGER)),
            hub_id = NEW.hub_id
        WHERE operation_id = NEW.id;
        UPDATE funding_financingline SET effective_cents = {_CENTS} WHERE operation_id = NEW.id;
    END
    """,  # noqa: S608
    # The lines already there.
    f"UPDATE funding_financingline SET effective_cents = {_CENTS}",  # noqa: S608
]

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION funding_line_derived() RETURNS trigger AS $$
    DECLARE
        operation funding_fundedoperation%ROWTYPE;
    BEGIN
        SELECT * INTO operation FROM funding_fundedoperation WHERE id = NEW.operation_id;
        NEW.effective := CASE
            WHEN NEW.amount IS NOT NULL THEN NEW.amount
            WHEN NEW.share IS NOT NULL THEN ROUND(operation.total_cost * NEW.share / 100, 2)
        END;
        NEW.effective_cents := ROUND(NEW.effective * 100);
        NEW.year := COALESCE(
            EXTRACT(YEAR FROM NEW.decision_date), EXTRACT(YEAR FROM operation.start_date));
        NEW.hub_id := operation.hub_id;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    # The lines already there (the trigger computes each).
    "UPDATE funding_financingline SET effective_cents = NULL",
]


_run = to_the_cent._run  # run SQL statements ("%" is SQL there, not a placeholder)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(SQLITE)(apps, schema_editor)
    elif vendor == "postgresql":
        _run(POSTGRESQL)(apps, schema_editor)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(to_the_cent.SQLITE[:-1])(apps, schema_editor)  # 0006's triggers, no backfill
    elif vendor == "postgresql":
        _run(to_the_cent.POSTGRESQL[:1])(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("funding", "0007_line_nature_and_planned")]

    operations = [
        migrations.AddField(
            model_name="financingline",
            name="effective_cents",
            field=models.BigIntegerField(
                editable=False,
                null=True,
                verbose_name="montant retenu (centimes)",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
