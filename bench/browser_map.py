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
    .venv/bin/python bench/browser_map.py --phone           # and a phone, beside the desktop

``--phone`` measures a phone as well: 390 × 844 with the CPU slowed down four
times (Chromium's CPU throttling, through the DevTools protocol, as Lighthouse
does for a mid-range phone), printed beside the desktop figures.

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
// When the first marker or cluster icon enters the DOM (the script's own clock:
// Playwright's polling of a page kept busy would notice it late).
new MutationObserver((records, observer) => {
  if (document.querySelector(".leaflet-marker-icon")) {
    window.__firstMarker = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
}).observe({ type: "longtask", buffered: true });
"""


DESKTOP = {"name": "desktop 1280×800", "viewport": {"width": 1280, "height": 800}, "cpu": 1}
PHONE = {"name": "phone 390×844, CPU 4×", "viewport": {"width": 390, "height": 844}, "cpu": 4}


def measure(browser, base: str, device: dict, loads: int) -> dict:
    """The figures of ``loads`` page loads (after one that warms the server's caches)."""
    first, ready, tasks, dom_markers, fetched = [], [], [], [], []
    status = ""
    for load in range(loads + 1):
        context = browser.new_context(viewport=device["viewport"])
        context.route(
            lambda url: not url.startswith(base),
            lambda route: route.fulfill(body=BLANK_PNG, content_type="image/png"),
        )
        page = context.new_page()
        if device["cpu"] > 1:
            session = context.new_cdp_session(page)
            session.send("Emulation.setCPUThrottlingRate", {"rate": device["cpu"]})
        page.add_init_script(WATCH_LONG_TASKS)
        page.goto(base + "/", wait_until="commit")
        page.wait_for_selector(".leaflet-marker-icon", timeout=60_000)
        drawn = page.evaluate("window.__firstMarker")
        # A selector, not a polled expression: the CSP forbids eval.
        page.wait_for_selector("html[data-map-ready='true']", state="attached", timeout=120_000)
        done = page.evaluate("performance.now()")
        geojson_end = page.evaluate(
            "performance.getEntriesByType('resource')"
            ".filter((e) => e.name.includes('hubs.geojson'))"
            ".map((e) => e.responseEnd)[0] || 0"
        )
        if load == 1:
            print(f"{device['name']}, first timed load, resources (ms from navigation start):")
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
        the_map.scroll_into_view_if_needed()
        box = the_map.bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        # Pan by dragging, by a third of the map at most (it stays under the pointer).
        reach_x, reach_y = box["width"] / 3, box["height"] / 4
        for dx, dy in [(reach_x, 0), (-reach_x, reach_y), (0, -reach_y)]:
            page.mouse.move(cx, cy)
            page.mouse.down()
            page.mouse.move(cx + dx, cy + dy, steps=10)
            page.mouse.up()
            page.wait_for_timeout(300 * device["cpu"])
        page.mouse.move(cx, cy)
        for _ in range(2):  # zoom in, where clusters split into markers
            page.mouse.wheel(0, -300)
            page.wait_for_timeout(400 * device["cpu"])
        longest = page.evaluate("Math.max(0, ...window.__longTasks)")
        icons = page.locator(".leaflet-marker-icon").count()
        status = page.evaluate("document.querySelector('#results-count')?.textContent || ''")
        context.close()
        if load == 0:
            continue
        first.append(drawn)
        fetched.append(geojson_end)
        ready.append(done)
        tasks.append(longest)
        dom_markers.append(icons)
    return {
        "status": status.strip(),
        "GeoJSON received (p50 / max ms)": (statistics.median(fetched), max(fetched)),
        "first markers drawn (p50 / max ms)": (statistics.median(first), max(first)),
        "map ready, all loaded (p50 / max ms)": (statistics.median(ready), max(ready)),
        "longest task panning/zooming (max ms)": (max(tasks),),
        "marker and cluster icons in the DOM (max)": (max(dom_markers),),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument(
        "--phone", action="store_true", help="a phone too: 390×844, CPU throttled 4×"
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    setup_django()  # migrations up to date before the server starts
    port = free_port()
    server = serve(port)
    base = f"http://127.0.0.1:{port}"
    devices = [DESKTOP, PHONE] if args.phone else [DESKTOP]
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            for device in devices:
                results[device["name"]] = measure(browser, base, device, args.loads)
            browser.close()
    finally:
        server.terminate()
        server.wait()

    print(f"\nhome map, {args.loads} loads per device in headless Chromium, {base}")
    names = list(results)
    print(f"{'':44}" + "".join(f"{name:>26}" for name in names))
    for label in list(results[names[0]])[1:]:
        cells = [" / ".join(f"{v:.0f}" for v in results[name][label]) for name in names]
        print(f"{label:44}" + "".join(f"{cell:>26}" for cell in cells))
    for name in names:
        print(f"list status after the last load ({name}): {results[name]['status']}")


if __name__ == "__main__":
    main()
