import io
import shutil
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import models
from django.test import TestCase, override_settings
from django.urls import reverse
from PIL import Image

from issues.demo import NEWSLETTER as REFERENCE
from issues.editorial.sending import mark_sent
from issues.importer.build import MODELS, Changes, read_content, write_content
from issues.importer.reader import read_newsletter
from issues.importer.services import fetch_url, import_newsletter
from issues.models import Issue, Item, Publication
from newsroom.core.fetching import FetchError
from people.models import Person
from tests.factories import make_issue, make_publication
from tests.issues.importer import demo_expected
from tests.issues.importer.samples import TRACKER, email_html
from tests.local_server import Answer, LocalServer

# The frozen copy of an issue holds the rows' ids, which differ from one database to
# the next.
IGNORED = {
    "id",
    "created_at",
    "updated_at",
    "frozen_content",
    "frozen_content_sha256",
    "frozen_at",
}
FORBIDDEN_IN_URLS = (
    "safelinks.protection.outlook.com",
    "msdynmkt_trackingcontext",
    "utm_",
    "/r/",
)


def natural_key(instance) -> str:
    return getattr(instance, "slug", None) or str(instance)


def snapshot() -> dict:
    """Every row of every model the import writes, without keys or timestamps."""
    rows = {}
    for model in MODELS:
        found = []
        for instance in model._default_manager.all():
            row = {}
            for field in instance._meta.concrete_fields:
                if field.name in IGNORED:
                    continue
                value = getattr(instance, field.name)
                if isinstance(field, models.ForeignKey):
                    value = natural_key(value) if value is not None else None
                elif isinstance(field, models.FileField):
                    value = value.name
                row[field.name] = value
            found.append(row)
        rows[model.__name__] = sorted(found, key=repr)
    return rows


def delete_everything() -> None:
    for model in (Item, Issue, *MODELS):
        model._default_manager.all().delete()


def write_expected() -> Issue:
    """The expected demo content, written and frozen as an import writes it."""
    issue = write_content(
        publication=demo_expected.PUBLICATION,
        issue=demo_expected.ISSUE,
        changes=Changes(),
    )
    return mark_sent(issue=issue, sent_at=issue.sent_at)


def run(path, *args) -> str:
    out = StringIO()
    call_command("import_newsletter", str(path), *args, stdout=out, stderr=out)
    return out.getvalue()


class ReferenceImportTests(TestCase):
    def test_importing_the_reference_gives_exactly_the_expected_content(self):
        """
        The import reads back as the expected content, and every row and field it
        wrote, keys aside, is what writing that content gives.
        """
        run(REFERENCE, "--publication", demo_expected.PUBLICATION.slug)
        imported = snapshot()
        issue = Issue.objects.get()
        self.assertEqual(
            read_content(issue), (demo_expected.PUBLICATION, demo_expected.ISSUE)
        )
        delete_everything()
        write_expected()
        self.assertEqual(imported, snapshot())
        self.assertGreater(sum(len(rows) for rows in imported.values()), 50)

    def test_no_link_is_left_on_a_tracker(self):
        """No stored link or image goes through safe links or the mailer's redirect."""
        run(REFERENCE, "--publication", demo_expected.PUBLICATION.slug)
        for rows in snapshot().values():
            for row in rows:
                for name, value in row.items():
                    if isinstance(value, str) and "http" in value:
                        for mark in FORBIDDEN_IN_URLS:
                            with self.subTest(field=name, mark=mark):
                                self.assertNotIn(mark, value)

    def test_imported_issue_is_sent_and_public(self):
        """The imported issue is Sent, frozen for every mailer, and in the archive."""
        run(REFERENCE, "--publication", demo_expected.PUBLICATION.slug)
        issue = Issue.objects.get()
        self.assertTrue(issue.is_sent)
        self.assertTrue(issue.is_frozen)
        self.assertEqual(
            sorted(issue.exports.values_list("profile__slug", flat=True)),
            ["dynamics365", "generic", "mailchimp"],
        )
        response = self.client.get(reverse("issues:archive"))
        self.assertContains(response, issue.get_absolute_url())

    def test_second_import_changes_nothing_and_says_so(self):
        """The same file twice: the second run writes nothing and says so."""
        run(REFERENCE, "--publication", "turing-roche")
        before = snapshot()
        output = run(REFERENCE, "--publication", "turing-roche")
        self.assertIn("already imported; nothing changed", output)
        self.assertEqual(snapshot(), before)
        # Without the slug, the publication of the same name is found.
        self.assertIn("already imported", run(REFERENCE))
        self.assertEqual(Publication.objects.count(), 1)

    def test_expected_content_written_first_counts_as_imported(self):
        """The expected content is the same as the file's: nothing to import."""
        write_expected()
        self.assertIn(
            "already imported", run(REFERENCE, "--publication", "turing-roche")
        )

    def test_a_sent_issue_that_differs_is_never_overwritten(self):
        """An edited sent issue is refused, not overwritten, and nothing is saved."""
        run(REFERENCE, "--publication", "turing-roche")
        Item.objects.filter(title__startswith="Medical").update(body="<p>Edited.</p>")
        before = snapshot()
        with self.assertRaisesMessage(CommandError, "is already Sent and differs"):
            run(REFERENCE, "--publication", "turing-roche")
        self.assertEqual(snapshot(), before)

    def test_an_issue_in_progress_is_not_overwritten(self):
        """A draft for the same month is refused, so no editor's work is lost."""
        publication = make_publication("Turing", slug="turing-roche")
        make_issue(publication, year=2024, month=11)
        with self.assertRaisesMessage(CommandError, "is Draft"):
            run(REFERENCE, "--publication", "turing-roche")
        self.assertEqual(Item.objects.count(), 0)
        self.assertEqual(Person.objects.count(), 0)

    def test_dry_run_saves_nothing(self):
        """A dry run reports what it would create and the links, and saves nothing."""
        output = run(REFERENCE, "--publication", "turing-roche", "--dry-run")
        self.assertIn("dry run: nothing saved", output)
        self.assertIn("would create: 1 publication, 7 social links, 6 sections", output)
        self.assertIn("links unwrapped: 27", output)
        self.assertIn(
            "https://forms.gle/iEuDrC9Nb4w63YtWA  (undone: Outlook safe links, "
            "Dynamics 365 click tracking)",
            output,
        )
        self.assertEqual(sum(len(rows) for rows in snapshot().values()), 0)


class MalformedImportTests(TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)

    def write(self, data: bytes) -> Path:
        path = self.folder / "issue.md"
        path.write_bytes(data)
        return path

    def test_malformed_file_is_refused_with_its_line(self):
        """A file that is not a newsletter: the line and the reason; nothing saved."""
        path = self.write(b"# The Network\n\nIntro.\n\n## Spring news\n\n### Item\n")
        with self.assertRaises(CommandError) as raised:
            run(path)
        message = str(raised.exception)
        self.assertIn("issue.md, line 5: the issue's month was not found", message)
        self.assertIn("Nothing was saved.", message)
        self.assertEqual(Publication.objects.count(), 0)

    def test_missing_file(self):
        """A path that is not there is said so."""
        with self.assertRaisesMessage(CommandError, "cannot read the file"):
            run(self.folder / "absent.md")

    def test_file_too_large(self):
        """Anything over 2 MB is not a newsletter."""
        path = self.write(b"#" * (2 * 1024 * 1024 + 1))
        with self.assertRaisesMessage(CommandError, "at most 2 MB"):
            run(path)


class EmailImportTests(TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)
        self.path = self.folder / "march.html"
        self.path.write_text(email_html(), encoding="utf-8")

    def test_unknown_redirect_is_kept_and_reported(self):
        """A click tracker nobody here knows stays as the link, and is listed."""
        output = run(self.path)
        self.assertIn(f"redirect kept, not known: {TRACKER}", output)
        self.assertEqual(Item.objects.get(title="A second item").cta_url, TRACKER)

    def test_email_round_trip(self):
        """The e-mail's HTML imported, read back, is what the reader read."""
        output = run(self.path)
        self.assertIn("the file does not say when it was sent", output)
        issue = Issue.objects.get()
        parsed = read_newsletter(email_html())
        publication, stored = read_content(issue)
        self.assertEqual(publication, parsed.publication)
        self.assertEqual(stored, parsed.issue)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(out, "PNG")
    return out.getvalue()


class FetchImagesTests(TestCase):
    def setUp(self):
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media)
        self.enterContext(override_settings(MEDIA_ROOT=media))

    def test_images_are_fetched_and_unreachable_ones_reported(self):
        """Fetched images are stored; an unreachable host leaves a link and a note."""

        def fetch(url):
            if "12679505" in url:
                raise FetchError("could not reach it: host unreachable")
            return png_bytes()

        result = import_newsletter(
            source=REFERENCE.read_bytes(),
            publication_slug="turing-roche",
            fetch_images=True,
            fetch=fetch,
        )
        events = Item.objects.filter(section__slug="events-from-the-community")
        self.assertEqual(events.exclude(image="").count(), 2)
        kept = events.get(image="")
        self.assertIn("12679505", kept.image_url)
        self.assertEqual(len(result.images_not_fetched), 1)
        self.assertIn("could not reach it: host unreachable", result.summary()[-1])

    def test_command_says_which_images_were_not_fetched(self):
        """The command imports the rest and names each image it could not fetch."""
        with mock.patch(
            "issues.importer.services.fetch_url",
            side_effect=FetchError("could not reach it: no network"),
        ) as fetch:
            output = run(REFERENCE, "--fetch-images")
        self.assertEqual(fetch.call_count, 3)
        self.assertEqual(output.count("Image not fetched:"), 3)
        self.assertEqual(Item.objects.exclude(image_url="").count(), 3)

    def test_a_refused_image_is_kept_as_a_link_saying_why(self):
        """The reason the fetcher gives is the one the summary shows."""

        def fetch(url):
            raise FetchError("it redirects to a private address (10.0.0.5)")

        result = import_newsletter(
            source=REFERENCE.read_bytes(),
            publication_slug="turing-roche",
            fetch_images=True,
            fetch=fetch,
        )
        url = result.images_not_fetched[0][0]
        self.assertIn(
            f"  image not fetched, kept as a link: {url} (it redirects to a private "
            "address (10.0.0.5))",
            result.summary(),
        )


class FetchURLTests(TestCase):
    def test_a_redirect_to_another_local_address_is_not_followed(self):
        """
        An image link on this machine that redirects to the cloud's metadata path
        on another of its addresses is refused, and the second is never asked.
        """
        with LocalServer(
            {"/latest/meta-data/": Answer(body=b"secret")}, host="127.0.0.2"
        ) as metadata:
            answers = {
                "/photo.png": Answer(
                    302, headers={"Location": metadata.url("/latest/meta-data/")}
                )
            }
            with LocalServer(answers) as images:
                with self.assertRaises(FetchError) as caught:
                    fetch_url(images.url("/photo.png"))
        self.assertEqual(metadata.requests, [])
        self.assertEqual(
            caught.exception.reason,
            "it is not an https link; only https links are fetched",
        )
