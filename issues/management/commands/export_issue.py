from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from issues.editorial.sending import ExportError, export_issue
from issues.models import Issue, MailerProfile


class Command(BaseCommand):
    help = (
        "Export an issue for a mailer: writes <name>.html (the e-mail), <name>.txt "
        "(its plain-text version) and <name>.zip (both, with the images) into --out."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "issue",
            help="The issue, as publication-slug/YYYY-MM (its web address) or its id.",
        )
        parser.add_argument(
            "--mailer",
            required=True,
            metavar="PROFILE",
            help="The mailer profile's slug, e.g. dynamics365, mailchimp, generic.",
        )
        parser.add_argument(
            "--out", default=".", type=Path, help="The folder to write into."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Export even when the e-mail is over the size budget.",
        )

    def handle(self, *args, issue, mailer, out, force, **options):
        issue = self.find_issue(issue)
        profile = self.find_profile(mailer)
        try:
            result = export_issue(issue=issue, profile=profile, force=force)
        except ExportError as error:
            raise CommandError(str(error)) from error
        try:
            paths = result.write(out)
        except OSError as error:
            raise CommandError(f"Could not write into {out}: {error}") from error

        self.stdout.write(f"{issue} for {profile}:")
        for path in paths:
            self.stdout.write(f"  {path}")
        style = self.style.WARNING if result.report.over else self.style.SUCCESS
        self.stdout.write(style(result.report.summary()))
        if result.note:
            self.stdout.write(self.style.NOTICE(result.note))

    def find_issue(self, reference: str) -> Issue:
        issues = Issue.objects.select_related("publication")
        if reference.isdigit():
            found = issues.filter(pk=int(reference)).first()
        else:
            publication, _, slug = reference.strip("/").partition("/")
            found = issues.filter(publication__slug=publication, slug=slug).first()
        if found is None:
            known = [
                f"  {issue.publication.slug}/{issue.slug} (id {issue.pk})"
                for issue in issues.order_by("publication__slug", "-year", "-month")[
                    :20
                ]
            ]
            raise CommandError(
                f"No issue “{reference}”. Give it as publication-slug/YYYY-MM or "
                "its id. "
                + ("Issues:\n" + "\n".join(known) if known else "There are no issues.")
            )
        return found

    def find_profile(self, slug: str) -> MailerProfile:
        profile = MailerProfile.objects.filter(slug=slug).first()
        if profile is None:
            slugs = MailerProfile.objects.values_list("slug", flat=True)
            known = ", ".join(slugs)
            raise CommandError(
                f"No mailer profile “{slug}”. Mailer profiles: {known or 'none'}."
            )
        return profile
