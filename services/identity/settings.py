"""Settings of the identity service: the shared base, the apps it owns, and token issuing."""

from datetime import timedelta

from common.settings import environment
from common.settings.base import *  # noqa: F403
from common.settings.base import AUTH_PASSWORD_VALIDATORS, INSTALLED_APPS, MIDDLEWARE
from services import DEFAULT_BASE_PORT, SERVICES

# accounts last: its admin re-registers the other two apps' models with scopes.
INSTALLED_APPS = [
    *INSTALLED_APPS,
    "rest_framework_simplejwt.token_blacklist",
    "axes",
    "apps.accounts",
]
# People by e-mail in the admin: identity's admin reads its own users.
PEOPLE_MODEL = "accounts.User"
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    *AUTH_PASSWORD_VALIDATORS,
    {"NAME": "apps.accounts.passwords.MaximumLengthValidator"},
]

MIDDLEWARE = [*MIDDLEWARE, "axes.middleware.AxesMiddleware"]
# Axes first: it refuses a locked account before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
JWT_KEY_SET = "apps.accounts.keys.local_key_set"
JWT_SIGNING_KEYS_DIR = environment.optional_text("JWT_SIGNING_KEYS_DIR", default="")
SERVICE_ACCOUNT_SECRETS_DIR = environment.optional_text("SERVICE_ACCOUNT_SECRETS_DIR", default="")
# Longer than JWKS_MIN_REFETCH_SECONDS everywhere, so no service meets a kid it may not fetch yet.
JWT_KEY_PUBLISH_AHEAD_SECONDS = environment.integer("JWT_KEY_PUBLISH_AHEAD_SECONDS", default=10)
SIMPLE_JWT = {
    "ALGORITHM": "RS256",
    "ACCESS_TOKEN_LIFETIME": timedelta(
        seconds=environment.integer("ACCESS_TOKEN_LIFETIME_SECONDS", default=300, minimum=30)
    ),
    "REFRESH_TOKEN_LIFETIME": timedelta(
        seconds=environment.integer("REFRESH_TOKEN_LIFETIME_SECONDS", default=86400, minimum=60)
    ),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "sub",
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
}
AXES_FAILURE_LIMIT = 10
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = timedelta(
    seconds=environment.integer("LOCKOUT_SECONDS", default=900, minimum=1)
)
AXES_RESET_ON_SUCCESS = True
# Every refused sign-in is kept (at most 1,000 per account), marked when it locked the account:
# what identity's dashboard counts failures and lockouts from.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_USERNAME_CALLABLE = "apps.accounts.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
# The address each attempt is recorded with is the one the throttles see behind the proxies.
AXES_CLIENT_IP_CALLABLE = "common.proxies.client_address"
# Lockout is per account on purpose (guessing one password is the attack it stops); per-address
# limits come from the sign_in throttle, which cannot lock a whole office out by its shared IP.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_VERBOSE = False

# identity is the front door: the gateway's root is its portal, which shows each service's
# readiness, asked at these addresses (`<SERVICE>_URL`, as every caller of a service names it).
PORTAL_SERVICE_URLS = {
    service.name: environment.url(
        f"{service.name.upper()}_URL",
        schemes=("http", "https"),
        default=f"http://127.0.0.1:{service.port(DEFAULT_BASE_PORT)}",
    )
    for service in SERVICES
}
# Per service, for an answer to its readiness probe (which itself gives up on a dependency after
# DEPENDENCY_TIMEOUT_SECONDS); a service silent that long is shown down.
PORTAL_HEALTH_TIMEOUT_SECONDS = 1.5
# The portal is public: what it asked is kept this long, so no flood of page views turns into a
# flood of readiness checks (each opens a database, cache and broker connection).
PORTAL_HEALTH_MAX_AGE_SECONDS = environment.integer("PORTAL_HEALTH_MAX_AGE_SECONDS", default=5)
