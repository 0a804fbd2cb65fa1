import atexit
import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

# The test runner makes the "pages" cache a dummy; tests of that cache give it this.
REAL_PAGES_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "issue-page-tests",
    },
}


def get_counting_queries(testcase, url, number):
    """
    Loads ``url`` and asserts its number of queries, with the content type cache
    emptied first so that the count does not depend on which tests ran before.
    """
    ContentType.objects.clear_cache()
    with testcase.assertNumQueries(number):
        response = testcase.client.get(url)
    testcase.assertEqual(response.status_code, 200)
    return response


class FreshPython:
    """
    The test process's one ``tests/fresh_python.py``, started when first needed: each
    run in it is a new interpreter's, at a fraction of the cost of starting one.
    """

    def __init__(self):
        self.process = None

    def start(self) -> None:
        environment = {
            key: os.environ[key] for key in KEPT_VARIABLES if key in os.environ
        }
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("fresh_python.py"))],
            cwd=settings.BASE_DIR,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        # Closing its input ends it; the end of this process does too.
        atexit.register(self.stop)
        if not json.loads(self.process.stdout.readline() or "{}").get("ready"):
            raise RuntimeError("tests/fresh_python.py did not start; see above.")

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)

    def run(self, argv, *, env, cwd, timeout) -> subprocess.CompletedProcess:
        if self.process is None or self.process.poll() is not None:
            self.start()
        request = {"argv": argv, "env": env, "cwd": str(cwd), "timeout": timeout}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        args = [sys.executable, *argv]
        if answer["returncode"] is None:
            raise subprocess.TimeoutExpired(args, timeout)
        return subprocess.CompletedProcess(
            args, answer["returncode"], answer["stdout"], answer["stderr"]
        )


# What the interpreter that forks the runs is started with: no setting of the
# project's, so that each run reads them only from the environment it is given.
KEPT_VARIABLES = ("PATH", "HOME", "LANG", "PYTHONPATH")
_fresh_python = FreshPython()


def run_python(
    *argv: str, env: dict, timeout: float = 60
) -> subprocess.CompletedProcess:
    """
    Like ``subprocess.run([sys.executable, *argv], env=env, cwd=settings.BASE_DIR,
    capture_output=True, text=True, timeout=timeout)``: a new interpreter, with
    exactly ``env``, reads the settings; without Python's start-up cost each time.
    """
    return _fresh_python.run(
        list(argv), env=env, cwd=settings.BASE_DIR, timeout=timeout
    )
