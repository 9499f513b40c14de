"""Browser benchmark of the home map: first markers and panning with the whole country.

Serves the benchmark database (10,000 hubs after ``bench/generate.py``) with
Django's development server, opens ``/`` in headless Chromium (Debian's, as
the browser tests) and prints, over several page loads:

- time to the first markers drawn (navigation start → first cluster or marker
  icon in the DOM) and to the map ready with every marker loaded;
- while panning and zooming: the longest main-thread task (Long Tasks API)
  and the number of marker elements in the DOM (clustering keeps it small).

    .venv/bin/python bench/browser_map.py                   # SQLite bench/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hubs_bench .venv/bin/python bench/browser_map.py

Tiles are answered with a blank PNG (no network), as in the tests.
"""

import argparse
import base64
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

from common import ROOT, configure, setup_django

configure("bench.sqlite3")

BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII="
)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(port: int) -> subprocess.Popen:
    # DEBUG: the development server serves the static files.
    env = {**os.environ, "DJANGO_DEBUG": "true", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)  # noqa: S310
            return server
        except urllib.error.HTTPError:
            return server  # it answers (404): up
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the development server did not start")


WATCH_LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
}).observe({ type: "longtask", buffered: true });
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    setup_django()  # migrations up to date before the server starts
    port = free_port()
    server = serve(port)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            first, ready, tasks, dom_markers, features, fetched = [], [], [], [], 0, []
            for load in range(args.loads + 1):  # the first load warms the server's caches
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                context.route(
                    lambda url: not url.startswith(base),
                    lambda route: route.fulfill(body=BLANK_PNG, content_type="image/png"),
                )
                page = context.new_page()
                page.add_init_script(WATCH_LONG_TASKS)
                page.goto(base + "/", wait_until="commit")
                page.wait_for_selector(".leaflet-marker-icon", timeout=30_000)
                drawn = page.evaluate("performance.now()")
                # A selector, not a polled expression: the CSP forbids eval.
                page.wait_for_selector(
                    "html[data-map-ready='true']", state="attached", timeout=60_000
                )
                done = page.evaluate("performance.now()")
                geojson_end = page.evaluate(
                    "performance.getEntriesByType('resource')"
                    ".filter((e) => e.name.includes('hubs.geojson'))"
                    ".map((e) => e.responseEnd)[0] || 0"
                )
                if load == 1:
                    print("first timed load, resources (ms from navigation start, tiles left out):")
                    print(
                        page.evaluate(
                            "performance.getEntriesByType('resource')"
                            ".filter((e) => !/\\.png|favicon/.test(e.name)).map((e) => "
                            "`  ${e.name.split('/').pop().slice(0, 40)} ${Math.round(e.startTime)}"
                            "→${Math.round(e.responseEnd)}`).join('\\n')"
                        )
                    )
                page.evaluate("window.__longTasks = []")
                the_map = page.locator("#map")
                box = the_map.bounding_box()
                cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
                for dx, dy in [(300, 0), (-300, 150), (0, -150)]:  # pan by dragging
                    page.mouse.move(cx, cy)
                    page.mouse.down()
                    page.mouse.move(cx + dx, cy + dy, steps=10)
                    page.mouse.up()
                    page.wait_for_timeout(300)
                for _ in range(2):  # zoom in, where clusters split into markers
                    page.mouse.wheel(0, -300)
                    page.wait_for_timeout(400)
                longest = page.evaluate("Math.max(0, ...window.__longTasks)")
                icons = page.locator(".leaflet-marker-icon").count()
                features = page.evaluate(
                    "document.querySelector('#results-count')?.textContent || ''"
                )
                context.close()
                if load == 0:
                    continue
                first.append(drawn)
                fetched.append(geojson_end)
                ready.append(done)
                tasks.append(longest)
                dom_markers.append(icons)
            browser.close()
    finally:
        server.terminate()
        server.wait()

    print(f"home map, {args.loads} loads in headless Chromium (1280×800), {base}")
    print(f"list status after the last load: {features.strip()}")
    print(
        f"GeoJSON received:    p50 {statistics.median(fetched):6.0f} ms   max {max(fetched):6.0f} ms"
    )
    print(f"first markers drawn: p50 {statistics.median(first):6.0f} ms   max {max(first):6.0f} ms")
    print(f"map ready (all):     p50 {statistics.median(ready):6.0f} ms   max {max(ready):6.0f} ms")
    print(f"longest task while panning/zooming: max {max(tasks):4.0f} ms")
    print(f"marker and cluster icons in the DOM after zooming: max {max(dom_markers)}")


if __name__ == "__main__":
    main()
