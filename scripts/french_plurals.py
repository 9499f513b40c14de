"""Write the French catalogue of the plural messages: French says « 0 lieu trouvé ».

The site's text is written in French, so French needs no catalogue, except for
plurals: a message missing from every catalogue falls back to English's rule
(the singular for 1 only), which gives « 0 lieux trouvés ». This script copies
each plural message of the English catalogue (``make messages`` has just
extracted them all) into ``locale/fr/LC_MESSAGES/django.po`` as its own
translation, under French's rule (the singular for 0 and 1); ``make messages``
runs it and compiles the result.

    .venv/bin/python scripts/french_plurals.py
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
TARGET = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"

HEADER = r"""# The plural messages of the site, in French (scripts/french_plurals.py writes
# this file from locale/en: do not edit it).
msgid ""
msgstr ""
"Project-Id-Version: lieux-numeriques\n"
"Language: fr\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"
"""

#: One keyword line and the string lines that continue it.
_PART = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) (".*"(?:\n".*")*)$', re.M)


def plural_entries(text: str) -> list[dict[str, str]]:
    """The plural messages of a .po text: their context (if any), msgid and msgid_plural,
    each as written (quoted lines)."""
    entries = []
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        parts = dict(_PART.findall(block))
        if "msgid_plural" in parts:
            entries.append(
                {k: parts[k] for k in ("msgctxt", "msgid", "msgid_plural") if k in parts}
            )
    return entries


def french_catalogue(entries: list[dict[str, str]]) -> str:
    blocks = [HEADER]
    for entry in entries:
        lines = [f"msgctxt {entry['msgctxt']}"] if "msgctxt" in entry else []
        lines += [
            f"msgid {entry['msgid']}",
            f"msgid_plural {entry['msgid_plural']}",
            f"msgstr[0] {entry['msgid']}",
            f"msgstr[1] {entry['msgid_plural']}",
        ]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def main() -> int:
    entries = plural_entries(SOURCE.read_text(encoding="utf-8"))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(french_catalogue(entries), encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: {len(entries)} plural messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
