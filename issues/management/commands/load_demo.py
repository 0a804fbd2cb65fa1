from django.core.management.base import BaseCommand

from issues.demo import content, load_demo
from issues.models import Publication


class Command(BaseCommand):
    help = (
        "Load the demo newsletter (the Turing-Roche Strategic Partnership, November "
        "2024 issue, with its events and team). When it is already there it is left "
        "alone, edits included; --restore puts it back as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--restore",
            action="store_true",
            help="Bring the demo content back to its original state, undoing edits.",
        )

    def handle(self, *args, restore, **options):
        slug = content.PUBLICATION.slug
        if not restore and Publication.objects.filter(slug=slug).exists():
            self.stdout.write(
                self.style.NOTICE(
                    f"Demo content is already there ({content.PUBLICATION.name}); "
                    "left as it is. To undo changes made to it, run: "
                    "python manage.py load_demo --restore"
                )
            )
            return
        result = load_demo()
        style = self.style.SUCCESS if result.changed else self.style.NOTICE
        self.stdout.write(style(result.summary()))
