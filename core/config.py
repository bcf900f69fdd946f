"""Configuration: safe defaults (SQLite and a generated secret in the instance folder), overridden by the environment."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

MEGABYTE = 1024 * 1024


class ConfigError(RuntimeError):
    """The configuration cannot be used (for example production without SECRET_KEY)."""


def database_url(raw: str | None, instance_path: str) -> str:
    """Return a SQLAlchemy URL; plain postgres URLs are pointed at psycopg 3."""
    if not raw:
        return "sqlite:///" + os.path.join(instance_path, "chapterhouse.db")
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def make_instance_private(instance_path: str, database_uri: str) -> None:
    """The instance folder holds the database, keys, mail and uploads: 700 for the folder, and every file
    this process creates 600 (umask), so no other account on the machine can read them."""
    os.umask(0o077)
    os.makedirs(instance_path, mode=0o700, exist_ok=True)
    os.chmod(instance_path, 0o700)
    if database_uri.startswith("sqlite:///"):
        database = Path(database_uri.removeprefix("sqlite:///"))
        if database.exists() and database.resolve().is_relative_to(Path(instance_path).resolve()):
            database.chmod(0o600)


def instance_secret_key(path: str | Path) -> str:
    """Read the secret key kept in the instance folder (`path`), creating it (mode 600) on first use."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def engine_options(environ) -> dict:
    """SQLAlchemy's pool per process: DATABASE_POOL_SIZE connections kept, DATABASE_MAX_OVERFLOW more at peaks
    (SQLAlchemy's 5 and 10 when unset). A sync gunicorn worker or a job uses at most two at a time."""
    options: dict = {"pool_pre_ping": True}
    if environ.get("DATABASE_POOL_SIZE"):
        options["pool_size"] = int(environ["DATABASE_POOL_SIZE"])
    if environ.get("DATABASE_MAX_OVERFLOW"):
        options["max_overflow"] = int(environ["DATABASE_MAX_OVERFLOW"])
    return options


def load(instance_path: str, environ: os._Environ | dict = os.environ) -> dict:
    """Build the configuration from the environment; refuse to run production without an explicit secret."""
    production = environ.get("CHAPTERHOUSE_ENV", "development") == "production"
    secret = environ.get("SECRET_KEY")
    if production and not secret:
        raise ConfigError("SECRET_KEY must be set when CHAPTERHOUSE_ENV=production.")
    base_url = environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    if production and not base_url.startswith("https://"):
        # Every credential is signed with ids built from BASE_URL, forever: they must name the public site.
        raise ConfigError("BASE_URL must be the site's public https address when CHAPTERHOUSE_ENV=production.")
    redis_url = environ.get("REDIS_URL") or None
    secret_key_file = environ.get("SECRET_KEY_FILE") or os.path.join(instance_path, "secret_key")
    return {
        "PRODUCTION": production,
        "SECRET_KEY": secret or instance_secret_key(secret_key_file),
        "SECRET_KEY_FILE": secret_key_file,
        "SQLALCHEMY_DATABASE_URI": database_url(environ.get("DATABASE_URL"), instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(environ),
        "REDIS_URL": redis_url,
        # Stylesheets and scripts are compressed (Bootstrap's CSS: 230 KB, 30 KB in Brotli), pages and JSON are
        # not: a compressed page holding a CSRF token next to reflected input is open to BREACH.
        "COMPRESS_MIMETYPES": ["text/css", "text/javascript", "application/javascript", "image/svg+xml"],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_REGISTER": False,  # app.py compresses those types only, so other answers do not vary on it
        "MAX_CONTENT_LENGTH": int(environ.get("MAX_CONTENT_LENGTH", 12 * MEGABYTE)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        # "Keep me signed in" is accounts/sessions.py's own hashed token; Flask-Login's cookie (a user id and
        # an HMAC, valid after sign-out) is given a name that is never set, so it is never read either.
        "REMEMBER_COOKIE_NAME": "flask_login_remember_unused",
        "REMEMBER_DAYS": int(environ.get("REMEMBER_DAYS", 30)),
        # A form's CSRF token lasts a working day; signing in starts a new session and so a new token.
        "WTF_CSRF_TIME_LIMIT": int(environ.get("WTF_CSRF_TIME_LIMIT", 8 * 3600)),
        "BOOTSTRAP_SERVE_LOCAL": True,
        "BABEL_DEFAULT_LOCALE": "en",
        "LANGUAGES": {"en": "English", "fr": "Français"},
        "RATELIMIT_STORAGE_URI": redis_url or "inline-memory://",  # core/ratelimit.py
        # Whole public pages kept for visitors (core/page_cache.py); entries are checked against the database on
        # every hit, so the timeout only bounds memory. Per worker by default; CACHE_TYPE=RedisCache shares them.
        "PAGE_CACHE": environ.get("PAGE_CACHE", "on") != "off",
        "CACHE_TYPE": environ.get("CACHE_TYPE", "SimpleCache"),
        "CACHE_REDIS_URL": environ.get("CACHE_REDIS_URL") or redis_url,
        "CACHE_THRESHOLD": int(environ.get("CACHE_THRESHOLD", 500)),
        # Set per release when the page cache is shared (RedisCache): pages rendered by the old templates are
        # then never served by the new code.
        "CACHE_KEY_PREFIX": environ.get("CACHE_KEY_PREFIX") or "flask_cache_",
        "CACHE_DEFAULT_TIMEOUT": int(environ.get("CACHE_DEFAULT_TIMEOUT", 3600)),
        "LOGIN_RATE_LIMIT": environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_ACCOUNT_RATE_LIMIT": environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "20 per hour"),
        "REGISTER_RATE_LIMIT": environ.get("REGISTER_RATE_LIMIT", "10 per hour"),
        "INVITATION_RATE_LIMIT": environ.get("INVITATION_RATE_LIMIT", "30 per hour"),
        "TWO_FACTOR_RATE_LIMIT": environ.get("TWO_FACTOR_RATE_LIMIT", "5 per minute"),  # codes tried per account
        # Messages a member posts in conversations (conversations/views.py), across all threads.
        "MESSAGE_RATE_LIMIT": environ.get("MESSAGE_RATE_LIMIT", "10 per minute;60 per hour"),
        # Calls to /api/ per personal access token, or per address without one (api/auth.py).
        "API_RATE_LIMIT": environ.get("API_RATE_LIMIT", "300 per minute"),
        # Password reset requests per client and per address, and "send the verification link again" per member.
        "RESET_RATE_LIMIT": environ.get("RESET_RATE_LIMIT", "10 per hour"),
        "RESET_ACCOUNT_RATE_LIMIT": environ.get("RESET_ACCOUNT_RATE_LIMIT", "3 per hour"),
        "VERIFY_RESEND_RATE_LIMIT": environ.get("VERIFY_RESEND_RATE_LIMIT", "3 per hour"),
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted: 0 unless one is really
        # there, or anyone can pick the client address that rate limits count by.
        "PROXY_COUNT": int(environ.get("PROXY_COUNT", 0)),
        # Background jobs (core/jobs.py): seconds before the sweep hands an unfinished intent over again.
        "REDIS_TIMEOUT": float(environ.get("REDIS_TIMEOUT", 2)),
        "JOBS_SWEEP_AFTER": int(environ.get("JOBS_SWEEP_AFTER", 300)),
        "JOBS_LEASE": int(environ.get("JOBS_LEASE", 900)),
        "JOBS_RETRY_DELAY": int(environ.get("JOBS_RETRY_DELAY", 60)),
        "JOBS_MAX_ATTEMPTS": int(environ.get("JOBS_MAX_ATTEMPTS", 6)),
        # Mail (core/mail.py): without SMTP_HOST, messages are written to instance/mail/ as .eml files.
        "SMTP_HOST": environ.get("SMTP_HOST") or None,
        "SMTP_PORT": int(environ.get("SMTP_PORT", 587)),
        "SMTP_USERNAME": environ.get("SMTP_USERNAME") or None,
        "SMTP_PASSWORD": environ.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": environ.get("SMTP_STARTTLS", "true").lower() in ("1", "true", "yes", "on"),
        "SMTP_TIMEOUT": float(environ.get("SMTP_TIMEOUT", 10)),
        "MAIL_FROM": environ.get("MAIL_FROM", "Chapterhouse <noreply@localhost>"),
        # Uploaded files (core/uploads.py, core/images.py): instance/uploads unless given; shared storage when several
        # machines run the web.
        "UPLOAD_FOLDER": environ.get("UPLOAD_FOLDER") or None,
        "MAIL_FOLDER": environ.get("MAIL_FOLDER") or os.path.join(instance_path, "mail"),
        # The site's public address, for links in emails (jobs have no request to take it from).
        "BASE_URL": base_url,
        "UNSUBSCRIBE_MAX_AGE": int(environ.get("UNSUBSCRIBE_MAX_AGE", 90 * 86400)),
        # Account links sent by email (accounts/tokens.py): seconds each one stays valid.
        "VERIFY_EMAIL_MAX_AGE": int(environ.get("VERIFY_EMAIL_MAX_AGE", 7 * 86400)),
        "PASSWORD_RESET_MAX_AGE": int(environ.get("PASSWORD_RESET_MAX_AGE", 3600)),
        "EMAIL_CHANGE_MAX_AGE": int(environ.get("EMAIL_CHANGE_MAX_AGE", 86400)),
        # Credentials (credentials/keys.py): Ed25519 signing keys as comma-separated secretKeyMultibase
        # values (oldest first), or else a key file in the instance folder created on first use.
        "CREDENTIAL_SIGNING_KEYS": environ.get("CREDENTIAL_SIGNING_KEYS") or None,
        "CREDENTIAL_KEYS_FILE": environ.get("CREDENTIAL_KEYS_FILE") or os.path.join(instance_path,
                                                                                    "credential_keys.json"),
        "CREDENTIAL_ISSUER_NAME": environ.get("CREDENTIAL_ISSUER_NAME", "Chapterhouse"),
        "CREDENTIAL_ISSUER_DESCRIPTION": environ.get(
            "CREDENTIAL_ISSUER_DESCRIPTION", "An open platform on which local chapters of freelancers run "
            "social-impact projects and learn business skills by doing real work together."),
        "CREDENTIAL_ISSUER_EMAIL": environ.get("CREDENTIAL_ISSUER_EMAIL") or None,
        # Entries per revocation status list (credentials/status_list.py); never below 131,072 outside the tests.
        "CREDENTIAL_STATUS_LIST_SIZE": int(environ.get("CREDENTIAL_STATUS_LIST_SIZE", 131_072)),
        # Webhooks (webhooks/): targets resolving to private, loopback or link-local addresses are refused unless
        # this is true (tests and `make run` set it; never in production: it would let members probe the network).
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": environ.get("WEBHOOK_ALLOW_PRIVATE_TARGETS", "false").lower()
        in ("1", "true", "yes", "on"),
        "WEBHOOK_TIMEOUT": float(environ.get("WEBHOOK_TIMEOUT", 5)),  # seconds per delivery attempt
        "WEBHOOK_RETRY_DELAY": int(environ.get("WEBHOOK_RETRY_DELAY", 60)),  # first back-off, doubling
        "WEBHOOK_MAX_ATTEMPTS": int(environ.get("WEBHOOK_MAX_ATTEMPTS", 6)),  # per delivery
        "WEBHOOK_DISABLE_AFTER": int(environ.get("WEBHOOK_DISABLE_AFTER", 15)),  # consecutive failed attempts
        # Open data (opendata/): the daily files of public projects and chapters, and their licence.
        "OPEN_DATA_FOLDER": environ.get("OPEN_DATA_FOLDER") or os.path.join(instance_path, "open-data"),
        "OPEN_DATA_LICENCE": environ.get("OPEN_DATA_LICENCE", "CC BY 4.0"),
        "OPEN_DATA_LICENCE_URL": environ.get("OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"),
        # Backups (core/backup.py): where pg_dump and pg_restore are, when not the newest installed ones.
        "PG_BIN_DIR": environ.get("PG_BIN_DIR") or None,
        # Operations (core/metrics.py): the client addresses (after PROXY_COUNT) that may read /metrics. Who
        # may read metrics is the network's business, not a member permission: it is kept here, not in authz.
        "METRICS_ALLOWED_IPS": [address.strip() for address in environ.get(
            "METRICS_ALLOWED_IPS", "127.0.0.1,::1").split(",") if address.strip()],
        # "json": one JSON object per log line, with the request id (core/logs.py); anything else: plain text.
        "LOG_FORMAT": environ.get("LOG_FORMAT", "text"),
    }


TEST_CONFIG = {
    "TESTING": True,  # CSRF protection stays on, as in production (the tests' client sends tokens)
    "RATELIMIT_STORAGE_URI": "inline-memory://",
    "REDIS_URL": None,
    "SMTP_HOST": None,
    "WEBHOOK_ALLOW_PRIVATE_TARGETS": True,  # the tests' receivers listen on 127.0.0.1
}
