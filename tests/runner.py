import logging
import warnings

from django.conf import settings
from django.test.runner import DiscoverRunner
from django.test.utils import override_settings

DUMMY_CACHE = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


class Runner(DiscoverRunner):
    """
    The default runner, without the log lines of 404s, 403s and refused requests
    that tests provoke on purpose (real errors are still logged) and without
    WhiteNoise's warning that nothing has been collected.

    Rendered pages are not cached between requests (``pages`` is a dummy cache), so
    that no test is shown a page another test left behind; the tests of the cache
    itself give it a real one.
    """

    def setup_test_environment(self, **kwargs):
        super().setup_test_environment(**kwargs)
        logging.getLogger("django.request").setLevel(logging.ERROR)
        # Refused uploads and forged requests are logged as security errors; tests
        # send them on purpose.
        logging.getLogger("django.security").setLevel(logging.CRITICAL)
        # Tests serve static files through the finders; nothing is collected.
        warnings.filterwarnings("ignore", message="No directory at: ")
        self.uncached_pages = override_settings(
            CACHES={**settings.CACHES, "pages": DUMMY_CACHE}
        )
        self.uncached_pages.enable()

    def teardown_test_environment(self, **kwargs):
        self.uncached_pages.disable()
        super().teardown_test_environment(**kwargs)
