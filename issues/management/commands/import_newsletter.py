from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from issues.importer.services import (
    MAX_SOURCE_BYTES,
    ImportRefused,
    UnreadableNewsletter,
    import_newsletter,
)


class Command(BaseCommand):
    help = (
        "Import a past issue from a file: Markdown like "
        "issues/demo/newsletter-2024-11.md or the HTML of the e-mail. Click-tracking "
        "wrappers are undone; the issue is stored as Sent. Importing the same file "
        "again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The Markdown or HTML file of the issue.")
        parser.add_argument(
            "--publication",
            metavar="SLUG",
            default="",
            help=(
                "The publication's slug; it is created with this slug when missing. "
                "By default, the publication of the same name, or a slug made from it."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be created, changed and left; save nothing.",
        )
        parser.add_argument(
            "--fetch-images",
            action="store_true",
            help=(
                "Download the images kept on the mailer's servers and store them "
                "here, instead of keeping their links."
            ),
        )

    def handle(self, *args, path, publication, dry_run, fetch_images, **options):
        file = Path(path)
        try:
            size = file.stat().st_size
            if size > MAX_SOURCE_BYTES:
                raise CommandError(
                    f"{path}: the file is {size / 1024 / 1024:.1f} MB; a newsletter is "
                    "at most 2 MB. Nothing was saved."
                )
            data = file.read_bytes()
        except OSError as error:
            reason = error.strerror or error
            raise CommandError(f"{path}: cannot read the file ({reason}).") from error
        try:
            result = import_newsletter(
                source=data,
                publication_slug=publication,
                dry_run=dry_run,
                fetch_images=fetch_images,
            )
        except UnreadableNewsletter as error:
            raise CommandError(f"{path}, {error}. Nothing was saved.") from error
        except ImportRefused as error:
            raise CommandError(f"{path}: {error}") from error
        lines = result.summary(detailed=dry_run or options["verbosity"] > 1)
        style = self.style.SUCCESS
        if result.already_imported or dry_run:
            style = self.style.NOTICE
        self.stdout.write(style(lines[0]))
        for line in lines[1:]:
            self.stdout.write(line)
        for url, _reason in result.images_not_fetched:
            self.stderr.write(self.style.WARNING(f"Image not fetched: {url}"))
