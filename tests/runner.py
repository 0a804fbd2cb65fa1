import logging
import warnings

from django.test.runner import DiscoverRunner


class Runner(DiscoverRunner):
    """
    The default runner, without the log lines of 404s, 403s and refused requests
    that tests provoke on purpose (real errors are still logged) and without
    WhiteNoise's warning that nothing has been collected.
    """

    def setup_test_environment(self, **kwargs):
        super().setup_test_environment(**kwargs)
        logging.getLogger("django.request").setLevel(logging.ERROR)
        # Refused uploads and forged requests are logged as security errors; tests
        # send them on purpose.
        logging.getLogger("django.security").setLevel(logging.CRITICAL)
        # Tests serve static files through the finders; nothing is collected.
        warnings.filterwarnings("ignore", message="No directory at: ")
