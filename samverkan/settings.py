"""Settings for Samverkan. Every deployment-specific value comes from the environment (see .env.example)."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from samverkan.envconf import (
    env_bool,
    env_int,
    env_list,
    env_rate,
    env_str,
    load_dotenv,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")
# Written by `make run` / `make test` for the project-local cluster (DEBUG and DATABASE_URL), so that plain
# `manage.py` commands work in a development checkout. Read last: the environment and .env win.
load_dotenv(BASE_DIR / "var" / "local.env")

DEBUG = env_bool("DEBUG", False)
DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY") or (DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY måste sättas när DEBUG är av")
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY ska vara minst 50 slumpmässiga tecken i produktion")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS måste sättas när DEBUG är av (kommaseparerade värdnamn)")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL saknas (t.ex. postgres://user:lösen@127.0.0.1:5432/samverkan); "
        "make run och make test startar en lokal PostgreSQL åt dig"
    )
DATABASES = {"default": parse_database_url(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 3))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # runserver without Django's static handler (it answers a path out of /static/ with a 500): WhiteNoise
    # serves static files in development as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "guardian",
    "simple_history",
    "django_htmx",
    "django_tasks_db",
    "samverkan",
    "agreements",
    "governance",
    "deviations",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "signin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # a public page in the cache is served here, before sessions, authentication and the rest
    "samverkan.pagecache.EarlyPublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samverkan.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "signin.twofactor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "samverkan.pagecache.InvalidationMiddleware",
    "samverkan.pagecache.CacheHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # after the CSP middleware: adds identity providers' origins to form-action where a form leads there
    "signin.csp.ProviderFormActionMiddleware",
]

ROOT_URLCONF = "samverkan.urls"
WSGI_APPLICATION = "samverkan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samverkan.context_processors.acting",
            ],
        },
    },
]

# Every backend that checks credentials carries the login throttle (samverkan/login_throttle.py).
AUTHENTICATION_BACKENDS = [
    "samverkan.login_throttle.ThrottledModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; the public is handled in permissions.py
GUARDIAN_RAISE_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: after this many failures for one user name (or one address) within the window,
# further attempts are refused until the window has passed.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60, minimum=1)
# An invitation's link to choose a password works once, for this many days.
INVITE_LINK_DAYS = env_int("INVITE_LINK_DAYS", 7, minimum=1)

# Signing in with the organisation's account (signin/): the portal's SAML2 service provider key pair (PEM
# files; in development a self-signed pair is made under var/saml/), the key that encrypts stored OIDC
# client secrets (SECRET_KEY when empty), how far clocks may differ, and how long a provider may take.
SIGNIN_SAML_KEY_FILE = env_str("SIGNIN_SAML_KEY_FILE", "")
SIGNIN_SAML_CERT_FILE = env_str("SIGNIN_SAML_CERT_FILE", "")
SIGNIN_SECRET_KEY = env_str("SIGNIN_SECRET_KEY", "")
SIGNIN_CLOCK_SKEW_SECONDS = env_int("SIGNIN_CLOCK_SKEW_SECONDS", 60, minimum=0)
SIGNIN_PROVIDER_TIMEOUT_SECONDS = env_int("SIGNIN_PROVIDER_TIMEOUT_SECONDS", 5, minimum=1)
SIGNIN_XMLSEC_BINARY = env_str("SIGNIN_XMLSEC_BINARY", "")
# Superusers and county administrators who log in with the portal's own password give a TOTP code too.
SIGNIN_SECOND_FACTOR_REQUIRED = env_bool("SIGNIN_SECOND_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "Samverkan"

# Open data API (/api/v1/): requests per client address and period, counted in the database so that the
# limit holds across app servers; and how long clients and proxies may reuse a response.
API_RATE_LIMIT = env_rate("API_RATE_LIMIT", "120/min")
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 60)

# Caches (samverkan/pagecache.py): the shared one in PostgreSQL (seen by every app server: the generation of
# each scope of public pages), and each process's memory for the rendered public pages themselves.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "samverkan_cache",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "samverkan-pages",
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 500, minimum=0)},
    },
}
# Seconds a rendered public page is reused at most (changes make it stale at once; this bounds what
# depends on the clock, such as a meeting that has just been held).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 900, minimum=0)
# Seconds each process reuses the generations it read (a cached page then costs no query); a change on
# another app server reaches the anonymous visitors of this one within them. 0: read them every time.
PAGE_GENERATIONS_MEMO_SECONDS = env_int("PAGE_GENERATIONS_MEMO_SECONDS", 1, minimum=0)
# Seconds a balancer or CDN may keep an anonymous public page (Cache-Control: public, max-age); 0: none.
# A change reaches visitors behind such a cache within them.
PUBLIC_PAGE_SHARED_SECONDS = env_int("PUBLIC_PAGE_SHARED_SECONDS", 60, minimum=0)

SESSION_ENGINE = "samverkan.sessions"  # the database store, read with one plain query
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "var" / "media")
# Largest attachment accepted (samverkan.uploads); requests may be a little larger than the file.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Most an office document may unpack to, parts of archives inside it included (also never more than 100
# times its own size); above this it is refused as a possible zip bomb.
UPLOAD_MAX_UNPACKED_BYTES = env_int("UPLOAD_MAX_UNPACKED_BYTES", 50 * 1024 * 1024, minimum=1024 * 1024)
# Uploaded and generated files (attachments, stored PDFs): a local folder (MEDIA_ROOT) by default, shared by
# all app servers (e.g. over NFS); or S3-compatible object storage when STORAGE_S3_BUCKET is set.
STORAGE_S3_BUCKET = env_str("STORAGE_S3_BUCKET", "")
if STORAGE_S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "endpoint_url": env_str("STORAGE_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("STORAGE_S3_REGION", "") or None,
            "access_key": env_str("STORAGE_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("STORAGE_S3_SECRET_ACCESS_KEY", "") or None,
            "location": env_str("STORAGE_S3_PREFIX", ""),
            "default_acl": "private",  # files are served only through the portal's permission checks
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# E-mail: the console in development, SMTP in production (Django 6.1 MAILERS).
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": {}}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": env_int("EMAIL_TIMEOUT", 10, minimum=1),
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Samverkan <noreply@samverkan.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "tillganglighet@samverkan.localhost")

# Security headers. HTTPS settings default on in production and can be relaxed only explicitly.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Background work (PDF rendering of adopted versions, e-mail, the daily jobs) runs through Django's tasks
# framework. In production the tasks are stored in PostgreSQL and run by `manage.py db_worker`
# (django-tasks-db), so no request waits for them; in development the immediate backend runs a task in the
# process that enqueues it, after the transaction commits.
TASKS_BACKEND = env_str(
    "TASKS_BACKEND",
    "django.tasks.backends.immediate.ImmediateBackend" if DEBUG else "django_tasks_db.DatabaseBackend",
)
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # the upload checks open untrusted files; parsers' notes about broken ones are not the portal's errors
        "olevba": {"level": "ERROR"},
        "pypdf": {"level": "ERROR"},
    },
}
