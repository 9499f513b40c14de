"""Build ``former_communes.json.gz``: communes merged into another since, and where they went.

An address written before a merger still names the old commune (« Saint-Georges-de-Montaigu »,
merged into Montaigu-Vendée in 2019) or its old INSEE code. ``@etalab/decoupage-administratif``
(the source of ``france.json.gz``, see ``SOURCES.md``) lists the communes déléguées and associées
with their chef-lieu, and the former codes (``anciensCodes``) of each current commune; this
script keeps them, and nothing else. Run it from the repository root::

    mkdir -p /tmp/tnpm && (cd /tmp/tnpm && npm install @etalab/decoupage-administratif@6.0.0)
    python territories/data/build_former_communes.py \\
        --decoupage /tmp/tnpm/node_modules/@etalab/decoupage-administratif/data \\
        --output territories/data/former_communes.json.gz

Output (a gzip of one JSON object, deterministic: sorted, compact, no timestamp)::

    {"meta": {...}, "communes": [[former_code, former_name or "", current_insee], ...]}

A former code whose name the source does not give (merged without becoming a commune
déléguée) has an empty name: it still places a row by its ``code_insee``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

KEPT_ZONES = frozenset({"metro", "drom"})
KEPT_TYPES = frozenset({"commune-deleguee", "commune-associee"})


def build(communes: list[dict]) -> dict:
    current = {c["code"]: c for c in communes if c["type"] == "commune-actuelle"}
    rows: set[tuple[str, str, str]] = set()
    for commune in communes:
        if commune.get("zone") not in KEPT_ZONES:
            continue
        if commune["type"] in KEPT_TYPES and commune.get("chefLieu") in current:
            parent = current[commune["chefLieu"]]
            if commune["nom"] != parent["nom"]:
                rows.add((commune["code"], commune["nom"], parent["code"]))
        if commune["type"] == "commune-actuelle":
            for old in commune.get("anciensCodes", []):
                if old not in current:
                    rows.add((old, "", commune["code"]))
    named = {(code, target) for code, name, target in rows if name}
    kept = sorted(row for row in rows if row[1] or (row[0], row[2]) not in named)
    return {"meta": {"source": "@etalab/decoupage-administratif"}, "communes": kept}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decoupage", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    communes = json.loads((args.decoupage / "communes.json").read_text(encoding="utf-8"))
    data = build(communes)
    package = json.loads((args.decoupage.parent / "package.json").read_text(encoding="utf-8"))
    data["meta"]["version"] = package.get("version", "")
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    with (
        open(args.output, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as handle,
    ):
        handle.write(text.encode("utf-8"))
    print(f"{len(data['communes'])} former communes written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
