"""Query-string helpers shared by the filtered pages and APIs."""

from django.http import QueryDict


def without_blanks(query: QueryDict) -> QueryDict:
    """The query without empty values: ``?kind=`` (an empty select) means no filter."""
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        kept = [value for value in values if value.strip()]
        if kept:
            cleaned.setlist(key, kept)
    return cleaned
