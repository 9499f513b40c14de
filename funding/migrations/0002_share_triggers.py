"""Database triggers for the cross-row rules of financing lines.

A CHECK constraint sees one row; these rules span the lines of an operation:
- the shares of one operation never exceed 100 %;
- when the total cost is known, the amounts never exceed it.
They are enforced by ``FinancingLine.clean()`` and the admin formset too; the
triggers make sure no other door (a script, a bulk import, SQL) lets them by.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER funding_line_rules_insert BEFORE INSERT ON funding_financingline
    WHEN (
        COALESCE((SELECT SUM(share) FROM funding_financingline
                  WHERE operation_id = NEW.operation_id), 0) + COALESCE(NEW.share, 0) > 100
        OR (
            (SELECT total_cost FROM funding_fundedoperation WHERE id = NEW.operation_id) IS NOT NULL
            AND COALESCE((SELECT SUM(amount) FROM funding_financingline
                          WHERE operation_id = NEW.operation_id), 0) + COALESCE(NEW.amount, 0)
                > (SELECT total_cost FROM funding_fundedoperation WHERE id = NEW.operation_id)
        )
    )
    BEGIN
        SELECT RAISE(ABORT, 'CHECK constraint failed: funding_line_rules');
    END
    """,
    """
    CREATE TRIGGER funding_line_rules_update BEFORE UPDATE ON funding_financingline
    WHEN (
        COALESCE((SELECT SUM(share) FROM funding_financingline
                  WHERE operation_id = NEW.operation_id AND id != OLD.id), 0)
            + COALESCE(NEW.share, 0) > 100
        OR (
            (SELECT total_cost FROM funding_fundedoperation WHERE id = NEW.operation_id) IS NOT NULL
            AND COALESCE((SELECT SUM(amount) FROM funding_financingline
                          WHERE operation_id = NEW.operation_id AND id != OLD.id), 0)
                + COALESCE(NEW.amount, 0)
                > (SELECT total_cost FROM funding_fundedoperation WHERE id = NEW.operation_id)
        )
    )
    BEGIN
        SELECT RAISE(ABORT, 'CHECK constraint failed: funding_line_rules');
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS funding_line_rules_insert",
    "DROP TRIGGER IF EXISTS funding_line_rules_update",
]

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION funding_line_rules() RETURNS trigger AS $$
    DECLARE
        total numeric;
        shares numeric;
        amounts numeric;
    BEGIN
        -- Lock the operation so that two concurrent inserts cannot both pass.
        SELECT total_cost INTO total FROM funding_fundedoperation
            WHERE id = NEW.operation_id FOR UPDATE;
        SELECT COALESCE(SUM(share), 0), COALESCE(SUM(amount), 0) INTO shares, amounts
            FROM funding_financingline
            WHERE operation_id = NEW.operation_id
              AND (TG_OP = 'INSERT' OR id <> OLD.id);
        IF shares + COALESCE(NEW.share, 0) > 100 THEN
            RAISE EXCEPTION 'shares of operation % exceed 100 %%', NEW.operation_id
                USING ERRCODE = 'check_violation';
        END IF;
        IF total IS NOT NULL AND amounts + COALESCE(NEW.amount, 0) > total THEN
            RAISE EXCEPTION 'amounts of operation % exceed its total cost', NEW.operation_id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER funding_line_rules BEFORE INSERT OR UPDATE ON funding_financingline
    FOR EACH ROW EXECUTE FUNCTION funding_line_rules()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS funding_line_rules ON funding_financingline",
    "DROP FUNCTION IF EXISTS funding_line_rules()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)  # no %-interpolation

    return run


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
