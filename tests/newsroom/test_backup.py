"""
Backups give back what readers received: after a dump and a restore, every sent issue
exports to the same bytes for every mailer, and keeps its errata.
"""

import datetime
import io
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import psycopg
from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings

from issues.editorial.errata import publish_erratum
from issues.editorial.sending import export_issue, mark_sent
from issues.models import Erratum, Issue, IssueExport, MailerProfile
from tests.demo import import_demo
from tests.factories import make_issue, make_item, make_section, make_superuser

SENT_AT = datetime.datetime(2024, 12, 12, 10, 0, tzinfo=datetime.UTC)


def every_export() -> dict[tuple[str, str, str], tuple[str, str]]:
    """(publication, issue, profile) → (html, text) for every sent issue."""
    exports = {}
    for issue in Issue.objects.sent().select_related("publication"):
        for profile in MailerProfile.objects.active():
            result = export_issue(issue=issue, profile=profile, force=True)
            key = (issue.publication.slug, issue.slug, profile.slug)
            exports[key] = (result.html, result.text)
    return exports


def every_erratum() -> list[tuple]:
    """Each erratum by its issue, item and author, with its text and date."""
    return [
        (
            erratum.issue.publication.slug,
            erratum.issue.slug,
            erratum.item and erratum.item.title,
            erratum.published_by and erratum.published_by.username,
            erratum.text,
            erratum.published_at,
        )
        for erratum in Erratum.objects.select_related(
            "issue__publication", "item", "published_by"
        )
    ]


class BackupTestCase(TransactionTestCase):
    # The groups and mailer profiles made by data migrations are part of the data.
    serialized_rollback = True

    def setUp(self):
        media = tempfile.mkdtemp(prefix="newsroom-backup-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        settings = override_settings(MEDIA_ROOT=media, SITE_URL="https://news.test")
        settings.enable()
        self.addCleanup(settings.disable)
        import_demo()
        demo = Issue.objects.get()
        section = make_section(demo.publication, title="Notes", position=99)
        december = make_issue(demo.publication, year=2024, month=12)
        item = make_item(december, section, title="Winter school <b>&amp;</b> “quotes”")
        mark_sent(issue=december, sent_at=SENT_AT)
        lead = make_superuser("lead")
        publish_erratum(
            issue=december,
            user=lead,
            text="<p>The school is in <em>January</em>.</p>",
            item=item,
        )
        publish_erratum(issue=demo, user=lead, text="Room 4, not 3.")
        self.before = every_export()
        self.errata = every_erratum()
        self.assertEqual(len(self.before), 6)
        self.assertEqual(len(self.errata), 2)


class DumpDataTests(BackupTestCase):
    def test_dumpdata_and_loaddata_give_identical_exports(self):
        """A natural-key JSON dump, loaded into an empty database, gives it all back."""
        dump = io.StringIO()
        call_command(
            "dumpdata",
            "--natural-foreign",
            "--natural-primary",
            "--exclude=contenttypes",
            "--exclude=auth.permission",
            "--exclude=sessions",
            stdout=dump,
        )
        call_command("flush", "--no-input", verbosity=0)
        self.assertFalse(Issue.objects.exists())
        with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
            file.write(dump.getvalue())
            file.flush()
            call_command("loaddata", file.name, verbosity=0)
        self.assertEqual(every_export(), self.before)
        self.assertEqual(every_erratum(), self.errata)
        for export in IssueExport.objects.all():
            self.assertTrue(export.is_intact, export)


@unittest.skipUnless(
    connection.vendor == "postgresql" and shutil.which("pg_dump"),
    "pg_dump and pg_restore back up PostgreSQL databases only",
)
class PgDumpTests(BackupTestCase):
    def test_pg_dump_and_pg_restore_keep_every_frozen_copy(self):
        """A pg_dump restored with pg_restore holds the same frozen e-mails, intact."""
        params = connection.get_connection_params()
        source = connection.settings_dict["NAME"]
        target = f"{source}_restored"
        options = [
            "-h",
            params.get("host") or "127.0.0.1",
            "-p",
            str(params.get("port") or 5432),
            "-U",
            params.get("user") or "postgres",
        ]
        with tempfile.TemporaryDirectory() as folder:
            archive = Path(folder) / "newsroom.dump"
            subprocess.run(
                ["pg_dump", *options, "-Fc", "-f", str(archive), source], check=True
            )
            subprocess.run(
                ["dropdb", *options, "--if-exists", target],
                check=True,
                capture_output=True,
            )
            subprocess.run(["createdb", *options, target], check=True)
            self.addCleanup(subprocess.run, ["dropdb", *options, "--if-exists", target])
            subprocess.run(
                ["pg_restore", *options, "--no-owner", "-d", target, str(archive)],
                check=True,
            )
        query = """
            SELECT p.slug, i.slug, m.slug, e.html, e.text, e.html_sha256,
                   i.frozen_content_sha256
            FROM issues_issueexport e
            JOIN issues_issue i ON i.id = e.issue_id
            JOIN issues_publication p ON p.id = i.publication_id
            JOIN issues_mailerprofile m ON m.id = e.profile_id
        """
        restored_url = (
            f"host={options[1]} port={options[3]} user={options[5]} dbname={target}"
        )
        with psycopg.connect(restored_url) as restored:
            rows = restored.execute(query).fetchall()
        originals = {
            (e.issue.publication.slug, e.issue.slug, e.profile.slug): e
            for e in IssueExport.objects.select_related("issue__publication", "profile")
        }
        self.assertEqual(len(rows), len(self.before))
        for publication, issue, profile, html, text, sha, content_sha in rows:
            key = (publication, issue, profile)
            with self.subTest(export=key):
                self.assertEqual((html, text), self.before[key])
                self.assertEqual(sha, originals[key].html_sha256)
                self.assertEqual(
                    content_sha, originals[key].issue.frozen_content_sha256
                )
