"""The home map's script (issue 16, item 12): ES modules of one concern each, none
over ~250 lines, loaded without a bundler, every module of its graph preloaded by
the page (else the browser discovers them one level after another)."""

import re
from pathlib import Path

import pytest

STATIC_JS = Path(__file__).resolve().parents[2] / "static" / "js"
IMPORT = re.compile(r'^import\s+(?:[^"\']*\sfrom\s+)?["\'](\.{1,2}/[^"\']+)["\'];', re.M)


def module_graph(entry: Path) -> set[Path]:
    seen: set[Path] = set()
    todo = [entry]
    while todo:
        module = todo.pop()
        for target in IMPORT.findall(module.read_text()):
            path = (module.parent / target).resolve()
            assert path.exists(), f"{module.name} imports {target}, which is missing"
            if path not in seen:
                seen.add(path)
                todo.append(path)
    return seen


def test_the_map_is_modules_of_a_bounded_size():
    graph = module_graph(STATIC_JS / "map.js")
    names = {path.relative_to(STATIC_JS).as_posix() for path in graph}
    assert {"map/state.js", "map/layers.js", "map/list.js", "leaflet_base.js"} <= names
    for path in [STATIC_JS / "map.js", *graph]:
        lines = len(path.read_text().splitlines())
        assert lines <= 250, f"{path.name}: {lines} lines"


@pytest.mark.django_db
def test_the_page_preloads_every_module_of_the_map(client, demo_hubs):
    content = client.get("/").content.decode()
    preloaded = set(re.findall(r'<link rel="modulepreload" href="/static/js/([^"]+)"', content))
    graph = {p.relative_to(STATIC_JS).as_posix() for p in module_graph(STATIC_JS / "map.js")}
    assert preloaded == graph
    assert '<script type="module" src="/static/js/map.js">' in content


@pytest.mark.parametrize("page", ["hub_map.js", "admin_point_picker.js"])
def test_the_other_maps_share_the_leaflet_set_up(page):
    assert STATIC_JS / "leaflet_base.js" in module_graph(STATIC_JS / page)
