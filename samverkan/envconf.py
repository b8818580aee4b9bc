"""Reading deployment settings from the environment.

Every helper raises ``ImproperlyConfigured`` with a one-line explanation when a value is malformed, so a
bad deployment stops at start-up instead of failing later.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on", "ja"}
FALSE_WORDS = {"0", "false", "no", "off", "nej", ""}


def load_dotenv(path: Path) -> None:
    """Put KEY=VALUE lines from ``path`` into os.environ without overriding what is already set."""
    if not path.is_file():
        return
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ImproperlyConfigured(f"{path.name} rad {number}: väntade NAMN=värde, fick {raw!r}")
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} ska vara true eller false, inte {value!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} ska vara ett heltal, inte {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} ska vara minst {minimum}, inte {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


RATE_PERIODS = {"s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(value: str, *, name: str = "rate") -> tuple[int, int]:
    """Turn ``120/min`` (or ``10/s``, ``1000/hour``, ``5000/day``) into (requests, seconds)."""
    count, sep, period = value.strip().partition("/")
    seconds = RATE_PERIODS.get(period.strip().lower())
    try:
        requests = int(count)
    except ValueError:
        requests = 0
    if not sep or seconds is None or requests < 1:
        raise ImproperlyConfigured(
            f"{name} ska vara antal/period, t.ex. 120/min (s, min, hour, day), inte {value!r}"
        )
    return requests, seconds


def env_rate(name: str, default: str) -> str:
    """A rate such as ``120/min``, checked at start-up."""
    value = env_str(name, default) or default
    parse_rate(value, name=name)
    return value


def parse_database_url(url: str, *, name: str = "DATABASE_URL") -> dict:
    """Turn ``postgres://user:password@host:port/dbname?option=value`` into a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"{name} måste börja med postgres:// (Samverkan kör bara på PostgreSQL), "
            f"fick {parts.scheme or 'ingen'}://"
        )
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname or "/" in dbname:
        raise ImproperlyConfigured(f"{name} saknar databasnamn (postgres://värd:port/databas)")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name} har ett ogiltigt portnummer") from None
    options = dict(parse_qsl(parts.query))
    host = options.pop("host", None) or unquote(parts.hostname or "")
    if not host:
        raise ImproperlyConfigured(f"{name} saknar värd (postgres://värd:port/databas)")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": dbname,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(port or ""),
        "OPTIONS": options,
    }
