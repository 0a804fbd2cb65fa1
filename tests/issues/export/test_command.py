import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from tests.demo import import_demo
from tests.factories import make_issue, make_item, make_publication, make_section
from tests.issues.export.helpers import demo_issue, export_settings


def run(*args) -> str:
    out = io.StringIO()
    call_command("export_issue", *args, stdout=out)
    return out.getvalue()


@export_settings
class ExportCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        import_demo()
        cls.issue = demo_issue()

    def setUp(self):
        self.out = Path(tempfile.mkdtemp())

    def test_writes_html_text_and_zip_for_each_profile(self):
        for profile in ("dynamics365", "mailchimp", "generic"):
            output = run(
                "turing-roche/2024-11", "--mailer", profile, "--out", str(self.out)
            )
            for extension in ("html", "txt", "zip"):
                path = self.out / f"turing-roche-2024-11-{profile}.{extension}"
                self.assertTrue(path.exists(), path)
            self.assertIn("within the limit", output)
            self.assertIn("frozen", output)
        html = (self.out / "turing-roche-2024-11-mailchimp.html").read_text()
        self.assertEqual(html, self.issue.exports.get(profile__slug="mailchimp").html)

    def test_issue_by_id(self):
        run(str(self.issue.pk), "--mailer", "generic", "--out", str(self.out))
        self.assertTrue((self.out / "turing-roche-2024-11-generic.html").exists())

    def test_unknown_issue_lists_the_issues(self):
        with self.assertRaisesMessage(CommandError, "turing-roche/2024-11 (id"):
            run("nope/2024-11", "--mailer", "generic", "--out", str(self.out))

    def test_unknown_profile_lists_the_profiles(self):
        with self.assertRaisesMessage(
            CommandError, "Mailer profiles: dynamics365, mailchimp, generic."
        ):
            run("turing-roche/2024-11", "--mailer", "nope", "--out", str(self.out))

    def test_over_the_budget_refused_then_forced(self):
        publication = make_publication("Big", slug="big")
        section = make_section(publication, title="News")
        issue = make_issue(publication)
        for number in range(30):
            make_item(issue, section, title=f"N{number}", body="<p>x y z </p>" * 600)
        with self.assertRaises(CommandError) as refused:
            run("big/2024-11", "--mailer", "generic", "--out", str(self.out))
        self.assertIn("--force", str(refused.exception))
        self.assertIn("Item “N", str(refused.exception))
        self.assertFalse((self.out / "big-2024-11-generic.html").exists())
        output = run(
            "big/2024-11", "--mailer", "generic", "--out", str(self.out), "--force"
        )
        self.assertIn("over the limit", output)
        self.assertTrue((self.out / "big-2024-11-generic.html").exists())
