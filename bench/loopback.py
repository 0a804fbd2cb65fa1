"""
Newsroom as it runs in production, on this machine: gunicorn with production settings
(DEBUG off) in front of a throwaway PostgreSQL database holding the demo content, on
loopback. Used by the load and fault runs of ``make bench``.
"""

import contextlib
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
# One per process: two runs on the same server do not drop each other's database.
DATABASE = f"newsroom_bench_{os.getpid()}"
WORKERS = 2


class BenchError(RuntimeError):
    """The run cannot go on; the message says why and what to do."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, timeout: float = 5) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def recreate_database() -> str:
    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {DATABASE}")
    except psycopg.OperationalError as error:
        raise BenchError(
            f"PostgreSQL is not reachable at {PG_SERVER} ({error}). Start it, or "
            "set BENCH_PG_URL to a server where this user may create databases."
        ) from error
    return f"{PG_SERVER}/{DATABASE}"


class Server:
    """gunicorn serving Newsroom on a free port; ``with Server() as server: ...``."""

    def __init__(self, *, workers: int = WORKERS):
        self.workers = workers
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
        self.static_root = self.folder / "static"
        self.process = None
        self.log = self.folder / "gunicorn.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}},
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "MEDIA_ROOT": str(self.folder / "media"),
            "STATIC_ROOT": str(self.static_root),
        }

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def __enter__(self):
        self.env["DATABASE_URL"] = recreate_database()
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage(
            "import_newsletter",
            "issues/demo/newsletter-2024-11.md",
            "--publication",
            "turing-roche",
        )
        self.manage("collectstatic", "--no-input", "-v", "0")
        self.start()
        return self

    def start(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "newsroom.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        self.wait_until_up()

    def wait_until_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn stopped; see {self.log}")
            with contextlib.suppress(OSError):
                status, _ = get(self.port, "/", timeout=2)
                if status == 200:
                    return
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer within {timeout} s; see {self.log}")

    def reload(self) -> None:
        """New workers, e.g. so that WhiteNoise sees files added to STATIC_ROOT."""
        self.process.send_signal(signal.SIGHUP)
        time.sleep(2)
        self.wait_until_up()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __exit__(self, *exc_info):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)
        with (
            contextlib.suppress(psycopg.Error),
            psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as db,
        ):
            db.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
