"""Settings, read from environment variables so one build runs anywhere."""
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

from app.core.limits import DEFAULTS as RATE_LIMITS

BASE_DIR = Path(__file__).resolve().parent.parent
# Accepted only with APP_ENV=development: anyone who knows it could forge sessions and signed links.
DEVELOPMENT_SECRET_KEY = "dev-only-change-me"

DEFAULT_NEIGHBOURHOODS = [
    {"code": "north-west", "name": "North-West", "outward_codes": ["NW3", "NW6"]},
    {"code": "kentish-town", "name": "Kentish Town", "outward_codes": ["NW5", "N19"]},
    {"code": "south", "name": "South", "outward_codes": ["NW1", "WC1"]},
]


def _bool(value, default=False):
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(value, default):
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


class Config:
    def __init__(self, environ=None):
        env = os.environ if environ is None else environ
        instance = Path(env.get("INSTANCE_PATH", BASE_DIR / "instance"))
        self.INSTANCE_PATH = str(instance)
        # Production unless the environment says otherwise: a forgotten setting must fail safe.
        self.APP_ENV = (env.get("APP_ENV") or "production").strip().lower()
        development = self.APP_ENV == "development"
        self.SECRET_KEY = env.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY if development else "")
        self.SQLALCHEMY_DATABASE_URI = _database_url(
            env.get("DATABASE_URL", f"sqlite:///{instance / 'hidden_gems.sqlite'}")
        )
        # A server can drop an idle connection, so check it before use; a SQLite file has no server, and the check
        # was one more statement on every request.
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": not self.SQLALCHEMY_DATABASE_URI.startswith("sqlite")}
        self.SEARCH_INDEX_DIR = env.get("SEARCH_INDEX_DIR", str(instance / "search_index"))
        self.MAIL_SERVER = env.get("MAIL_SERVER", "127.0.0.1")
        self.MAIL_PORT = int(env.get("MAIL_PORT", "1025"))
        self.MAIL_USE_TLS = _bool(env.get("MAIL_USE_TLS"))
        self.MAIL_USERNAME = env.get("MAIL_USERNAME")
        self.MAIL_PASSWORD = env.get("MAIL_PASSWORD")
        # Seconds to wait on the mail server: briefly while someone waits for a page, longer in `flask outbox send`.
        self.MAIL_REQUEST_TIMEOUT = float(env.get("MAIL_REQUEST_TIMEOUT", "3"))
        self.MAIL_TIMEOUT = float(env.get("MAIL_TIMEOUT", "10"))
        # A page's own mail goes out after the page is delivered; off only where responses are never closed
        # (the test client), which then sends before answering.
        self.MAIL_SEND_AFTER_RESPONSE = _bool(env.get("MAIL_SEND_AFTER_RESPONSE"), default=True)
        self.MAIL_DEFAULT_SENDER = env.get("MAIL_DEFAULT_SENDER", "Hidden Gems <no-reply@hidden-gems.example>")
        self.LANGUAGES = _list(env.get("LANGUAGES"), ["en", "ar", "bn", "so", "es", "pt", "pl"])
        self.BABEL_DEFAULT_LOCALE = env.get("DEFAULT_LANGUAGE", "en")
        self.BABEL_DEFAULT_TIMEZONE = env.get("BOROUGH_TIMEZONE", "Europe/London")
        self.BABEL_TRANSLATION_DIRECTORIES = env.get("TRANSLATIONS_DIR", str(BASE_DIR / "translations"))
        # A language appears in the switcher once this share of its strings is translated.
        self.LANGUAGE_THRESHOLD = int(env.get("LANGUAGE_THRESHOLD", "80"))
        self.BOROUGH_NAME = env.get("BOROUGH_NAME", "Camden")
        # Shown on the contact page and the privacy notice: placeholders in development only, production needs
        # the service's real ones (production_problems).
        self.CONTACT_PHONE = env.get("CONTACT_PHONE", "020 7946 0000" if development else "").strip()
        self.CONTACT_EMAIL = env.get("CONTACT_EMAIL", "hello@hidden-gems.example" if development else "").strip()
        self.DATA_PROTECTION_EMAIL = env.get("DATA_PROTECTION_EMAIL",
                                             "dpo@hidden-gems.example" if development else "").strip()
        # Every link in an e-mail starts with this, never with the request's Host header (which anyone can set).
        self.SITE_URL = env.get("SITE_URL", "http://127.0.0.1:5000" if development else "").strip().rstrip("/")
        # Requests for any other host get a 400: Flask checks TRUSTED_HOSTS before routing.
        self.TRUSTED_HOSTS = _list(env.get("TRUSTED_HOSTS"), _default_hosts(self.SITE_URL, development))
        # The open API (/api/v1/): the licence its data is published under, and the most items a page may hold.
        self.API_DATA_LICENCE = env.get("API_DATA_LICENCE", "Open Government Licence v3.0")
        self.API_DATA_LICENCE_URL = env.get(
            "API_DATA_LICENCE_URL", "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
        self.API_MAX_PER_PAGE = int(env.get("API_MAX_PER_PAGE", "100"))
        self.API_STATE_PROVINCE = env.get("API_STATE_PROVINCE", "Greater London")
        self.NEIGHBOURHOODS = json.loads(env["NEIGHBOURHOODS"]) if env.get("NEIGHBOURHOODS") else DEFAULT_NEIGHBOURHOODS
        self.PERSONAL_DATA_KEYS = env.get("PERSONAL_DATA_KEYS", "")
        self.REFERRAL_RETENTION_MONTHS = int(env.get("REFERRAL_RETENTION_MONTHS", "24"))
        self.REFERRAL_OVERDUE_DAYS = int(env.get("REFERRAL_OVERDUE_DAYS", "14"))
        # Open referrals with no activity for this long are deleted too; SPA staff are warned this many days before.
        self.OPEN_REFERRAL_RETENTION_MONTHS = int(env.get("OPEN_REFERRAL_RETENTION_MONTHS", "24"))
        self.OPEN_REFERRAL_WARNING_DAYS = int(env.get("OPEN_REFERRAL_WARNING_DAYS", "30"))
        # Unsent referral answers are deleted after this long without activity (shared computers).
        self.REFERRAL_DRAFT_IDLE_MINUTES = int(env.get("REFERRAL_DRAFT_IDLE_MINUTES", "30"))
        # "Save and come back later": the e-mailed link works once, for this many days; then the draft is deleted.
        self.REFERRAL_SAVED_DRAFT_DAYS = int(env.get("REFERRAL_SAVED_DRAFT_DAYS", "7"))
        # A referral sent sooner than this after Start is a script's: nobody reads and answers every page faster.
        self.REFERRAL_MIN_SECONDS = int(env.get("REFERRAL_MIN_SECONDS", "20"))
        # Not-safe referrals e-mail this address at once (reference and link only, nothing personal).
        self.SPA_DUTY_EMAIL = env.get("SPA_DUTY_EMAIL", "spa-duty@hidden-gems.example" if development else "").strip()
        # When the SPA team reads referrals: "mon-fri 09:00-17:00", parts joined by ";" ("sat 10:00-13:00").
        self.SPA_OPENING_HOURS = env.get("SPA_OPENING_HOURS", "mon-fri 09:00-17:00")
        # Days the team is closed: a JSON list of ISO dates (England and Wales bank holidays by default).
        self.SPA_CLOSED_DAYS_FILE = env.get("SPA_CLOSED_DAYS_FILE", str(BASE_DIR / "app" / "selfreferral" / "data"
                                                                         / "bank_holidays.json"))
        # Where under-16s are pointed: the borough's children and young people's services.
        self.CHILDREN_SERVICES_NAME = env.get("CHILDREN_SERVICES_NAME", "")  # empty: a translated general name
        self.CHILDREN_SERVICES_PHONE = env.get("CHILDREN_SERVICES_PHONE",
                                               "020 7946 0321" if development else "").strip()
        self.CHILDREN_SERVICES_URL = env.get("CHILDREN_SERVICES_URL", "https://www.nhs.uk/mental-health/children-and-"
                                                                        "young-adults/")
        # "Could not contact" needs unanswered attempts on this many different days, not three in one minute.
        self.SPA_CONTACT_ATTEMPT_DAYS = int(env.get("SPA_CONTACT_ATTEMPT_DAYS", "3"))
        # Inbox search decrypts at most this many referrals, newest first (see selfreferral/inbox_search.py).
        self.SPA_SEARCH_MAX_SCAN = int(env.get("SPA_SEARCH_MAX_SCAN", "5000"))
        self.SPA_TEAMS = _list(env.get("SPA_TEAMS"), ["North-West core team", "Kentish Town core team",
                                                      "South core team", "Psychology", "Community befriending"])
        # Share of the borough's adults by ONS 2021 high-level ethnic group (percent), for the equality report.
        self.POPULATION_ETHNICITY = json.loads(env["POPULATION_ETHNICITY"]) if env.get("POPULATION_ETHNICITY") else {
            "asian": 16.1, "black": 9.0, "mixed": 5.6, "white": 59.5, "other": 9.8}
        # Scheduled work (`flask jobs run`), in the borough's local time: "every 30s", "daily 03:00", "mon 09:00".
        self.JOBS_SEND_MAIL = env.get("JOBS_SEND_MAIL", "every 30s")
        self.JOBS_PURGE = env.get("JOBS_PURGE", "daily 03:00")
        self.JOBS_REMIND = env.get("JOBS_REMIND", "mon 09:00")
        self.JOBS_KEEP_RUNS_DAYS = int(env.get("JOBS_KEEP_RUNS_DAYS", "30"))
        # /healthz says "degraded" when mail has waited longer than this, or the last purge is older.
        self.HEALTH_MAIL_WAIT_MINUTES = int(env.get("HEALTH_MAIL_WAIT_MINUTES", "10"))
        self.HEALTH_PURGE_AGE_HOURS = int(env.get("HEALTH_PURGE_AGE_HOURS", "48"))
        # Public pages kept in each worker's memory for anonymous visitors (app/core/pagecache.py).
        self.PAGE_CACHE = _bool(env.get("PAGE_CACHE"), default=True)
        self.STALE_AFTER_MONTHS = int(env.get("STALE_AFTER_MONTHS", "6"))
        self.OUT_OF_DATE_AFTER_MONTHS = int(env.get("OUT_OF_DATE_AFTER_MONTHS", "12"))
        self.RATELIMIT_STORAGE_URI = env.get("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_KEY_PREFIX = env.get("RATELIMIT_KEY_PREFIX", "hidden-gems")
        # Reverse proxies in front of the site: their X-Forwarded-For gives each client's own address. 0 (none)
        # ignores the header, which anyone could otherwise forge.
        self.PROXY_COUNT = int(env.get("PROXY_COUNT", "0"))
        # Redis down: count in this process meanwhile rather than answer with an error page.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_SWALLOW_ERRORS = True
        for name, default in RATE_LIMITS.items():
            setattr(self, name, env.get(name, default))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool(env.get("SESSION_COOKIE_SECURE")) if development else True
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.PERMANENT_SESSION_LIFETIME = int(env.get("SESSION_LIFETIME_SECONDS", str(8 * 3600)))
        self.WTF_CSRF_TIME_LIMIT = None  # a slow form-filler must not lose their answers
        self.MAX_CONTENT_LENGTH = 5 * 1024 * 1024
        # argon2id cost (argon2-cffi's defaults, RFC 9106): passes, and memory in KiB. Tests lower them.
        self.PASSWORD_HASH_TIME_COST = int(env.get("PASSWORD_HASH_TIME_COST", "3"))
        self.PASSWORD_HASH_MEMORY_COST = int(env.get("PASSWORD_HASH_MEMORY_COST", "65536"))

    def as_dict(self):
        return {key: value for key, value in vars(self).items() if key.isupper()}


PRODUCTION_CONTACTS = [
    ("SPA_DUTY_EMAIL", "the duty inbox that not-safe referrals alert at once"),
    ("CHILDREN_SERVICES_PHONE", "the number under-16s are given"),
    ("CONTACT_PHONE", "the service's phone number on the contact page"),
    ("CONTACT_EMAIL", "the service's e-mail address on the contact page"),
    ("DATA_PROTECTION_EMAIL", "where people ask about their data, in the privacy notice"),
]


def production_problems(config):
    """What stops these settings being safe in production, as one line (empty when nothing does)."""
    if config.get("APP_ENV") == "development":
        return ""
    missing = []
    if not config.get("SECRET_KEY") or config["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY:
        missing.append("SECRET_KEY (a long random value, not the development default)")
    if not config.get("PERSONAL_DATA_KEYS"):
        missing.append("PERSONAL_DATA_KEYS (Fernet keys that encrypt referrals)")
    if not _site_host(config.get("SITE_URL")):
        missing.append("SITE_URL (the site's public address, like https://hidden-gems.example.org)")
    if (config.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory://"):
        # Each worker would count apart, and a restart would forget every count.
        missing.append("RATELIMIT_STORAGE_URI (shared storage for the rate limits, like redis://127.0.0.1:6379/0)")
    # What people are told to do, or where an alert goes: a placeholder here would mislead someone who needs help.
    for name, what in PRODUCTION_CONTACTS:
        if not config.get(name):
            missing.append(f"{name} ({what})")
    if not missing:
        return ""
    return ("Hidden Gems will not start in production without " + " and ".join(missing)
            + f". Set {'them' if len(missing) > 1 else 'it'}, or set APP_ENV=development on a developer's machine.")


def _site_host(site_url):
    parts = urlsplit(site_url or "")
    return parts.hostname if parts.scheme in ("http", "https") else None


def _default_hosts(site_url, development):
    hosts = [_site_host(site_url)] if _site_host(site_url) else []
    return hosts + (["localhost", "127.0.0.1"] if development else [])


def _database_url(url):
    # psycopg 3 is the installed driver; accept the common postgres:// spellings.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
