"""
What the import does with what is not content or cannot be saved: the mailer's own
footer and placeholders, links that are not links, a row the database would refuse,
a failure halfway; and what a dry run says it would create, change and leave.
"""

import shutil
import tempfile
from datetime import date
from pathlib import Path
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from django.test import TestCase
from django.urls import reverse

from events.models import Event
from issues.importer.services import UnreadableNewsletter, import_newsletter
from issues.models import Issue, Item, Publication
from people.models import Person
from tests.demo import import_demo
from tests.factories import make_superuser
from tests.issues.importer.test_command import REFERENCE, run, snapshot

PAGE = """<!DOCTYPE html><html><body>
<div style="display:none">Grants and news</div>
<p><a href="*|ARCHIVE|*">View this email in your browser</a></p>
<h1 style="color:#AA3300">The Network</h1>
<h2>March 2025</h2>
<p>This month, news.</p>
<h2>News</h2>
<h3>Grants</h3>
<p>Apply soon, see <a href="javascript:alert(1)">the rules</a>.</p>
<p><a href="{cta}">Apply here</a></p>
{footer}
</body></html>"""

MAILCHIMP_FOOTER = """
<p>Copyright © *|CURRENT_YEAR|* *|LIST:COMPANY|*, All rights reserved.</p>
<p>*|IFNOT:ARCHIVE_PAGE|* *|LIST:DESCRIPTION|* *|END:IF|*</p>
<p>Our mailing address is: *|HTML:LIST_ADDRESS_HTML|*</p>
<p>Want to change how you receive these emails? You can
<a href="*|UPDATE_PROFILE|*">update your preferences</a> or
<a href="*|UNSUB|*">unsubscribe from this list</a>.</p>
<img src="https://example.us1.list-manage.com/track/open.php?u=1" width="1">
"""

DYNAMICS_FOOTER = """
<p>The Network, 1 High Street, Leeds LS1 1AA</p>
<p><a href="https://public-gbr.mkt.dynamics.com/api/orgs/x/consent/preferences"
>Manage your preferences</a> | <a
href="{{msdyncrm_contentsettings.msdyncrm_subscriptioncenter}}">Unsubscribe</a></p>
"""


def page(*, cta="https://network.example.org/grants", footer="") -> str:
    return PAGE.format(cta=cta, footer=footer)


class MailerFooterTests(TestCase):
    def test_mailchimp_footer_and_merge_tags_are_not_content(self):
        """Mailchimp's footer, placeholders and their links stay out of the issue."""
        result = import_newsletter(source=page(footer=MAILCHIMP_FOOTER))
        item = Item.objects.get()
        self.assertEqual(item.cta_url, "https://network.example.org/grants")
        self.assertNotIn("*|", item.body)
        self.assertNotIn("unsubscribe", item.body.lower())
        publication = Publication.objects.get()
        self.assertEqual(publication.copyright_holder, "")
        self.assertEqual(publication.postal_address, "")
        self.assertEqual(result.issue.preheader, "Grants and news")
        self.assertFalse(any("*|" in link.url for link in result.parsed.links.links))

    def test_dynamics_footer_gives_the_address_and_nothing_else(self):
        """Dynamics 365's consent links go; the postal address above them stays."""
        import_newsletter(source=page(footer=DYNAMICS_FOOTER))
        item = Item.objects.get()
        self.assertNotIn("preferences", item.body)
        self.assertNotIn("Leeds", item.body)
        self.assertEqual(
            Publication.objects.get().postal_address,
            "The Network, 1 High Street, Leeds LS1 1AA",
        )

    def test_brand_colour_is_the_colour_of_the_name(self):
        """The publication's colour is the colour its name is shown in."""
        import_newsletter(source=page())
        self.assertEqual(Publication.objects.get().brand_colour, "#AA3300")


class LinksLeftOutTests(TestCase):
    def test_a_script_link_keeps_its_words_and_is_reported(self):
        """A javascript: link is no link: its words stay, the summary names it."""
        result = import_newsletter(source=page())
        self.assertEqual(Item.objects.get().body, "<p>Apply soon, see the rules.</p>")
        self.assertIn(
            "  link left out (only http, https and mailto links are kept): "
            "javascript:alert(1)",
            result.summary(),
        )


FAR_DATES = """# The Network

## March 2025

{sent_on}

This month, news.

## News

### Seed grants

**Application deadline: {deadline}**

Grants for new projects.

### Data linkage workshop

**{event_date}**

A workshop held in Leeds.
"""


def far_dates(
    *, sent_on="3 March 2025", deadline="20 March 2025", event_date="14 April 2025"
) -> str:
    return FAR_DATES.format(sent_on=sent_on, deadline=deadline, event_date=event_date)


class DatesOutOfRangeTests(TestCase):
    """
    A date outside the years Newsroom keeps is no date: its words stay where the
    newsletter had them, the summary names it, and the rest is imported.
    """

    def test_a_far_deadline_stays_as_text_and_is_reported(self):
        result = import_newsletter(source=far_dates(deadline="31 December 9999"))
        item = Item.objects.get(title="Seed grants")
        self.assertIsNone(item.deadline)
        self.assertEqual(item.deadline_label, "")
        self.assertIn("Application deadline: 31 December 9999", item.body)
        self.assertIn(
            "  date kept as text only (Newsroom keeps the years 1990 to 2100): "
            "line 13, “Application deadline: 31 December 9999”",
            result.summary(),
        )
        self.assertTrue(Event.objects.filter(start_date=date(2025, 4, 14)).exists())

    def test_a_far_event_date_makes_no_event(self):
        result = import_newsletter(source=far_dates(event_date="14 April 0001"))
        item = Item.objects.get(title="Data linkage workshop")
        self.assertIsNone(item.event)
        self.assertIn("14 April 0001", item.body)
        self.assertFalse(Event.objects.exists())
        self.assertIn(
            "  date kept as text only (Newsroom keeps the years 1990 to 2100): "
            "line 19, “14 April 0001”",
            result.summary(),
        )

    def test_a_far_day_of_sending_is_not_taken(self):
        """Under the title, it stays in the introduction; the 1st of the month is."""
        result = import_newsletter(source=far_dates(sent_on="3 March 2999"))
        self.assertEqual(result.issue.sent_at.date(), date(2025, 3, 1))
        self.assertIn("3 March 2999", result.issue.intro)
        self.assertIn(
            "  date kept as text only (Newsroom keeps the years 1990 to 2100): "
            "line 5, “3 March 2999”",
            result.summary(),
        )

    def test_a_delivery_time_outside_the_years_kept_is_not_taken(self):
        """Outlook's wrapping time of year 3000 is ignored, the summary says so."""
        ticks = 946_708_128_000_000_000  # 1 January 3001, in .NET ticks
        wrapped = (
            "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2F"
            f"grants.example.org%2F&data=05%7C02%7C0%7C{ticks}%7CUnknown"
        )
        source = far_dates().replace(
            "Grants for new projects.", f"Grants for [new projects]({wrapped})."
        )
        result = import_newsletter(source=source)
        self.assertEqual(result.issue.sent_at.date(), date(2025, 3, 3))
        self.assertIn(
            "  the file does not say at what time it was sent: recorded as sent on "
            "3 March 2025 at 09:00",
            result.summary(),
        )

    def test_a_month_outside_the_years_kept_is_refused_with_its_line(self):
        source = far_dates().replace("March 2025", "March 9999", 1)
        with self.assertRaises(UnreadableNewsletter) as raised:
            import_newsletter(source=source)
        self.assertEqual(
            str(raised.exception),
            "line 3: the year 9999 in the issue's title is outside the dates "
            "Newsroom keeps (1990 to 2100): check the year",
        )
        self.assertEqual(Publication.objects.count(), 0)


class RejectedContentTests(TestCase):
    def setUp(self):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        self.path = folder / "march.html"
        long_link = "https://network.example.org/" + "a" * 2000
        self.path.write_text(page(cta=long_link), encoding="utf-8")

    def test_command_names_the_row_and_the_reason_and_saves_nothing(self):
        """A link too long to store: which item, which field, why; nothing saved."""
        with self.assertRaises(CommandError) as raised:
            run(self.path)
        message = str(raised.exception)
        self.assertIn(
            "the item “Grants” cannot be saved (call-to-action link: Ensure this "
            "value has at most 2000 characters",
            message,
        )
        self.assertIn("Nothing was saved.", message)
        self.assertEqual(Publication.objects.count(), 0)

    def test_admin_explains_it_on_the_page(self):
        """The upload page shows the same reason, not a server error."""
        self.client.force_login(make_superuser())
        upload = SimpleUploadedFile("march.html", self.path.read_bytes())
        response = self.client.post(
            reverse("admin:issues_issue_import"), {"file": upload}
        )
        self.assertContains(response, "cannot be saved (call-to-action link")
        self.assertEqual(Publication.objects.count(), 0)


class OneTransactionTests(TestCase):
    def test_a_failure_halfway_saves_nothing(self):
        """When freezing the imported issue fails, no row of the import remains."""
        with (
            mock.patch(
                "issues.importer.services.mark_sent", side_effect=RuntimeError("disk")
            ),
            self.assertRaises(RuntimeError),
        ):
            import_newsletter(source=REFERENCE.read_bytes())
        self.assertEqual(Publication.objects.count(), 0)
        self.assertEqual(Person.objects.count(), 0)
        self.assertEqual(Item.objects.count(), 0)


class DryRunSummaryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        import_demo()
        Issue.objects.all().delete()

    def test_dry_run_says_what_it_would_create_change_and_leave(self):
        """Into an existing publication: the new issue, nothing changed, the rest."""
        before = snapshot()
        output = run(REFERENCE, "--publication", "turing-roche", "--dry-run")
        self.assertIn("  would create: 1 issue, 13 items\n", output)
        self.assertIn("  would change: nothing\n", output)
        self.assertIn(
            "  would leave as they were: 1 publication, 7 social links, 6 sections, "
            "3 events, 1 team, 10 people, 10 team memberships\n",
            output,
        )
        self.assertEqual(snapshot(), before)
