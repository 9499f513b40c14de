"""Text normalisation shared by every search in the project.

Searches must ignore accents and case on SQLite and PostgreSQL alike, without
database extensions: we store a normalised copy of the searchable text and
normalise the query the same way.
"""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Letters that NFKD does not decompose into a base letter plus an accent.
_SPECIAL = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})


def normalize(text: str | None) -> str:
    """Lower-case, strip accents, turn punctuation into single spaces.

    >>> normalize("Charbonnières-les-Bains")
    'charbonnieres les bains'
    >>> normalize("  L'Œuvre  ")
    'l oeuvre'
    """
    if not text:
        return ""
    text = text.lower().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", ascii_text).strip()


def search_terms(text: str | None, limit: int = 8) -> list[str]:
    """The distinct normalised words of a query, longest first, at most ``limit``."""
    words = dict.fromkeys(normalize(text).split())
    return sorted(words, key=len, reverse=True)[:limit]
