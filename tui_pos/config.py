"""The till's settings: a TOML file overlaid by ``TUI_POS_*`` environment variables.

A missing or invalid setting stops startup with one line that names the key, what is
wrong and where the value came from (see :func:`load_settings`).
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from tui_pos import DEFAULT_CONFIG
from tui_pos.money import DEFAULT_LOCALE, Locale
from tui_pos.system.redact import remember_secret

CREDENTIAL = "api_token"
"""The token's name as a systemd credential (``LoadCredential=api_token:...``)."""
ENV_PREFIX = "TUI_POS_"
NESTED = "__"


class ConfigError(Exception):
    """A setting is missing or wrong; ``str()`` is the one line to show."""


class ScannerSettings(BaseModel):
    """How to find and decode the USB barcode scanner."""

    enabled: bool = True
    device: Path | None = Field(None, description="evdev device path, e.g. /dev/input/by-id/…")
    name: str | None = Field(None, description="part of the device name to auto-detect")
    usb_id: str | None = Field(None, description="vendor:product in hex, e.g. 05e0:1200")
    prefix: str = ""
    suffix: str = ""
    terminators: list[str] = ["KEY_ENTER", "KEY_KPENTER", "KEY_TAB"]
    max_length: int = Field(64, ge=8, le=256)

    @field_validator("usb_id")
    @classmethod
    def _usb_id(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[0-9a-fA-F]{4}:[0-9a-fA-F]{4}", value):
            raise ValueError("must be vendor:product in hex, like 05e0:1200")
        return value.lower() if value else value


PrinterKind = Literal["none", "network", "file", "serial", "usb", "screen"]
"""How the receipt printer is reached: ``none`` (no printer: the till works without),
``network`` (raw TCP, port 9100), ``file`` (the kernel's ``usblp`` device, e.g.
``/dev/usb/lp0``), ``serial``, ``usb`` (python-escpos's own USB class, by ``usb_id``), and
``screen`` (the training till: the receipt shows on the screen)."""
ReceiptPolicy = Literal["always", "ask", "never"]


class PrinterSettings(BaseModel):
    """The receipt printer, the cash drawer on its drawer port, and the receipt's text."""

    kind: PrinterKind = "none"
    host: str | None = Field(None, description="network printer's address")
    port: int = Field(9100, ge=1, le=65535)
    device: Path | None = Field(None, description="file or serial device, e.g. /dev/usb/lp0")
    baudrate: int = Field(9600, ge=1200, le=921600)
    usb_id: str | None = Field(None, description="vendor:product in hex, for kind usb")
    timeout: float = Field(5.0, gt=0, le=60)
    """Seconds the printer may take to connect or take a receipt."""
    status: bool = True
    """Ask the printer for its status (online, paper) before each receipt."""
    profile: str = "TM-T20II"
    """python-escpos's printer profile (what the printer can do; most are Epson-like)."""
    codepage: str = "CP858"
    """The printer's code page for text: CP858 has the euro sign on Epson-compatibles."""
    columns: int = Field(42, ge=32, le=64)
    """Characters per line: 42 on 58 mm paper (font A on 80 mm is 48)."""
    receipt: ReceiptPolicy = "always"
    """After each sale: print it, ask (a key on the result screen prints it), or not."""
    drawer: bool = True
    """Open the cash drawer on the printer's drawer port on each cash payment."""
    drawer_pin: Literal[2, 5] = 2
    drawer_pulse: int = Field(100, ge=2, le=510)
    """Milliseconds the drawer's pin is driven (some drawers need longer)."""
    shop_name: str = ""
    shop_address: list[str] = []
    vat_number: str = ""
    footer: list[str] = ["Thank you!"]

    @field_validator("usb_id")
    @classmethod
    def _usb_id(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[0-9a-fA-F]{4}:[0-9a-fA-F]{4}", value):
            raise ValueError("must be vendor:product in hex, like 04b8:0e15")
        return value.lower() if value else value

    @field_validator("codepage")
    @classmethod
    def _codepage(cls, value: str) -> str:
        import codecs

        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError("is not a code page Python knows, like CP858") from None
        return value.upper()

    @model_validator(mode="after")
    def _where(self) -> PrinterSettings:
        needs = {
            "network": ("host", self.host),
            "file": ("device", self.device),
            "serial": ("device", self.device),
            "usb": ("usb_id", self.usb_id),
        }
        if self.kind in needs:
            name, value = needs[self.kind]
            if not value:
                raise ValueError(f"{name} is not set, and kind {self.kind} needs it")
        return self


class Settings(BaseSettings):
    """Everything the till reads at startup. Money display follows ``locale``."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter=NESTED,
        extra="forbid",
        validate_default=True,
    )

    api_url: str = "https://afosto.app"
    api_token: SecretStr | None = None
    api_token_file: Path | None = None
    channel_id: str | None = None
    currency: str = "EUR"
    terminal_id: str | None = Field(None, description="preferred PIN terminal")
    drawer_id: str | None = Field(None, description="preferred cash drawer")
    locale: Locale = DEFAULT_LOCALE
    state_dir: Path = Path("/var/lib/tui-pos")
    request_timeout: float = Field(10.0, gt=0, le=120)
    terminal_timeout: float = Field(180.0, gt=0, le=900)
    invoice_poll: float = Field(0.25, gt=0, le=10)
    invoice_timeout: float = Field(15.0, gt=0, le=300)
    scanner: ScannerSettings = ScannerSettings()
    till_name: str = Field("Till 1", max_length=40, description="on the receipt")
    printer: PrinterSettings = PrinterSettings()
    cashiers_file: Path = Field(
        Path("/etc/tui-pos/cashiers.toml"),
        description="the cashiers and their PINs (none: one anonymous cashier, no sign-in)",
    )
    lock_after: float = Field(
        300, ge=0, le=86400, description="seconds idle before the till locks (0: never)"
    )
    customer_card_pattern: str = Field(
        r"K\d{6}",
        max_length=200,
        description="a regular expression a whole customer card's code matches (empty: none)",
    )
    metrics_dir: Path | None = Field(
        None,
        description="where the till writes its Prometheus metrics (tui-pos.prom) for "
        "node_exporter's textfile collector (none: not written)",
    )

    @field_validator("api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value):
            raise ValueError("must be an http(s) URL, like https://afosto.app")
        return value.rstrip("/")

    @field_validator("customer_card_pattern")
    @classmethod
    def _customer_card_pattern(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"is no regular expression: {exc}") from None
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise ValueError("must be an ISO 4217 code, like EUR")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file's values arrive as init arguments; the environment overrides them.
        return env_settings, init_settings

    def token(self) -> SecretStr:
        """The API token, read from ``api_token_file`` when that is set (so it can rotate).

        Read again after a 401 (the engine's ``token_source``); both ways go through
        :func:`clean_token`."""
        if self.api_token_file is not None:
            try:
                raw = self.api_token_file.read_bytes()
            except OSError as exc:
                raise ConfigError(
                    f"api_token_file: cannot read {self.api_token_file}: {exc.strerror}"
                ) from exc
            return clean_token(raw, f"api_token_file: {self.api_token_file}")
        if self.api_token is None:
            raise ConfigError("api_token: not set (set api_token or api_token_file)")
        return clean_token(self.api_token.get_secret_value(), "api_token: the token")


def clean_token(raw: bytes | str, where: str) -> SecretStr:
    """The token as it goes into the ``Authorization`` header: without the byte-order
    mark Windows Notepad writes (UTF-8 or UTF-16) and the whitespace around it. A token
    that still cannot be sent raises :class:`ConfigError`, one line starting with
    ``where`` that says what is wrong (never the token itself)."""
    if isinstance(raw, bytes):
        try:
            if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode"
                text = raw.decode("utf-16")
            else:
                text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"{where} is not text (save it as UTF-8)") from None
    else:
        text = raw
    text = text.strip().removeprefix("\ufeff").strip()
    if not text:
        raise ConfigError(f"{where} is empty")
    problem = _header_problem(text)
    if problem is not None:
        raise ConfigError(f"{where} {problem}")
    remember_secret(text)  # blanked in the log and on the screen from now on
    return SecretStr(text)


def _header_problem(token: str) -> str | None:
    """Why ``token`` cannot be sent as ``Bearer <token>``, or ``None`` when it can."""
    for at, char in enumerate(token, start=1):
        if char in "\r\n":
            return "has more than one line in it"
        if char in " \t":
            return f"has a space in it (character {at})"
        if ord(char) < 0x20 or ord(char) == 0x7F:
            return f"has a control character in it (character {at})"
        if ord(char) > 0x7E:
            return f"has a character that is not plain ASCII in it (character {at})"
    return None


def env_name(loc: tuple[str | int, ...]) -> str:
    """The environment variable for a setting's location, e.g. ``TUI_POS_SCANNER__DEVICE``."""
    return ENV_PREFIX + NESTED.join(str(part) for part in loc).upper()


def load_settings(path: Path | None = None, *, live: bool = True) -> Settings:
    """Read the TOML file (``path``, else the default if it exists) and the environment.

    ``live`` also requires what talking to the real API needs: a token and a channel.
    With neither ``api_token`` nor ``api_token_file`` set, the systemd credential
    ``$CREDENTIALS_DIRECTORY/api_token`` is the token file when it exists.
    """
    source = path if path is not None else DEFAULT_CONFIG
    file_values: dict[str, Any] = {}
    if path is not None or source.exists():
        file_values = _read_toml(source)
    try:
        settings = Settings(**file_values)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source, file_values)) from None
    credential = None
    if settings.api_token is None and settings.api_token_file is None:
        credential = settings.api_token_file = credential_file()
    if live:
        _require_live(settings, source, file_values, credential)
    return settings


def credential_file() -> Path | None:
    """``$CREDENTIALS_DIRECTORY/api_token``, where systemd put the token, if it exists."""
    directory = os.environ.get("CREDENTIALS_DIRECTORY")
    path = Path(directory, CREDENTIAL) if directory else None
    return path if path is not None and path.is_file() else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"config file {path}: cannot read it: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path}: not valid TOML: {exc}") from exc


def _origin(loc: tuple[str | int, ...], path: Path, values: dict[str, Any]) -> str:
    name = env_name(loc)
    if name in os.environ:
        return f"from environment variable {name}"
    node: Any = values
    for part in loc:
        if not isinstance(node, dict) or part not in node:
            return f"not set in {path} nor as {name}"
        node = node[part]
    return f"from {path}"


def _describe(exc: ValidationError, path: Path, values: dict[str, Any]) -> str:
    error = exc.errors()[0]
    loc = tuple(part for part in error["loc"] if isinstance(part, str))
    key = ".".join(loc) or "settings"
    if error["type"] == "extra_forbidden":
        return f"{key}: unknown setting ({_origin(loc, path, values)})"
    message = str(error["msg"]).removeprefix("Value error, ")
    if isinstance(error.get("input"), dict) and "kind" in error["input"]:
        loc = (*loc, "kind")  # a section whose kind needs another of its settings
    return f"{key}: {message} ({_origin(loc, path, values)})"


def _require_live(
    settings: Settings, path: Path, values: dict[str, Any], credential: Path | None
) -> None:
    if settings.api_token is None and settings.api_token_file is None:
        where = (
            f"set api_token_file or api_token in {path}, or {env_name(('api_token',))}, "
            f"or the systemd credential {CREDENTIAL}"
        )
        raise ConfigError(f"api_token: not set ({where})")
    if not settings.channel_id:
        raise ConfigError(f"channel_id: not set ({_origin(('channel_id',), path, values)})")
    try:
        settings.token()  # a token file that cannot be read stops startup now, not mid-sale
    except ConfigError as exc:
        if credential is not None:
            origin = f"the systemd credential {CREDENTIAL}"
        else:
            key = "api_token" if settings.api_token_file is None else "api_token_file"
            origin = _origin((key,), path, values)
        raise ConfigError(f"{exc} ({origin})") from None
