"""Configuration, read from the environment.

Production is the default (`LMS_CONFIG` unset): it requires SECRET_KEY (at least 32 bytes, none
written in this repository), DATABASE_URL and PUBLIC_URL. `make run` picks development: SQLite
in the instance folder and a random key that `flask lms secret-key` wrote there once.
"""
import os
import secrets
from urllib.parse import urlsplit

INSTANCE_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "instance")
SECRET_KEY_FILE = "secret_key"  # in the instance folder: development's key (flask lms secret-key)
MIN_SECRET_KEY_BYTES = 32
TEST_SECRET_KEY = "test-secret-known-to-everyone-who-reads-config-py"
# Every key ever written in this repository is public: production refuses each of them.
PUBLIC_KEYS = frozenset({"dev-only-not-secret", "test-secret", TEST_SECRET_KEY})
DEVELOPMENT_PUBLIC_URL = "http://127.0.0.1:5000"


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_count(name: str, default: int) -> int:
    """A whole number of at least 0 from the environment; anything else stops the start-up."""
    value = os.environ.get(name, str(default)).strip()
    if not value.isdigit():
        raise RuntimeError(f"{name} must be a whole number of at least 0, not {value!r}")
    return int(value)


def _env_list(name: str, default: tuple[str, ...] = ()) -> list[str]:
    """A comma-separated list from the environment, blanks dropped."""
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def _instance_secret_key() -> str | None:
    """Development's key, written once by `flask lms secret-key` (run by `make run`)."""
    try:
        with open(os.path.join(INSTANCE_FOLDER, SECRET_KEY_FILE), encoding="ascii") as file:
            return file.read().strip() or None
    except FileNotFoundError:
        return None


def _database_url(default: str | None) -> str | None:
    url = os.environ.get("DATABASE_URL", default)
    # Heroku-style URLs name the driver `postgres://`; SQLAlchemy wants an explicit driver.
    if url and url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # The address people open, e.g. https://lms.example.org: every link that leaves a request
    # (mails, and anything built without one) starts with it, and only its host (plus
    # EXTRA_TRUSTED_HOSTS) is served: any other Host header is a 400 (Flask's TRUSTED_HOSTS).
    PUBLIC_URL = os.environ.get("PUBLIC_URL")
    EXTRA_TRUSTED_HOSTS = _env_list("EXTRA_TRUSTED_HOSTS")
    # Largest request body anywhere; the evidence upload and the CSV imports allow their own
    # file limit (+64 KiB for the form around it) on their routes only (lms/core/security.py).
    MAX_CONTENT_LENGTH = _env_count("MAX_CONTENT_LENGTH", 1024 * 1024)
    SQLALCHEMY_DATABASE_URI = _database_url(None)  # None: the factory uses instance/lms.sqlite
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    BABEL_DEFAULT_LOCALE = "uk"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("LMS_TIMEZONE", "Europe/Kyiv")
    LANGUAGES = ("uk", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30

    PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", 3600))
    INVITATION_MAX_AGE = int(os.environ.get("INVITATION_MAX_AGE", 7 * 24 * 3600))  # seconds
    # argon2id parameters (RFC 9106 "second recommended option").
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 64 * 1024
    ARGON2_PARALLELISM = 1

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "lms")
    # Sign-in, reset request, reset and invitation acceptance (lms/auth/throttle.py): POSTs per
    # flow, per account (known or not) and per client address; `limits` syntax, ";" separated.
    # The address limit is higher: a class behind one school NAT signs in at the same minute.
    AUTH_LIMIT_PER_ACCOUNT = os.environ.get("AUTH_LIMIT_PER_ACCOUNT", "5 per minute;30 per hour")
    AUTH_LIMIT_PER_ADDRESS = os.environ.get("AUTH_LIMIT_PER_ADDRESS", "60 per minute;600 per hour")
    # How many proxies in front of the app append to X-Forwarded-For (1 behind one nginx).
    # 0 trusts none: a client could otherwise name its own address and escape the per-address
    # limits; behind a proxy left at 0, every client shares the proxy's address.
    TRUSTED_PROXIES = _env_count("TRUSTED_PROXIES", 0)

    MAIL_SERVER = os.environ.get("MAIL_SERVER")  # unset: mails are written to the log
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 587))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "lms@localhost")

    PER_PAGE = 50
    # Requests per personal access token (Flask-Limiter syntax), shared by all app servers via
    # RATELIMIT_STORAGE_URI.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")
    # Uploaded evidence (PDF, PNG, JPEG) is stored outside the web root, in UPLOAD_FOLDER
    # (default: instance/uploads), under random names.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER")  # None: the factory picks instance/uploads
    EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", 5 * 1024 * 1024))
    # Age bands of the donor report, (low, high) inclusive whole years at the period's end;
    # None as high means "and older". Ages outside every band are reported as "Other ages".
    REPORT_AGE_BANDS = [(10, 14), (15, 19), (20, 24), (25, 29), (30, None)]
    # CSV imports of students and vouchers: larger files are refused with a clear message.
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 2 * 1024 * 1024))
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 5000))


class DevelopmentConfig(Config):
    DEBUG = True
    # Without the key file (a bare `flask --app lms …`), a key for this process only.
    SECRET_KEY = Config.SECRET_KEY or _instance_secret_key() or secrets.token_urlsafe(32)
    PUBLIC_URL = Config.PUBLIC_URL or DEVELOPMENT_PUBLIC_URL
    EXTRA_TRUSTED_HOSTS = _env_list("EXTRA_TRUSTED_HOSTS", ("localhost",))


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = TEST_SECRET_KEY
    # The test client's host; the browser tests' live server listens on 127.0.0.1.
    PUBLIC_URL = "http://localhost"
    EXTRA_TRUSTED_HOSTS = ["127.0.0.1"]
    SQLALCHEMY_DATABASE_URI = _database_url(None)  # conftest sets it per run
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    # Cheap hashing keeps the suite fast; production keeps the strong defaults above.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    @classmethod
    def validate(cls, config) -> None:
        """Refuse to start production without a strong secret, a database and a public URL."""
        key = config.get("SECRET_KEY") or ""
        size = len(key.encode() if isinstance(key, str) else key)
        if size < MIN_SECRET_KEY_BYTES:
            raise RuntimeError(
                f"SECRET_KEY must be set in production, at least {MIN_SECRET_KEY_BYTES} bytes "
                f"(it has {size}); e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(48))'")
        if key in PUBLIC_KEYS:
            raise RuntimeError("SECRET_KEY is a key written in the repository (a development or "
                               "test key): set a random one")
        if not config.get("SQLALCHEMY_DATABASE_URI"):
            raise RuntimeError("DATABASE_URL must be set in production")
        check_public_url(config.get("PUBLIC_URL"))


def check_public_url(url: str | None) -> None:
    """PUBLIC_URL is an absolute http(s) address with a host, without query or fragment."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise RuntimeError(f"PUBLIC_URL must be the site's address, e.g. https://lms.example.org "
                           f"(not {url!r})")


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
