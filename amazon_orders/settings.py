"""Configuration, read from the environment (12-factor).

With nothing set, the product runs on an embedded default that needs no server: SQLite
under ``var/`` and a Celery broker kept in files under ``var/broker``. Set
``DATABASE_URL`` (PostgreSQL) and ``CELERY_BROKER_URL``/``REDIS_URL`` (Redis) for a real
deployment; see README.md for every variable.
"""

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def local_secret(filename: str, make) -> str:
    """A secret kept in a file under var/, created on first use (embedded default only).

    Web, worker and beat processes start together on an empty var/, so creation is a race
    with one winner: the secret is written in full to a private temporary file (mode 0600
    from its first moment) and published with a hard link, which fails if the name exists.
    Every loser reads the winner's complete file, so all processes share one secret.
    """
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / filename
    if not path.exists():
        descriptor, draft = tempfile.mkstemp(dir=VAR_DIR, prefix=f".{filename}.")
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(make())
                file.flush()
                os.fsync(file.fileno())
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    secret = path.read_text().strip()
    if not secret:
        raise ImproperlyConfigured(f"{path} is empty: delete it to have a new secret made.")
    return secret


def fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


DEBUG = env_bool("DEBUG", False)
# A deployment served over HTTPS (see "Security" in README.md): it refuses to start with
# DEBUG on or without its own secrets, and turns on HSTS, the HTTPS redirect and secure
# cookies. REQUIRE_PRODUCTION_SECRETS alone still only refuses to start without secrets.
PRODUCTION = env_bool("PRODUCTION", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production: its error pages show secrets.")
if (PRODUCTION or os.environ.get("REQUIRE_PRODUCTION_SECRETS")) and not DEBUG and (
    not os.environ.get("SECRET_KEY") or not os.environ.get("ENCRYPTION_KEYS")
):
    raise ImproperlyConfigured("SECRET_KEY and ENCRYPTION_KEYS must be set in production.")
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret(
    "secret_key", lambda: secrets.token_urlsafe(50)
)
# Fernet keys for secrets at rest; the first encrypts, all of them decrypt (key rotation).
ENCRYPTION_KEYS = env_list("ENCRYPTION_KEYS", "") or [local_secret("encryption_key", fernet_key)]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Behind a proxy that terminates TLS, the header it sets to "https" for requests that came
# over HTTPS, e.g. X-Forwarded-Proto. Only set it when that proxy overwrites the header:
# a client could send it too.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _proxy_header = os.environ["SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{_proxy_header}", "https")

# Every page, the admin and the API docs run with no inline script or style and nothing
# from another origin; SVG icons of the admin and the docs are data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "commerce",
    "settings_app",
    "inventory",
    "importer",
    "operations",
    "accounts",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Times in the viewer's zone (a cookie set by static/js/timezone.js), UTC until known.
    "common.timezones.ViewerTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a refused login of a locked-out client into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "amazon_orders.urls"
WSGI_APPLICATION = "amazon_orders.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # SQLite serialises writers; waiting beats "database is locked" between web and worker.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "api-throttle",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "api-throttle",
        },
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Repeated failed logins (login page and admin) lock the username for that client address:
# a stranger elsewhere cannot lock a merchant out. A failure while locked starts the wait
# again; a successful login clears the count. django-axes' backend comes first, to refuse a
# locked-out login before any password is checked; then the store-role backend, whose one
# query settles most page views.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LoginLockoutBackend",
    "settings_app.backends.StoreRolePermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "common.throttling.client_address"
# Proxies in front of the app that append the client's address to X-Forwarded-For (the
# TLS proxy of docker-compose.yml is one). 0: the connecting address is the client's.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "settings_app:store-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise looks here at start-up; an absent folder only produces a warning per request.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the app folders: no collectstatic step before the first run.
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    # Token first: an anonymous API call then answers 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "common.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Per user once logged in; refused credentials per client address (common/api_errors.py).
    "DEFAULT_THROTTLE_CLASSES": ["common.throttling.UserThrottle"],
    "EXCEPTION_HANDLER": "common.api_errors.exception_handler",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # OPTIONS looks up what the URL names first: 404 where GET would answer 404.
    "DEFAULT_METADATA_CLASS": "common.metadata.LookupFirstMetadata",
    "DEFAULT_PARSER_CLASSES": [
        "common.json_input.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
API_THROTTLE_RATES = {
    "user": os.environ.get("API_THROTTLE_USER_RATE", "120/minute"),
    "anon": os.environ.get("API_THROTTLE_ANON_RATE", "30/minute"),
}
# API tokens (django-rest-knox): only a hash is stored; each expires this long after it is made.
API_TOKEN_TTL_DAYS = float(os.environ.get("API_TOKEN_TTL_DAYS", "30"))
REST_KNOX = {"TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS), "AUTO_REFRESH": False}
SPECTACULAR_SETTINGS = {
    "TITLE": "Amazon Orders API",
    "DESCRIPTION": "Amazon stores, their order settings, inventory and imported orders.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs describe every endpoint: only for logged-in users, like the API.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two "status" choice sets (an Amazon order's, a SKU's stock) need names of their own.
    "ENUM_NAME_OVERRIDES": {
        "AmazonOrderStatusEnum": "importer.gateway.types.AmazonOrderStatus",
        "InventoryStatusEnum": "inventory.models.InventoryStatus",
    },
}

# Celery. The embedded default keeps the queue in files: no broker server to install.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
    }
# Tests give each run a queue of its own; a deployment may too, to share one broker.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {}

# The Selling Partner API. Empty means Amazon's regional production hosts; the demo and
# the tests point it at the local simulator.
SP_API_ENDPOINT = os.environ.get("SP_API_ENDPOINT", "")
LWA_TOKEN_URL = os.environ.get("LWA_TOKEN_URL", "")
SP_API_TIMEOUT_SECONDS = float(os.environ.get("SP_API_TIMEOUT_SECONDS", "30"))
# Multiplies Amazon's published request rates; match the simulator's --time-scale.
SP_API_RATE_SCALE = float(os.environ.get("SP_API_RATE_SCALE", "1"))
SP_API_RETRY_ATTEMPTS = int(os.environ.get("SP_API_RETRY_ATTEMPTS", "5"))
SP_API_RETRY_BASE_SECONDS = float(os.environ.get("SP_API_RETRY_BASE_SECONDS", "0.5"))
# Longest wait for a rate-limit token inside one poll; beyond it the poll stops and resumes.
SP_API_MAX_WAIT_SECONDS = float(os.environ.get("SP_API_MAX_WAIT_SECONDS", "30"))
# Spread of network latency our token buckets absorb by staying under Amazon's burst.
SP_API_JITTER_SECONDS = float(os.environ.get("SP_API_JITTER_SECONDS", "0.25"))
SP_API_PAGE_SIZE = int(os.environ.get("SP_API_PAGE_SIZE", "100"))
SP_API_MAX_PAGES_PER_POLL = int(os.environ.get("SP_API_MAX_PAGES_PER_POLL", "50"))
SP_API_POLL_INTERVAL_SECONDS = float(os.environ.get("SP_API_POLL_INTERVAL_SECONDS", "120"))
SP_API_CURSOR_OVERLAP_SECONDS = int(os.environ.get("SP_API_CURSOR_OVERLAP_SECONDS", "60"))
# Amazon wants lastUpdatedBefore at least two minutes in the past; the rest is clock skew.
SP_API_UPDATED_BEFORE_LAG_SECONDS = int(os.environ.get("SP_API_UPDATED_BEFORE_LAG_SECONDS", "150"))
SP_API_POLL_LEASE_SECONDS = int(os.environ.get("SP_API_POLL_LEASE_SECONDS", "600"))
# Deciding mirrored orders: a batch per task, automatic retries of an order that fails.
IMPORT_DECIDE_BATCH_SIZE = int(os.environ.get("IMPORT_DECIDE_BATCH_SIZE", "500"))
IMPORT_MAX_ATTEMPTS = int(os.environ.get("IMPORT_MAX_ATTEMPTS", "5"))
IMPORT_RETRY_BASE_SECONDS = float(os.environ.get("IMPORT_RETRY_BASE_SECONDS", "30"))
# The sweep finds orders whose latest change has no decision yet (a lost message) and
# errors due for another attempt; it leaves alone changes younger than the grace period.
IMPORT_SWEEP_INTERVAL_SECONDS = float(os.environ.get("IMPORT_SWEEP_INTERVAL_SECONDS", "60"))
IMPORT_SWEEP_GRACE_SECONDS = float(os.environ.get("IMPORT_SWEEP_GRACE_SECONDS", "30"))
CELERY_BEAT_SCHEDULE["decide-undecided-amazon-orders"] = {
    "task": "importer.tasks.sweep_undecided_orders",
    "schedule": IMPORT_SWEEP_INTERVAL_SECONDS,
}
CELERY_BEAT_SCHEDULE["poll-active-amazon-stores"] = {
    "task": "importer.tasks.poll_active_stores",
    "schedule": SP_API_POLL_INTERVAL_SECONDS,
}
# Removes reservation ledger groups that have netted to zero; it never moves a quantity.
CELERY_BEAT_SCHEDULE["inventory-reservations-cleanup"] = {
    "task": "inventory.reservations_cleanup",
    "schedule": float(os.environ.get("RESERVATION_CLEANUP_INTERVAL_SECONDS", "600")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # The SP-API client logs request details at DEBUG; keep it quiet so tokens never leak.
        "sp_api": {"level": "WARNING"},
        # httpx (under the SP-API client) logs every request line at INFO.
        "httpx": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
        # Lockouts are warnings; every failed login at INFO would drown them.
        "axes": {"level": "WARNING"},
    },
}
