"""
A Python that starts once and then runs many programs, each as a new interpreter
would (``python -c CODE`` or ``python SCRIPT ARGS``) with exactly the environment it
is given. It imports Django and the libraries the project uses, which read no
settings when imported, and forks itself for each run: the child reads the
settings for the first time, from its own environment, without paying again for
Python's start-up and those imports. Used through ``tests.utils.run_python``.

One request a line on standard input, one answer a line on standard output, in
JSON: {"argv": [...], "env": {...}, "cwd": "...", "timeout": 60} gives
{"returncode": 0, "stdout": "...", "stderr": "..."} (returncode null when the run
took longer than its timeout and was killed).
"""

import importlib
import json
import linecache
import os
import runpy
import signal
import sys
import tempfile
import time

# Nothing of the project, nor anything that reads the settings or the environment
# when imported.
PRELOADED = [
    "django.contrib.admin",
    "django.core.management",
    "django.db.models",
    "django.forms",
    "django.http",
    "django.template.defaulttags",
    "django.urls",
    "bleach",
    "bs4",
    "css_inline",
    "dj_database_url",
    "icalendar",
    "markdown",
    "mrml",
    "PIL.Image",
    "psycopg",
]


def run(argv: list[str], env: dict, cwd: str, stdout: int, stderr: int) -> None:
    """In the forked child: runs the program as ``python *argv`` would, and exits."""
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(stdout, 1)
    os.dup2(stderr, 2)
    code = 0
    try:
        if argv[0] == "-c":
            sys.argv = ["-c", *argv[2:]]
            sys.path[0] = ""
            # Tracebacks show the code's lines, as they do for python -c.
            lines = argv[1].splitlines(keepends=True)
            linecache.cache["<string>"] = (len(argv[1]), None, lines, "<string>")
            exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})
        else:
            sys.argv = list(argv)
            sys.path[0] = os.path.dirname(os.path.abspath(argv[0]))
            runpy.run_path(argv[0], run_name="__main__")
    except SystemExit as exit:
        if exit.code is None or isinstance(exit.code, int):
            code = exit.code or 0
        else:
            print(exit.code, file=sys.stderr)
            code = 1
    except BaseException as error:
        error = error.with_traceback(own_frames_left_out(error.__traceback__))
        sys.excepthook(type(error), error, error.__traceback__)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def own_frames_left_out(traceback):
    """The traceback from the program's first frame, as the interpreter shows it."""
    while traceback and traceback.tb_frame.f_code.co_filename in HIDDEN_FILES:
        traceback = traceback.tb_next
    return traceback


HIDDEN_FILES = {__file__, runpy.__file__}


def wait(pid: int, timeout: float) -> int | None:
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None
        time.sleep(0.005)


def answer(request: dict) -> dict:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            run(
                request["argv"],
                request["env"],
                request["cwd"],
                out.fileno(),
                err.fileno(),
            )
        returncode = wait(pid, request["timeout"])
        out.seek(0)
        err.seek(0)
        return {
            "returncode": returncode,
            "stdout": out.read().decode(errors="replace"),
            "stderr": err.read().decode(errors="replace"),
        }


def main() -> None:
    for name in PRELOADED:
        importlib.import_module(name)
    # Ready: the first answer is this line.
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        print(json.dumps(answer(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
