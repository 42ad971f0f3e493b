"""Django's and DRF's defaults (startproject's middleware), plus what reading Mercato's tables and
identity's tokens needs: the two databases, a page of 20, and identity's public key."""

import os

from common.settings.environment import database

SECRET_KEY = "bench-naive-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "rest_framework",
    "bench.baselines.naive",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "bench.baselines.naive.api"
DATABASES = {
    "default": database("DATABASE_URL", service="catalog"),
    "orders": database("DATABASE_URL", service="orders"),
}
DATABASE_ROUTERS = ["bench.baselines.naive.api.OrdersDatabaseRouter"]
USE_TZ = True
REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
}
SIMPLE_JWT = {
    "ALGORITHM": "RS256",
    "VERIFYING_KEY": os.environ.get("BENCH_NAIVE_VERIFYING_KEY", ""),
    "ISSUER": os.environ.get("JWT_ISSUER", "urn:mercato:identity"),
    "AUDIENCE": os.environ.get("JWT_AUDIENCE", "urn:mercato:api"),
    "USER_ID_CLAIM": "sub",
}
