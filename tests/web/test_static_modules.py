"""Production static files: the map's ES modules import the hashed files the page
preloads (config/storage.py), not unhashed twins."""

import re

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_rewrites_module_imports_to_hashed_names(tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "config.storage.StaticStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
    entry = next(
        p for p in (tmp_path / "js").glob("map.*.js") if re.match(r"map\.[0-9a-f]{12}\.js$", p.name)
    )
    imports = re.findall(r'import\b[^"]*"([^"]+)"', entry.read_text())
    assert imports, "map.js imports its modules"
    assert all(re.search(r"\.[0-9a-f]{12}\.js$", path) for path in imports), imports
    for path in imports:
        assert (entry.parent / path).resolve().exists(), path
