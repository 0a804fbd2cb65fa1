"""
Tests in a real browser: Playwright driving Debian's chromium against the live test
server, with axe-core (bundled in axe-playwright-python, so nothing is downloaded) to
check pages for accessibility problems.

A browser that cannot start fails the tests, with what to do; it never skips them.
"""

import os

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.db import connections
from django.test import tag

# Debian's chromium, which ``make test`` installs when it is missing; CHROMIUM names
# another.
CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]


@tag("browser")
class BrowserTestCase(StaticLiveServerTestCase):
    """
    A live server and one headless chromium for the class, a new page per test.
    Tagged "browser": ``manage.py test tests --exclude-tag browser`` leaves them out.
    """

    # Each test starts from the database as migrations leave it (the editorial
    # groups, the mailer profiles), whatever ran before it.
    serialized_rollback = True

    @classmethod
    def _fixture_setup(cls):
        _share_serialized_contents(cls)
        super()._fixture_setup()

    def _fixture_teardown(self):
        _share_serialized_contents(type(self))
        super()._fixture_teardown()

    @classmethod
    def setUpClass(cls):
        # Playwright's synchronous API runs an event loop in this thread, which makes
        # Django refuse database access from the test itself without this.
        previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        cls.addClassCleanup(_restore_env, "DJANGO_ALLOW_ASYNC_UNSAFE", previous)
        # What the database held after migrating, kept by the test runner on the
        # connection: read now, before Playwright's event loop starts, since from
        # then on Django hands this thread connection objects without it.
        cls.serialized_contents = {
            alias: connections[alias]._test_serialized_contents
            for alias in cls._databases_names(include_mirrors=False)
            if hasattr(connections[alias], "_test_serialized_contents")
        }
        super().setUpClass()
        try:
            from playwright.sync_api import sync_playwright

            cls.playwright = sync_playwright().start()
            cls.addClassCleanup(cls.playwright.stop)
            cls.browser = cls.playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            cls.addClassCleanup(cls.browser.close)
        except Exception as error:
            raise AssertionError(
                f"The browser tests need Chromium at {CHROMIUM} and the Python "
                "package playwright (in the dev extras: pip install -e '.[dev]'). "
                "On Debian: apt-get install -y chromium, which make test does when "
                "run as root; elsewhere set CHROMIUM to a Chromium's path, or leave "
                'the browser tests out: make test ARGS="--exclude-tag browser". It '
                f"could not start: {error}"
            ) from error

    def setUp(self):
        super().setUp()
        self.outside_requests = []
        self.addCleanup(self._assert_nothing_from_outside)
        self.page = self.open_page()
        self.context = self.page.context

    def open_page(self, **options):
        """
        A page in a browser context of its own: another person, with no cookies
        of the others. ``options`` go to new_context (a viewport, for instance).
        """
        context = self.browser.new_context(locale="en-GB", **options)
        self.addCleanup(context.close)
        # Pages must work with nothing from elsewhere: a script, stylesheet or font
        # off the test server fails the test. Images may be hosted elsewhere (the
        # mailer's servers hold most of the demo's); they are not fetched.
        context.route("**/*", self._only_this_site)
        return context.new_page()

    def _only_this_site(self, route):
        url = route.request.url
        if url.startswith(self.live_server_url + "/") or url.startswith("data:"):
            route.continue_()
            return
        if route.request.resource_type != "image":
            self.outside_requests.append(url)
        route.abort()

    def _assert_nothing_from_outside(self):
        self.assertEqual(self.outside_requests, [], "Pages asked for outside files.")

    def visit(self, path: str):
        response = self.page.goto(self.live_server_url + path)
        self.assertIsNotNone(response, f"No response from {path}")
        return response

    def assert_accessible(self, description: str = ""):
        """Run axe-core on the current page and fail with its report if it finds any."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page)
        if results.violations_count:
            self.fail(
                f"axe-core found problems on {description or self.page.url}:\n"
                + results.generate_report()
            )


def _share_serialized_contents(test_class) -> None:
    """
    Puts the migrated state back on the connections Django now hands out, so that
    each test reloads it and the flush after it leaves post_migrate alone (which
    would otherwise recreate content types under new keys, and the next reload
    would clash with them).
    """
    for alias, contents in getattr(test_class, "serialized_contents", {}).items():
        connections[alias]._test_serialized_contents = contents


def _restore_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
