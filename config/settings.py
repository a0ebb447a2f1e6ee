"""Settings for the Community Accommodation Service, read from the environment.

Defaults are safe for production (DEBUG off, secure cookies, HSTS, strict CSP); the run and test
scripts set CAS_ENV=development or test to relax only what plain HTTP on localhost needs.
"""

import ipaddress
import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


CAS_ENV = os.environ.get("CAS_ENV", "production")
if CAS_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(f"CAS_ENV must be production, development or test, not {CAS_ENV!r}")
IS_PRODUCTION = CAS_ENV == "production"

# Off unless asked for, in development too: the quick start (`scripts/run`) shows the service's own
# 404, 403 and 500 pages, not Django's debug pages, which list every URL of the service. DEBUG=true
# brings the debug pages back for a developer. Static files are served either way (WhiteNoise).
DEBUG = env_bool("DEBUG", False)
# Edited templates and static files are picked up without a restart in development.
RELOAD_FILES = DEBUG or CAS_ENV == "development"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production")
    # Only for local runs and tests: never used where CAS_ENV=production.
    SECRET_KEY = "insecure-local-only-" + CAS_ENV

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h] or (
    [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

SERVICE_NAME = "Community Accommodation Service"
# Public address of the service, for links in emails.
SERVICE_URL = os.environ.get("SERVICE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: runserver leaves static files to WhiteNoise, as gunicorn does (Django's own
    # development handler answered 500 to a path that climbs out with "..").
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # the bookings exclusion constraint (a no-op off PostgreSQL)
    "rest_framework",
    "drf_spectacular",
    "django_tasks_db",
    "cas.core",
    "cas.reference",
    "cas.accounts",
    "cas.people",
    "cas.events",
    "cas.forms_engine",
    "cas.referrals",
    "cas.premises",
    "cas.placements",
    "cas.reporting",
    "cas.privacy",
    "cas.datagen",
    "cas.demo",  # manage.py load_demo_data: it imports the domain apps, none of them imports it
    "cas.web",
    "cas.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cas.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the session, user and messages: its 400 page is a page of the service.
    "cas.core.middleware.RejectNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "cas.core.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "config.jinja2.environment",
            "auto_reload": RELOAD_FILES,
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.messages.context_processors.messages",
                "cas.web.context_processors.layout",
            ],
        },
    },
    {
        # Kept for Django's own built-in pages (e.g. DRF's browsable API is switched off, but
        # error fallbacks still look here).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]

# Database: SQLite by default (WAL, immediate transactions so concurrent writers queue instead of
# failing with "database is locked"); DATABASE_URL switches to PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation: for the MI reports' queries (correlated subqueries over a year of rows)
        # PostgreSQL's cost estimate switched it on and compiling took 2.3 s of a 2.9 s query, and the
        # service's other queries are too short to gain from it.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
else:
    sqlite_path = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "var" / "cas.sqlite3"))
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
            # Tests run on a file, as the service does: an in-memory database shares one cache
            # between threads, where concurrent writers fail instead of waiting their turn.
            "TEST": {
                "NAME": os.environ.get("SQLITE_TEST_PATH") or str(sqlite_path.parent / f"test-{os.getpid()}.sqlite3")
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["cas.accounts.backends.LockoutModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if CAS_ENV == "test":
    # Hashing dominates test time; production and development keep argon2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "cas.accounts.password_validation.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Sign-in throttling (cas/accounts/throttle.py; counts in the database, seen by every worker and node):
# at most CAS_LOCKOUT_THRESHOLD failures per username in any CAS_LOCKOUT_MINUTES, whether or not an
# account has that username; then it is locked until the oldest of them is that old.
CAS_LOCKOUT_THRESHOLD = int(os.environ.get("CAS_LOCKOUT_THRESHOLD", "5"))
CAS_LOCKOUT_MINUTES = int(os.environ.get("CAS_LOCKOUT_MINUTES", "15"))
# Failures per client address per window, whichever usernames they target: past it, the address may
# sign in only from browsers that have signed in to that account before (the device cookie).
CAS_IP_THROTTLE_ATTEMPTS = int(os.environ.get("CAS_IP_THROTTLE_ATTEMPTS", "30"))
CAS_IP_THROTTLE_MINUTES = int(os.environ.get("CAS_IP_THROTTLE_MINUTES", "15"))
# How long a browser stays trusted for an account after signing in to it (the device cookie).
CAS_DEVICE_COOKIE_DAYS = int(os.environ.get("CAS_DEVICE_COOKIE_DAYS", "90"))
# Proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDR ranges, e.g. the TLS
# proxy's private address). Empty: the client address is REMOTE_ADDR. Behind a proxy that is not
# listed, every user appears to come from the proxy's address.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or CIDR range") from None

# Single sign-on via OpenID Connect, off unless configured.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS = ["cas.accounts.oidc.CasOIDCBackend", *AUTHENTICATION_BACKENDS]
    OIDC_RP_CLIENT_ID = os.environ["OIDC_RP_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ["OIDC_RP_CLIENT_SECRET"]
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = os.environ["OIDC_OP_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = os.environ["OIDC_OP_USER_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
# Claim names carrying the identity provider's roles and probation region code.
OIDC_ROLES_CLAIM = os.environ.get("OIDC_ROLES_CLAIM", "roles")
OIDC_REGION_CLAIM = os.environ.get("OIDC_REGION_CLAIM", "probation_region")
OIDC_PDU_CLAIM = os.environ.get("OIDC_PDU_CLAIM", "pdu")

# Sessions expire after inactivity: every request pushes the expiry forward.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Plain HTTP on localhost needs non-secure cookies; everywhere else they are secure.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", IS_PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # The __Host- prefix makes browsers refuse these cookies unless they are Secure, for this host
    # only (no Domain) and for the whole site (Path=/): a subdomain cannot set or overwrite them.
    SESSION_COOKIE_NAME = "__Host-cas_session"
    CSRF_COOKIE_NAME = "__Host-cas_csrftoken"
CSRF_FAILURE_VIEW = "cas.web.views.errors.csrf_failure"

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if IS_PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
if env_bool("BEHIND_TLS_PROXY", IS_PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: no inline code except the nonce'd snippets the GOV.UK template needs.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns at start-up when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production whitenoise serves straight from the app folders, so no collectstatic step.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = RELOAD_FILES

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cas.api.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cas.api.permissions.PolicyPermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's JSON parser with limits: body size, nesting depth, no NUL or lone surrogates (cas/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["cas.api.parsers.LimitedJSONParser"],
    # No OPTIONS metadata: it would describe forms to anyone and bypass object lookups.
    "DEFAULT_METADATA_CLASS": None,
    "DEFAULT_SCHEMA_CLASS": "cas.api.schema.CasAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "cas.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Community Accommodation Service API",
    "DESCRIPTION": "API for referrals, assessments, estate and placements across CAS1, CAS2 and CAS3.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["cas.api.permissions.PolicyPermission"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cas.api.schema.add_error_responses",
        "cas.api.schema.declare_nullable_references",
        "cas.api.schema.add_links",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ReferralStatusEnum": "cas.referrals.cas3.workflow.Status",
        "TaskStatusEnum": "cas.forms_engine.engine.TaskStatus",
        "IncidentKindEnum": "cas.placements.models.Incident.Kind",
        "Cas2StatusEnum": "cas.api.cas2_assessment.STATUS_CHOICES",
    },
}

# Upstream systems: the deterministic synthetic adapters unless configured otherwise.
UPSTREAM_TIMEOUT = float(os.environ.get("UPSTREAM_TIMEOUT_SECONDS", "4"))
INTEGRATIONS = {
    "case_system": {
        "class": os.environ.get("CASE_SYSTEM_ADAPTER", "cas.people.synthetic.case_system.SyntheticCaseSystem"),
        "base_url": os.environ.get("CASE_SYSTEM_URL", ""),
        "timeout": UPSTREAM_TIMEOUT,
    },
    "risk_system": {
        "class": os.environ.get("RISK_SYSTEM_ADAPTER", "cas.people.synthetic.risk_system.SyntheticRiskSystem"),
        "base_url": os.environ.get("RISK_SYSTEM_URL", ""),
        "timeout": UPSTREAM_TIMEOUT,
    },
    "prison_system": {
        "class": os.environ.get("PRISON_SYSTEM_ADAPTER", "cas.people.synthetic.prison_system.SyntheticPrisonSystem"),
        "base_url": os.environ.get("PRISON_SYSTEM_URL", ""),
        "timeout": UPSTREAM_TIMEOUT,
    },
}

# Emails: recorded in the outbox only, unless GOV.UK Notify is configured.
NOTIFICATIONS = {
    "adapter": os.environ.get("NOTIFICATIONS_ADAPTER", "outbox"),  # outbox | notify
    "api_key": os.environ.get("NOTIFY_API_KEY", ""),
    "base_url": os.environ.get("NOTIFY_BASE_URL", ""),
    # JSON object: our template key -> Notify template id, e.g. {"cas3_referral_submitted": "uuid"}
    "template_ids": json.loads(os.environ.get("NOTIFY_TEMPLATE_IDS", "{}")),
}
if NOTIFICATIONS["adapter"] == "notify" and not NOTIFICATIONS["api_key"]:
    raise ImproperlyConfigured("NOTIFICATIONS_ADAPTER=notify needs NOTIFY_API_KEY")

# Domain events for other systems: always in the feed (/api/v1/events); also delivered to each
# configured endpoint, in order per person, retried with exponential back-off:
# - EVENTS_WEBHOOK_URL (+ EVENTS_WEBHOOK_SECRET): one webhook, signed with HMAC-SHA256 in X-CAS-Signature;
# - EVENTS_WEBHOOKS: a JSON list of {"name", "url", "secret"} for more than one;
# - EVENTS_SNS_TOPIC_ARN (+ EVENTS_SNS_ENDPOINT, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY):
#   an SNS-compatible topic (the HMPPS domain events topic), signed with AWS Signature Version 4.
_event_endpoints = [dict(e, type="webhook") for e in json.loads(os.environ.get("EVENTS_WEBHOOKS", "[]"))]
if os.environ.get("EVENTS_SNS_TOPIC_ARN"):
    _sns_region = os.environ.get("AWS_REGION", "eu-west-2")
    _event_endpoints.append(
        {
            "type": "sns",
            "name": "sns",
            "topic_arn": os.environ["EVENTS_SNS_TOPIC_ARN"],
            "endpoint_url": os.environ.get("EVENTS_SNS_ENDPOINT", f"https://sns.{_sns_region}.amazonaws.com/"),
            "region": _sns_region,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
        }
    )
EVENTS = {
    "endpoints": _event_endpoints,
    "webhook_url": os.environ.get("EVENTS_WEBHOOK_URL", ""),
    "webhook_secret": os.environ.get("EVENTS_WEBHOOK_SECRET", ""),
    "timeout": float(os.environ.get("EVENTS_WEBHOOK_TIMEOUT", "5")),
    "max_attempts": int(os.environ.get("EVENTS_MAX_ATTEMPTS", "10")),
    "backoff_seconds": float(os.environ.get("EVENTS_BACKOFF_SECONDS", "30")),
    "max_backoff_seconds": float(os.environ.get("EVENTS_MAX_BACKOFF_SECONDS", "3600")),
}

# Background work (event delivery, large reports): in-process by default; production sets
# TASKS_BACKEND=django_tasks_db.DatabaseBackend and runs `manage.py task_worker` (no broker needed).
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")}}
# A worker renews the lease of the task it runs; a task whose lease runs out (its worker died) is
# put back in the queue and tried again, up to TASKS_MAX_ATTEMPTS times in all (cas/core/tasks.py).
TASKS_LEASE_MINUTES = float(os.environ.get("TASKS_LEASE_MINUTES", "5"))
TASKS_MAX_ATTEMPTS = int(os.environ.get("TASKS_MAX_ATTEMPTS", "3"))

# The user guides shown under /help (Markdown, with the pictures the browser journeys take).
GUIDES_DIR = BASE_DIR / "docs" / "guides"

# Generated report files: kept this long, then refused and deleted by `manage.py prune_reports`.
REPORTS_DIR = Path(os.environ.get("REPORTS_DIR", BASE_DIR / "var" / "reports"))
REPORT_RETENTION_HOURS = int(os.environ.get("REPORT_RETENTION_HOURS", "24"))

# Idempotent submissions (cas.core.idempotency): a submission key is remembered this long.
IDEMPOTENCY_KEY_HOURS = int(os.environ.get("IDEMPOTENCY_KEY_HOURS", "24"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cas.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "cas.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own default gives the "django" logger a plain-text console handler when DEBUG is on,
        # and the record then propagates to the root's JSON one too, so every line (each demo-data
        # task of `scripts/run`) was printed twice: only the root's handler writes.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # One line per request from cas.core.middleware; quiet in tests.
        "cas.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "WARNING" if CAS_ENV == "test" else "INFO")},
    },
}

# Privacy: closed cases (no open referral or booking) are anonymised this many days after their
# last activity by `manage.py anonymise_closed_cases` (default 7 years).
RETENTION_CLOSED_CASE_DAYS = int(os.environ.get("RETENTION_CLOSED_CASE_DAYS", "2557"))
