"""Django settings of liaison, built from the typed settings in liaison.config."""

from __future__ import annotations

from typing import Any

import dj_database_url

from liaison.config import Config

CONFIG = Config.from_env()

SECRET_KEY = CONFIG.resolved_secret_key()
DEBUG = CONFIG.debug
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "liaison.ledger",
    "liaison.web",
    "liaison.web.apitokens",
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

ROOT_URLCONF = "liaison.web.urls"
WSGI_APPLICATION = "liaison.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liaison.web.context.permissions",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    if CONFIG.database_url:
        return dict(dj_database_url.parse(CONFIG.database_url, conn_max_age=60))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(CONFIG.db_path),
        # A connection kept for a minute, as PostgreSQL's is: a new one reads the file's first
        # pages cold, so a search's first query cost 23 ms instead of 7.
        "CONN_MAX_AGE": 60,
        # WAL lets readers (the web app) go on while an import writes. Reading the file through
        # a memory map spares a copy of each page per connection (the OS cache serves them all).
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA mmap_size=4294967296;"
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = str(CONFIG.home / "static")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CONFIG.production
CSRF_COOKIE_SECURE = CONFIG.production
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if CONFIG.production:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# A cache on disk is shared by every worker process of a server: log-in failures are counted
# across all of them, and the figures kept until the ledger changes are computed once, not once
# per process.
CACHES = {
    "default": {
        "BACKEND": "liaison.web.filecache.FileCache",  # culls less often (see there)
        "LOCATION": str(CONFIG.home / "cache"),
        # Past MAX_ENTRIES files a write deletes a third of them at random, kept figures in use
        # among them (Django's default of 300 is soon reached: figures per scope, year, word).
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
