"""Settings for lokalkomp: one file, configured from the environment.

Every value a deployment may change is read through the small helpers below, so
`.env.example` lists the whole surface.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines from .env without overriding the real environment."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _sep, value = line.partition("=")
            os.environ.setdefault(key.strip(), value.strip().strip("'\""))


_load_dotenv(BASE_DIR / ".env")


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The fallback key only serves a local checkout: production (the WSGI server with DEBUG off) refuses to
# start on it, and so does check --deploy (lokalkomp/production.py).
FALLBACK_SECRET_KEY = "insecure-local-development-key-change-me"  # noqa: S105
SECRET_KEY = env("SECRET_KEY") or FALLBACK_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "lokalkomp.views.csrf_failure"  # our page, in the user's language, with what to do

# Reference data (the municipality register, the seed documents) lives beside the
# checkout in shared/; production loads the official register the same way.
SHARED_DIR = Path(env("LOKALKOMP_SHARED_DIR", str(BASE_DIR.parent / "shared")))

# Uploaded needs report forms (needs/importer): the file, and a Word file's unpacked contents.
IMPORT_MAX_UPLOAD_BYTES = int(env("IMPORT_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
IMPORT_MAX_UNPACKED_BYTES = int(env("IMPORT_MAX_UNPACKED_BYTES", str(30 * 1024 * 1024)))
IMPORT_MAX_ZIP_ENTRIES = int(env("IMPORT_MAX_ZIP_ENTRIES", "1000"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "template_partials",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks",
    "django_tasks_db",
    "lokalkomp.accounts",
    "lokalkomp.directory",
    "lokalkomp.schemes",
    "lokalkomp.gatherings",
    "lokalkomp.needs",
    "lokalkomp.allocation",
    "lokalkomp.reporting",
    "lokalkomp.notifications",
    "lokalkomp.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lokalkomp.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lokalkomp.accounts.middleware.RequireTwoFactorMiddleware",
    "lokalkomp.middleware.PrivateNoStoreMiddleware",
]

ROOT_URLCONF = "lokalkomp.urls"
WSGI_APPLICATION = "lokalkomp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lokalkomp" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["lokalkomp.templatetags.nor", "lokalkomp.templatetags.site"],
        },
    },
]

(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'lokalkomp.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool("DATABASE_JIT", False):
    # PostgreSQL's JIT makes the export and list queries slower here, never faster (see bench/README.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict[str, object]:
    """CACHE_URL -> a CACHES entry: redis://host:port/db, db://table (the database cache), or locmem://.

    allauth counts failed sign-ins and used TOTP codes in the cache, so production needs one cache that
    every worker process shares (Redis or the database); locmem is per process, for development and tests.
    """
    from django.core.exceptions import ImproperlyConfigured

    scheme, _sep, rest = url.partition("://")
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest or "lokalkomp_cache"}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest or "lokalkomp"}
    raise ImproperlyConfigured(f"CACHE_URL must start with redis://, db:// or locmem://, not {url!r}.")


CACHES = {"default": cache_from_url(env("CACHE_URL", "locmem://"))}
# Sessions are read from the cache when every process shares it (Redis): one query less per request,
# and writes still go to the database. A per-process cache would keep a signed-out session alive in
# the other workers, and the database cache would save nothing, so there they stay in the database.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    else "django.contrib.sessions.backends.db"
)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # allauth's sign-in by e-mail, with verified addresses only; it is a ModelBackend for permissions too.
    # (Django's own ModelBackend would sign in with any address put on the account, verified or not.)
    "lokalkomp.accounts.adapter.VerifiedEmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
# Accounts are created by invitation, never by open sign-up.
ACCOUNT_ADAPTER = "lokalkomp.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "lokalkomp.accounts.adapter.SocialAccountAdapter"
# An added address must not be another account's; it is sent a link, and counts once confirmed.
ACCOUNT_FORMS = {"add_email": "lokalkomp.accounts.adapter.OwnAddressForm"}
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_FAILED_LIMIT", "10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_REAUTHENTICATION_TIMEOUT = int(env("REAUTHENTICATION_TIMEOUT", "300"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "lokalkomp"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False


def _oidc_apps() -> list[dict[str, object]]:
    """ID-porten, Feide and Entra ID (or any OpenID Connect provider), each on when its client id is set."""
    apps: list[dict[str, object]] = []
    for provider_id, name in (("idporten", "ID-porten"), ("feide", "Feide"), ("entra", "Microsoft Entra ID")):
        prefix = f"OIDC_{provider_id.upper()}_"
        if env(prefix + "CLIENT_ID"):
            apps.append(
                {
                    "provider_id": provider_id,
                    "name": name,
                    "client_id": env(prefix + "CLIENT_ID"),
                    "secret": env(prefix + "SECRET"),
                    "settings": {
                        "server_url": env(prefix + "SERVER_URL"),
                        "token_auth_method": env(prefix + "TOKEN_AUTH", "client_secret_post"),
                        "oauth_pkce_enabled": True,
                    },
                }
            )
    return apps


SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": _oidc_apps(), "OAUTH_PKCE_ENABLED": True}}

TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"), "QUEUES": ["default"]}}

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "lokalkomp" / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "lokalkomp" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names need `collectstatic` first: production turns it on.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "30"))
# The site's public address, for links in e-mail (never the request's host); check --deploy wants it set.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where people write about the service: the footer, the accessibility statement, the privacy page.
CONTACT_EMAIL = env("CONTACT_EMAIL", "kontakt@lokalkomp.test")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "lokalkomp <noreply@lokalkomp.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Production hardening. TLS is usually ended at the load balancer, which also
# redirects plain HTTP; set SECURE_SSL_REDIRECT=true where the app must do it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))

# Content-Security-Policy (django-csp): scripts only from our own static files, never inline
# (htmx runs with allowEval off, see base.html). Inline style attributes remain in a few
# templates (allauth layouts, the cycle), so styles may be inline; scripts may not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
