"""
Settings for Newsroom, read from environment variables only.

Development needs nothing set: with DEBUG on, a throwaway secret key, local hosts
and an SQLite file under var/ are used. With DEBUG off (the default), SECRET_KEY,
ALLOWED_HOSTS and SITE_URL must be set, or the process refuses to start (only
`manage.py makemigrations`, which reads the code alone, runs without them). README.md
lists every variable.
"""

import datetime
import importlib.util
import ipaddress
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value; use 1 or 0."
    )


def env_seconds(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()):
        raise ImproperlyConfigured(
            f"{name}={os.environ[name]!r} is not a number of seconds; use e.g. 300."
        )
    return int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


def env_count(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit() and int(value) > 0):
        raise ImproperlyConfigured(
            f"{name}={os.environ[name]!r} is not a whole number of 1 or more; use "
            f"e.g. {default}."
        )
    return int(value)


def env_networks(name: str) -> list[str]:
    """IP addresses and networks, comma-separated, each checked as it is read."""
    networks = []
    for entry in env_list(name, []):
        try:
            networks.append(str(ipaddress.ip_network(entry, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {entry!r} is not an IP address or network; use e.g. "
                "10.0.0.1, 10.0.0.0/8 or fd00::/8, separated by commas."
            ) from None
    return networks


def env_required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set when DEBUG is off. See 'Configuration' in README.md."
        )
    return value


DEBUG = env_bool("DEBUG")

# `manage.py makemigrations` reads the models alone: no secret, host or address is
# used, so it runs with none set (CI checks migrations that way). The key it gets is
# random and thrown away with the process, never a known default.
CODE_ONLY_COMMAND = (
    not DEBUG
    and len(sys.argv) > 1
    and Path(sys.argv[0]).name == "manage.py"
    and sys.argv[1] == "makemigrations"
)

if CODE_ONLY_COMMAND:
    SECRET_KEY = secrets.token_urlsafe(50)
    ALLOWED_HOSTS = []
    SITE_URL = "https://localhost"
elif DEBUG:
    # Known to everyone, so only ever accepted with DEBUG on.
    SECRET_KEY = os.environ.get("SECRET_KEY") or "development-only-never-in-production"
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
    SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
else:
    SECRET_KEY = env_required("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        env_required("ALLOWED_HOSTS")
    SITE_URL = env_required("SITE_URL").rstrip("/")
# Old keys still accepted for signatures (sessions, preview links) while rotating.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "newsroom",
    "people",
    "events",
    "issues",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware and before (outside) anything that answers from
    # a cache, so that every response, cached pages included, gets the header.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A sent issue's page, once cached, is answered here: the same for every reader,
    # it needs nothing from the middleware below.
    "issues.public.issue_page.CachedIssuePageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: answers a refused login (see AXES_* below) with the page saying why.
    "axes.middleware.AxesMiddleware",
]

# django-axes counts failed logins first; Django's own backend then checks passwords.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Logins (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username,
# or from one network address, that username or address is refused for
# LOGIN_COOLOFF_SECONDS, even with the right password; each refused attempt starts the
# wait again. A successful login clears the count. Attempts and logins are listed in
# the admin under "Axes"; deleting an attempt there lifts a lockout at once.
AXES_FAILURE_LIMIT = env_count("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(
    seconds=env_seconds("LOGIN_COOLOFF_SECONDS", 15 * 60)
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The same address as every other limit: behind a proxy, only from TRUSTED_PROXIES.
AXES_CLIENT_IP_CALLABLE = "newsroom.core.clients.request_address"
AXES_LOCKOUT_CALLABLE = "newsroom.core.logins.locked_out"

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.csp",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    # The embedded default: an SQLite file that any command can create on first use.
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL")
        or f"sqlite:///{BASE_DIR / 'var' / 'newsroom.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Everyone who logs in works in the admin; there is no other account page.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "media")


def s3_media(bucket: str) -> tuple[dict, str]:
    """
    The storage for media in an S3-compatible ``bucket``, and the media's public
    address (MEDIA_URL), from the AWS_* variables. The access keys are not read
    here: boto3 takes AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the
    environment itself.
    """
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is set, but the S3 support is not installed: "
            'run pip install "newsroom[s3]".'
        )
    location = os.environ.get("AWS_LOCATION", "").strip().strip("/") or "media"
    endpoint = os.environ.get("AWS_S3_ENDPOINT_URL", "").strip().rstrip("/")
    region = os.environ.get("AWS_S3_REGION_NAME", "").strip()
    domain = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip().strip("/")
    media_url = os.environ.get("MEDIA_URL", "").strip()
    if media_url:
        media_url = media_url.rstrip("/") + "/"
    else:
        if domain:
            root = f"https://{domain}"
        elif endpoint:
            root = f"{endpoint}/{bucket}"
        elif not region:
            raise ImproperlyConfigured(
                "AWS_STORAGE_BUCKET_NAME is set, but not where the bucket is: set "
                "AWS_S3_REGION_NAME (or AWS_S3_ENDPOINT_URL for a store other than "
                "Amazon's), or MEDIA_URL, the public address of its media. See "
                "'Configuration' in README.md."
            )
        elif "." in bucket:
            # A dotted name is no host name that Amazon's certificate covers.
            root = f"https://s3.{region}.amazonaws.com/{bucket}"
        else:
            root = f"https://{bucket}.s3.{region}.amazonaws.com"
        media_url = f"{root}/{location}/"
    # Links to media are MEDIA_URL followed by the file's name, built here once
    # rather than by boto3 (whose address for a bucket on Amazon is the global one,
    # which buckets in regions opened since 2019 do not answer).
    scheme, _, rest = media_url.partition("://")
    if scheme not in {"http", "https"} or not rest.endswith(f"/{location}/"):
        raise ImproperlyConfigured(
            f"MEDIA_URL={media_url!r} must be the full address at which the bucket's "
            f"{location}/ folder is served, ending in /{location}/."
        )
    options = {
        "bucket_name": bucket,
        "location": location,
        "custom_domain": rest.removesuffix(f"/{location}/"),
        "url_protocol": f"{scheme}:",
        # Sent e-mails show their images from here for years: a signed address
        # stops working after an hour, so links are plain and the bucket must let
        # anyone read the media.
        "querystring_auth": False,
        # Uploads never replace one another; a rendition's name is its content's.
        "file_overwrite": False,
    }
    if endpoint:
        options["endpoint_url"] = endpoint
    if region:
        options["region_name"] = region
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, media_url


media_bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
if media_bucket:
    media_storage, MEDIA_URL = s3_media(media_bucket)
else:
    media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    MEDIA_URL = os.environ.get("MEDIA_URL", "").strip() or "media/"

STORAGES = {
    "default": media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# HTTPS only in production. Behind a proxy that terminates TLS, set
# SECURE_PROXY_SSL_HEADER=1 so that the proxy's X-Forwarded-Proto is believed.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# A year of HSTS, subdomains included, marked as consenting to the browsers' preload
# lists (nothing is listed until the domain's owner submits it). A site whose
# subdomains are not all on HTTPS sets SECURE_HSTS_INCLUDE_SUBDOMAINS=0.
SECURE_HSTS_SECONDS = (
    0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# No page may be framed; a view the admin frames itself says so with
# xframe_options_sameorigin.
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else []


def origin_of(url: str) -> str | None:
    """``https://host[:port]`` of an absolute http(s) URL; None for a relative one."""
    scheme, _, rest = url.partition("://")
    if scheme not in {"http", "https"} or not rest:
        return None
    return f"{scheme}://{rest.split('/', 1)[0]}"


# Content-Security-Policy, in every environment. Scripts and stylesheets come from
# this site only; the few inline <script>/<style> blocks of the admin carry the
# request's nonce (the header names a nonce only when a page used one, so the public
# pages, which are cached and use none, are always served a header that matches
# them). newsroom/csp.py loosens it for the views that need it: the e-mail previews
# and the admin's framed web preview.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # Items may show images hosted elsewhere (most newsletters' images live on the
    # mailer's servers); the e-mail names images by their absolute address on
    # SITE_URL, and media may be served from their own store.
    "img-src": [
        CSP.SELF,
        "data:",
        "https:",
        *dict.fromkeys(
            origin for origin in (origin_of(SITE_URL), origin_of(MEDIA_URL)) if origin
        ),
    ],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    # No page may be framed, as X_FRAME_OPTIONS says to older browsers.
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Each process keeps its own cache in memory: rendered issue pages (keyed by the
# checksum of their frozen content, so never stale) and which issue a URL names.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
# How long browsers and shared caches may keep a public page, in seconds; also how
# long a process trusts that an issue's address still names the same frozen content.
PUBLIC_CACHE_MAX_AGE = env_seconds("PUBLIC_CACHE_MAX_AGE", 300)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# One form holds a handful of images at most; more in one request is refused (400).
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Behind a proxy every request comes from the proxy's address: name the header in
# which it passes on the client's (e.g. X-Forwarded-For), for the suggestion form's
# limit per sender.
NEWSROOM_CLIENT_ADDRESS_HEADER = os.environ.get("CLIENT_ADDRESS_HEADER", "").strip()
# The proxies whose header is believed, as addresses or networks: anyone else could
# write any address in it. With none, the header is never read (a system check says
# so).
NEWSROOM_TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
# At most this many suggestions an hour from everyone together, however many
# addresses they come from.
NEWSROOM_SUGGESTIONS_PER_HOUR = env_count("SUGGESTIONS_PER_HOUR", 100)

# Uploaded images are checked and re-encoded by newsroom.core.images before they
# are stored.
NEWSROOM_IMAGE_MAX_BYTES = 10 * 1024 * 1024
NEWSROOM_IMAGE_MAX_PIXELS = 40_000_000
# Frames of an animation: each is decoded whole when it is re-encoded.
NEWSROOM_IMAGE_MAX_FRAMES = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

TEST_RUNNER = "tests.runner.Runner"
