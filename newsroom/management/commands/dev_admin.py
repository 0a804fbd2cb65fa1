import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

PASSWORD_FILE = settings.BASE_DIR / "var" / "admin-password.txt"


class Command(BaseCommand):
    help = (
        "Development only: make sure an 'admin' superuser exists and print how to log "
        "in. Its password is made once and kept in var/admin-password.txt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError(
                "dev_admin only runs with DEBUG on. In production, create accounts "
                "with: python manage.py createsuperuser"
            )
        User = get_user_model()
        password = self._password()
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        if created or not user.check_password(password):
            user.is_staff = user.is_superuser = user.is_active = True
            user.set_password(password)
            user.save()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Newsroom is starting."))
        self.stdout.write("  Admin:     http://127.0.0.1:8000/admin/")
        self.stdout.write(f"  Username:  {username}")
        self.stdout.write(f"  Password:  {password}")
        self.stdout.write("  Web site:  http://127.0.0.1:8000/")
        self.stdout.write("Stop the server with Ctrl-C.")
        self.stdout.write("")

    def _password(self) -> str:
        if PASSWORD_FILE.exists():
            password = PASSWORD_FILE.read_text().strip()
            if password:
                return password
        PASSWORD_FILE.parent.mkdir(parents=True, exist_ok=True)
        password = secrets.token_urlsafe(12)
        # Private from the start: made with its mode, never readable in between.
        descriptor = os.open(
            PASSWORD_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600
        )
        with os.fdopen(descriptor, "w") as file:
            file.write(password + "\n")
        return password
