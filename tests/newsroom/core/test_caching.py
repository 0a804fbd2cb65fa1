import datetime
from unittest import mock

import time_machine
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse

from issues.models import Issue
from tests.factories import (
    make_event,
    make_issue,
    make_membership,
    make_person,
    make_publication,
    make_team,
    make_user,
)
from tests.newsroom import test_settings

NOW = datetime.datetime(2024, 11, 10, 12, 0, tzinfo=datetime.UTC)


def run_settings(**env):
    """The settings in a fresh interpreter, printing the public pages' max-age."""
    print_max_age = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print('max-age', s.PUBLIC_CACHE_MAX_AGE)"
    )
    with mock.patch.object(test_settings, "PRINT_SETTINGS", print_max_age):
        return test_settings.run_settings(**env)


@time_machine.travel(NOW, tick=False)
class PublicCacheHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = make_publication("Partnership News")
        cls.issue = make_issue(cls.publication, status=Issue.Status.SENT)
        cls.event = make_event(start_date=datetime.date(2024, 12, 1))
        team = make_team()
        cls.person = make_person()
        make_membership(team, cls.person)
        cls.urls = [
            reverse("home"),
            reverse("issues:archive"),
            cls.publication.get_absolute_url(),
            cls.issue.get_absolute_url(),
            reverse("issues:feed"),
            reverse("issues:publication_feed", kwargs={"slug": cls.publication.slug}),
            reverse("events:list"),
            cls.event.get_absolute_url(),
            reverse("events:calendar"),
            reverse("events:event_calendar", kwargs={"slug": cls.event.slug}),
            reverse("search") + "?q=news",
            reverse("sitemap"),
            reverse("robots_txt"),
            cls.person.get_absolute_url(),
            team.get_absolute_url(),
        ]

    def test_every_public_page_may_be_cached_by_anyone(self):
        """Public pages say Cache-Control: public, max-age=300, and have an ETag."""
        for url in self.urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Cache-Control"], "public, max-age=300")
                self.assertIn("ETag", response)

    @override_settings(PUBLIC_CACHE_MAX_AGE=30)
    def test_max_age_is_a_setting(self):
        """PUBLIC_CACHE_MAX_AGE sets the max-age of every public page."""
        for url in self.urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response["Cache-Control"], "public, max-age=30")

    def test_matching_etag_is_answered_304(self):
        """Asked again with the ETag it was given, a page answers 304 and no body."""
        for url in self.urls:
            with self.subTest(url=url):
                etag = self.client.get(url)["ETag"]
                response = self.client.get(url, headers={"if-none-match": etag})
                self.assertEqual(response.status_code, 304)
                self.assertEqual(response.content, b"")
                self.assertEqual(response["Cache-Control"], "public, max-age=300")

    def test_not_found_is_not_cached_publicly(self):
        """A 404 carries no public caching: the page may exist a moment later."""
        for url in (
            reverse("issues:issue", kwargs={"publication": "x", "slug": "2024-11"}),
            reverse("events:event", kwargs={"slug": "nothing"}),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("public", response.get("Cache-Control", ""))

    def test_admin_is_never_cached(self):
        """The admin's pages stay private and uncached."""
        user = make_user(is_superuser=True)
        self.client.force_login(user)
        response = self.client.get(reverse("admin:index"))
        self.assertIn("private", response["Cache-Control"])
        self.assertNotIn("public", response["Cache-Control"])


class CacheSettingTests(SimpleTestCase):
    def test_max_age_from_the_environment(self):
        """PUBLIC_CACHE_MAX_AGE is read from the environment, 300 seconds if unset."""
        for value, expected in (("", "300"), ("60", "60")):
            with self.subTest(value=value):
                result = run_settings(DEBUG="1", PUBLIC_CACHE_MAX_AGE=value)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn(f"max-age {expected}", result.stdout)

    def test_unclear_max_age_is_refused(self):
        """A max-age that is not a number of seconds stops start-up, saying why."""
        result = run_settings(DEBUG="1", PUBLIC_CACHE_MAX_AGE="5 minutes")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(
            "PUBLIC_CACHE_MAX_AGE='5 minutes' is not a number of seconds",
            result.stderr,
        )
