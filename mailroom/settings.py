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
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from mailroom.errors import ConfigError
from mailroom.numbering import NumberFormat, NumberFormatError, Numbering

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
    # Processes that work jobs on the embedded default, the service's own included (with a
    # broker URL, scale out with `mailroom worker` instead).
    worker_processes: int = Field(1, ge=1, le=64)
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

    # Shipments: days without a carrier scan before a clerk is asked to chase the parcel;
    # the carrier tracking API polled for parcels not delivered yet (kuaidi100-style JSON:
    # base URL and key; empty URL = no polling); the shared secret a carrier's push to
    # `POST /hooks/carrier` must carry in its `X-Carrier-Secret` header (empty = refused).
    shipment_stale_days: float = Field(4.0, gt=0)
    carrier_api_url: str = ""
    carrier_api_key: str = ""
    carrier_api_timeout_seconds: float = Field(10.0, gt=0)
    carrier_webhook_secret: str = ""

    # Our own numbers (mailroom.numbering): the template new ones are written with, other
    # prefixes mail may cite them with, and the first counter value (to number on from an
    # earlier system). Mail citing `PREFIX`, an optional year and digits is recognised.
    order_number_format: str = "SO-{year}-{seq:05d}"
    order_number_aliases: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["ORD"])
    order_number_first: int = Field(1, ge=1)
    quote_number_format: str = "Q-{year}-{seq:05d}"
    quote_number_aliases: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["QT", "QUO"]
    )
    quote_number_first: int = Field(1, ge=1)
    # The invoice and packing list issued when an order ships.
    invoice_number_format: str = "INV-{year}-{seq:05d}"
    packing_list_number_format: str = "PL-{year}-{seq:05d}"
    ticket_number_format: str = "TK-{year}-{seq:05d}"
    rma_number_format: str = "RMA-{year}-{seq:05d}"

    # After-sales tickets: hours to the first response and to the resolution, per kind
    # (mailroom.aftersales.sla); a kind not listed takes the `default` entry.
    ticket_first_response_hours: dict[str, float] = Field(
        default_factory=lambda: {"default": 24.0, "transport_damage": 8.0, "defect": 8.0}
    )
    ticket_resolution_hours: dict[str, float] = Field(
        default_factory=lambda: {"default": 120.0, "question": 48.0, "return": 240.0}
    )

    # Relations: a feedback request this many days after delivery (0 turns requests off),
    # and how long without an order makes a customer dormant (`mailroom customers dormant`).
    feedback_after_days: float = Field(7.0, ge=0)
    dormant_days: int = Field(90, ge=1)

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

    @field_validator("ticket_first_response_hours", "ticket_resolution_hours")
    @classmethod
    def _hours_per_kind(cls, value: dict[str, float]) -> dict[str, float]:
        if any(hours <= 0 for hours in value.values()):
            raise ValueError("every deadline must be a positive number of hours")
        return value

    @field_validator(
        "order_number_format",
        "quote_number_format",
        "invoice_number_format",
        "packing_list_number_format",
        "ticket_number_format",
        "rma_number_format",
    )
    @classmethod
    def _number_template(cls, value: str) -> str:
        try:
            NumberFormat(value)
        except NumberFormatError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("order_number_aliases", "quote_number_aliases", mode="before")
    @classmethod
    def _alias_list(cls, value: Any) -> Any:
        if isinstance(value, str):  # from the environment: "ORD,PO-SO"
            value = [part for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, list) and not all(str(a).strip().isalpha() for a in value):
            raise ValueError("each prefix must be letters only, e.g. ORD,SO")
        return [str(a).strip().upper() for a in value] if isinstance(value, list) else value

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
    def numbering(self) -> Numbering:
        """Our order, quote, invoice and packing list number formats."""
        return Numbering(
            order=NumberFormat(
                self.order_number_format,
                aliases=tuple(self.order_number_aliases),
                first=self.order_number_first,
            ),
            quote=NumberFormat(
                self.quote_number_format,
                aliases=tuple(self.quote_number_aliases),
                first=self.quote_number_first,
            ),
            invoice=NumberFormat(self.invoice_number_format),
            packing_list=NumberFormat(self.packing_list_number_format),
            ticket=NumberFormat(self.ticket_number_format),
            rma=NumberFormat(self.rma_number_format),
        )

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
