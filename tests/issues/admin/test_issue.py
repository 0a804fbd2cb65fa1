import datetime

import time_machine
from django.test import TestCase
from django.urls import reverse

from issues.models import Issue, Item, Section
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_person,
    make_publication,
    make_section,
    make_social_link,
    make_superuser,
    make_team,
    make_user,
)
from tests.utils import get_counting_queries

SENT_AT = datetime.datetime(2024, 11, 14, 9, 0, tzinfo=datetime.UTC)


def titles(response) -> list[str]:
    return [str(obj) for obj in response.context["cl"].result_list]


def issue_post_data(issue: Issue, *items: dict, initial: int = 0, **fields) -> dict:
    """What the issue's change form posts, with ``items`` as the item rows."""
    data = {
        "publication": issue.publication_id,
        "year": issue.year,
        "month": issue.month,
        "title": issue.title,
        "slug": issue.slug,
        "preheader": issue.preheader,
        "intro": issue.intro,
        "planned_send_date": "",
        "loaded_version": issue.version if issue.pk else "",
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": initial,
        **fields,
    }
    for index, item in enumerate(items):
        for name, value in {"position": 0, **item}.items():
            data[f"items-{index}-{name}"] = value
    return data


class PublicationAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        cls.contact = make_person("Maria Anagnostopoulou")
        cls.publication = make_publication(
            "Turing–Roche Partnership", contact=cls.contact
        )
        make_issue(cls.publication, month=10, status=Issue.Status.SENT, sent_at=SENT_AT)
        make_issue(cls.publication, month=11)

    def setUp(self):
        self.client.force_login(self.user)

    def test_changelist_shows_contact_issues_and_last_sending(self):
        response = self.client.get(reverse("admin:issues_publication_changelist"))
        self.assertContains(response, "Maria Anagnostopoulou")
        self.assertContains(response, '<td class="field-issue_count">2</td>')
        self.assertContains(response, "14 Nov 2024")

    def test_never_sent_publication_says_so(self):
        make_publication("New bulletin")
        response = self.client.get(reverse("admin:issues_publication_changelist"))
        self.assertContains(response, '<td class="field-last_sent_at">never</td>')

    def test_changelist_queries_do_not_grow_with_rows(self):
        """The publication list runs the same queries for 3 publications as for 30."""
        url = reverse("admin:issues_publication_changelist")
        for _ in range(2):
            make_issue(make_publication(contact=make_person()))
        get_counting_queries(self, url, 5)
        for _ in range(27):
            make_issue(make_publication(contact=make_person()))
        response = get_counting_queries(self, url, 5)
        self.assertEqual(response.context["cl"].result_count, 30)

    def test_search_by_name(self):
        make_publication("Another bulletin")
        response = self.client.get(
            reverse("admin:issues_publication_changelist"), {"q": "roche"}
        )
        self.assertEqual(titles(response), ["Turing–Roche Partnership"])

    def test_change_page_shows_sections_and_social_links(self):
        make_section(self.publication, title="Partnership updates")
        make_social_link(self.publication, url="https://www.linkedin.com/company/x")
        response = self.client.get(
            reverse("admin:issues_publication_change", args=[self.publication.pk])
        )
        self.assertContains(response, 'value="Partnership updates"')
        self.assertContains(response, 'value="https://www.linkedin.com/company/x"')
        self.assertContains(
            response, f'<option value="{self.contact.pk}" selected>Maria'
        )

    def test_change_page_queries_do_not_grow_with_sections(self):
        """A publication's page runs the same queries with 3 sections as with 20."""
        publication = make_publication(contact=make_person(), team=make_team())
        url = reverse("admin:issues_publication_change", args=[publication.pk])
        for _ in range(3):
            make_section(publication)
            make_social_link(publication)
        # Two of them read the editor groups: those to choose from, those chosen.
        get_counting_queries(self, url, 10)
        for _ in range(17):
            make_section(publication)
            make_social_link(publication)
        response = get_counting_queries(self, url, 10)
        self.assertContains(response, 'name="sections-19-title"')
        self.assertContains(response, 'name="social_links-19-url"')

    def test_add_page_loads(self):
        response = self.client.get(reverse("admin:issues_publication_add"))
        self.assertContains(response, "Contact and sign-up")

    def test_staff_without_permission_is_refused(self):
        self.client.force_login(make_user())
        response = self.client.get(
            reverse("admin:issues_publication_change", args=[self.publication.pk])
        )
        self.assertEqual(response.status_code, 403)


class SectionAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        cls.publication = make_publication("Turing–Roche Partnership")
        cls.news = make_section(cls.publication, title="News and opportunities")
        cls.team = make_section(
            cls.publication, title="Meet the team", kind=Section.Kind.TEAM
        )
        make_section(make_publication("Another bulletin"), title="Other news")

    def setUp(self):
        self.client.force_login(self.user)

    def test_changelist_queries_do_not_grow_with_rows(self):
        """The section list runs the same number of queries for 3 sections as 30."""
        url = reverse("admin:issues_section_changelist")
        get_counting_queries(self, url, 6)
        for _ in range(27):
            make_section()
        response = get_counting_queries(self, url, 6)
        self.assertEqual(response.context["cl"].result_count, 30)

    def test_filter_by_publication(self):
        response = self.client.get(
            reverse("admin:issues_section_changelist"),
            {"publication__id__exact": self.publication.pk},
        )
        self.assertEqual(titles(response), ["News and opportunities", "Meet the team"])

    def test_filter_by_kind(self):
        response = self.client.get(
            reverse("admin:issues_section_changelist"), {"kind__exact": "team"}
        )
        self.assertEqual(titles(response), ["Meet the team"])

    def test_search_by_publication_name(self):
        response = self.client.get(
            reverse("admin:issues_section_changelist"), {"q": "another"}
        )
        self.assertEqual(titles(response), ["Other news"])

    def test_autocomplete_for_items_finds_sections(self):
        """An item's section is looked up by name; they come by publication."""
        response = self.client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "issues",
                "model_name": "item",
                "field_name": "section",
                "term": "news",
            },
        )
        self.assertEqual(
            [result["text"] for result in response.json()["results"]],
            ["Other news", "News and opportunities"],
        )

    def test_change_and_add_pages_load(self):
        change = self.client.get(
            reverse("admin:issues_section_change", args=[self.news.pk])
        )
        self.assertContains(change, 'value="News and opportunities"')
        add = self.client.get(reverse("admin:issues_section_add"))
        self.assertContains(add, "Heading image")


class IssueAdminListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        cls.publication = make_publication("Turing–Roche Partnership")
        cls.november = make_issue(
            cls.publication,
            month=11,
            status=Issue.Status.SENT,
            sent_at=SENT_AT,
            planned_send_date=datetime.date(2024, 11, 14),
        )
        section = make_section(cls.publication)
        make_item(cls.november, section, title="Call for abstracts")
        make_item(cls.november, section, title="Funding call for digital health")
        make_item(cls.november, section, title="Funding call for imaging")
        cls.december = make_issue(cls.publication, month=12, title="Winter issue")
        cls.other = make_issue(make_publication("Another bulletin"), year=2023)

    def setUp(self):
        self.client.force_login(self.user)

    def changelist(self, **params):
        return self.client.get(reverse("admin:issues_issue_changelist"), params)

    def test_changelist_shows_title_status_and_item_count(self):
        response = self.changelist()
        self.assertContains(response, "November 2024")
        self.assertContains(response, "Winter issue")
        self.assertContains(response, '<td class="field-status">Sent</td>')
        self.assertContains(response, '<td class="field-item_count">3</td>')
        self.assertContains(response, "14 Nov 2024")

    def test_changelist_queries_do_not_grow_with_rows(self):
        """The issue list runs the same number of queries for 3 issues as for 30."""
        url = reverse("admin:issues_issue_changelist")
        # Two of them read the sections and items for the open problems.
        get_counting_queries(self, url, 9)
        for _ in range(27):
            issue = make_issue()
            make_item(issue)
        response = get_counting_queries(self, url, 9)
        self.assertEqual(response.context["cl"].result_count, 30)

    def test_sorting_by_issue_follows_the_calendar(self):
        response = self.changelist(o="1")
        self.assertEqual(
            titles(response),
            [
                "Another bulletin – November 2023",
                "Turing–Roche Partnership – November 2024",
                "Turing–Roche Partnership – Winter issue",
            ],
        )

    def test_filter_by_status(self):
        response = self.changelist(status__exact="sent")
        self.assertEqual(titles(response), ["Turing–Roche Partnership – November 2024"])

    def test_filter_by_publication(self):
        response = self.changelist(publication__id__exact=self.publication.pk)
        self.assertEqual(
            titles(response),
            [
                "Turing–Roche Partnership – Winter issue",
                "Turing–Roche Partnership – November 2024",
            ],
        )

    def test_filter_by_year(self):
        response = self.changelist(year=2023)
        self.assertEqual(titles(response), ["Another bulletin – November 2023"])

    def test_search_by_item_title_counts_every_item(self):
        """Found through two of its items, an issue is listed once with all three."""
        response = self.changelist(q="funding")
        self.assertEqual(titles(response), ["Turing–Roche Partnership – November 2024"])
        self.assertContains(response, '<td class="field-item_count">3</td>')

    def test_search_by_year(self):
        response = self.changelist(q="2023")
        self.assertEqual(titles(response), ["Another bulletin – November 2023"])

    def test_staff_without_permission_is_refused(self):
        self.client.force_login(make_user())
        response = self.client.get(
            reverse("admin:issues_issue_change", args=[self.november.pk])
        )
        self.assertEqual(response.status_code, 403)


class IssueAdminChangePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        cls.publication = make_publication("Turing–Roche Partnership")
        cls.events_section = make_section(
            cls.publication, title="Events from the community", position=2
        )
        cls.updates = make_section(
            cls.publication, title="Partnership updates", position=1
        )
        cls.issue = make_issue(cls.publication)
        cls.event = make_event("Responsible research workshop")
        make_item(cls.issue, cls.events_section, title="Workshop", event=cls.event)
        make_item(cls.issue, cls.updates, title="Second update", position=5)
        make_item(cls.issue, cls.updates, title="First update", position=1)
        make_section(make_publication("Another bulletin"), title="Elsewhere only")

    def setUp(self):
        self.client.force_login(self.user)

    def test_items_are_listed_in_section_order(self):
        """Items follow their section's position, then their own."""
        response = self.client.get(
            reverse("admin:issues_issue_change", args=[self.issue.pk])
        )
        formset = response.context["inline_admin_formsets"][0].formset
        self.assertEqual(
            [form.instance.title for form in formset],
            ["First update", "Second update", "Workshop"],
        )

    def test_only_the_publications_sections_are_offered(self):
        response = self.client.get(
            reverse("admin:issues_issue_change", args=[self.issue.pk])
        )
        self.assertContains(response, "Partnership updates")
        self.assertNotContains(response, "Elsewhere only")

    def test_chosen_event_is_shown(self):
        response = self.client.get(
            reverse("admin:issues_issue_change", args=[self.issue.pk])
        )
        self.assertContains(
            response,
            f'<option value="{self.event.pk}" selected>'
            "Responsible research workshop (20 Nov 2024)</option>",
        )

    def test_status_is_shown_but_not_editable(self):
        response = self.client.get(
            reverse("admin:issues_issue_change", args=[self.issue.pk])
        )
        self.assertContains(response, '<div class="readonly">Draft</div>')
        self.assertNotContains(response, 'name="status"')

    def test_change_page_queries_do_not_grow_with_items(self):
        """The issue page runs the same number of queries for 5 items as for 50."""
        issue = make_issue(self.publication, month=12)
        url = reverse("admin:issues_issue_change", args=[issue.pk])

        def add_items(count):
            for _ in range(count):
                make_item(issue, self.updates, event=make_event())

        # One reads the mailer profiles for the download buttons, one the review
        # history, one the preview links.
        add_items(5)
        get_counting_queries(self, url, 10)
        add_items(45)
        response = get_counting_queries(self, url, 10)
        self.assertContains(response, 'name="items-49-title"')

    def test_view_on_site_only_for_sent_issues(self):
        """Readers cannot see a draft, so its page offers no link to the site."""
        url = reverse("admin:issues_issue_change", args=[self.issue.pk])
        self.assertNotContains(self.client.get(url), "View on site")
        Issue.objects.filter(pk=self.issue.pk).update(
            status=Issue.Status.SENT, sent_at=SENT_AT
        )
        self.assertContains(self.client.get(url), "View on site")

    @time_machine.travel(datetime.datetime(2024, 12, 15, 12, 0, tzinfo=datetime.UTC))
    def test_new_issue_is_for_next_month(self):
        response = self.client.get(reverse("admin:issues_issue_add"))
        self.assertContains(response, '<option value="1" selected>January</option>')
        self.assertContains(response, 'name="year" value="2025"')

    def test_add_page_offers_sections_by_publication(self):
        response = self.client.get(reverse("admin:issues_issue_add"))
        self.assertContains(response, '<optgroup label="Another bulletin">')
        self.assertContains(response, '<optgroup label="Turing–Roche Partnership">')


class IssueAdminSavingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        cls.publication = make_publication("Turing–Roche Partnership")
        cls.section = make_section(cls.publication, title="News and opportunities")
        cls.issue = make_issue(cls.publication, title="November 2024")
        cls.foreign_section = make_section(
            make_publication("Another bulletin"), title="Elsewhere only"
        )

    def setUp(self):
        self.client.force_login(self.user)
        self.url = reverse("admin:issues_issue_change", args=[self.issue.pk])

    def test_item_saved_with_sanitised_body(self):
        """An item added on the issue's page is stored with its body made safe."""
        response = self.client.post(
            self.url,
            issue_post_data(
                self.issue,
                {
                    "section": self.section.pk,
                    "title": "Call for abstracts",
                    "body": (
                        '<p onmouseover="steal()">Submit by <strong>Friday</strong>'
                        '.</p><script>alert("x")</script>'
                    ),
                    "deadline": "2024-12-06",
                    "cta_label": "Apply",
                    "cta_url": "https://www.example.org/apply",
                },
            ),
        )
        self.assertRedirects(response, reverse("admin:issues_issue_changelist"))
        item = self.issue.items.get()
        self.assertEqual(item.title, "Call for abstracts")
        self.assertEqual(item.body, "<p>Submit by <strong>Friday</strong>.</p>")
        self.assertEqual(item.deadline_label, "Deadline")
        self.assertEqual(item.section, self.section)

    def test_javascript_call_to_action_is_refused(self):
        """The link's error is shown with the item, and nothing is saved."""
        response = self.client.post(
            self.url,
            issue_post_data(
                self.issue,
                {
                    "section": self.section.pk,
                    "title": "Call for abstracts",
                    "cta_label": "Apply",
                    "cta_url": "javascript:alert(document.cookie)",
                },
                title="Renamed",
            ),
        )
        self.assertContains(response, "Enter a full link starting with https://")
        self.assertFalse(Item.objects.exists())
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.title, "November 2024")

    def test_item_deadline_in_the_year_9999_is_refused_beside_it(self):
        """An item's deadline on 31/12/9999 is refused in its row; nothing saved."""
        response = self.client.post(
            self.url,
            issue_post_data(
                self.issue,
                {
                    "section": self.section.pk,
                    "title": "Call for abstracts",
                    "deadline": "9999-12-31",
                },
            ),
        )
        formset = response.context["inline_admin_formsets"][0].formset
        self.assertEqual(
            formset.errors,
            [
                {
                    "deadline": [
                        "The year 9999 is outside the dates Newsroom keeps (1990 to "
                        "2100): check the year."
                    ]
                }
            ],
        )
        self.assertFalse(Item.objects.exists())

    def test_planned_send_date_in_the_year_1_is_refused_beside_it(self):
        """The issue keeps its planned date when a change would move it to year 1."""
        response = self.client.post(
            self.url, issue_post_data(self.issue, planned_send_date="0001-01-01")
        )
        self.assertIn(
            "The year 1 is outside the dates Newsroom keeps",
            response.context["adminform"].form.errors["planned_send_date"][0],
        )
        self.issue.refresh_from_db()
        self.assertIsNone(self.issue.planned_send_date)

    def test_an_issue_for_the_year_9999_is_refused(self):
        """An issue's year is held to the years Newsroom keeps, like its dates."""
        response = self.client.post(
            reverse("admin:issues_issue_add"),
            issue_post_data(Issue(publication=self.publication, year=9999, month=12)),
        )
        self.assertIn(
            "The year 9999 is outside the dates Newsroom keeps",
            response.context["adminform"].form.errors["year"][0],
        )
        self.assertFalse(Issue.objects.filter(year=9999).exists())

    def test_section_of_another_publication_is_refused(self):
        response = self.client.post(
            self.url,
            issue_post_data(
                self.issue,
                {"section": self.foreign_section.pk, "title": "Misplaced"},
            ),
        )
        self.assertContains(response, "Select a valid choice.")
        self.assertFalse(Item.objects.exists())

    def test_item_without_section_is_refused(self):
        """An item in an issue needs a section; the field says so."""
        response = self.client.post(
            self.url, issue_post_data(self.issue, {"section": "", "title": "Lost"})
        )
        formset = response.context["inline_admin_formsets"][0].formset
        self.assertEqual(formset.errors, [{"section": ["This field is required."]}])
        self.assertFalse(Item.objects.exists())

    def test_new_issue_with_section_of_another_publication_is_refused(self):
        """On the add page every section is offered, but the wrong one is refused."""
        issue = Issue(publication=self.publication, year=2024, month=12)
        response = self.client.post(
            reverse("admin:issues_issue_add"),
            issue_post_data(
                issue, {"section": self.foreign_section.pk, "title": "Misplaced"}
            ),
        )
        self.assertContains(response, "Choose a section of this issue&#x27;s")
        self.assertFalse(Issue.objects.filter(month=12).exists())
        self.assertFalse(Item.objects.exists())

    def test_new_issue_with_its_items(self):
        issue = Issue(publication=self.publication, year=2024, month=12)
        response = self.client.post(
            reverse("admin:issues_issue_add"),
            issue_post_data(issue, {"section": self.section.pk, "title": "Welcome"}),
        )
        self.assertRedirects(response, reverse("admin:issues_issue_changelist"))
        issue = Issue.objects.get(month=12)
        self.assertEqual(issue.slug, "2024-12")
        self.assertEqual(list(issue.items.values_list("title", flat=True)), ["Welcome"])

    def test_status_cannot_be_posted(self):
        """Posting a status has no effect: it only changes through the workflow."""
        self.client.post(self.url, issue_post_data(self.issue, status="sent"))
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.status, Issue.Status.DRAFT)


class ItemAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        cls.publication = make_publication("Turing–Roche Partnership")
        cls.section = make_section(cls.publication, title="News and opportunities")
        cls.issue = make_issue(cls.publication)
        cls.placed = make_item(cls.issue, cls.section, title="Funding call")
        cls.waiting = make_item(
            title="Suggested webinar", event=make_event("Data sharing webinar")
        )

    def setUp(self):
        self.client.force_login(self.user)

    def changelist(self, **params):
        return self.client.get(reverse("admin:issues_item_changelist"), params)

    def test_changelist_shows_issue_or_inbox(self):
        response = self.changelist()
        self.assertContains(
            response,
            '<td class="field-issue_or_inbox">'
            "Turing–Roche Partnership – November 2024</td>",
        )
        self.assertContains(response, '<td class="field-issue_or_inbox">Inbox</td>')
        self.assertContains(response, "Data sharing webinar (20 Nov 2024)")

    def test_changelist_queries_do_not_grow_with_rows(self):
        """The item list runs the same number of queries for 3 items as for 30."""
        url = reverse("admin:issues_item_changelist")
        make_item(event=make_event())
        get_counting_queries(self, url, 6)
        for _ in range(9):
            make_item(make_issue(), event=make_event())
            make_item(event=make_event())
            make_item(self.issue, self.section)
        response = get_counting_queries(self, url, 6)
        self.assertEqual(response.context["cl"].result_count, 30)

    def test_inbox_filter(self):
        response = self.changelist(placement="inbox")
        self.assertEqual(titles(response), ["Suggested webinar"])

    def test_placed_filter(self):
        response = self.changelist(placement="placed")
        self.assertEqual(titles(response), ["Funding call"])

    def test_search_by_title(self):
        response = self.changelist(q="webinar")
        self.assertEqual(titles(response), ["Suggested webinar"])

    def test_change_and_add_pages_load(self):
        change = self.client.get(
            reverse("admin:issues_item_change", args=[self.placed.pk])
        )
        self.assertContains(change, 'value="Funding call"')
        add = self.client.get(reverse("admin:issues_item_add"))
        self.assertContains(add, "Deadline and call to action")

    def test_placing_an_inbox_item_in_another_publications_section_is_refused(self):
        other_section = make_section(make_publication(), title="Elsewhere only")
        response = self.client.post(
            reverse("admin:issues_item_change", args=[self.waiting.pk]),
            {
                "issue": self.issue.pk,
                "section": other_section.pk,
                "position": 0,
                "title": "Suggested webinar",
            },
        )
        self.assertContains(response, "Choose a section of this issue&#x27;s")
        self.waiting.refresh_from_db()
        self.assertIsNone(self.waiting.issue)

    def test_placing_an_inbox_item(self):
        response = self.client.post(
            reverse("admin:issues_item_change", args=[self.waiting.pk]),
            {
                "issue": self.issue.pk,
                "section": self.section.pk,
                "position": 3,
                "title": "Suggested webinar",
                "loaded_version": self.waiting.version,
            },
        )
        self.assertRedirects(response, reverse("admin:issues_item_changelist"))
        self.waiting.refresh_from_db()
        self.assertEqual(self.waiting.issue, self.issue)

    def test_an_item_with_a_deadline_in_the_year_9999_is_refused(self):
        """Adding an item due 31/12/9999 says beside its deadline what is wrong."""
        response = self.client.post(
            reverse("admin:issues_item_add"),
            {
                "position": 0,
                "title": "Fellowships",
                "deadline": "9999-12-31",
                "deadline_label": "Applications close",
            },
        )
        self.assertEqual(
            response.context["adminform"].form.errors["deadline"],
            [
                "The year 9999 is outside the dates Newsroom keeps (1990 to 2100): "
                "check the year."
            ],
        )
        self.assertFalse(Item.objects.filter(title="Fellowships").exists())

    def test_staff_without_permission_is_refused(self):
        self.client.force_login(make_user())
        response = self.client.get(
            reverse("admin:issues_item_change", args=[self.placed.pk])
        )
        self.assertEqual(response.status_code, 403)
