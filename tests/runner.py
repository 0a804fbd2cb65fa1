import logging
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

from django.conf import settings
from django.test import runner as django_runner
from django.test.runner import DiscoverRunner, ParallelTestSuite
from django.test.utils import override_settings

from tests import HYPOTHESIS_PROFILE

DUMMY_CACHE = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
# A user made by a test costs a second of PBKDF2 with the production hasher; tests
# check that passwords are checked, not how hard they are to crack.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The folder of this run's files, shared with the processes of a parallel run.
RUN_FOLDER = "NEWSROOM_TEST_FOLDER"


def quiet_logs() -> None:
    """Leaves out what tests provoke on purpose; real errors are still logged."""
    logging.getLogger("django.request").setLevel(logging.ERROR)
    # Refused uploads and forged requests are logged as security errors; tests
    # send them on purpose.
    logging.getLogger("django.security").setLevel(logging.CRITICAL)
    # Tests serve static files through the finders; nothing is collected.
    warnings.filterwarnings("ignore", message="No directory at: ")


def isolated_settings(media_root: Path) -> override_settings:
    return override_settings(
        CACHES={**settings.CACHES, "pages": DUMMY_CACHE},
        PASSWORD_HASHERS=FAST_PASSWORD_HASHERS,
        MEDIA_ROOT=media_root,
    )


def _init_worker(counter, *args, **kwargs):
    """
    Django's set-up of a worker of a parallel run, then this runner's: the worker's
    own media folder, so that no worker reads or removes another's files.
    """
    django_runner._init_worker(counter, *args, **kwargs)
    quiet_logs()
    folder = Path(os.environ[RUN_FOLDER]) / f"worker-{django_runner._worker_id}"
    folder.mkdir(exist_ok=True)
    tempfile.tempdir = str(folder)
    # Never disabled: it lasts as long as the worker.
    isolated_settings(folder / "media").enable()


class IsolatedParallelTestSuite(ParallelTestSuite):
    init_worker = _init_worker


class Runner(DiscoverRunner):
    """
    The default runner, without the log lines of 404s, 403s and refused requests
    that tests provoke on purpose (real errors are still logged) and without
    WhiteNoise's warning that nothing has been collected.

    Rendered pages are not cached between requests (``pages`` is a dummy cache), so
    that no test is shown a page another test left behind; the tests of the cache
    itself give it a real one.

    Each process of a run has a folder of its own, removed at the end: media
    (MEDIA_ROOT) and temporary files go there, never to var/ nor to another
    process's files. Passwords are hashed with MD5, which is quick.
    """

    parallel_test_suite = IsolatedParallelTestSuite

    def setup_test_environment(self, **kwargs):
        super().setup_test_environment(**kwargs)
        quiet_logs()
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-tests-"))
        os.environ[RUN_FOLDER] = str(self.folder)
        self.previous_tempdir = tempfile.tempdir
        tempfile.tempdir = str(self.folder)
        self.settings = isolated_settings(self.folder / "media")
        self.settings.enable()
        if self.verbosity >= 1:
            print(hypothesis_note(), file=sys.stderr)

    def build_suite(self, test_labels=None, **kwargs):
        # The whole suite by default, so that labels can be given with options in
        # any order: manage.py test --parallel auto tests.events
        return super().build_suite(test_labels or ["tests"], **kwargs)

    def teardown_test_environment(self, **kwargs):
        self.settings.disable()
        tempfile.tempdir = self.previous_tempdir
        os.environ.pop(RUN_FOLDER, None)
        shutil.rmtree(self.folder, ignore_errors=True)
        super().teardown_test_environment(**kwargs)


def hypothesis_note() -> str:
    if HYPOTHESIS_PROFILE == "ci":
        return "Hypothesis profile 'ci': every property test tries all its examples."
    return (
        f"Hypothesis profile {HYPOTHESIS_PROFILE!r}: property tests try a fifth of "
        "their examples; HYPOTHESIS_PROFILE=ci tries them all, as CI does."
    )
