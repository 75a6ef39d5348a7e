"""Django settings for the casebook web app: the store's settings plus what a site needs.

Environment (all optional):

``UNCOUNTED_DB``
    SQLite path or PostgreSQL URL (set by ``uncounted serve --db``).
``UNCOUNTED_SECRET_KEY``
    Signs sessions and CSRF tokens; ``uncounted serve`` supplies one from a private key
    file when it is not set (see :mod:`uncounted.web.secret`).
``UNCOUNTED_ALLOWED_HOSTS``
    Comma-separated host names the site answers to, besides the loopback names.
``UNCOUNTED_HTTPS``
    ``1`` when the site is served over HTTPS (behind a proxy): cookies become secure, HSTS
    is sent and plain-HTTP requests are redirected.
``UNCOUNTED_REQUIRE_2FA``
    ``1`` makes a second factor (a TOTP authenticator app) compulsory for every account.
``UNCOUNTED_MAX_UPLOAD_MB``
    Largest import upload accepted, in megabytes (default 20).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from uncounted.store.settings import (  # noqa: F401  (re-exported as settings)
    DATABASES,
    DEFAULT_AUTO_FIELD,
    LOGGING,
    SECRET_KEY,
    TIME_ZONE,
    USE_TZ,
)
from uncounted.store.settings import INSTALLED_APPS as _STORE_APPS

HERE = Path(__file__).resolve().parent

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"] + [
    h.strip() for h in os.environ.get("UNCOUNTED_ALLOWED_HOSTS", "").split(",") if h.strip()
]
INSTALLED_APPS = [
    *_STORE_APPS,
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "uncounted.web.apps.WebConfig",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "uncounted.web.actor.ActorMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "uncounted.web.twofactor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "uncounted.web.headers.SecurityHeadersMiddleware",
    "uncounted.web.api_errors.ApiErrorMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]
ROOT_URLCONF = "uncounted.web.urls"
WSGI_APPLICATION = "uncounted.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "uncounted.web.context.role_context",
            ],
        },
    }
]

# Sign-in: Django's own views and form fields (username, password).
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
# Argon2id first; hashes made by the other hashers still verify and are re-hashed with
# Argon2 at the user's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# django-axes counts failed sign-ins per user name and address pair and refuses that pair
# for a cool-off once the limit is reached; a success clears its count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "uncounted.web.signin.locked_out"
AXES_CLIENT_IP_CALLABLE = "uncounted.web.signin.client_ip"
UNCOUNTED_PROXY_IPS = frozenset(
    ip.strip()
    for ip in os.environ.get("UNCOUNTED_FORWARDED_ALLOW_IPS", "127.0.0.1").split(",")
    if ip.strip()
)
# Keep no record of successful sign-ins, and log a failure by user name only (no address,
# no browser string); stored attempts never hold the password or the CSRF token.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_CLIENT_STR_CALLABLE = "uncounted.web.signin.client_str"
AXES_SENSITIVE_PARAMETERS = ["password", "csrfmiddlewaretoken", "otp_token"]
AXES_ENABLE_ADMIN = False
# The second factor: TOTP codes from an authenticator app (django-otp).
UNCOUNTED_REQUIRE_2FA = os.environ.get("UNCOUNTED_REQUIRE_2FA") == "1"
OTP_TOTP_ISSUER = "uncounted"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60
_HTTPS = os.environ.get("UNCOUNTED_HTTPS") == "1"
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
LANGUAGE_COOKIE_SECURE = _HTTPS
CSRF_FAILURE_VIEW = "uncounted.web.views.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if _HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Allows (does not request) listing in browsers' preload lists; see docs/deploy.md.
    SECURE_HSTS_PRELOAD = True

# Korean and English; the browser's Accept-Language decides until the user switches.
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [HERE / "locale"]
LANGUAGE_COOKIE_NAME = "uncounted_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("UNCOUNTED_STATIC_ROOT") or None

# Uploaded files wait here between "check" and "confirm" of an import.
UPLOAD_DIR = os.environ.get("UNCOUNTED_UPLOAD_DIR", "")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The whole import upload (all its files) may not exceed this; the limit is enforced while
# the request body is read, so an oversize upload never reaches the disk in full.
UNCOUNTED_MAX_UPLOAD_BYTES = int(float(os.environ.get("UNCOUNTED_MAX_UPLOAD_MB", "20")) * 1024**2)
FILE_UPLOAD_HANDLERS = [
    "uncounted.web.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Django logs a request by its path only (never the query string, which may hold search
# text). 4xx answers are routine and not logged; server errors go to standard error with
# their traceback so an operator can act on them.
_BASE_LOGGING: dict[str, Any] = LOGGING
LOGGING = {
    **_BASE_LOGGING,
    "handlers": {
        **_BASE_LOGGING["handlers"],
        "errors": {"class": "logging.StreamHandler", "level": "ERROR"},
    },
    "loggers": {
        **_BASE_LOGGING["loggers"],
        "django.request": {"handlers": ["errors"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["errors"], "level": "ERROR", "propagate": False},
    },
}
