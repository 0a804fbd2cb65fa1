import json
import os
import stat
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse

from tests.factories import make_superuser
from tests.utils import run_python

PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.SITE_URL, s.ALLOWED_HOSTS, s.TIME_ZONE, "
    "s.DATABASES['default']['ENGINE'], s.MEDIA_ROOT)"
)

PRINT_MEDIA = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "from django.core.files.storage import default_storage as d; "
    "print(json.dumps([s.STORAGES['default'], s.MEDIA_URL, "
    "d.url('items/2024/11/lab photo.jpg'), s.SECURE_CSP['img-src'][3:]]))"
)
PRINT_SUGGESTION_LIMITS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.NEWSROOM_TRUSTED_PROXIES, s.NEWSROOM_SUGGESTIONS_PER_HOUR)"
)
PRODUCTION = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "news.example.org",
    "SITE_URL": "https://news.example.org",
}


def run_settings(code=None, **env):
    """
    Import the settings in a fresh interpreter with exactly ``env`` set, and run
    ``code`` there (PRINT_SETTINGS unless given). The interpreter is forked from one
    kept for the purpose (tests.utils.run_python), which has not read the settings.
    """
    base = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "PYTHONPATH"}
    }
    return run_python(
        "-c",
        code or PRINT_SETTINGS,
        env={**base, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
    )


class ProductionSettingsTests(SimpleTestCase):
    def test_refuses_to_start_without_secret_key(self):
        """With DEBUG off, a missing SECRET_KEY stops start-up with a clear message."""
        result = run_settings(
            ALLOWED_HOSTS="news.example.org", SITE_URL="https://news.example.org"
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY must be set when DEBUG is off", result.stderr)

    def test_refuses_to_start_without_allowed_hosts_or_site_url(self):
        result = run_settings(SECRET_KEY="x" * 50, SITE_URL="https://a.example")
        self.assertIn("ALLOWED_HOSTS must be set", result.stderr)
        result = run_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS="a.example")
        self.assertIn("SITE_URL must be set", result.stderr)

    def test_reads_everything_from_the_environment(self):
        result = run_settings(
            SECRET_KEY="x" * 50,
            ALLOWED_HOSTS="news.example.org, www.news.example.org",
            SITE_URL="https://news.example.org/",
            TIME_ZONE="Europe/Paris",
            DATABASE_URL="postgres://user:pw@db.example.org:5432/newsroom",
            MEDIA_ROOT="/srv/media",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.strip(),
            "False https://news.example.org "
            "['news.example.org', 'www.news.example.org'] Europe/Paris "
            "django.db.backends.postgresql /srv/media",
        )

    def test_development_defaults_only_with_debug_on(self):
        """DEBUG on needs nothing else: local hosts and an SQLite file under var/."""
        result = run_settings(DEBUG="1")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("True http://127.0.0.1:8000", result.stdout)
        self.assertIn("Europe/London django.db.backends.sqlite3", result.stdout)

    def test_production_settings_pass_the_deploy_checks(self):
        """`check --deploy` finds nothing, not even a warning, in production."""
        base = {
            key: value
            for key, value in os.environ.items()
            if key in {"PATH", "HOME", "LANG", "PYTHONPATH"}
        }
        media_in_a_bucket = {
            "AWS_STORAGE_BUCKET_NAME": "news-media",
            "AWS_S3_REGION_NAME": "eu-west-2",
        }
        for media in ({}, media_in_a_bucket):
            with self.subTest(**media), tempfile.TemporaryDirectory() as folder:
                result = run_python(
                    *("manage.py", "check", "--deploy", "--fail-level", "WARNING"),
                    env={
                        **base,
                        "SECRET_KEY": "k3y-" + "x7Q!" * 15,
                        "ALLOWED_HOSTS": "news.example.org",
                        "SITE_URL": "https://news.example.org",
                        "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
                        **media,
                    },
                    timeout=120,
                )
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn("no issues", result.stdout)

    def test_migrations_are_checked_with_nothing_set(self):
        """makemigrations reads only the code, so it needs no secret; others do."""
        env = {"PATH": os.environ.get("PATH", "")}
        with tempfile.TemporaryDirectory() as folder:
            env["DATABASE_URL"] = f"sqlite:///{folder}/db.sqlite3"
            checked = run_python(
                *("manage.py", "makemigrations", "--check", "--dry-run"),
                env=env,
                timeout=120,
            )
            other = run_python("manage.py", "check", env=env, timeout=120)
        self.assertEqual(checked.returncode, 0, checked.stderr)
        self.assertIn("No changes detected", checked.stdout)
        self.assertNotEqual(other.returncode, 0)
        # One line saying what to set, not a traceback.
        self.assertEqual(
            other.stderr,
            "Newsroom cannot start: SECRET_KEY must be set when DEBUG is off. "
            "See 'Configuration' in README.md.\n",
        )

    def test_production_cookies_and_headers_are_strict(self):
        result = run_python(
            "-c",
            "import django; django.setup(); from django.conf import settings as s;"
            " print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
            " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.X_FRAME_OPTIONS,"
            " s.CSRF_TRUSTED_ORIGINS)",
            env={
                "PATH": os.environ.get("PATH", ""),
                "DJANGO_SETTINGS_MODULE": "newsroom.settings",
                "SECRET_KEY": "x" * 50,
                "ALLOWED_HOSTS": "news.example.org",
                "SITE_URL": "https://news.example.org",
            },
        )
        self.assertEqual(
            result.stdout.strip(),
            "True True True 31536000 DENY ['https://news.example.org']",
            result.stderr,
        )

    def test_unclear_debug_value_is_refused(self):
        result = run_settings(DEBUG="maybe")
        self.assertIn("DEBUG='maybe' is not a yes/no value", result.stderr)

    def test_login_lockout_is_read_from_the_environment(self):
        code = (
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds())"
        )
        result = run_settings(code, **PRODUCTION)
        self.assertEqual(result.stdout.strip(), "5 900.0", result.stderr)
        result = run_settings(
            code, **PRODUCTION, LOGIN_FAILURE_LIMIT="10", LOGIN_COOLOFF_SECONDS="3600"
        )
        self.assertEqual(result.stdout.strip(), "10 3600.0", result.stderr)
        result = run_settings(code, **PRODUCTION, LOGIN_FAILURE_LIMIT="0")
        self.assertIn(
            "LOGIN_FAILURE_LIMIT='0' is not a whole number of 1 or more", result.stderr
        )


class MediaStorageSettingsTests(SimpleTestCase):
    def media(self, **env):
        """The default storage, MEDIA_URL, a file's link and the CSP's image hosts."""
        result = run_settings(PRINT_MEDIA, **PRODUCTION, **env)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def assert_refused(self, message, code=PRINT_MEDIA, **env):
        result = run_settings(code, **PRODUCTION, **env)
        self.assertNotEqual(result.returncode, 0)
        # The message is the last line, where the eye falls.
        self.assertEqual(
            result.stderr.strip().splitlines()[-1],
            f"django.core.exceptions.ImproperlyConfigured: {message}",
        )

    def test_filesystem_without_a_bucket(self):
        storage, media_url, link, image_hosts = self.media(MEDIA_ROOT="/srv/media")
        self.assertEqual(
            storage, {"BACKEND": "django.core.files.storage.FileSystemStorage"}
        )
        self.assertEqual(media_url, "/media/")
        self.assertEqual(link, "/media/items/2024/11/lab%20photo.jpg")
        self.assertEqual(image_hosts, ["https://news.example.org"])

    def test_bucket_on_a_store_at_its_own_address(self):
        """MinIO, Ceph, Scaleway...: links name the endpoint, then the bucket."""
        storage, media_url, link, image_hosts = self.media(
            AWS_STORAGE_BUCKET_NAME="news-media",
            AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000/",
            AWS_S3_REGION_NAME="fr-par",
            AWS_ACCESS_KEY_ID="an-access-key",
            AWS_SECRET_ACCESS_KEY="a-secret-key",
        )
        self.assertEqual(
            storage,
            {
                "BACKEND": "storages.backends.s3.S3Storage",
                # The access keys stay in the environment, for boto3 alone.
                "OPTIONS": {
                    "bucket_name": "news-media",
                    "location": "media",
                    "custom_domain": "127.0.0.1:9000/news-media",
                    "url_protocol": "http:",
                    "querystring_auth": False,
                    "file_overwrite": False,
                    "endpoint_url": "http://127.0.0.1:9000",
                    "region_name": "fr-par",
                },
            },
        )
        self.assertEqual(media_url, "http://127.0.0.1:9000/news-media/media/")
        self.assertEqual(
            link, "http://127.0.0.1:9000/news-media/media/items/2024/11/lab%20photo.jpg"
        )
        self.assertEqual(
            image_hosts, ["https://news.example.org", "http://127.0.0.1:9000"]
        )

    def test_bucket_on_amazon(self):
        """Links name the bucket's regional address, the one every region answers."""
        storage, media_url, link, _ = self.media(
            AWS_STORAGE_BUCKET_NAME="news-media", AWS_S3_REGION_NAME="eu-west-2"
        )
        self.assertEqual(
            media_url, "https://news-media.s3.eu-west-2.amazonaws.com/media/"
        )
        self.assertEqual(link, f"{media_url}items/2024/11/lab%20photo.jpg")
        self.assertEqual(storage["OPTIONS"]["region_name"], "eu-west-2")
        self.assertNotIn("endpoint_url", storage["OPTIONS"])
        # Amazon's certificate covers no host name with more dots in it.
        _, media_url, _, _ = self.media(
            AWS_STORAGE_BUCKET_NAME="news.example.org", AWS_S3_REGION_NAME="eu-west-2"
        )
        self.assertEqual(
            media_url, "https://s3.eu-west-2.amazonaws.com/news.example.org/media/"
        )

    def test_bucket_behind_a_custom_domain(self):
        storage, media_url, link, image_hosts = self.media(
            AWS_STORAGE_BUCKET_NAME="news-media",
            AWS_S3_ENDPOINT_URL="https://account.r2.cloudflarestorage.com",
            AWS_S3_CUSTOM_DOMAIN="media.example.org",
            AWS_LOCATION="/newsletter/",
        )
        self.assertEqual(media_url, "https://media.example.org/newsletter/")
        self.assertEqual(
            link, "https://media.example.org/newsletter/items/2024/11/lab%20photo.jpg"
        )
        self.assertEqual(storage["OPTIONS"]["custom_domain"], "media.example.org")
        self.assertEqual(storage["OPTIONS"]["location"], "newsletter")
        self.assertEqual(image_hosts[-1], "https://media.example.org")

    def test_media_url_wins(self):
        storage, media_url, link, _ = self.media(
            AWS_STORAGE_BUCKET_NAME="news-media",
            AWS_S3_REGION_NAME="eu-west-2",
            AWS_S3_CUSTOM_DOMAIN="unused.example.org",
            MEDIA_URL="https://cdn.example.org/news-media/media",
        )
        self.assertEqual(media_url, "https://cdn.example.org/news-media/media/")
        self.assertEqual(link, f"{media_url}items/2024/11/lab%20photo.jpg")
        self.assertEqual(
            storage["OPTIONS"]["custom_domain"], "cdn.example.org/news-media"
        )

    def test_bucket_with_no_address_is_refused(self):
        """Without a region, an endpoint, a domain or MEDIA_URL, links are unknown."""
        self.assert_refused(
            "AWS_STORAGE_BUCKET_NAME is set, but not where the bucket is: set "
            "AWS_S3_REGION_NAME (or AWS_S3_ENDPOINT_URL for a store other than "
            "Amazon's), or MEDIA_URL, the public address of its media. See "
            "'Configuration' in README.md.",
            AWS_STORAGE_BUCKET_NAME="news-media",
        )

    def test_media_url_outside_the_bucket_folder_is_refused(self):
        self.assert_refused(
            "MEDIA_URL='https://cdn.example.org/' must be the full address at which "
            "the bucket's media/ folder is served, ending in /media/.",
            AWS_STORAGE_BUCKET_NAME="news-media",
            MEDIA_URL="https://cdn.example.org/",
        )

    def test_bucket_without_the_s3_support_installed_is_refused(self):
        self.assert_refused(
            "AWS_STORAGE_BUCKET_NAME is set, but the S3 support is not installed: "
            'run pip install "newsroom[s3]".',
            # As if django-storages were not installed.
            code="import sys; sys.modules['storages'] = None; " + PRINT_MEDIA,
            AWS_STORAGE_BUCKET_NAME="news-media",
            AWS_S3_REGION_NAME="eu-west-2",
        )


class SuggestionLimitSettingsTests(SimpleTestCase):
    def assert_refused(self, message, **env):
        result = run_settings(PRINT_SUGGESTION_LIMITS, **PRODUCTION, **env)
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(
            result.stderr.strip().splitlines()[-1],
            f"django.core.exceptions.ImproperlyConfigured: {message}",
        )

    def test_no_proxy_is_trusted_and_a_hundred_an_hour_by_default(self):
        result = run_settings(PRINT_SUGGESTION_LIMITS, **PRODUCTION)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "[] 100")

    def test_trusted_proxies_and_the_hourly_cap_are_read(self):
        """Proxies are addresses or networks, comma-separated, IPv4 or IPv6."""
        result = run_settings(
            PRINT_SUGGESTION_LIMITS,
            **PRODUCTION,
            TRUSTED_PROXIES=" 10.0.0.1, 172.16.0.0/12,fd00::/8 ,",
            SUGGESTIONS_PER_HOUR="250",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.strip(),
            "['10.0.0.1/32', '172.16.0.0/12', 'fd00::/8'] 250",
        )

    def test_a_proxy_that_is_no_address_is_refused(self):
        """A host name or a typo stops start-up, rather than trusting no one."""
        self.assert_refused(
            "TRUSTED_PROXIES: 'proxy.internal' is not an IP address or network; use "
            "e.g. 10.0.0.1, 10.0.0.0/8 or fd00::/8, separated by commas.",
            TRUSTED_PROXIES="10.0.0.1, proxy.internal",
        )

    def test_an_hourly_cap_that_is_no_positive_number_is_refused(self):
        for value in ("0", "lots", "-5", "1.5"):
            with self.subTest(value=value):
                self.assert_refused(
                    f"SUGGESTIONS_PER_HOUR={value!r} is not a whole number of 1 or "
                    "more; use e.g. 100.",
                    SUGGESTIONS_PER_HOUR=value,
                )


class DevAdminCommandTests(TestCase):
    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.password_file = Path(directory.name) / "admin-password.txt"
        patcher = mock.patch(
            "newsroom.management.commands.dev_admin.PASSWORD_FILE", self.password_file
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    @override_settings(DEBUG=True)
    def test_creates_admin_and_prints_how_to_log_in(self):
        out = StringIO()
        call_command("dev_admin", stdout=out)
        password = self.password_file.read_text().strip()
        self.assertIn("http://127.0.0.1:8000/admin/", out.getvalue())
        self.assertIn(f"Password:  {password}", out.getvalue())
        user = get_user_model().objects.get(username="admin")
        self.assertTrue(user.is_superuser and user.check_password(password))

    @override_settings(DEBUG=True)
    def test_second_run_keeps_the_same_password(self):
        call_command("dev_admin", stdout=StringIO())
        first = self.password_file.read_text()
        call_command("dev_admin", stdout=StringIO())
        self.assertEqual(self.password_file.read_text(), first)
        self.assertEqual(get_user_model().objects.count(), 1)

    @override_settings(DEBUG=True)
    def test_password_file_is_private_from_the_start(self):
        """
        The file is made readable by its owner alone, not made private once written:
        no one else can read the password in between, whatever the umask.
        """
        old_umask = os.umask(0)
        self.addCleanup(os.umask, old_umask)
        with mock.patch.object(Path, "chmod") as chmod:
            call_command("dev_admin", stdout=StringIO())
        chmod.assert_not_called()
        self.assertEqual(stat.S_IMODE(self.password_file.stat().st_mode), 0o600)

    @override_settings(DEBUG=False)
    def test_refused_in_production(self):
        with self.assertRaisesMessage(CommandError, "only runs with DEBUG on"):
            call_command("dev_admin", stdout=StringIO())
        self.assertFalse(get_user_model().objects.exists())


class LoginTests(TestCase):
    def test_logging_in_without_a_next_page_lands_in_the_admin(self):
        """
        A login posted without ``next`` (a bookmark, a password manager) lands on the
        admin's index, not on Django's default account page, which does not exist.
        """
        make_superuser("editor", password="a long pass phrase")
        response = self.client.post(
            reverse("admin:login"),
            {"username": "editor", "password": "a long pass phrase"},
        )
        self.assertRedirects(response, reverse("admin:index"))
