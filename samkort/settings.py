"""Samkort settings, driven by environment variables (see README: Configuration).

Unset means production: DEBUG off, a SECRET_KEY required. `make run` and the tests set DEBUG=true themselves.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from error


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production set SECRET_KEY to a long random value (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`). For the demo and the tests set "
            "DEBUG=true instead: `make run` and `make test` do."
        )
    SECRET_KEY = "insecure-development-key-only-for-local-demo"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "samkort.apps.LoginAttemptsConfig",  # django-axes, named in Danish
    "django_tasks",
    "samkort.apps.BackgroundTasksConfig",  # django-tasks-db, named in Danish
    "centres",
    "collaboration",
    "collaboration.rounds",
]

MIDDLEWARE = [
    "samkort.middleware.ProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samkort.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "samkort.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "samkort.middleware.PrivacyHeadersMiddleware",
    "samkort.middleware.DatabaseUnavailableMiddleware",
    "samkort.middleware.AdminLookupMiddleware",
    "samkort.middleware.MethodNotAllowedPageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "samkort.middleware.SignedOutMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # In production the app serves its own static files (htmx, plotly, css) from STATIC_ROOT after collectstatic.
    MIDDLEWARE.insert(2, "samkort.middleware.StaticFilesMiddleware")

ROOT_URLCONF = "samkort.urls"
WSGI_APPLICATION = "samkort.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            "string_if_invalid": os.environ.get("TEMPLATE_STRING_IF_INVALID", ""),
        },
    }
]

# SQLite is the zero-setup default; DATABASE_URL=postgres://... switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
# A database that hangs must not hang the page: give up connecting, and stop a statement, after a few seconds.
DB_CONNECT_TIMEOUT = env_int("DB_CONNECT_TIMEOUT", 5)
DB_STATEMENT_TIMEOUT = env_int("DB_STATEMENT_TIMEOUT", 20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=DB_CONNECT_TIMEOUT, options=f"-c statement_timeout={DB_STATEMENT_TIMEOUT * 1000}"
    )
else:
    # SQLite waits this long for another writer's lock before it gives up. A transaction takes the write lock as it
    # begins: two that read first and then both wanted to write (two imports confirmed at once) failed at once with
    # "database is locked", never waiting.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=DB_STATEMENT_TIMEOUT, transaction_mode="IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out user name and address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Logins on shared centre PCs: a few wrong passwords lock out that user name from that address, not the address
# alone (a whole municipality often reaches the server from one address), and only for a while.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
# Failed logins from one address, whatever the user names, before logins from it wait the lockout time (password
# spraying); high, as a municipality's whole network may reach Samkort from one address.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 100)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# An IPv6 client counts by its /64, as the limits on attempts count it: else a new address for every guess.
AXES_CLIENT_IP_CALLABLE = "samkort.addresses.client_network"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "samkort.views.locked_out"
AXES_VERBOSE = False
# The security log names the user name and the address of every failed login (it is personal data too: the log's
# own retention applies, see README).
AXES_SENSITIVE_PARAMETERS: list[str] = []
# Successful logins are not stored (less personal data to keep); failed ones are, and are logged, for
# LOGIN_RECORD_RETENTION_DAYS (purge_history deletes them).
AXES_DISABLE_ACCESS_LOG = True
LOGIN_RECORD_RETENTION_DAYS = env_int("LOGIN_RECORD_RETENTION_DAYS", 90)
# Behind TRUSTED_PROXY_COUNT proxies, the client's address is the entry the outermost of them wrote: the last entry
# of X-Forwarded-For behind one proxy, whether it sets the header (nginx: $remote_addr) or appends to what the client
# sent. ipware counts the proxies after that entry, hence one less.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1 if TRUSTED_PROXY_COUNT else None
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",) if TRUSTED_PROXY_COUNT else ("REMOTE_ADDR",)
# Entries the client wrote before the proxies' own are allowed, and passed over (ipware's strict mode refuses the
# whole header then, and the address was lost).
IPWARE_STRICT = False

# Sessions end when the browser closes and after an idle period; a shared PC must not stay logged in for days.
SESSION_IDLE_HOURS = env_int("SESSION_IDLE_HOURS", 8)
SESSION_COOKIE_AGE = SESSION_IDLE_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# Django's page (templates/403_csrf.html) for users; a partner in a mapping round, who has no login, is told to open
# their page again from their link.
CSRF_FAILURE_VIEW = "collaboration.rounds.partner.csrf_failure"
# The language chosen holds no secret, but is sent as the other cookies are: over HTTPS only, never to other sites.
LANGUAGE_COOKIE_SECURE = env_bool("LANGUAGE_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# Behind a TLS-terminating proxy (see README: Running in production). Only the proxies' own addresses may say how a
# request came (X-Forwarded-Proto) and from whom (X-Forwarded-For): from any other address both headers are dropped
# (samkort.middleware.ProxyHeadersMiddleware), so a client that reaches the app directly cannot claim HTTPS or a new
# address for each wrong password. "*" trusts every address (a proxy whose address changes).
FORWARDED_ALLOW_IPS = env_list("FORWARDED_ALLOW_IPS") or ["127.0.0.1", "::1"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# The health check answers the load balancer over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
X_FRAME_OPTIONS = "DENY"

# Only the app's own scripts, styles, fonts and images; no inline script and no eval. Plotly's stylesheet is served
# as a file (static/vendor/plotly), so plotly injects no styles of its own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Two style attributes that plotly sets are allowed by their hashes, nothing else inline: its fixed test of
        # image-rendering support (the heatmap's pixels), "image-rendering: optimizeSpeed; … pixelated; ", and
        # "font-weight:bold", its bold text in hovers and captions.
        "style-src": [
            SELF,
            "'unsafe-hashes'",
            "'sha256-AR/cKIZjWPcPmBUPDA6oti9XBiTbJvz0Cro2J1VzzS8='",
            "'sha256-wkY2X5hecQzbhnFCqvTpwrUJ1f4X8LH5WFjYUzv1wmU='",
        ],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=()"

# E-mail (password resets): printed to the console unless an SMTP server is given.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Samkort <samkort@localhost>")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 24) * 3600

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
# English dates with the day first and a 24-hour clock (samkort/formats/en): the readers are in Denmark.
FORMAT_MODULE_PATH = ["samkort.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic gathers the static files the app serves itself: outside the code when it is read-only.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
if not DEBUG:
    # Hashed, compressed names, cached by browsers for a year; collectstatic writes them.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# One cache for every server process and machine when REDIS_URL is set (Django's Redis backend): the limits' counts
# of attempts, and what is computed once for all. Otherwise each process keeps its own, in memory, and the counts
# (the cache "counts") go to the database, so that five server processes do not allow five times a limit.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "samkort"),
            # A Redis that does not answer at all is given up in seconds, not minutes: the pages that count in it fail
            # open (samkort.throttle), the rest compute what they would have read.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
    CACHES["counts"] = CACHES["default"]
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "samkort"},
        # Made by `manage.py createcachetable` (make run and make serve run it; it leaves a table it made alone).
        "counts": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "samkort_counts"},
    }

# Uploaded import files wait here between the preview and the confirmation (a day at most). Never served.
IMPORT_DIR = Path(os.environ.get("IMPORT_DIR", BASE_DIR / "var" / "imports"))
# A confirmed import of more rows than this is written by a worker (which reads the upload from IMPORT_DIR: give web
# and worker processes the same folder); smaller ones in the request. 50,000 rows took 49 s, longer than a proxy waits.
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 2000)
# An upload holding more text than this (a workbook counted unpacked) is read for its preview by a worker too, while
# its page waits: 5,000 CSV rows of 200 characters, read in 0.9 s here; 50,000 rows took 29 s in the request.
IMPORT_PREVIEW_BACKGROUND_BYTES = env_int("IMPORT_PREVIEW_BACKGROUND_BYTES", 1024 * 1024)
# Opening a mapping round posts three fields per actor of the centre: room for about 3,000 actors.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Large uploads go to a temporary file, not memory; the import itself refuses files over 10 MB.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# Background work (the mapping rounds' e-mails) through Django's task API (django-tasks). Development and tests run
# each task at once, in the process that queued it: nothing to start. Production keeps the queue in its own database
# (django-tasks-db), and `make worker` runs it; TASKS_BACKEND=immediate runs tasks in the web process instead.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if DEBUG else "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# A task still marked running this long after it started lost its worker (killed, or the machine went down): the
# next worker to start runs it again. Every task here can run twice without harm.
TASK_STALE_MINUTES = env_int("TASK_STALE_MINUTES", 30)

# A mapping round's contacts (organisational contacts' names and e-mails) are erased this long after it closes.
ROUND_CONTACT_RETENTION_DAYS = env_int("ROUND_CONTACT_RETENTION_DAYS", 90)
# A partner is reminded of a round at most once in this many hours, however often the button is pressed.
ROUND_REMINDER_HOURS = env_int("ROUND_REMINDER_HOURS", 24)
# Failed partner-link lookups from one address within 15 minutes before its lookups pause.
ROUND_LINK_FAILURE_LIMIT = env_int("ROUND_LINK_FAILURE_LIMIT", 20)
# A partner proposes the collaborations the map misses; a centre's busiest partner misses a handful, not a hundred.
ROUND_PROPOSALS_PER_PARTNER = env_int("ROUND_PROPOSALS_PER_PARTNER", 50)

# Maps: a selection with more collaborations than this is computed by a worker, never in the request; a map that
# took longer than MAP_STORE_SECONDS is stored in the database for every process (a centre of 200 actors: 100 ms to
# compute, 8 ms to read back); each process keeps at most MAP_CACHE_MB of maps in memory.
MAP_BACKGROUND_COLLABORATIONS = env_int("MAP_BACKGROUND_COLLABORATIONS", 20_000)
MAP_STORE_SECONDS = float(os.environ.get("MAP_STORE_SECONDS", "0.05"))
MAP_CACHE_MB = env_int("MAP_CACHE_MB", 256)
# The figures of a network of more actors than this are stored once for every process, map and report of the same
# selection and data (10,000 actors: 8 s to work out, 12 ms to read back).
FIGURES_STORE_ACTORS = env_int("FIGURES_STORE_ACTORS", 1_000)
# After a centre's data changes, a worker computes its map as a coordinator first sees it, so that first view reads it
# from the store; on by default wherever tasks go to a worker (changes within the delay join one refresh).
MAP_REFRESH_AFTER_CHANGE = env_bool("MAP_REFRESH_AFTER_CHANGE", TASKS_BACKEND == "database")
MAP_REFRESH_DELAY_SECONDS = env_int("MAP_REFRESH_DELAY_SECONDS", 10)
# A map of several centres with more actors than this shows the centres themselves (a click opens one centre's map);
# every actor is one click further ("Show every actor"). 10,000 actors are 10 MB of page and a browser's minute.
MAP_AGGREGATE_ACTORS = env_int("MAP_AGGREGATE_ACTORS", 2500)
# The list under a map names every actor up to this many, filtered in the browser as one types; above it, the server
# answers each search with the first matches (10,000 actors listed were 3 MB of the page).
MAP_FINDER_ACTORS = env_int("MAP_FINDER_ACTORS", 1000)

# Exact betweenness of a large network (actors × ties at least FIGURE_PROCESSES_ABOVE: 10,000 actors and 130,000 ties
# are 1.3 billion, some 15 s on one core) is shared out over FIGURE_PROCESSES processes, by default one per core this
# process may run on (a container's limit, not the host's count).
FIGURE_PROCESSES = env_int("FIGURE_PROCESSES", len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
FIGURE_PROCESSES_ABOVE = env_int("FIGURE_PROCESSES_ABOVE", 200_000_000)

# Reports of more collaborations than this are made by a worker, with a page that follows along; their files are kept
# in Django's storage (MEDIA_ROOT, never served directly: only to the user who asked) for REPORT_FILE_HOURS.
REPORT_BACKGROUND_COLLABORATIONS = env_int("REPORT_BACKGROUND_COLLABORATIONS", 20_000)
# A PDF lays out every collaboration, the slowest file (16-21 s for 9,000-20,000 on a busy machine): sooner.
REPORT_BACKGROUND_PDF_COLLABORATIONS = env_int("REPORT_BACKGROUND_PDF_COLLABORATIONS", 5_000)
REPORT_FILE_HOURS = env_int("REPORT_FILE_HOURS", 24)
# How many large reports one user may have waiting for the worker at once.
REPORT_QUEUE_PER_USER = env_int("REPORT_QUEUE_PER_USER", 5)
# Password-reset mails an hour to one e-mail address, and requests an hour from one client address (higher: a whole
# town hall may reach Samkort from one address).
PASSWORD_RESET_LIMIT = env_int("PASSWORD_RESET_LIMIT", 3)
PASSWORD_RESET_ADDRESS_LIMIT = env_int("PASSWORD_RESET_ADDRESS_LIMIT", 20)
# Tries on the change-password page, for one user in 15 minutes (a right one clears them): whoever holds a session
# someone left open may not guess the password behind it there, where no login lockout watches.
PASSWORD_CHANGE_FAILURE_LIMIT = env_int("PASSWORD_CHANGE_FAILURE_LIMIT", 5)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "files"))

# How long the change history of collaborations and actors is kept before `purge_history` deletes it.
HISTORY_RETENTION_DAYS = env_int("HISTORY_RETENTION_DAYS", 5 * 365)
# A PDF's appendix lists at most this many collaborations (the latest), about 40 pages; the spreadsheets hold all.
REPORT_APPENDIX_LIMIT = env_int("REPORT_APPENDIX_LIMIT", 1000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors_in_one_line": {"()": "samkort.logfilters.ClientErrorsWithoutTraceback"},
        "no_partner_tokens": {"()": "samkort.logfilters.HidePartnerTokens"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_errors_in_one_line", "no_partner_tokens"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print each of its lines a second time, beside the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # Failed and locked-out logins, for the security log.
        "axes": {"level": "INFO"},
        # WeasyPrint and fontTools report every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
