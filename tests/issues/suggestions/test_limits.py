import datetime
import sqlite3
import tempfile
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import time_machine
from django.core.checks import run_checks
from django.db import connection, connections
from django.test import Client, TestCase, TransactionTestCase, override_settings
from django.urls import reverse

from issues.models import Suggestion, SuggestionCount
from issues.suggestions.services import RATE_LIMIT, sender_key
from newsroom.core.clients import client_address
from tests.factories import make_superuser
from tests.issues.suggestions.test_suggestions import NOW, form_data
from tests.utils import get_counting_queries

SUGGEST = reverse("suggest")
BEHIND_A_PROXY = {
    "NEWSROOM_CLIENT_ADDRESS_HEADER": "X-Forwarded-For",
    "NEWSROOM_TRUSTED_PROXIES": ["10.0.0.1", "172.16.0.0/12"],
}


@contextmanager
def database_for_threads():
    """
    While this lasts, new connections (those of other threads) open a copy of the
    SQLite test database kept in a file, as production's is. The in-memory test
    database, which threads share through SQLite's shared cache, refuses a second
    writer at once ("database table is locked") where a file makes it wait for the
    first. PostgreSQL's test database is used as it is. This thread's own connection
    must not be used meanwhile: run queries through ``in_a_thread``.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    settings_dict = connection.settings_dict
    in_memory = {key: settings_dict[key] for key in ("NAME", "OPTIONS")}
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "threads.sqlite3")
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        # Thirty writers in a queue on a busy machine may wait past the default 5 s.
        settings_dict.update(NAME=path, OPTIONS={**in_memory["OPTIONS"], "timeout": 60})
        try:
            yield
        finally:
            settings_dict.update(in_memory)


def in_a_thread(function, *args):
    """``function(*args)`` run in a thread of its own, with its own connection."""

    def run():
        try:
            return function(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def post_all_at_once(addresses: list[str]) -> Counter:
    """
    A suggestion posted from each of ``addresses``, each in a thread of its own, all
    released at the same moment. Counts the answers' status codes (a server error
    counts under its exception's name).
    """
    start = threading.Barrier(len(addresses))

    def post(address: str):
        client = Client()
        start.wait()
        try:
            return client.post(SUGGEST, form_data(), REMOTE_ADDR=address).status_code
        except Exception as error:
            return type(error).__name__
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(addresses)) as pool:
        return Counter(pool.map(post, addresses))


@time_machine.travel(NOW, tick=False)
class SimultaneousSuggestionTests(TransactionTestCase):
    """Limits that hold when many posts arrive at the same moment."""

    # The database is left as the migrations made it for the tests that follow.
    serialized_rollback = True

    def test_thirty_posts_at_once_from_one_address_take_five(self):
        """
        Thirty suggestions sent at the same moment from one address: five are kept,
        the other 25 are refused with a 429, none fails.
        """
        with database_for_threads():
            answers = post_all_at_once(["192.0.2.1"] * 30)
            stored = in_a_thread(Suggestion.objects.count)
        self.assertEqual(answers, {302: RATE_LIMIT, 429: 30 - RATE_LIMIT})
        self.assertEqual(stored, RATE_LIMIT)

    @override_settings(NEWSROOM_SUGGESTIONS_PER_HOUR=10)
    def test_thirty_posts_at_once_from_everyone_stop_at_the_hourly_cap(self):
        """
        Thirty senders at the same moment, with room for ten more suggestions this
        hour: ten are kept, twenty refused, none fails.
        """
        with database_for_threads():
            answers = post_all_at_once([f"198.51.100.{n}" for n in range(30)])
            stored = in_a_thread(Suggestion.objects.count)
        self.assertEqual(answers, {302: 10, 429: 20})
        self.assertEqual(stored, 10)


class ClientAddressTests(TestCase):
    """Which address a suggestion counts against, behind a proxy or not."""

    def address(self, remote: str, forwarded: str | None = None) -> str:
        meta = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_address(meta)

    @override_settings(**BEHIND_A_PROXY)
    def test_client_is_the_last_address_before_the_trusted_proxies(self):
        """
        From a trusted proxy, the client is the rightmost address in the header that
        is not a trusted proxy; what the client wrote to its left is not read.
        """
        self.assertEqual(self.address("10.0.0.1", "192.0.2.5"), "192.0.2.5")
        self.assertEqual(
            self.address("10.0.0.1", "203.0.113.9, 192.0.2.5, 172.16.4.4"),
            "192.0.2.5",
        )
        self.assertEqual(
            self.address("172.31.0.2", "not-an-ip, 2001:db8::7 , 10.0.0.1"),
            "2001:db8::7",
        )
        self.assertEqual(self.address("::ffff:10.0.0.1", "192.0.2.5"), "192.0.2.5")

    @override_settings(**BEHIND_A_PROXY)
    def test_header_from_an_untrusted_client_is_ignored(self):
        """A client that is not a trusted proxy is counted by its own address."""
        self.assertEqual(self.address("198.51.100.7", "192.0.2.5"), "198.51.100.7")
        self.assertEqual(self.address("10.0.0.2", "192.0.2.5"), "10.0.0.2")

    @override_settings(**BEHIND_A_PROXY)
    def test_junk_in_the_header_counts_as_the_proxy(self):
        """
        A value that is not an IP address is never taken for one: the suggestion
        counts against the proxy's address, as does an empty or missing header.
        """
        for junk in ("not-an-ip", "192.0.2.5, unknown", "", " , ", "192.0.2.999"):
            with self.subTest(junk=junk):
                self.assertEqual(self.address("10.0.0.1", junk), "10.0.0.1")
        self.assertEqual(self.address("10.0.0.1"), "10.0.0.1")
        self.assertEqual(self.address("10.0.0.1", "10.0.0.1, 172.16.0.9"), "10.0.0.1")

    @override_settings(NEWSROOM_CLIENT_ADDRESS_HEADER="X-Forwarded-For")
    def test_header_without_trusted_proxies_is_ignored_and_said_at_start_up(self):
        """
        A header named with no proxy to trust is never read, and the system checks
        say so with what to set.
        """
        self.assertEqual(self.address("10.0.0.1", "192.0.2.5"), "10.0.0.1")
        warnings = [check for check in run_checks() if check.id == "issues.W001"]
        self.assertEqual(len(warnings), 1)
        self.assertIn("TRUSTED_PROXIES", warnings[0].msg)
        self.assertIn("10.0.0.0/8", warnings[0].hint)
        with override_settings(NEWSROOM_TRUSTED_PROXIES=["10.0.0.1"]):
            self.assertFalse([c for c in run_checks() if c.id == "issues.W001"])


@time_machine.travel(NOW, tick=False)
class ForgedAddressTests(TestCase):
    """Made-up addresses in a header never buy more suggestions."""

    def post_many(self, remote: str, headers: list[str]) -> Counter:
        return Counter(
            self.client.post(
                SUGGEST, form_data(), REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=header
            ).status_code
            for header in headers
        )

    @override_settings(**BEHIND_A_PROXY)
    def test_rotating_forged_header_from_an_untrusted_client(self):
        """Ten posts with ten different forged headers: five are kept."""
        answers = self.post_many("198.51.100.7", [f"192.0.2.{n}" for n in range(10)])
        self.assertEqual(answers, {302: RATE_LIMIT, 429: 10 - RATE_LIMIT})
        self.assertEqual(
            set(Suggestion.objects.values_list("sender_key", flat=True)),
            {sender_key("198.51.100.7")},
        )

    @override_settings(**BEHIND_A_PROXY)
    def test_junk_header_values_share_one_limit(self):
        """Ten posts through the proxy with ten junk values: five are kept."""
        answers = self.post_many("10.0.0.1", [f"not-an-ip-{n}" for n in range(10)])
        self.assertEqual(answers, {302: RATE_LIMIT, 429: 10 - RATE_LIMIT})

    @override_settings(NEWSROOM_CLIENT_ADDRESS_HEADER="X-Forwarded-For")
    def test_header_is_not_believed_without_trusted_proxies(self):
        """With no proxy named, the header is ignored and the limit still holds."""
        answers = self.post_many("10.0.0.1", [f"192.0.2.{n}" for n in range(10)])
        self.assertEqual(answers, {302: RATE_LIMIT, 429: 10 - RATE_LIMIT})


@override_settings(NEWSROOM_SUGGESTIONS_PER_HOUR=3)
class HourlyCapTests(TestCase):
    """At most NEWSROOM_SUGGESTIONS_PER_HOUR suggestions an hour from everyone."""

    changelist = reverse("admin:issues_suggestion_changelist")

    def post(self, number: int, at: datetime.datetime, **fields):
        with time_machine.travel(at, tick=False):
            return self.client.post(
                SUGGEST, form_data(**fields), REMOTE_ADDR=f"192.0.2.{number}"
            )

    def fill_the_hour(self, *, refused: int) -> None:
        """Three suggestions at 10:00, 10:02 and 10:05, then ``refused`` more."""
        for number, minute in enumerate((0, 2, 5)):
            at = NOW + datetime.timedelta(minutes=minute)
            self.assertEqual(self.post(number, at).status_code, 302)
        for number in range(refused):
            at = NOW + datetime.timedelta(minutes=20)
            self.assertEqual(self.post(10 + number, at).status_code, 429)

    def test_over_the_cap_the_sender_is_told_and_keeps_the_text(self):
        """
        Past the cap, a new sender is refused politely with when to send again, the
        form is shown filled in as sent, nothing is saved; the next hour it is taken.
        """
        self.fill_the_hour(refused=0)
        response = self.post(
            7,
            NOW + datetime.timedelta(minutes=15),
            title="One too many",
            summary="Our own workshop.\n\nAll welcome.",
        )
        self.assertContains(response, "Your suggestion was not sent", status_code=429)
        self.assertContains(
            response,
            "We have had more suggestions than usual this hour and cannot take more "
            "until 11:00.",
            status_code=429,
        )
        self.assertContains(response, 'value="One too many"', status_code=429)
        self.assertContains(
            response, "Our own workshop.\n\nAll welcome.</textarea>", status_code=429
        )
        self.assertContains(response, 'value="ada@example.org"', status_code=429)
        self.assertEqual(response["Retry-After"], str(45 * 60))
        self.assertEqual(Suggestion.objects.count(), 3)

        later = self.post(7, NOW + datetime.timedelta(hours=1), title="One too many")
        self.assertEqual(later.status_code, 302)
        self.assertTrue(Suggestion.objects.filter(title="One too many").exists())

    def test_editors_see_when_the_cap_was_reached_and_how_many_were_turned_away(self):
        """
        The suggestions list says when the hour's cap was reached and how many were
        turned away since, for a day; its queries do not grow.
        """
        self.fill_the_hour(refused=2)
        self.client.force_login(make_superuser())
        with time_machine.travel(NOW + datetime.timedelta(minutes=30), tick=False):
            response = get_counting_queries(self, self.changelist, 8)
        self.assertContains(
            response,
            "The limit of 3 suggestions an hour from the public form was reached at "
            "10:05; 2 were turned away since, and it takes more from 11:00.",
        )
        self.assertContains(response, "SUGGESTIONS_PER_HOUR")

        with time_machine.travel(NOW + datetime.timedelta(hours=5), tick=False):
            response = self.client.get(self.changelist)
        self.assertContains(
            response,
            "The limit of 3 suggestions an hour from the public form was reached at "
            "10:05 on 20 November; 2 were turned away before 11:00.",
        )
        with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
            response = self.client.get(self.changelist)
        self.assertNotContains(response, "The limit of 3 suggestions")

    @override_settings(NEWSROOM_SUGGESTIONS_PER_HOUR=RATE_LIMIT + 2)
    def test_no_word_to_editors_under_the_cap(self):
        """A sender's own limit, or a busy hour under the cap, shows no notice."""
        at = NOW + datetime.timedelta(hours=2)
        answers = Counter(self.post(1, at).status_code for _ in range(RATE_LIMIT + 1))
        self.assertEqual(answers, {302: RATE_LIMIT, 429: 1})
        self.assertEqual(self.post(2, at).status_code, 302)
        self.client.force_login(make_superuser())
        with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
            response = self.client.get(self.changelist)
        self.assertNotContains(response, "The limit of")
        self.assertNotContains(response, "turned away")


@time_machine.travel(NOW, tick=False)
class CountCleanupTests(TestCase):
    def test_past_hours_are_forgotten(self):
        """
        A sender's count is dropped once its hour is over and everyone's after a day
        (the editors' notice reads it), so the counts never pile up.
        """

        def post(address: str, at: datetime.datetime) -> None:
            with time_machine.travel(at, tick=False):
                response = self.client.post(SUGGEST, form_data(), REMOTE_ADDR=address)
            self.assertEqual(response.status_code, 302)

        def counts() -> set[tuple[str, int]]:
            return {
                (
                    "everyone" if count.key == SuggestionCount.EVERYONE else "sender",
                    count.hour.hour,
                )
                for count in SuggestionCount.objects.all()
            }

        post("192.0.2.1", NOW)
        post("192.0.2.2", NOW + datetime.timedelta(minutes=10))
        self.assertEqual(counts(), {("sender", 10), ("everyone", 10)})
        self.assertEqual(SuggestionCount.objects.count(), 3)
        post("192.0.2.3", NOW + datetime.timedelta(hours=1, minutes=30))
        self.assertEqual(counts(), {("everyone", 10), ("sender", 11), ("everyone", 11)})
        post("192.0.2.4", NOW + datetime.timedelta(days=1, minutes=1))
        self.assertEqual(counts(), {("everyone", 11), ("sender", 10), ("everyone", 10)})
        self.assertEqual(SuggestionCount.objects.count(), 3)
