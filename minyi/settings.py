"""One settings file, driven by environment variables with safe defaults.

Every setting a deployer may change is named ``MINYI_*`` and documented in the
README; ``tests/test_docs.py`` keeps the two in step.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "minyi-insecure-development-key-change-me"


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


def envsecret(name: str, default: str) -> str:
    """Read ``NAME`` or, when ``NAME_FILE`` is set, the file it points at."""
    path = os.getenv(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.getenv(name, default)


def database_from_url(url: str) -> dict[str, object]:
    """Turn ``postgres://user:pass@host:port/name`` or ``sqlite:///path`` into a DATABASES entry."""
    parts = urlparse(url)
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parts.path.lstrip("/") or "minyi",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            # A connection kept across requests is tested before reuse, so a restarted
            # PostgreSQL server costs the requests in flight, not a restart of minyi.
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": os.getenv("MINYI_TEST_DATABASE_NAME") or None},
        }
    if parts.scheme == "sqlite":
        return sqlite_database(Path(parts.path))
    raise ValueError(f"MINYI_DATABASE_URL: unsupported scheme {parts.scheme!r}")


def sqlite_database(path: Path) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # WAL and IMMEDIATE transactions let the web process and the worker
        # write without "database is locked" errors.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


# "production" turns the safety checks in minyi/core/checks.py into errors
# that stop every management command and the WSGI application.
MODE = os.getenv("MINYI_MODE", "development")
DEBUG = envbool("MINYI_DEBUG", "false" if MODE == "production" else "true")
SECRET_KEY = envsecret("MINYI_SECRET_KEY", DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = [h for h in os.getenv("MINYI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.getenv("MINYI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
VAR_DIR = Path(os.getenv("MINYI_VAR_DIR", str(BASE_DIR / "var")))
MEDIA_ROOT = Path(os.getenv("MINYI_MEDIA_DIR", str(VAR_DIR / "attachments")))
# The hash chain's outside anchors: one JSON line a day (``manage.py anchor_events``);
# keep it, or a copy, where whoever can write the database cannot.
CHAIN_ANCHOR_FILE = Path(os.getenv("MINYI_CHAIN_ANCHOR_FILE", str(VAR_DIR / "chain-anchors.jsonl")))
SHARED_DATA_DIR = Path(os.getenv("MINYI_SHARED_DATA", str(BASE_DIR.parent / "shared" / "data")))
# The category classifier trained by ``manage.py train_classifier``; absent = feature off.
CLASSIFIER_PATH = VAR_DIR / "classifier.pickle"
# Backups (manage.py backup, nightly by the worker): the database, attachments and
# classifier in one dated archive; the newest BACKUP_KEEP archives are kept.
BACKUP_DIR = Path(os.getenv("MINYI_BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP = envint("MINYI_BACKUP_KEEP", "14")
BACKUP_TIME = os.getenv("MINYI_BACKUP_TIME", "02:30")

ATTACHMENT_MAX_BYTES = envint("MINYI_ATTACHMENT_MAX_MB", "20") * 1024 * 1024
ATTACHMENT_EXTENSIONS = ("pdf", "docx", "xlsx", "jpg", "jpeg", "png")
# Office files (.docx, .xlsx) are zip containers, checked before they are stored
# or parsed (minyi/core/zipcheck.py): bounds on what they unpack to.
OFFICE_MAX_UNPACKED_MB = envint("MINYI_OFFICE_MAX_UNPACKED_MB", "50")
OFFICE_MAX_RATIO = envint("MINYI_OFFICE_MAX_RATIO", "100")
OFFICE_MAX_MEMBERS = envint("MINYI_OFFICE_MAX_MEMBERS", "1000")
REPORT_MAX_CHARS = envint("MINYI_REPORT_MAX_CHARS", "1500")
# What any draft or revision may hold at all (body, all three parts together): far
# above the submission limit so authors may draft freely, low enough that one
# save (stored again in every revision) cannot bloat the database.
REPORT_DRAFT_MAX_CHARS = envint("MINYI_REPORT_DRAFT_MAX_CHARS", "20000")
HOST_NAME = os.getenv("MINYI_HOST_NAME", "示范市政协")

_database_url = os.getenv("MINYI_DATABASE_URL", "")
DATABASES = {
    "default": database_from_url(_database_url)
    if _database_url
    else sqlite_database(VAR_DIR / "minyi.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "minyi.people",
    "minyi.audit",
    "minyi.reports",
    "minyi.accounts",
    "minyi.bulletins",
    "minyi.outcomes",
    "minyi.duties",
    "minyi.notify",
    "minyi.search",
    "minyi.deadlines",
    "minyi.insights",
    "minyi.exchange",
    "minyi.scoring",
    "minyi.desk",
    "minyi.demo",
    "minyi.core",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # django-csp's middleware, except on PDFs (see the module).
    "minyi.core.csp.PageCSPMiddleware",
    "minyi.core.http.RequestFactsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ended and idle sessions are logged out (with a message); then the second factor.
    "minyi.accounts.sessions.SessionGuardMiddleware",
    "minyi.accounts.twofactor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as axes asks: turns a lockout met outside the login page into that page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "minyi.urls"
WSGI_APPLICATION = "minyi.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "minyi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "minyi.desk.context.navigation",
            ]
        },
    }
]

AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's MinimumLengthValidator (8), with its message in Chinese.
    {"NAME": "minyi.accounts.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Editors, approvers, leaders and admins: at least 10 characters.
    {
        "NAME": "minyi.accounts.validators.StaffMinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
]

# Logins (docs/operations.md, 登录与两步验证). Lockout by django-axes: an account
# is locked after MINYI_LOGIN_FAILURE_LIMIT failures within the cool-off time, a
# client address after MINYI_LOGIN_IP_FAILURE_LIMIT (higher: an office behind one
# NAT address shares it). A lock lifts after the cool-off or by the admin's unlock.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MINYI_LOGIN_FAILURE_LIMIT = envint("MINYI_LOGIN_FAILURE_LIMIT", "5")
MINYI_LOGIN_IP_FAILURE_LIMIT = envint("MINYI_LOGIN_IP_FAILURE_LIMIT", "20")
MINYI_LOGIN_COOLOFF_MINUTES = envint("MINYI_LOGIN_COOLOFF_MINUTES", "30")
AXES_ENABLED = True
AXES_FAILURE_LIMIT = "minyi.accounts.lockout.failure_limit"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = "minyi.accounts.lockout.cooloff"
AXES_HANDLER = "minyi.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "minyi.accounts.views_login.lockout_response"
AXES_CLIENT_IP_CALLABLE = "minyi.core.http.client_ip"
# A success must not clear the address's count: an insider could reset a victim's.
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_DISABLE_ACCESS_LOG = True  # successful logins are events already
AXES_ENABLE_ADMIN = False  # the admin's security page lists locks and unlocks
AXES_VERBOSE = False  # no banner on every management command
# TOTP two-factor (django-otp): required for staff roles in production; off by
# default in development so the demo accounts log in with a password alone.
MINYI_REQUIRE_2FA = envbool("MINYI_REQUIRE_2FA", "true" if MODE == "production" else "false")
OTP_TOTP_ISSUER = f"{HOST_NAME}社情民意平台"  # the name authenticator apps show
# Sessions end after this much idle time (minutes): staff 2 hours, members 2 weeks.
MINYI_SESSION_IDLE_STAFF_MINUTES = envint("MINYI_SESSION_IDLE_STAFF_MINUTES", "120")
MINYI_SESSION_IDLE_MEMBER_MINUTES = envint("MINYI_SESSION_IDLE_MEMBER_MINUTES", "20160")
SESSION_COOKIE_AGE = 60 * max(MINYI_SESSION_IDLE_STAFF_MINUTES, MINYI_SESSION_IDLE_MEMBER_MINUTES)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = os.getenv("MINYI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "minyi" / "static"]
STATIC_ROOT = VAR_DIR / "static"
# Behind nginx, nginx serves STATIC_ROOT; `make serve` without a proxy lets Django serve it.
SERVE_STATIC = envbool("MINYI_SERVE_STATIC", "false")
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = MODE == "production" or not DEBUG
CSRF_COOKIE_SECURE = MODE == "production" or not DEBUG
# A refused form (expired page, cookies off) gets the Chinese 403 page, not Django's English one.
CSRF_FAILURE_VIEW = "minyi.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS in production (docs/operations.md, 生产环境加固): redirect plain HTTP and
# tell browsers, through HSTS, never to use it again. Development serves plain HTTP.
SECURE_SSL_REDIRECT = envbool("MINYI_SSL_REDIRECT", "true" if MODE == "production" else "false")
# The health check answers on plain HTTP too: probes on the host itself speak no TLS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("MINYI_HSTS_SECONDS", "31536000" if MODE == "production" else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("MINYI_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("MINYI_HSTS_PRELOAD", "true")
# Behind a reverse proxy that terminates TLS, the header it sets to "https",
# in META form (e.g. HTTP_X_FORWARDED_PROTO); empty = no proxy. Only set it when
# the proxy overwrites that header, or a client could claim HTTPS itself.
_proxy_ssl_header = os.getenv("MINYI_PROXY_SSL_HEADER", "")
SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https") if _proxy_ssl_header else None
# The reverse proxies in front (addresses or networks, comma-separated): from a
# request through one of them, the client's address recorded on events and used
# for login lockout is taken from X-Forwarded-For (minyi.core.http.client_ip).
# Empty: REMOTE_ADDR is the client. Over a Unix socket REMOTE_ADDR is empty; with
# any proxy listed here, an empty peer counts as the proxy.
TRUSTED_PROXIES = [
    ipaddress.ip_network(p.strip(), strict=False)
    for p in os.getenv("MINYI_TRUSTED_PROXIES", "").split(",")
    if p.strip()
]
# Content-Security-Policy (django-csp): scripts and styles only from our own
# static files, no inline code anywhere; charts draw on canvas, images may be data: URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Email: the console backend prints mail in development; set the backend to
# django.core.mail.backends.smtp.EmailBackend and the MINYI_EMAIL_* values in production.
EMAIL_BACKEND = os.getenv("MINYI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.getenv("MINYI_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("MINYI_EMAIL_PORT", "25")
EMAIL_HOST_USER = os.getenv("MINYI_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("MINYI_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("MINYI_EMAIL_USE_TLS", "false")
EMAIL_USE_SSL = envbool("MINYI_EMAIL_USE_SSL", "false")
EMAIL_TIMEOUT = envint("MINYI_EMAIL_TIMEOUT", "20")
DEFAULT_FROM_EMAIL = os.getenv("MINYI_EMAIL_FROM", "minyi@localhost")
# Absolute links in emails and webhook messages point here.
SITE_URL = os.getenv("MINYI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Notification channels beyond the in-app list (see minyi/notify/channels.py).
NOTIFY_CHANNELS = [c for c in os.getenv("MINYI_NOTIFY_CHANNELS", "email").split(",") if c]
NOTIFY_WEBHOOK_URL = os.getenv("MINYI_NOTIFY_WEBHOOK_URL", "")
# Daily digests go out at this local time (HH:MM).
NOTIFY_DIGEST_TIME = os.getenv("MINYI_NOTIFY_DIGEST_TIME", "08:30")
# The weekly hot topics (每周热点) ride in that day's digest: 0 = Monday … 6 = Sunday.
NOTIFY_HOT_TOPICS_WEEKDAY = envint("MINYI_NOTIFY_HOT_TOPICS_WEEKDAY", "0")

# Background work: Django's tasks API (django-tasks backport) with the database
# as the queue; `manage.py run_worker` runs the tasks and the periodic jobs.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("MINYI_LOG_LEVEL", "INFO")},
}
