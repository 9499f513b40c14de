"""Settings for the digital-hub directory.

Every knob comes from the environment so that one file serves development, tests
and production: each variable is read by config/env.py, with its default, and
listed in docs/settings.md. Defaults are safe for a developer's machine (SQLite,
DEBUG on only when asked for); the test run sets its own environment
(pyproject.toml, [tool.pytest_env]).
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
# Local work (DEBUG) and the benchmarks may use the development key; a served site may not.
_allow_insecure_key = env_bool("DJANGO_ALLOW_INSECURE_KEY", False)
if not SECRET_KEY:
    if not (DEBUG or _allow_insecure_key):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it, or set DJANGO_DEBUG=true for local work."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # SimpleAdminConfig: django-leaflet's admin module needs GDAL, so we do not
    # let the admin autodiscover every app; config.apps registers ours.
    "config.apps.DirectoryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # sitemap.xml (pages/sitemaps.py): its views' templates.
    "django.contrib.sitemaps",
    "django_filters",
    "leaflet",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    # Two-factor login for staff (backoffice/two_factor.py): TOTP devices; the
    # recovery codes are backoffice's own device, stored hashed.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "territories",
    "places",
    "backoffice",
    "hubs",
    "events",
    "funding",
    "pages",
    "reports",
    # Hub managers: invited by their territory, they edit their hubs at /gestion/.
    "managers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.user.is_verified(): whether this session passed the second factor;
    # then the back-office asks for it (or for its set-up) before anything else.
    "django_otp.middleware.OTPMiddleware",
    "backoffice.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE: <html lang>
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pages.context_processors.site",
            ],
        },
    },
]

# Lower case: not a setting, so never shown with the others (it may hold a password).
_database_url = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url,
            conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60, minimum=0),
            # A kept connection is checked at the first query of each request and
            # replaced if the database dropped it (a restart): no 500 after one.
            conn_health_checks=True,
        )
    }
except ValueError:
    # Neither the value nor dj-database-url's error (which may quote it) is shown.
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database URL (scheme {urlsplit(_database_url).scheme!r}): "
        "expected e.g. postgres://user:password@host:5432/name or sqlite:///path/db.sqlite3."
    ) from None
# PostgreSQL: never wait for minutes. Give up connecting after
# DATABASE_CONNECT_TIMEOUT seconds, and cancel a statement running longer than
# DATABASE_STATEMENT_TIMEOUT seconds (0: no limit, e.g. for a long one-off
# command). Options given in DATABASE_URL's query string are kept, and win.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5, minimum=0)
DATABASE_STATEMENT_TIMEOUT = env_float("DATABASE_STATEMENT_TIMEOUT", 30.0, minimum=0)
if DATABASES["default"]["ENGINE"].endswith(("postgresql", "postgis")):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    _options["options"] = " ".join(
        filter(
            None,
            [
                f"-c statement_timeout={round(DATABASE_STATEMENT_TIMEOUT * 1000)}",
                _options.get("options"),
            ],
        )
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache (rendered GeoJSON, feeds, the funding dashboard): per process by default;
# one shared Redis for every worker and server when REDIS_URL is set
# (docs/scaling.md), e.g. redis://127.0.0.1:6379/1.
_redis_url = env_str("REDIS_URL", "")
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "hubs",
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 12 characters at least for staff accounts (ANSSI's recommendation for
    # passwords protected by a login rate limit, here django-axes).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Production: hashed, compressed copies made by collectstatic, served by whitenoise
# with far-future caching (a changed file gets a new name). Needs collectstatic;
# off in development (the test run and the benchmarks set it off too).
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
if STATIC_MANIFEST:
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "config.storage.StaticStorage"},
    }
# Django serves uploads itself in development (and in the test run, which sets it);
# in production the web server does.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)

# Public site
# The default name is translated (English site); a name set here is shown as is.
SITE_NAME = env_str("SITE_NAME", "") or _("Lieux numériques des territoires")
# Accessibility statement (/accessibilite/): who publishes the site, and where
# to report an accessibility problem (a page without a contact says so).
SITE_OWNER = env_str("SITE_OWNER", "Région Hauts-de-France")
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "")
HUBS_PER_PAGE = 20

# Map defaults (Leaflet through django-leaflet). The tile server is configurable
# so that a region can use its own or a paid provider.
MAP_TILES_URL = env_str("MAP_TILES_URL", "https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env_str(
    "MAP_TILES_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">contributeurs OpenStreetMap</a>'
    " — fond OSM France",
)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (
        env_float("MAP_CENTER_LAT", 50.25),
        env_float("MAP_CENTER_LNG", 3.1),
    ),
    "DEFAULT_ZOOM": env_int("MAP_ZOOM", 8, minimum=0),
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 18,
    "TILES": [("OpenStreetMap", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION})],
    "ATTRIBUTION_PREFIX": '<a href="https://leafletjs.com">Leaflet</a>',
    "PLUGINS": {
        "markercluster": {
            "css": [
                "vendor/leaflet.markercluster/MarkerCluster.css",
                "vendor/leaflet.markercluster/MarkerCluster.Default.css",
            ],
            "js": "vendor/leaflet.markercluster/leaflet.markercluster.js",
            "auto-include": False,
        },
    },
}

# Back-office
# When true, territory editors save drafts and a regional administrator (with
# the "publish" permission) publishes them; when false, editors publish directly.
PUBLICATION_REVIEW_REQUIRED = env_bool("DIRECTORY_REVIEW_REQUIRED", False)
# A record not updated for this many days is listed as stale in the admin.
STALE_AFTER_DAYS = env_int("DIRECTORY_STALE_AFTER_DAYS", 365, minimum=1)
# ``remind_stale_hubs`` (run monthly) asks those responsible for a published hub
# neither updated nor confirmed exact for this many months to check it.
HUBS_STALE_MONTHS = env_int("HUBS_STALE_MONTHS", 6, minimum=1)
# Two-factor login (a code from an authenticator app, or a recovery code): always
# for regional administrators and superusers; for territory editors too when
# true. Anyone else may set it up from « Mon compte », and is then asked for it.
OTP_REQUIRED_FOR_EDITORS = env_bool("OTP_REQUIRED_FOR_EDITORS", False)
# The name the authenticator app shows beside the account.
OTP_TOTP_ISSUER = env_str("SITE_NAME", "") or "Lieux numériques"

# Residents' reports (« Signaler une erreur », « Proposer un lieu »): how many one
# address may send in an hour; the next ones are refused (429) until the hour is over.
REPORTS_PER_HOUR = env_int("REPORTS_PER_HOUR", 5, minimum=1)

# Bulk imports (django-import-export): all-or-nothing, in one transaction.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True  # django-simple-history records every row instead
# Caps on an imported file (admin imports and manage.py import_hubs), checked before it
# is read in full (territories/import_limits.py): size, size once unpacked (XLSX),
# rows after the header, characters in a cell.
IMPORT_MAX_FILE_BYTES = env_int("IMPORT_MAX_FILE_MB", 5, minimum=1) * 1024 * 1024
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_MB", 50, minimum=1) * 1024 * 1024
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 5000, minimum=1)
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 10000, minimum=1)
# manage.py import_hubs with a national-schema or fablabs.io file (saved by batches, run
# by an operator, not in a web request): 10,000 rows take about 10 s and 190 MB, 30,000
# rows 24 s and 330 MB (docs/scaling.md), so up to 50,000 rows and 100 MB by default.
IMPORT_COMMAND_MAX_ROWS = env_int("IMPORT_COMMAND_MAX_ROWS", 50000, minimum=1)
IMPORT_COMMAND_MAX_FILE_BYTES = env_int("IMPORT_COMMAND_MAX_FILE_MB", 100, minimum=1) * 1024 * 1024

# Failed logins (django-axes): 5 failures for one username lock it out for 15
# minutes, whether they come from one address or from many (a botnet trying a
# few passwords from each); a successful login resets the count. django-axes 8
# compares every count with the same limit, so the per-account limit cannot be
# higher than the per-address one (which, equal, it makes redundant): the price
# is that anyone who knows a staff username can lock it for 15 minutes
# (docs/security.md, residual risks).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The reverse proxies in front (nginx, a load balancer): failed logins are
# counted per real client, read from X-Forwarded-For (web/client_ip.py).
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "web.client_ip.client_ip"

# HTTPS in production (manage.py check --deploy is clean with DEBUG off): HSTS
# for a year on the domain and its subdomains, plain HTTP redirected (the test
# run, which speaks HTTP, sets DJANGO_SSL_REDIRECT=false). Behind a
# TLS-terminating proxy, DJANGO_BEHIND_PROXY=true trusts its X-Forwarded-Proto header.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# The "preload" directive only lets the domain be submitted to browsers' list.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", not DEBUG)
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Behind HTTPS in production; harmless locally.
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# Only staff have sessions (the public site has no accounts): one ends after
# DJANGO_SESSION_IDLE_SECONDS without a request (8 hours: a working day), each
# request pushing the end back, instead of two weeks after logging in.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_SECONDS", 8 * 3600, minimum=1)
SESSION_SAVE_EVERY_REQUEST = True
# No script of ours reads a cookie: the CSRF token travels in the forms.
CSRF_COOKIE_HTTPONLY = True
# The language chosen with the switcher (set_language) is kept like the others.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


def _tile_origins(template: str) -> list[str]:
    """The origin(s) of a Leaflet tile URL template: {s} becomes a wildcard."""
    match = re.match(r"^(https?://)([^/]+)", template)
    if not match:
        return []
    return [match.group(1) + re.sub(r"\{[a-z]+\}", "*", match.group(2))]


# Content-Security-Policy (django-csp), on every response: scripts only from our
# own origin, never inline nor eval (no 'unsafe-inline'/'unsafe-eval': page data
# travels in <script type="application/json"> read by static scripts). Styles:
# stylesheets from our origin; inline style *attributes* allowed (kind colours,
# Leaflet's marker icons), no inline <style> element where the browser knows the
# CSP 3 -elem/-attr directives. Map tiles from the configured tile server only.
# Framing: refused everywhere ('none'), except /embed/ (EMBED_FRAME_ANCESTORS).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", *_tile_origins(MAP_TILES_URL)],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "frame-src": ["'none'"],
        "worker-src": ["'none'"],
        "manifest-src": ["'self'"],
        "report-uri": env_list("DJANGO_CSP_REPORT_URI", []) or None,
    },
}
# /.well-known/security.txt (RFC 9116): who receives vulnerability reports
# ("mailto:securite@region.fr,https://…"), and the disclosure policy's address.
SECURITY_CONTACTS = env_list("DJANGO_SECURITY_CONTACT", [])
SECURITY_POLICY_URL = env_str("DJANGO_SECURITY_POLICY_URL", "")
# Who may put /embed/ in an iframe: any site by default (the map is public and
# meant to be embedded), or a list of origins ("https://www.agglo.fr,...").
EMBED_FRAME_ANCESTORS = env_list("DJANGO_EMBED_FRAME_ANCESTORS", ["*"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

# Geocoding in the admin's point picker (hubs.geocoding): "Localiser d'après
# l'adresse" asks the Base Adresse Nationale, then falls back to the commune's
# point. An empty URL never touches the network (the commune's point is used):
# the test run sets it so, and runs offline.
GEOCODER_URL = env_str("GEOCODER_URL", "https://api-adresse.data.gouv.fr/search/")
GEOCODER_TIMEOUT = env_float("GEOCODER_TIMEOUT", 3.0, minimum=0)  # seconds
GEOCODER_MIN_SCORE = env_float("GEOCODER_MIN_SCORE", 0.4, minimum=0)  # BAN score, 0 to 1

# The SIRET check (manage.py check_sirets, hubs/sirene.py) asks the public company
# directory (« API Recherche d'entreprises », no key) whether each hub's establishment
# is still open. An empty URL turns the check off: the test run sets it so.
SIRENE_API_URL = env_str("SIRENE_API_URL", "https://recherche-entreprises.api.gouv.fr/search")
SIRENE_TIMEOUT = env_float("SIRENE_TIMEOUT", 5.0, minimum=0)  # seconds per request
# Seconds between two requests: the API allows about 7 a second; 0.25 stays well under.
SIRENE_DELAY = env_float("SIRENE_DELAY", 0.25, minimum=0)

# The site's own address (scheme and host, no path): links in e-mails, which are
# written outside any request, start with it. Default: the first allowed host
# over HTTPS, or the development server with DJANGO_DEBUG.
_site_url = env_str("SITE_URL", "")
if not _site_url:
    _first_host = next((h for h in ALLOWED_HOSTS if h and h != "*"), "localhost").lstrip(".")
    _site_url = "http://127.0.0.1:8000" if DEBUG else f"https://{_first_host}"
_site_parts = urlsplit(_site_url)
if (
    _site_parts.scheme not in {"http", "https"}
    or not _site_parts.hostname
    or _site_parts.path not in {"", "/"}
    or _site_parts.query
    or _site_parts.fragment
):
    raise ImproperlyConfigured(
        f"The environment variable SITE_URL is {_site_url!r}: expected the site's address, "
        "a scheme and a host without a path, e.g. https://lieux.example.org."
    )
SITE_URL = f"{_site_parts.scheme}://{_site_parts.netloc}"

# E-mail (web/mail.py): through the SMTP server EMAIL_HOST when it is set;
# without it, printed on the console under DJANGO_DEBUG (make run), else handed
# to the machine's own mail server (localhost:25, which relays it). The test run
# keeps every message in memory whatever is set (Django's test set-up).
_email_host = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)  # STARTTLS, on port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # TLS from the start, on port 465
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)  # seconds: never hang a request
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS and EMAIL_USE_SSL are both true: choose one (STARTTLS on port 587, "
        "or SSL on port 465)."
    )
EMAIL_HOST = _email_host or "localhost"
if _email_host:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT, EMAIL_USE_TLS, EMAIL_USE_SSL = 25, False, False
    EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "") or f"ne-pas-repondre@{_site_parts.hostname}"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Events: the fixed domain in iCalendar UIDs (event-<pk>@<domain>), whatever host
# name serves the feeds (events/conf.py).
EVENTS_UID_DOMAIN = env_str("EVENTS_UID_DOMAIN", "lieux-numeriques.fr")
# The hubs' own agendas (manage.py import_hub_feeds, events/feed_import.py): seconds
# before giving up on one hub's feed (that hub's events are left as they were).
EVENTS_FEED_TIMEOUT = env_float("EVENTS_FEED_TIMEOUT", 10.0, minimum=0)
