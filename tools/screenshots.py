"""Screenshots of each role's main pages at 375 px and 1366 px, in real Chromium, for the README.

    python tools/screenshots.py [--out docs/screenshots] [--base-url URL]

Without --base-url it builds the demo data in a temporary SQLite database and serves the app
itself on a free loopback port, so `make screenshots` needs nothing running.
"""
import argparse
import os
import pathlib
import sys
import tempfile
import threading

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "demo-password"
WIDTHS = (375, 1366)
# (file name, who, path): each role's start page and the pages it works in most.
PAGES = (
    ("student-home", "student1@kramatorsk.demo.example", "/"),
    ("student-paths", "student1@kramatorsk.demo.example", "/paths/"),
    ("mentor-home", "mentor1@kramatorsk.demo.example", "/"),
    ("mentor-gradebook", "mentor1@kramatorsk.demo.example", "/gradebook/2"),
    ("mentor-attendance", "mentor1@kramatorsk.demo.example", "/attendance/cohort/2"),
    ("mentor-cohort", "mentor1@kramatorsk.demo.example", "/cohorts/2"),
    ("mentor-board", "mentor1@kramatorsk.demo.example", "/pursuits/"),
    ("head-home", "head@kramatorsk.demo.example", "/"),
    ("head-dashboard", "head@kramatorsk.demo.example", "/dashboard/"),
    ("head-donor-report", "head@kramatorsk.demo.example", "/reports/donor"),
    ("head-audit", "head@kramatorsk.demo.example", "/audit/"),
    ("head-vouchers", "head@kramatorsk.demo.example", "/vouchers/"),
    ("admin-home", "admin@demo.example", "/"),
    ("admin-catalog", "admin@demo.example", "/admin/catalog/courses"),
)


def serve_demo() -> str:
    """Build the demo data in a temporary database and serve the app; returns its address."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from lms import create_app
    from lms.demo.builder import build_demo

    folder = tempfile.mkdtemp(prefix="lms-screens-")
    # Every sign-in comes from 127.0.0.1 within a minute: no throttle on this private server.
    app = create_app("development", DEBUG=False, RATELIMIT_ENABLED=False,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/lms.sqlite")
    with app.app_context():
        upgrade()
        build_demo()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def shoot(base: str, out: pathlib.Path) -> list[pathlib.Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for email in dict.fromkeys(email for _, email, _ in PAGES):
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 800})
                page = context.new_page()
                page.goto(f"{base}/auth/login")
                page.fill("#email", email)
                page.fill("#password", PASSWORD)
                page.click("#submit")
                page.wait_for_url(lambda url: "/auth/login" not in url)
                for name, _, path in (entry for entry in PAGES if entry[1] == email):
                    page.goto(base + path)
                    target = out / f"{name}-{width}.png"
                    page.screenshot(path=str(target))
                    written.append(target)
                context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--base-url", default=None)
    args = parser.parse_args()
    base = args.base_url or serve_demo()
    for path in shoot(base, pathlib.Path(args.out)):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
