"""Each financing line's effective amount, year and hub, stored and kept by the database.

The funding dashboard groups every visible line three times (per funder and
year, per hub, per operation). Computing the effective amount (the amount, or
the share of a known total cost), the year (of the decision, else of the
operation's start) and the hub on the fly joined each line to its operation in
each pass (issue 7). They are now columns of the line, written by triggers:

- when a line is inserted or updated, from its own values and its operation's;
- when an operation's total cost, start date or hub changes, on its lines.

Django never writes them (``editable=False``, and the triggers overwrite what it
sends), so no door (the admin, an import, a script, SQL) can leave them stale.

Undoing this migration removes the columns, which makes SQLite rebuild the table and
drop its triggers: the share/amount triggers of 0002 are then created again.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

# The helpers of the earlier trigger migrations: run SQL by vendor (0002), create the
# share/amount triggers again on SQLite (0004).
share_triggers = import_module("funding.migrations.0002_share_triggers")
updated_at = import_module("funding.migrations.0004_updated_at")

# SQLite's BEFORE triggers cannot change the row: the new line is completed just after.
_COMPLETE_NEW_LINE = """
        UPDATE funding_financingline SET
            effective = CASE
                WHEN NEW.amount IS NOT NULL THEN NEW.amount
                WHEN NEW.share IS NOT NULL THEN (
                    SELECT total_cost * NEW.share / 100.0 FROM funding_fundedoperation
                    WHERE id = NEW.operation_id)
            END,
            year = COALESCE(
                CAST(strftime('%Y', NEW.decision_date) AS INTEGER),
                (SELECT CAST(strftime('%Y', start_date) AS INTEGER)
                 FROM funding_fundedoperation WHERE id = NEW.operation_id)),
            hub_id = (SELECT hub_id FROM funding_fundedoperation WHERE id = NEW.operation_id)
        WHERE id = NEW.id;
"""

SQLITE = [
    # Its UPDATE names none of the columns the second trigger watches: no loop.
    f"""
    CREATE TRIGGER funding_line_derived_insert AFTER INSERT ON funding_financingline
    BEGIN {_COMPLETE_NEW_LINE} END
    """,
    f"""
    CREATE TRIGGER funding_line_derived_update
    AFTER UPDATE OF amount, share, decision_date, operation_id ON funding_financingline
    BEGIN {_COMPLETE_NEW_LINE} END
    """,
    """
    CREATE TRIGGER funding_operation_derived
    AFTER UPDATE OF total_cost, start_date, hub_id ON funding_fundedoperation
    WHEN OLD.total_cost IS NOT NEW.total_cost
        OR OLD.start_date IS NOT NEW.start_date
        OR OLD.hub_id IS NOT NEW.hub_id
    BEGIN
        UPDATE funding_financingline SET
            effective = CASE
                WHEN amount IS NOT NULL THEN amount
                WHEN share IS NOT NULL THEN NEW.total_cost * share / 100.0
            END,
            year = COALESCE(
                CAST(strftime('%Y', decision_date) AS INTEGER),
                CAST(strftime('%Y', NEW.start_date) AS INTEGER)),
            hub_id = NEW.hub_id
        WHERE operation_id = NEW.id;
    END
    """,
    # The lines already there.
    """
    UPDATE funding_financingline SET
        effective = CASE
            WHEN amount IS NOT NULL THEN amount
            WHEN share IS NOT NULL THEN (
                SELECT o.total_cost * share / 100.0 FROM funding_fundedoperation o
                WHERE o.id = operation_id)
        END,
        year = COALESCE(
            CAST(strftime('%Y', decision_date) AS INTEGER),
            (SELECT CAST(strftime('%Y', o.start_date) AS INTEGER)
             FROM funding_fundedoperation o WHERE o.id = operation_id)),
        hub_id = (SELECT o.hub_id FROM funding_fundedoperation o WHERE o.id = operation_id)
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS funding_line_derived_insert",
    "DROP TRIGGER IF EXISTS funding_line_derived_update",
    "DROP TRIGGER IF EXISTS funding_operation_derived",
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
            WHEN NEW.share IS NOT NULL THEN operation.total_cost * NEW.share / 100
        END;
        NEW.year := COALESCE(
            EXTRACT(YEAR FROM NEW.decision_date), EXTRACT(YEAR FROM operation.start_date));
        NEW.hub_id := operation.hub_id;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER funding_line_derived BEFORE INSERT OR UPDATE ON funding_financingline
    FOR EACH ROW EXECUTE FUNCTION funding_line_derived()
    """,
    # An operation's change reaches its lines: updating them runs the trigger above,
    # which reads the operation as it now is.
    """
    CREATE OR REPLACE FUNCTION funding_operation_derived() RETURNS trigger AS $$
    BEGIN
        UPDATE funding_financingline SET hub_id = NEW.hub_id WHERE operation_id = NEW.id;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER funding_operation_derived AFTER UPDATE ON funding_fundedoperation
    FOR EACH ROW
    WHEN (OLD.total_cost IS DISTINCT FROM NEW.total_cost
          OR OLD.start_date IS DISTINCT FROM NEW.start_date
          OR OLD.hub_id IS DISTINCT FROM NEW.hub_id)
    EXECUTE FUNCTION funding_operation_derived()
    """,
    # The lines already there (the trigger above computes each).
    "UPDATE funding_financingline SET hub_id = NULL",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS funding_operation_derived ON funding_fundedoperation",
    "DROP FUNCTION IF EXISTS funding_operation_derived()",
    "DROP TRIGGER IF EXISTS funding_line_derived ON funding_financingline",
    "DROP FUNCTION IF EXISTS funding_line_derived()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0004_updated_at"),
        ("hubs", "0006_kind_color_contrast"),
    ]

    operations = [
        # Backwards only, after the columns are gone (operations are undone in reverse).
        migrations.RunPython(migrations.RunPython.noop, updated_at.recreate_sqlite_triggers),
        migrations.AddField(
            model_name="financingline",
            name="effective",
            field=models.DecimalField(
                decimal_places=6,
                editable=False,
                help_text="Le montant, ou la part d'un coût total connu ; vide s'il n'est pas connu.",
                max_digits=18,
                null=True,
                verbose_name="montant retenu (€)",
            ),
        ),
        migrations.AddField(
            model_name="financingline",
            name="hub",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="financing_lines",
                to="hubs.hub",
                verbose_name="lieu",
            ),
        ),
        migrations.AddField(
            model_name="financingline",
            name="year",
            field=models.PositiveSmallIntegerField(
                editable=False,
                help_text="Année de la décision, sinon du début de l'opération.",
                null=True,
                verbose_name="année",
            ),
        ),
        migrations.RunPython(
            share_triggers._run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            share_triggers._run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
