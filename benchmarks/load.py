"""Bounded mixed traffic against gunicorn on PostgreSQL: throughput, latency and errors.

Usage (what `make load` runs):
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/lms_load \\
        .venv/bin/python benchmarks/load.py --duration 60 --workers 4 --users 24

It migrates the database and loads `flask lms demo` (idempotent), starts gunicorn with
--workers processes on a loopback port, then every virtual user (demo students, mentors, heads
and the admin, round robin) signs in once and, for --duration seconds, GETs pages reachable from
its home page (cohort, gradebook, board, student pages…) and, for staff, re-submits the
gradebook and attendance forms it found (real POSTs through CSRF, validation and the database).
Any answer other than 2xx/3xx, or a connection error, is an error; zero is the bar.

Throttling: every virtual user comes from 127.0.0.1, so the per-address sign-in limit is raised
for this run (AUTH_LIMIT_PER_ADDRESS); the per-account limit stays as configured, since each
account signs in once. Counters live in Redis when REDIS_URL is reachable, as in production.
Client: standard library only (threads + http.client), so it needs no extra dependency.
"""
import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from html import unescape
from urllib.parse import urlencode, urlsplit

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BIN = os.path.join(ROOT, ".venv", "bin")
PASSWORD = "demo-password"
SKIP = re.compile(r"/auth/|/language|/static/|/evidence/\d+/file|\.csv|\.xlsx|my-data|/export")
HREF = re.compile(r'href="(/[^"#]*)"')


def links(page: str) -> list[str]:
    """The page's own links as a browser follows them (`&amp;` in an attribute is `&`)."""
    return [unescape(u) for u in HREF.findall(page) if not SKIP.search(u)]


FORM = re.compile(r'<form[^>]*method="post"[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S | re.I)
INPUT = re.compile(r'<input[^>]*>', re.I)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')
POST_PAGES = ("/gradebook/", "/attendance/session/")


class Client:
    """One browser: cookies, and a fresh connection per request (gunicorn sync workers close)."""

    def __init__(self, port: int, stats):
        self.port, self.stats, self.cookies, self.location = port, stats, {}, None

    def request(self, method: str, path: str, kind: str, body: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            self.stats.record(kind, time.perf_counter() - started, f"{method} {path}: {error!r}")
            return None, ""
        self.location = urlsplit(response.headers.get("Location") or "").path or None
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        ok = 200 <= response.status < 400
        self.stats.record(kind, time.perf_counter() - started,
                          None if ok else f"{method} {path}: {response.status}")
        return response.status, text


class Stats:
    def __init__(self):
        self.lock, self.times, self.errors = threading.Lock(), defaultdict(list), []

    def record(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if error:
                self.errors.append(error)


def kind_of(method: str, path: str) -> str:
    first = urlsplit(path).path.strip("/").split("/")[0] or "home"
    return f"{method} {first}"


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    return match.group(1) if match else ""


def forms_of(html: str) -> list[tuple[str, dict]]:
    """POST forms of a gradebook or attendance page, as the browser would submit them."""
    found = []
    for action, inner in FORM.findall(html):
        fields = {}
        for tag in INPUT.findall(inner):
            attrs = dict(ATTR.findall(tag))
            if "name" in attrs and attrs.get("type") not in ("checkbox", "submit", "radio"):
                fields[attrs["name"]] = attrs.get("value", "")
            elif "name" in attrs and "checked" in tag:
                fields[attrs["name"]] = attrs.get("value", "y")
        for select in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', inner, re.S):
            chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"', select[1]) or \
                re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', select[1]) or \
                re.search(r'value="([^"]*)"', select[1])
            fields[select[0]] = chosen.group(1) if chosen else ""
        if "bulk" not in action:
            found.append((action.replace("&amp;", "&"), fields))
    return found


def virtual_user(port: int, email: str, role: str, stop: float, stats: Stats) -> None:
    client = Client(port, stats)
    _status, page = client.request("GET", "/auth/login", "GET login page")
    status, _text = client.request("POST", "/auth/login", "POST sign-in",
                                   {"email": email, "password": PASSWORD,
                                    "csrf_token": csrf_of(page)})
    if status != 302:
        stats.record("POST sign-in", 0, f"sign-in of {email} answered {status}")
        return
    client.request("GET", "/", "GET /")
    home_url = client.location or "/"
    _status, home = client.request("GET", home_url, kind_of("GET", home_url))
    pool = sorted(set(links(home))) or ["/"]
    forms: list[tuple[str, dict]] = []
    rng = random.Random(email)
    while time.monotonic() < stop:
        if forms and rng.random() < 0.25:
            action, fields = rng.choice(forms)
            client.request("POST", action, kind_of("POST", action), fields)
            continue
        url = rng.choice(pool)
        _status, html = client.request("GET", url, kind_of("GET", url))
        if url.startswith(POST_PAGES) and html:
            forms.extend(forms_of(html))
            forms = forms[-6:]
        pool = sorted(set(pool) | set(links(html)))[:60]




def accounts(env: dict) -> list[tuple[str, str]]:
    """(role, e-mail) of the demo accounts, as `flask lms demo` prints them."""
    output = subprocess.run([os.path.join(BIN, "flask"), "lms", "demo"], env=env, cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    return re.findall(r"^(student|mentor|head|admin)\s+(\S+@\S+)", output, re.M)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [os.path.join(BIN, "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--preload", "lms.wsgi:app"],
        env={**env, "LMS_CONFIG": "production"}, cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def environment(database_url: str) -> dict:
    env = {**os.environ, "FLASK_APP": "lms", "LMS_CONFIG": "production",
           "DATABASE_URL": database_url, "SECRET_KEY": os.environ.get("SECRET_KEY", uuid.uuid4().hex),
           "SESSION_COOKIE_SECURE": "0",  # plain HTTP over loopback
           "PUBLIC_URL": "http://127.0.0.1",  # production requires it; its host is the trusted one
           "AUTH_LIMIT_PER_ADDRESS": "100000 per minute",  # every virtual user is 127.0.0.1
           "RATELIMIT_KEY_PREFIX": f"lms-load-{uuid.uuid4().hex}"}
    env.setdefault("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    return env


def report(stats: Stats, seconds: float) -> None:
    total = sum(len(times) for times in stats.times.values())
    print(f"\n{total} requests in {seconds:.1f} s: {total / seconds:.1f} requests/s; "
          f"errors: {len(stats.errors)}")
    print(f"{'kind':<28}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind, times in sorted(stats.times.items()):
        cuts = statistics.quantiles(times, n=100) if len(times) > 1 else times * 99
        print(f"{kind:<28}{len(times):>8}{cuts[49] * 1000:>9.1f}{cuts[94] * 1000:>9.1f}"
              f"{cuts[98] * 1000:>9.1f}")
    for error in stats.errors[:10]:
        print("error:", error)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=24, help="concurrent virtual users")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL")
    if not database_url or not database_url.startswith("postgresql"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database (it gets the demo data)")
    env = environment(database_url)
    subprocess.run([os.path.join(BIN, "flask"), "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    people = [a for a in accounts(env)]
    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    stats, stop = Stats(), time.monotonic() + args.duration
    try:
        started = time.monotonic()
        threads = [threading.Thread(target=virtual_user, daemon=True,
                                    args=(port, people[i % len(people)][1],
                                          people[i % len(people)][0], stop, stats))
                   for i in range(args.users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        report(stats, time.monotonic() - started)
    finally:
        server.terminate()
        server.wait(10)
    return 1 if stats.errors else 0


if __name__ == "__main__":
    sys.exit(main())
