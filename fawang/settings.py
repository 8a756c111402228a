"""Settings, read from environment variables (``FAWANG_*``).

Two modes: ``demo`` (the default, for a newcomer's machine: SQLite under ./var, secrets generated
into ./var on first start) and ``production`` (every secret must be given; a missing one stops the
process with a message that names the variable).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"FAWANG_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = env(name)
    if raw == "":
        return default
    return raw.lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = env(name)
    return int(raw) if raw else default


MODE = env("MODE", "demo")
if MODE not in {"demo", "production"}:
    raise ImproperlyConfigured("FAWANG_MODE must be 'demo' or 'production'")
VAR_DIR = Path(env("VAR_DIR", str(Path.cwd() / "var"))).resolve()


def secret(name: str, generated_bytes: int) -> str:
    """Read a secret from FAWANG_<NAME> or the file named by FAWANG_<NAME>_FILE.

    In demo mode a missing secret is generated once into ./var so restarts keep the same keys
    (losing the data key would make every encrypted column unreadable).
    """
    value = env(name)
    if value:
        return value
    path = env(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    if MODE == "production":
        raise ImproperlyConfigured(
            f"FAWANG_{name} or FAWANG_{name}_FILE must be set in production mode"
        )
    generated = VAR_DIR / name.lower()
    if not generated.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        generated.write_text(secrets.token_hex(generated_bytes), encoding="utf-8")
        generated.chmod(0o600)
    return generated.read_text(encoding="utf-8").strip()


SECRET_KEY = secret("SECRET_KEY", 32)
# 32 random bytes, hex: SM4 and the keyed look-up hash are derived from it (fawang.core.personal_data).
DATA_KEY = secret("DATA_KEY", 32)

# The audit trail's MAC key (fawang.audit.keys): derived from the data key unless given.
AUDIT_KEY = env("AUDIT_KEY") or (
    Path(env("AUDIT_KEY_FILE")).read_text(encoding="utf-8").strip() if env("AUDIT_KEY_FILE") else ""
)
# Signed checkpoints of the audit chain, outside the database (fawang.audit.anchors).
AUDIT_ANCHOR_FILE = env("AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchors.log"))

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # Only for its static files: the API docs (Swagger UI) are served by us, not from a CDN.
    "ninja",
    "fawang.core",
    "fawang.audit",
    "fawang.policy",
    "fawang.network",
    "fawang.workorders",
    "fawang.consult",
    "fawang.indicators",
    "fawang.mediation",
    "fawang.legalaid",
    "fawang.notary",
    "fawang.appraisal",
    "fawang.hotline",
    "fawang.advisers",
    "fawang.education",
    "fawang.lawyers",
    "fawang.arbitration",
    "fawang.portal",
    "fawang.console",
    "fawang.api",
]

MIDDLEWARE = [
    # Outermost: every /api/ answer is JSON, and a database saying no is a 503 (docs/api.md).
    "fawang.api.middleware.UniformErrorMiddleware",
    "fawang.core.middleware.GenerationTokensMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "fawang.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fawang.core.replica.RecentWriteMiddleware",
    "fawang.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "fawang.core.middleware.SessionTimeoutMiddleware",
    "fawang.core.middleware.ElderModeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fawang.core.middleware.DomainErrorMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fawang.urls"
WSGI_APPLICATION = "fawang.wsgi.application"

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
                "fawang.core.context_processors.platform",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fawang.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a write transaction takes the lock at BEGIN, so concurrent writers queue instead
    # of failing half-way (the audit chain and claim-next rely on writes being serialised).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # Seconds a request waits for the write lock before it is answered 503.
        "timeout": env_int("SQLITE_TIMEOUT_SECONDS", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A connection PostgreSQL dropped (restart, failover) is replaced at the next request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Reads off the primary (fawang/core/replica.py, docs/operations.md): a PostgreSQL streaming
# replica that dashboards, reports and the public look-up pages may read from.
if env("REPLICA_URL") and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["replica"] = dj_database_url.parse(env("REPLICA_URL"), conn_max_age=60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # A replica that does not answer costs a page at most this long, then the primary serves it.
    DATABASES["replica"]["OPTIONS"] = {"connect_timeout": env_int("REPLICA_CONNECT_TIMEOUT", 2)}
    # The test run creates its databases on the primary; streaming replication brings them over.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["fawang.core.replica.ReplicaRouter"]


def behind_transaction_pooler(database: dict[str, Any]) -> None:
    """One PostgreSQL alias's settings for a pooler in transaction mode (pgbouncer
    ``pool_mode = transaction``): a server connection is ours for one transaction only, so nothing
    may outlive a transaction on it (docs/operations.md, "Connection pooling (pgbouncer)").

    - no server-side cursors: ``.iterator()`` outside a transaction declares a cursor ``WITH
      HOLD`` whose next ``FETCH`` may reach another server ("cursor does not exist");
    - no prepared statements: psycopg would prepare a query after 5 runs on one server and
      execute it on another ("prepared statement _pg3_0 does not exist"); client-side binding;
    - the client connection to the pooler is kept (``CONN_MAX_AGE``): it holds no server
      connection between transactions, and health checks replace one the pooler dropped.
    """
    database["DISABLE_SERVER_SIDE_CURSORS"] = True
    database["OPTIONS"] = {
        **database.get("OPTIONS", {}),
        "prepare_threshold": None,
        "server_side_binding": False,
    }
    database["CONN_MAX_AGE"] = 60
    database["CONN_HEALTH_CHECKS"] = True


# FAWANG_DATABASE_POOLER=pgbouncer: FAWANG_DATABASE_URL (and FAWANG_REPLICA_URL) name a pgbouncer
# in transaction mode (scripts/pgbouncer.sh makes one on port 6432).
DATABASE_POOLER = env("DATABASE_POOLER", "").lower()
if DATABASE_POOLER not in {"", "pgbouncer"}:
    raise ImproperlyConfigured("FAWANG_DATABASE_POOLER must be empty or 'pgbouncer'")
if DATABASE_POOLER:
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("FAWANG_DATABASE_POOLER needs a PostgreSQL FAWANG_DATABASE_URL")
    for _alias in DATABASES:
        behind_transaction_pooler(cast("dict[str, Any]", DATABASES[_alias]))
# Off: every read goes to the primary again, the replica still configured (maintenance, failover).
REPLICA_READS = env_bool("REPLICA_READS", True)
REPLICA_MAX_LAG_SECONDS = float(env("REPLICA_MAX_LAG_SECONDS", "5"))
REPLICA_CHECK_SECONDS = float(env("REPLICA_CHECK_SECONDS", "2"))
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "fawang.core.auth_backends.CitizenPhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "fawang.core.passwords.CharacterClassValidator"},
]
LOGIN_URL = "portal:login"

# Lockout (django-axes): after AXES_FAILURE_LIMIT failed logins for one account the account is
# locked for the cool-off time, whatever address the attempts come from; the security
# administrator can lift it earlier (fawang.core.services.unlock_account).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Locking by address too would let five wrong passwords at one service centre's shared NAT lock
# out every window there; the lockout is per account, TOTP guards staff accounts besides.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "fawang.core.auth_backends.lockout_key"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "phone", "otp_token", "sms_code"]
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

# Sessions: an idle timeout (renewed by each request) and an absolute one (since login).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = MODE == "production" and not env_bool("INSECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Production runs behind the bureau's TLS-terminating proxy, which must set X-Forwarded-Proto
# (docs/operations.md). Health probes come over plain HTTP from the supervisor: never redirected.
if MODE == "production":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = not env_bool("INSECURE_COOKIES")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

OTP_TOTP_ISSUER = env("OTP_ISSUER", "法网 fawang")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves from the finders (no collectstatic step for a newcomer) but wants the root.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

# Jobs (the Tasks API): the database queue by default, run by `fawang worker` (core.worker); or
# FAWANG_TASKS_BACKEND=rq, the broker: RQ on Redis at FAWANG_REDIS_URL (core.broker), run by the
# same `fawang worker`. Either way jobs are queued after the commit (core.jobs.after_commit).
TASKS_BACKEND = env("TASKS_BACKEND", "fawang.core.jobs.DatabaseQueue")
if TASKS_BACKEND.lower() in {"rq", "redis"}:
    TASKS_BACKEND = "fawang.core.broker.RQBackend"
USES_BROKER = TASKS_BACKEND.startswith(("fawang.core.broker.", "django_tasks_rq."))
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
# Read by django-rq: one queue, on FAWANG_REDIS_URL. A job running longer than the lease is
# stopped and, like every failed job, tried again (core.broker.RetryingQueue).
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("JOB_LEASE_SECONDS", 600)}}
RQ = {"QUEUE_CLASS": "fawang.core.broker.RetryingQueue", "COMMIT_MODE": "auto"}
if USES_BROKER:
    # Its system check wants the app; it has no table (three empty migrations).
    INSTALLED_APPS.append("django_rq")


def _next_redis_database(url: str) -> str:
    """The same Redis server, the next database number: clearing the cache (FLUSHDB) then never
    touches the job queue."""
    base, _, number = url.partition("?")[0].rpartition("/")
    following = (int(number) + 1) % 16 if number.isdigit() else 1
    return f"{base}/{following}" if number.isdigit() else f"{url.rstrip('/')}/{following}"


# Per-process memory by default; Redis when FAWANG_CACHE_URL is given, or on the broker's server
# (the next database number) when the broker is selected. Nothing that must hold across processes
# lives in the cache anyway: sessions, the login lockout (django-axes) and failed-guess counts
# (core.throttle) are database rows.
CACHE_URL = env("CACHE_URL") or (_next_redis_database(REDIS_URL) if USES_BROKER else "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "fawang",
    }
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# External systems sit behind small interfaces; the default backends work locally.
# Demo mode keeps the texts in ./var/sms-outbox.jsonl, shown at /demo/sms/ to the person trying it.
SMS_BACKEND = env(
    "SMS_BACKEND",
    "fawang.core.sms.FileSmsBackend" if MODE == "demo" else "fawang.core.sms.LogSmsBackend",
)
SMS_CODE_TTL_SECONDS = env_int("SMS_CODE_TTL_SECONDS", 5 * 60)
SMS_CODE_MAX_ATTEMPTS = 5

# The address citizens reach the portal at (links in SMS messages).
PUBLIC_URL = env("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
EXCHANGE_12345_BACKEND = env(
    "EXCHANGE_12345_BACKEND", "fawang.workorders.exchange.LocalFileExchange"
)
# Where legal aid's letters to the court, procuratorate or police go (法律援助法 第三十六条, 第四十八条):
# the same integration their notices come by (docs/legalaid.md).
LEGALAID_ORGAN_BACKEND = env(
    "LEGALAID_ORGAN_BACKEND", "fawang.legalaid.organs.LocalFileOrganChannel"
)
# Dotted path of a callable (text) -> {topic: probability}; empty turns suggestions off.
WORKORDER_CLASSIFIER = env("WORKORDER_CLASSIFIER", "fawang.consult.engine.suggest_topics")

# Optional LLM drafting of seat replies (off while the URL is empty): any OpenAI-compatible
# chat-completions endpoint, e.g. a model served on the bureau's own network. Questions leave the
# platform when it is on, so point it only at a service the bureau controls.
CONSULT_LLM_URL = env("CONSULT_LLM_URL", "")
CONSULT_LLM_MODEL = env("CONSULT_LLM_MODEL", "")
CONSULT_LLM_API_KEY = env("CONSULT_LLM_API_KEY") or (
    Path(env("CONSULT_LLM_API_KEY_FILE")).read_text(encoding="utf-8").strip()
    if env("CONSULT_LLM_API_KEY_FILE")
    else ""
)
CONSULT_LLM_TIMEOUT_SECONDS = env_int("CONSULT_LLM_TIMEOUT_SECONDS", 30)
# Where the trained topic model is kept (empty: <VAR_DIR>/consult/). A directory several servers
# share — or both database passes of `make test` — has it trained once and read by all; the
# model is retrained only when the package data it was trained on changes.
CONSULT_MODEL_DIR = env("CONSULT_MODEL_DIR", "")

DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The outer bound of an API upload body; each city's pack sets the per-file limit below it.
API_UPLOAD_MAX_BYTES = 50 * 1024 * 1024

# Jobs (fawang.core.worker): a running job whose worker has not finished it within the lease is
# taken again; after this many starts it is marked failed.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 600)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal_data": {"()": "fawang.core.personal_data.MaskPersonalDataFilter"},
        "quiet_refusals": {"()": "fawang.core.logfilters.QuietRefusalsFilter"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_personal_data", "quiet_refusals"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
