"""
The issue page under load, beside a static file of the same size served by the same
gunicorn (through WhiteNoise): requests per second and latency with wrk, at 32
connections, on loopback, against PostgreSQL.

The machine may be busy with other work, so the two are measured in turn, several
rounds each, and compared by their medians.

    DEBUG=1 python -m bench.load

Needs wrk (Debian: apt-get install wrk) and PostgreSQL on 127.0.0.1:5432.
"""

import re
import shutil
import statistics
import subprocess
import sys

from bench.loopback import BenchError, Server, get

CONNECTIONS = 32
THREADS = 2
SECONDS = 10
ROUNDS = 3
ISSUE_PAGE = "/issues/turing-roche/2024-11/"
STATIC_NAME = "bench-same-size.html"
GOALS = {"ratio": 0.70, "p99_ms": 50}

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str) -> dict:
    result = subprocess.run(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--latency",
            "-H",
            "Host: 127.0.0.1",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latencies = {
        percent: float(value) * _UNITS[unit]
        for percent, value, unit in re.findall(
            r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE
        )
    }
    errors = 0
    for pattern in (r"Non-2xx or 3xx responses: (\d+)", r"Socket errors: (.*)"):
        match = re.search(pattern, out)
        if match:
            errors += sum(int(n) for n in re.findall(r"\d+", match.group(1)))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": rps,
        "p50": latencies.get("50"),
        "p99": latencies.get("99"),
        "errors": errors,
        "requests": requests,
    }


def median_run(runs: list[dict]) -> dict:
    """Rates and latencies: the medians of the rounds; requests and errors: totals."""
    return {
        **{
            key: statistics.median(r[key] for r in runs)
            for key in ("rps", "p50", "p99")
        },
        **{key: sum(r[key] for r in runs) for key in ("requests", "errors")},
    }


def main() -> int:
    print(
        f"Issue page against a static file of the same size: gunicorn, PostgreSQL, "
        f"wrk with {CONNECTIONS} connections, {ROUNDS} rounds of {SECONDS} s each, "
        "loopback\n"
    )
    if shutil.which("wrk") is None:
        print("Not run: wrk is not installed (Debian: apt-get install wrk).")
        return 1
    try:
        with Server() as server:
            status, page = get(server.port, ISSUE_PAGE)
            if status != 200:
                raise BenchError(f"The issue page answered {status}.")
            (server.static_root / STATIC_NAME).write_bytes(page)
            server.reload()
            status, static = get(server.port, f"/static/{STATIC_NAME}")
            if status != 200 or len(static) != len(page):
                raise BenchError("The static copy of the page is not being served.")
            runs = {"issue page": [], "static file": []}
            for _ in range(ROUNDS):
                runs["issue page"].append(wrk(server.url(ISSUE_PAGE)))
                runs["static file"].append(wrk(server.url(f"/static/{STATIC_NAME}")))
    except BenchError as error:
        print(f"Not run: {error}")
        return 1
    rows = [
        ("issue page", len(page), median_run(runs["issue page"])),
        ("static file", len(static), median_run(runs["static file"])),
    ]

    header = f"{'what':<12} {'bytes':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
    header += f"{'requests':>9} {'errors':>7}"
    print(header)
    print("-" * len(header))
    for label, size, r in rows:
        print(
            f"{label:<12} {size:>7} {r['rps']:>9.0f} {r['p50']:>8.1f} "
            f"{r['p99']:>8.1f} {r['requests']:>9} {r['errors']:>7}"
        )
    page, static = rows[0][2], rows[1][2]
    ratio = statistics.median(
        mine["rps"] / theirs["rps"]
        for mine, theirs in zip(runs["issue page"], runs["static file"], strict=True)
    )
    met = (
        ratio >= GOALS["ratio"]
        and page["p99"] < GOALS["p99_ms"]
        and page["errors"] == 0
        and static["errors"] == 0
    )
    print(
        f"\nMedians of {ROUNDS} rounds; requests and errors are totals. Issue page "
        f"at {ratio:.0%} of the static file's requests per second (median of the "
        "rounds' ratios). "
        f"Goals: 70% or more, p99 under {GOALS['p99_ms']} ms, no errors: "
        f"{'met' if met else 'MISSED'}."
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
