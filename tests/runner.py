import logging
import warnings

from django.test.runner import DiscoverRunner


class Runner(DiscoverRunner):
    """
    The default runner, without the log lines of 404s and 403s that tests provoke on
    purpose (real errors are still logged) and without WhiteNoise's warning that
    nothing has been collected.
    """

    def setup_test_environment(self, **kwargs):
        super().setup_test_environment(**kwargs)
        for name in ("django.request", "django.security"):
            logging.getLogger(name).setLevel(logging.ERROR)
        # Tests serve static files through the finders; nothing is collected.
        warnings.filterwarnings("ignore", message="No directory at: ")
