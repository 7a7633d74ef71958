"""The one typed settings object: read once from the environment and `mailroom.toml`.

Every setting can come from the environment (`MAILROOM_` + the name in upper case) or from
`mailroom.toml` in `MAILROOM_HOME`; the environment wins. Nothing else in the code reads
`os.environ`: the settings object is built by the command line and passed down.
"""

from __future__ import annotations

import os
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from mailroom.errors import ConfigError

SECRET_MASK = "***"


class Settings(BaseSettings):
    """What the service needs to know about its surroundings."""

    model_config = SettingsConfigDict(env_prefix="MAILROOM_", extra="ignore", frozen=True)

    home: Path = Path("./var")
    database_url: str = ""
    broker_url: str = ""
    imap_url: str = ""
    smtp_url: str = ""
    maildir: str = ""
    from_address: str = Field(
        "orders@localhost",
        validation_alias=AliasChoices("MAILROOM_FROM", "from", "from_address"),
    )
    company_name: str = "Mailroom Trading Co."

    # What the poller does on the server once a mail's work is durable.
    imap_done_action: Literal["keyword", "move", "none"] = "keyword"
    imap_done_keyword: str = "$MailroomDone"
    imap_done_folder: str = "Mailroom/Done"
    imap_batch_size: int = Field(200, ge=1, le=5000)
    imap_poll_seconds: float = Field(30.0, gt=0)
    imap_idle: bool = True
    imap_timeout_seconds: float = Field(30.0, gt=0)

    worker_threads: int = Field(4, ge=1, le=64)
    max_retries: int = Field(5, ge=0, le=50)
    min_backoff_ms: int = Field(1000, ge=10)
    max_mail_bytes: int = Field(40 * 1024 * 1024, ge=1024)
    parse_timeout_seconds: float = Field(20.0, gt=0)

    # RFC 3834 courtesy: automatic replies per sender per period.
    reply_cap: int = Field(10, ge=1)
    reply_cap_hours: float = Field(3.0, gt=0)
    # How long a step may sit unfinished before the sweep picks it up again.
    stale_minutes: float = Field(10.0, gt=0)
    smtp_retry_seconds: float = Field(60.0, gt=0)

    # The clerks' web page. An empty secret means: generated once, kept in $HOME/web-secret.
    web_secret: str = ""
    web_session_hours: float = Field(12.0, gt=0)
    web_idle_minutes: float = Field(120.0, gt=0)
    # Failed sign-ins allowed per account and per address within the window, then refused.
    web_signin_failures_per_account: int = Field(5, ge=1)
    web_signin_failures_per_address: int = Field(20, ge=1)
    web_signin_window_minutes: float = Field(15.0, gt=0)
    # Mark cookies Secure (set it when the page is served over HTTPS, e.g. behind a proxy).
    web_secure_cookies: bool = False

    # Quotes: how long a quote holds, the margin below which a price is not offered, when
    # an unanswered quote gets its one reminder, and the rates for quotes in other currencies
    # ("USD/EUR" = how many EUR one USD buys).
    company_address: str = ""
    quote_validity_days: int = Field(14, ge=1, le=365)
    quote_min_margin: Decimal = Field(Decimal("0.15"), ge=0, lt=10)
    quote_follow_up_days: float = Field(5.0, gt=0)
    exchange_rates: dict[str, Decimal] = Field(default_factory=dict)

    @field_validator("imap_url")
    @classmethod
    def _imap_scheme(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in ("imap", "imaps"):
            raise ValueError("must start with imap:// or imaps://")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp_scheme(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in ("smtp", "smtps", "smtp+starttls"):
            raise ValueError("must start with smtp://, smtps:// or smtp+starttls://")
        return value

    @field_validator("broker_url")
    @classmethod
    def _broker_scheme(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in ("amqp", "amqps", "redis", "rediss"):
            raise ValueError("must start with amqp:// (RabbitMQ) or redis:// (Redis)")
        return value

    @field_validator("exchange_rates")
    @classmethod
    def _rate_pairs(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        for pair, rate in value.items():
            parts = pair.split("/")
            if len(parts) != 2 or not all(len(p.strip()) == 3 for p in parts):
                raise ValueError(f"{pair!r} is not a currency pair such as USD/EUR")
            if rate <= 0:
                raise ValueError(f"the rate for {pair} must be positive")
        return {pair.replace(" ", "").upper(): rate for pair, rate in value.items()}

    @field_validator("from_address")
    @classmethod
    def _from_is_address(cls, value: str) -> str:
        if "@" not in value or " " in value.strip():
            raise ValueError("must be a plain address such as orders@example.com")
        return value.strip().lower()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        given = getattr(init_settings, "init_kwargs", {}).get("home")
        home = Path(given or os.environ.get("MAILROOM_HOME") or "./var")
        toml = TomlConfigSettingsSource(settings_cls, toml_file=home / "mailroom.toml")
        return (init_settings, env_settings, toml)

    @property
    def db_url(self) -> str:
        """The database URL, defaulting to SQLite inside `home`."""
        return self.database_url or f"sqlite:///{self.home / 'mailroom.db'}"

    @property
    def outbox_dir(self) -> Path:
        return self.home / "outbox"

    @property
    def mail_domain(self) -> str:
        return self.from_address.rsplit("@", 1)[1]


def load_settings(**overrides: Any) -> Settings:
    """Build the settings from the environment and `$MAILROOM_HOME/mailroom.toml`.

    Args:
        overrides: values that win over both (used by tests and the demo).

    Raises:
        ConfigError: a value is wrong or the TOML file cannot be read; the message names it.
    """
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(_describe(err) for err in exc.errors())
        raise ConfigError(f"wrong configuration: {problems}") from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read mailroom.toml: {exc}") from None


def _describe(err: Any) -> str:
    name = str(err["loc"][0]) if err["loc"] else "?"
    name = "FROM" if name in ("from", "from_address", "MAILROOM_FROM") else name.upper()
    return f"MAILROOM_{name.removeprefix('MAILROOM_')}: {err['msg']}"


def redact(url: str) -> str:
    """Show a URL with its password replaced by `***`, for messages and logs."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", f":{SECRET_MASK}@", 1)
    return parts._replace(netloc=netloc).geturl()


def url_credentials(url: str) -> tuple[str, str]:
    """Return the (user, password) of a URL, percent-decoded."""
    parts = urlsplit(url)
    return unquote(parts.username or ""), unquote(parts.password or "")
