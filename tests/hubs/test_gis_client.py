"""The GeoJSON opens in a standard GIS client: GDAL's ogrinfo reads it back."""

import os
import shutil
import subprocess

import pytest

OGRINFO = shutil.which("ogrinfo")

pytestmark = pytest.mark.skipif(
    OGRINFO is None and os.environ.get("CI") != "true",
    reason="GDAL's ogrinfo is not installed (apt-get install gdal-bin); CI installs it",
)


def test_ogrinfo_reads_the_geojson(client, demo_hubs, tmp_path):
    assert OGRINFO, "CI must install gdal-bin"
    path = tmp_path / "hubs.geojson"
    path.write_bytes(client.get("/api/v1/hubs.geojson", {"territory": "245901160"}).content)
    result = subprocess.run(  # noqa: S603 (fixed command, file we wrote)
        [OGRINFO, "-ro", "-al", "-so", str(path)], capture_output=True, text=True, check=True
    )
    assert "Geometry: Point" in result.stdout
    assert "Feature Count: 5" in result.stdout
    assert "EPSG" in result.stdout and "4326" in result.stdout
    for field in ("slug: String", "name: String", "kinds: StringList"):
        assert field in result.stdout
