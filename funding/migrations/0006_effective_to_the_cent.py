"""A line's derived amount rounded to the cent, half up, by the database too.

Migration 0005 stored ``total_cost × share / 100`` unrounded (50.005 for 50 % of
100.01 €) while ``funding.money.derived_amount`` rounds it half up to the cent
(50.01 €), and the CSV quantized the stored value half to even (50.00 €): three
amounts for one line (issue 19). The triggers now round like ``money.derived_amount``:

- PostgreSQL: ``ROUND(numeric, 2)`` rounds half away from zero, which is half up
  for the amounts and shares here (never negative: check constraints).
- SQLite keeps decimals as floating point numbers, where 50.005 is 50.00499…: the
  rounding is done on whole cents and hundredths of a percent, in integers
  (``(cents × hundredths + 5000) / 10000``, integer division), exact up to the
  largest total the column allows (10^14 cents × 10^4 < 2^63).

The lines already there are computed again. Undoing this migration puts 0005's
triggers back.
"""

from importlib import import_module

from django.db import migrations

derived = import_module("funding.migrations.0005_line_derived_columns")

#: A share of a total, to the cent, half up, on SQLite (see the module's docstring).
SQLITE_SHARE_OF = (
    "((CAST(ROUND({total} * 100) AS INTEGER) * CAST(ROUND({share} * 100) AS INTEGER)"
    " + 5000) / 10000) / 100.0"
)


def _sqlite_share_of(total: str, share: str) -> str:
    return SQLITE_SHARE_OF.format(total=total, share=share)


_COMPLETE_NEW_LINE = f"""
        UPDATE funding_financingline SET
            effective = CASE
                WHEN NEW.amount IS NOT NULL THEN NEW.amount
                WHEN NEW.share IS NOT NULL THEN (
                    SELECT {_sqlite_share_of("total_cost", "NEW.share")}
                    FROM funding_fundedoperation WHERE id = NEW.operation_id)
            END,
            year = COALESCE(
                CAST(strftime('%Y', NEW.decision_date) AS INTEGER),
                (SELECT CAST(strftime('%Y', start_date) AS INTEGER)
                 FROM funding_fundedoperation WHERE id = NEW.operation_id)),
            hub_id = (SELECT hub_id FROM funding_fundedoperation WHERE id = NEW.operation_id)
        WHERE id = NEW.id;
"""  # noqa: S608 (no input: our own SQL text)

SQLITE = [
    *derived.SQLITE_REVERSE,
    f"""
    CREATE TRIGGER funding_line_derived_insert AFTER INSERT ON funding_financingline
    BEGIN {_COMPLETE_NEW_LINE} END
    """,
    f"""
    CREATE TRIGGER funding_line_derived_update
    AFTER UPDATE OF amount, share, decision_date, operation_id ON funding_financingline
    BEGIN {_COMPLETE_NEW_LINE} END
    """,
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
                WHEN share IS NOT NULL THEN {_sqlite_share_of("NEW.total_cost", "share")}
            END,
            year = COALESCE(
                CAST(strftime('%Y', decision_date) AS INTEGER),
                CAST(strftime('%Y', NEW.start_date) AS INTEGER)),
            hub_id = NEW.hub_id
        WHERE operation_id = NEW.id;
    END
    """,  # noqa: S608
    # The lines already there.
    f"""
    UPDATE funding_financingline SET
        effective = CASE
            WHEN amount IS NOT NULL THEN amount
            WHEN share IS NOT NULL THEN (
                SELECT {_sqlite_share_of("o.total_cost", "share")}
                FROM funding_fundedoperation o WHERE o.id = operation_id)
        END
    """,  # noqa: S608
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
        NEW.year := COALESCE(
            EXTRACT(YEAR FROM NEW.decision_date), EXTRACT(YEAR FROM operation.start_date));
        NEW.hub_id := operation.hub_id;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    # The lines already there (the trigger computes each).
    "UPDATE funding_financingline SET hub_id = NULL WHERE share IS NOT NULL",
]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements:
            schema_editor.execute(statement, params=None)  # "%" is SQL here, not a placeholder

    return run


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(SQLITE)(apps, schema_editor)
    elif vendor == "postgresql":
        _run(POSTGRESQL)(apps, schema_editor)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run([*derived.SQLITE_REVERSE, *derived.SQLITE])(apps, schema_editor)
    elif vendor == "postgresql":
        _run(derived.POSTGRESQL[:1] + derived.POSTGRESQL[-1:])(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("funding", "0005_line_derived_columns")]

    operations = [migrations.RunPython(forwards, backwards)]
