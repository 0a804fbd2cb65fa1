"""
The site's forms and addresses fuzzed: whatever is typed, pasted or forged into them
(odd unicode, null characters, huge values, wrong types, missing fields), the answer
is a page, a redirect or a refusal, never a server error; a form that is refused says
why on the page, and nothing of it is saved.
"""

import datetime
from urllib.parse import quote, urlencode

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase as PlainTestCase
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from events.models import Event
from issues.models import Issue, IssueTransition, Item, PreviewLink, Suggestion
from tests import examples
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_person,
    make_publication,
    make_section,
    make_superuser,
)
from tests.issues.admin.test_issue import issue_post_data
from tests.issues.editorial.test_concurrency import item_row
from tests.issues.export.helpers import export_settings
from tests.issues.importer.test_fuzz import mangled_reference

FUZZ = settings(
    max_examples=examples(50),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# The answers a request may get; a 500 is never one of them.
EXPECTED_STATUSES = {200, 302, 400, 403, 404, 405, 410}

ODD_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n\t",
    "\u202e\u0645\u0631\u062d\u0628\u0627",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩🏽‍🔬 ﷽",  # noqa: RUF001 (look-alike letters, on purpose)
    "e\u0301\u0301\u0301",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{ 7|add:7 }} {% now 'Y' %}",
    "-1",
    "0",
    "1.5",
    "99999999999999999999999",
    "9" * 5000,
    "1e309",
    "NaN",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "31/12/2024",
    "javascript:alert(1)",
    "https://example.org/" + "a" * 3000,
    "x" * 100_000,
    "None",
    "[]",
]
# Text a person or a program could send: any character a form can carry.
odd_text = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=60),
)


def field_values(*valid) -> st.SearchStrategy:
    """A valid value as often as an odd one."""
    return st.one_of(st.sampled_from([str(value) for value in valid]), odd_text)


def form_data(fields: dict) -> st.SearchStrategy:
    """Each field given a valid or an odd value, or left out."""
    return st.fixed_dictionaries({}, optional=fields)


@st.composite
def mutated(draw, valid: dict, *, max_changes: int = 4) -> dict:
    """
    A valid form with a few of its fields changed to odd values, left out, or
    joined by a field it does not have; sometimes left as it is.
    """
    data = dict(valid)
    for _ in range(draw(st.integers(0, max_changes))):
        name = draw(st.sampled_from(sorted(valid)) | odd_text)
        if draw(st.booleans()):
            data.pop(name, None)
        else:
            data[name] = draw(odd_text)
    return data


class FuzzTestCase(TestCase):
    def assert_expected_status(self, response):
        self.assertIn(response.status_code, EXPECTED_STATUSES)

    def assert_admin_answer(self, response):
        """A saved form redirects; a refused one is shown again, saying why."""
        self.assert_expected_status(response)
        if response.status_code == 200:
            self.assertContains(response, 'class="errornote"')


@export_settings
class PublicFormFuzzTests(FuzzTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = make_publication("Partnership News")
        section = make_section(cls.publication, title="News")
        sent = make_issue(cls.publication, month=10, status=Issue.Status.SENT)
        make_item(sent, section, title="Omics workshop")
        cls.event = make_event("Omics Meeting")
        cls.person = make_person("Ada Lovelace")

    @FUZZ
    @given(
        mutated(
            {
                "title": "Health data workshop",
                "summary": "A day of talks.\n\nAll welcome.",
                "url": "https://example.org/workshop",
                "deadline": str(datetime.date.today() + datetime.timedelta(days=30)),
                "event_date": "2099-01-31",
                "contact_name": "Grace Hopper",
                "contact_email": "grace@example.org",
                "consent": "on",
                "leave_empty": "",
            }
        )
    )
    def test_suggestion_form(self, data):
        """A suggestion is taken, or shown again with what to fix; never a 500."""
        before = Suggestion.objects.count()
        response = self.client.post(reverse("suggest"), data)
        # 429: the sender's hourly limit, said on the page.
        self.assertIn(response.status_code, EXPECTED_STATUSES | {429})
        if response.status_code == 302:
            self.assertEqual(response["Location"], reverse("suggest_thanks"))
            is_bot = bool(data.get("leave_empty", "").strip())
            self.assertEqual(Suggestion.objects.count(), before + (not is_bot))
        else:
            # 400: a request no browser sends (a field name of a hundred thousand
            # characters), refused before it reaches the form.
            refused = (
                "This request was refused"
                if response.status_code == 400
                else "Your suggestion was not sent"
            )
            self.assertContains(response, refused, status_code=response.status_code)
            self.assertEqual(Suggestion.objects.count(), before)

    @FUZZ
    @given(form_data({"q": field_values("omics", "workshop"), "page": odd_text}))
    def test_search(self, params):
        """Any words and any page number give a page of results, or none."""
        response = self.client.get(f"{reverse('search')}?{urlencode(params)}")
        self.assertEqual(response.status_code, 200)

    @FUZZ
    @given(
        st.sampled_from(
            [
                "events:list",
                "events:calendar",
                "issues:archive",
                "issues:feed",
                "home",
                "sitemap",
            ]
        ),
        st.dictionaries(
            st.sampled_from(["year", "page", "month", "q", "format", "x"]) | odd_text,
            odd_text,
            max_size=4,
        ),
    )
    def test_list_pages_ignore_odd_parameters(self, name, params):
        """The events, the archive and the feeds do not depend on the query string."""
        response = self.client.get(f"{reverse(name)}?{urlencode(params)}")
        self.assertEqual(response.status_code, 200)

    @FUZZ
    @given(
        st.sampled_from(
            [
                "/issues/{}/",
                "/issues/partnership-news/{}/",
                "/issues/{}/feed.atom",
                "/events/{}/",
                "/events/{}/calendar.ics",
                "/people/{}/",
                "/people/teams/{}/",
                "/preview/{}/",
            ]
        ),
        odd_text,
    )
    def test_made_up_addresses(self, pattern, piece):
        """An address that names nothing is not found, whatever it holds."""
        response = self.client.get(pattern.format(quote(piece, safe="")))
        self.assertIn(response.status_code, {200, 301, 404})


@export_settings
class AdminFormFuzzTests(FuzzTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        cls.publication = make_publication("Partnership News")
        cls.section = make_section(cls.publication, title="News")
        cls.event = make_event("Omics Meeting")
        cls.issue = make_issue(cls.publication, month=12, year=2025)
        cls.item = make_item(cls.issue, cls.section, title="Funding call")
        cls.in_review = make_issue(
            cls.publication, month=1, year=2026, status=Issue.Status.IN_REVIEW
        )

    def setup_example(self):
        # Each example has a client of its own, made here.
        super().setup_example()
        self.client.force_login(self.user)

    def issue_form(self, *, existing: bool, rows: int) -> dict:
        """The issue page's form as a browser would send it, with ``rows`` items."""
        data = {
            "publication": self.publication.pk,
            "year": 2025 if existing else 2030,
            "month": 12,
            "title": "Winter issue",
            "slug": "",
            "preheader": "News, events and calls",
            "intro": "<p>Welcome.</p>",
            "planned_send_date": "2025-12-03",
            "loaded_version": self.issue.version if existing else "",
            "items-TOTAL_FORMS": rows,
            "items-INITIAL_FORMS": int(existing and rows > 0),
            "items-MIN_NUM_FORMS": 0,
            "items-MAX_NUM_FORMS": 1000,
        }
        for index in range(rows):
            row = {
                "id": self.item.pk if existing and index == 0 else "",
                "issue": self.issue.pk if existing else "",
                "section": self.section.pk,
                "position": index,
                "title": f"Call for papers {index}",
                "body": "<p>Apply now.</p>",
                "deadline": "2025-12-31",
                "deadline_label": "Apply by",
                "cta_label": "Apply",
                "cta_url": "https://example.org/apply",
                "image_url": "",
                "image_alt": "",
                "event": self.event.pk,
                "loaded_version": self.item.version if existing and index == 0 else "",
            }
            data.update({f"items-{index}-{name}": v for name, v in row.items()})
        return {name: str(value) for name, value in data.items()}

    def assert_nothing_saved_unless_redirected(self, response, counts):
        self.assert_admin_answer(response)
        if response.status_code == 200:
            self.assertEqual((Issue.objects.count(), Item.objects.count()), counts)
            self.assertEqual(
                Issue.objects.get(pk=self.issue.pk).version, self.issue.version
            )

    @FUZZ
    @given(st.data())
    def test_issue_add_form(self, data):
        """A new issue and its items are saved, or refused with what to fix."""
        rows = data.draw(st.integers(0, 2))
        post = data.draw(mutated(self.issue_form(existing=False, rows=rows)))
        counts = (Issue.objects.count(), Item.objects.count())
        response = self.client.post(reverse("admin:issues_issue_add"), post)
        self.assert_nothing_saved_unless_redirected(response, counts)

    @FUZZ
    @given(st.data())
    def test_issue_change_form(self, data):
        """An issue's page saves the changes, or refuses them with what to fix."""
        rows = data.draw(st.integers(0, 2))
        post = data.draw(mutated(self.issue_form(existing=True, rows=rows)))
        counts = (Issue.objects.count(), Item.objects.count())
        url = reverse("admin:issues_issue_change", args=[self.issue.pk])
        response = self.client.post(url, post)
        self.assert_nothing_saved_unless_redirected(response, counts)

    @FUZZ
    @given(
        mutated(
            {
                "title": "Omics Workshop",
                "slug": "omics-workshop",
                "summary": "A day of talks.",
                "body": "<p>All welcome.</p>",
                "start_date": "2025-12-05",
                "start_time": "09:30",
                "end_date": "2025-12-06",
                "end_time": "17:00",
                "time_zone": "Europe/London",
                "format": "hybrid",
                "location": "London",
                "organiser": "The Institute",
                "url": "https://example.org/omics",
                "registration_url": "https://example.org/omics/register",
                "deadlines-TOTAL_FORMS": "1",
                "deadlines-INITIAL_FORMS": "0",
                "deadlines-MIN_NUM_FORMS": "0",
                "deadlines-MAX_NUM_FORMS": "1000",
                "deadlines-0-label": "Registration deadline",
                "deadlines-0-date": "2025-11-28",
            },
            max_changes=5,
        ),
        st.sampled_from(["Europe/London", "Europe", "America/Argentina", "UTC"]),
    )
    def test_event_add_form(self, post, time_zone):
        """An event and its deadlines are saved, or refused with what to fix."""
        if post.get("time_zone") == "Europe/London":
            post["time_zone"] = time_zone
        before = Event.objects.count()
        response = self.client.post(reverse("admin:events_event_add"), post)
        self.assert_admin_answer(response)
        if response.status_code == 200:
            self.assertEqual(Event.objects.count(), before)

    @FUZZ
    @given(
        mutated(
            {
                "issue": "",
                "section": "",
                "position": "0",
                "title": "Call for papers",
                "body": "<p>Apply now.</p>",
                "deadline": "2025-12-31",
                "deadline_label": "Apply by",
                "cta_label": "Apply",
                "cta_url": "https://example.org/apply",
                "image_url": "https://example.org/a.png",
                "image_alt": "A poster",
                "event": "",
            }
        )
    )
    def test_item_add_form(self, post):
        """An inbox item is saved, or refused with what to fix."""
        before = Item.objects.count()
        response = self.client.post(reverse("admin:issues_item_add"), post)
        self.assert_admin_answer(response)
        if response.status_code == 200:
            self.assertEqual(Item.objects.count(), before)

    @FUZZ
    @given(form_data({"note": odd_text, "days": field_values(1, 7, 30)}))
    def test_preview_link_form(self, post):
        """A preview link is made, or the issue's page says why not."""
        before = PreviewLink.objects.count()
        url = reverse("admin:issues_issue_preview_link_create", args=[self.issue.pk])
        response = self.client.post(url, post, follow=True)
        self.assertEqual(response.status_code, 200)
        made = PreviewLink.objects.count() - before
        self.assertContains(response, "Preview link made" if made else "No link made")

    @FUZZ
    @given(
        st.binary(max_size=3000)
        | st.text(max_size=3000).map(str.encode)
        | mangled_reference().map(str.encode),
        st.sampled_from(["issue.md", "issue.html", "issue", "ü 😀.md", "a" * 300]),
        field_values("", 1),
    )
    def test_import_upload_form(self, content, name, publication):
        """Any file is previewed or refused with a reason; nothing is saved."""
        counts = (Issue.objects.count(), Item.objects.count())
        response = self.client.post(
            reverse("admin:issues_issue_import"),
            {"file": SimpleUploadedFile(name, content), "publication": publication},
        )
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertTrue(
            "What importing" in page
            or 'class="errornote"' in page
            or 'class="errorlist' in page
        )
        self.assertEqual((Issue.objects.count(), Item.objects.count()), counts)

    @FUZZ
    @given(
        st.sampled_from(["send-back", "approve"]),
        form_data({"comment": field_values("Shorter, please.")}),
    )
    def test_workflow_comment(self, step, post):
        """A step is taken with the comment, or refused with a message saying why."""
        url = reverse("admin:issues_issue_workflow", args=[self.in_review.pk, step])
        response = self.client.post(url, post, follow=True)
        self.assertEqual(response.status_code, 200)
        taken = IssueTransition.objects.filter(issue=self.in_review).exists()
        self.assertContains(response, 'class="success"' if taken else 'class="error"')
        if "\x00" in post.get("comment", ""):
            self.assertFalse(taken)


class GarbledChoiceTests(PlainTestCase):
    """Found by the fuzzing above; kept as plain examples."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        cls.publication = make_publication("Partnership News")
        cls.section = make_section(cls.publication, title="News")
        cls.issue = make_issue(cls.publication, month=12, year=2025)
        cls.item = make_item(cls.issue, cls.section, title="Funding call")

    def setUp(self):
        self.client.force_login(self.user)

    def test_a_choice_that_is_no_id_is_refused_with_a_message(self):
        """
        An autocomplete field sent with a value that is no id (text, a number
        too large for the database) is refused beside the field, not with an
        error page.
        """
        for value in ("abc", "99999999999999999999999", "9" * 5000):
            pages = [
                (
                    reverse("admin:issues_issue_change", args=[self.issue.pk]),
                    issue_post_data(
                        self.issue,
                        item_row(self.item, event=value),
                        initial=1,
                    ),
                ),
                (
                    reverse("admin:issues_item_change", args=[self.item.pk]),
                    {
                        "issue": value,
                        "section": value,
                        "event": value,
                        "title": "Funding call",
                        "position": 0,
                        "loaded_version": self.item.version,
                    },
                ),
                (
                    reverse(
                        "admin:issues_publication_change", args=[self.publication.pk]
                    ),
                    {
                        "name": "Partnership News",
                        "slug": "partnership-news",
                        "contact": value,
                    },
                ),
            ]
            for url, data in pages:
                with self.subTest(url=url, value=value[:30]):
                    response = self.client.post(url, data)
                    self.assertContains(response, "Select a valid choice")
        self.item.refresh_from_db()
        self.assertIsNone(self.item.event_id)
