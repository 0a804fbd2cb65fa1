"""
PostgreSQL restarted under load: gunicorn serves the issue, events and search
pages to several readers while an editor keeps saving new items through the admin;
halfway through, the database is restarted. Requests may fail only while it is
down; once it is back, the persistent connections (checked before reuse) must serve
again within seconds, and every save the admin confirmed must be in the database.

    DEBUG=1 python -m bench.faults

Needs root (to restart the PostgreSQL cluster) and PostgreSQL on 127.0.0.1:5432.
"""

import http.client
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import psycopg

from bench.loopback import BenchError, Server

READERS = 8
BEFORE_SECONDS = 5
AFTER_SECONDS = 10
RECOVERY_GOAL_SECONDS = 5
# The issue page is served from memory once rendered; the others read the database
# on every request, so they feel the restart.
READ_PATHS = ("/issues/turing-roche/2024-11/", "/events/", "/search/?q=data")
EDITOR = ("bench-editor", "bench-" + "pw-9f3kQ!x")


def cluster() -> tuple[str, str]:
    versions = sorted(Path("/etc/postgresql").iterdir())
    if not versions:
        raise BenchError("No PostgreSQL cluster under /etc/postgresql.")
    return versions[-1].name, "main"


def restart_postgres() -> tuple[float, float]:
    """Restart the cluster; (when it went down, when it accepted connections again)."""
    version, name = cluster()
    down = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
        check=True,
        capture_output=True,
    )
    while subprocess.run(
        ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False
    ).returncode:
        time.sleep(0.05)
    return down, time.monotonic()


class Reader(threading.Thread):
    def __init__(self, port: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.stop = port, stop
        self.results: list[tuple[float, bool]] = []

    def run(self):
        connection = None
        number = 0
        while not self.stop.is_set():
            path = READ_PATHS[number % len(READ_PATHS)]
            number += 1
            ok = False
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(
                        "127.0.0.1", self.port, timeout=5
                    )
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                if connection is not None:
                    connection.close()
                connection = None
            self.results.append((time.monotonic(), ok))
            if not ok:
                time.sleep(0.05)


class Editor(threading.Thread):
    """Saves a new inbox item through the admin, again and again."""

    def __init__(self, port: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.stop = port, stop
        self.saved: list[str] = []
        self.failed = 0
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        headers = {"Host": "127.0.0.1", "Cookie": self.cookie_header()}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return response.status, content
        finally:
            connection.close()

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def csrf_post(self, path, fields):
        status, page = self.request("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            return status, page
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields})
        return self.request("POST", path, body)

    def log_in(self):
        status, _ = self.csrf_post(
            "/admin/login/?next=/admin/",
            {"username": EDITOR[0], "password": EDITOR[1], "next": "/admin/"},
        )
        if status != 302:
            raise BenchError(f"The editor could not log in (HTTP {status}).")

    def run(self):
        number = 0
        while not self.stop.is_set():
            number += 1
            title = f"Saved under load {number}"
            try:
                status, _ = self.csrf_post(
                    "/admin/issues/item/add/",
                    {"title": title, "position": "0", "body": "<p>Load.</p>"},
                )
            except (OSError, http.client.HTTPException):
                status = 0
            if status == 302:
                self.saved.append(title)
            else:
                self.failed += 1
                time.sleep(0.1)
            time.sleep(0.05)


def main() -> int:
    print("PostgreSQL restarted under load (gunicorn on loopback)\n")
    try:
        with Server() as server:
            server.manage(
                "shell",
                "-c",
                "from django.contrib.auth.models import User; "
                f"User.objects.create_superuser({EDITOR[0]!r}, '', {EDITOR[1]!r})",
            )
            stop = threading.Event()
            readers = [Reader(server.port, stop) for _ in range(READERS)]
            editor = Editor(server.port, stop)
            editor.log_in()
            start = time.monotonic()
            for thread in [*readers, editor]:
                thread.start()
            time.sleep(BEFORE_SECONDS)
            down, up = restart_postgres()
            time.sleep(AFTER_SECONDS)
            stop.set()
            for thread in [*readers, editor]:
                thread.join(timeout=10)
            with psycopg.connect(server.env["DATABASE_URL"]) as db:
                stored = {
                    row[0]
                    for row in db.execute(
                        "SELECT title FROM issues_item WHERE title LIKE %s",
                        ["Saved under load %"],
                    )
                }
    except BenchError as error:
        print(f"Not run: {error}")
        return 1

    results = sorted(r for reader in readers for r in reader.results)
    errors = [t for t, ok in results if not ok]
    last_error = max(errors, default=down)
    recovered = max(0.0, last_error - up)
    window_end = max(up, last_error)
    before = sum(1 for t in errors if t < down)
    during = sum(1 for t in errors if down <= t <= window_end)
    after = sum(1 for t in errors if t > window_end)
    lost = [title for title in editor.saved if title not in stored]

    rows = [
        ("requests served (issue, events, search)", f"{sum(ok for _, ok in results)}"),
        ("requests failed before the restart", f"{before}"),
        ("requests failed while PostgreSQL was down", f"{during}"),
        ("requests failed after recovery", f"{after}"),
        ("PostgreSQL down (restart took)", f"{up - down:.2f} s"),
        ("time to recover once it was back", f"{recovered:.2f} s"),
        ("admin saves confirmed", f"{len(editor.saved)}"),
        ("admin saves refused while down", f"{editor.failed}"),
        ("confirmed saves missing afterwards", f"{len(lost)}"),
        ("run", f"{time.monotonic() - start:.1f} s, {READERS} readers, 1 editor"),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value:>12}")
    met = before == 0 and after == 0 and not lost and recovered < RECOVERY_GOAL_SECONDS
    print(
        f"\nGoals: no errors outside the restart, recovery under "
        f"{RECOVERY_GOAL_SECONDS} s, no confirmed save lost: "
        f"{'met' if met else 'MISSED'}."
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
