"""Database expressions that write text: the GeoJSON's features (hubs.exports) and
the hubs' vocabulary terms (hubs.selectors) are put together by the database, on
PostgreSQL and SQLite alike."""

from django.db.models import F, Func, TextField


class JsonString(Func):
    """A text column as a JSON string literal, by the database (escapes as
    ``json.dumps(ensure_ascii=False)`` does)."""

    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_json(%(expressions)s)::text", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="json_quote(%(expressions)s)", **extra)


class NumberText(Func):
    """A float rounded to ``digits`` decimals, as text in its shortest form (a JSON
    number); ``+ 0.0`` turns a rounded -0 into 0."""

    output_field = TextField()
    template = "CAST(ROUND(%(expressions)s * %(scale)s) / %(scale)s + 0.0 AS TEXT)"


def number_text(field: str, digits: int) -> NumberText:
    return NumberText(F(field), scale=f"1e{digits}")


class TextJoin(Func):
    """``a || b || …``: the pieces of a text, none of them NULL."""

    output_field = TextField()
    arg_joiner = " || "
    template = "(%(expressions)s)"
