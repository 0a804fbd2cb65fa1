"""
Guessing passwords: after a few wrong ones for an account, or from one network
address, logins are refused for a while, even with the right password; the public
site is unaffected, and administrators see the attempts in the admin.
"""

import datetime

import time_machine
from django.test import TestCase, override_settings
from django.urls import reverse

from tests.factories import make_superuser, make_user

LOGIN = reverse("admin:login")
PASSWORD = "correct horse battery staple"


@override_settings(
    AXES_FAILURE_LIMIT=5, AXES_COOLOFF_TIME=datetime.timedelta(minutes=15)
)
class LoginLockoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("editor", is_staff=True)
        cls.editor.set_password(PASSWORD)
        cls.editor.save()

    def log_in(
        self, username="editor", password=PASSWORD, address="192.0.2.10", **headers
    ):
        return self.client.post(
            LOGIN,
            {"username": username, "password": password, "next": "/admin/"},
            REMOTE_ADDR=address,
            **headers,
        )

    def assert_logged_in(self, response):
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertEqual(self.client.session.get("_auth_user_id"), str(self.editor.pk))
        self.client.logout()

    def assert_refused(self, response):
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many wrong passwords", status_code=429)
        self.assertContains(response, "Wait 15 minutes", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(self):
        """The audit's case: 200 wrong passwords, then the right one worked."""
        for _ in range(4):
            response = self.log_in(password="guess")
            self.assertContains(response, "Please enter the correct username")
        self.assert_refused(self.log_in(password="guess"))
        self.assert_refused(self.log_in())

    def test_the_lock_holds_from_another_address(self):
        for _ in range(5):
            self.log_in(password="guess", address="192.0.2.10")
        self.assert_refused(self.log_in(address="198.51.100.20"))

    def test_one_address_trying_many_accounts_is_locked_out(self):
        for number in range(5):
            self.log_in(username=f"user{number}", password="guess")
        self.assert_refused(self.log_in(address="192.0.2.10"))
        self.assert_logged_in(self.log_in(address="198.51.100.20"))

    def test_the_lock_lifts_after_the_cool_off(self):
        start = datetime.datetime(2024, 11, 20, 9, 0, tzinfo=datetime.UTC)
        with time_machine.travel(start, tick=False):
            for _ in range(5):
                self.log_in(password="guess")
        with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
            self.assert_refused(self.log_in())
        # The refused try at 14 minutes started the wait again.
        with time_machine.travel(start + datetime.timedelta(minutes=30), tick=False):
            self.assert_logged_in(self.log_in())

    def test_a_successful_login_clears_the_count(self):
        for _ in range(4):
            self.log_in(password="guess")
        self.assert_logged_in(self.log_in())
        for _ in range(4):
            self.log_in(password="guess")
        self.assert_logged_in(self.log_in())

    def test_public_pages_are_unaffected(self):
        for _ in range(6):
            self.log_in(password="guess")
        for url in ("/", reverse("issues:archive"), reverse("events:list")):
            with self.subTest(url):
                response = self.client.get(url, REMOTE_ADDR="192.0.2.10")
                self.assertEqual(response.status_code, 200)

    def test_administrators_see_the_attempts_and_can_lift_a_lock(self):
        for _ in range(5):
            self.log_in(password="guess")
        self.client.force_login(make_superuser("admin"))
        response = self.client.get(reverse("admin:axes_accessattempt_changelist"))
        self.assertContains(response, "editor")
        self.assertContains(response, "192.0.2.10")
        self.client.post(
            reverse("admin:axes_accessattempt_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": list(
                    response.context["cl"].result_list.values_list("pk", flat=True)
                ),
                "post": "yes",
            },
        )
        self.client.logout()
        self.assert_logged_in(self.log_in())

    @override_settings(
        NEWSROOM_CLIENT_ADDRESS_HEADER="X-Forwarded-For",
        NEWSROOM_TRUSTED_PROXIES=["10.0.0.1"],
    )
    def test_behind_a_trusted_proxy_the_visitor_is_counted_not_the_proxy(self):
        """One visitor guessing does not lock out everyone behind the same proxy."""
        for number in range(5):
            self.log_in(
                username=f"user{number}",
                password="guess",
                address="10.0.0.1",
                HTTP_X_FORWARDED_FOR="203.0.113.5",
            )
        self.assert_refused(
            self.log_in(address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
        )
        self.assert_logged_in(
            self.log_in(address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
        )
