"""
Hypothesis profiles, chosen with HYPOTHESIS_PROFILE: "dev" (the default, for
``make test``) tries a fifth of each property test's examples, "ci" (set by
.ci/run) tries them all. Each test names the number CI tries: ``examples(50)``.
"""

import os

from hypothesis import settings

HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or "dev"

settings.register_profile("ci", deadline=None, database=None, print_blob=True)
settings.register_profile("dev", deadline=None, database=None)
settings.load_profile(HYPOTHESIS_PROFILE)


def examples(full: int) -> int:
    """How many examples to try of a test that tries ``full`` in CI."""
    if HYPOTHESIS_PROFILE == "ci":
        return full
    return min(full, max(3, full // 5))
