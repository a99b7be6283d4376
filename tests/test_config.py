"""Settings load from TOML and the environment; a bad one is one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_pos.cli import main
from tui_pos.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in [n for n in os.environ if n.startswith("TUI_POS_")]:
        monkeypatch.delenv(name)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_file_values_and_environment_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path,
        'channel_id = "shop"\napi_token = "t"\nterminal_id = "a"\n'
        '[scanner]\nusb_id = "05E0:1200"\n',
    )
    monkeypatch.setenv("TUI_POS_TERMINAL_ID", "b")
    monkeypatch.setenv("TUI_POS_SCANNER__PREFIX", "]C1")
    settings = load_settings(path)
    assert (settings.channel_id, settings.terminal_id) == ("shop", "b")
    assert settings.scanner.usb_id == "05e0:1200" and settings.scanner.prefix == "]C1"
    assert settings.currency == "EUR" and settings.locale == "nl"
    assert settings.api_url == "https://afosto.app"


def test_token_file_is_read_and_reread(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("first\n")
    settings = load_settings(write(tmp_path, f'channel_id = "c"\napi_token_file = "{token}"\n'))
    assert settings.token().get_secret_value() == "first"
    token.write_text("second")
    assert settings.token().get_secret_value() == "second"


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        (
            'api_token = "t"\n',
            {},
            "channel_id: not set (not set in {path} nor as TUI_POS_CHANNEL_ID)",
        ),
        ('channel_id = "c"\n', {}, "api_token: not set (set api_token_file or api_token in {path}"),
        (
            'channel_id = "c"\napi_token = "t"\napi_url = "ftp://x"\n',
            {},
            "api_url: must be an http(s) URL",
        ),
        ('chanel_id = "c"\n', {}, "chanel_id: unknown setting (from {path})"),
        (
            'channel_id = "c"\napi_token = "t"\n',
            {"TUI_POS_SCANNER__MAX_LENGTH": "3"},
            "scanner.max_length: Input should be greater than or equal to 8 "
            "(from environment variable TUI_POS_SCANNER__MAX_LENGTH)",
        ),
        (
            'channel_id = "c"\napi_token_file = "/nonexistent/token"\n',
            {},
            "cannot read /nonexistent/token",
        ),
        ("channel_id = \n", {}, "not valid TOML"),
        (
            'channel_id = "c"\napi_token = "t"\n[printer]\nkind = "network"\n',
            {},
            "printer: host is not set, and kind network needs it (from {path})",
        ),
        (
            'channel_id = "c"\napi_token = "t"\n',
            {"TUI_POS_PRINTER__KIND": "file"},
            "printer: device is not set, and kind file needs it "
            "(from environment variable TUI_POS_PRINTER__KIND)",
        ),
        (
            'channel_id = "c"\napi_token = "t"\n[printer]\ncodepage = "CP9999"\n',
            {},
            "printer.codepage: is not a code page Python knows, like CP858 (from {path})",
        ),
        (
            'channel_id = "c"\napi_token = "t"\n[printer]\ndrawer_pin = 3\n',
            {},
            "printer.drawer_pin: Input should be 2 or 5 (from {path})",
        ),
    ],
)
def test_a_bad_setting_is_one_line_naming_key_problem_and_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, env: dict[str, str], expected: str
) -> None:
    path = write(tmp_path, text)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert expected.format(path=path) in message and "\n" not in message


def test_printer_settings_from_the_file_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path,
        'channel_id = "c"\napi_token = "t"\ntill_name = "Kassa 2"\n'
        '[printer]\nkind = "network"\nhost = "192.0.2.7"\ncodepage = "cp858"\n'
        'shop_address = ["Markt 1", "Gent"]\n',
    )
    monkeypatch.setenv("TUI_POS_PRINTER__DRAWER_PULSE", "200")
    settings = load_settings(path)
    printer = settings.printer
    assert (printer.kind, printer.host, printer.port) == ("network", "192.0.2.7", 9100)
    assert (printer.codepage, printer.drawer_pulse, printer.receipt) == ("CP858", 200, "always")
    assert printer.shop_address == ["Markt 1", "Gent"] and settings.till_name == "Kassa 2"


def test_no_printer_by_default(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, ""), live=False).printer.kind == "none"


def test_demo_needs_no_token_or_channel(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, ""), live=False).channel_id is None


def test_a_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read it"):
        load_settings(tmp_path / "absent.toml")


def test_doctor_prints_the_one_line_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """(The till itself says it after its first paint: tests/system/test_startup.py.)"""
    assert main(["--config", str(write(tmp_path, 'locale = "fr"\n')), "doctor"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tui-pos: configuration error: locale")


@pytest.fixture
def credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A systemd credentials directory (``LoadCredential=api_token:...``) with the token."""
    directory = tmp_path / "credentials"
    directory.mkdir()
    (directory / "api_token").write_text("from-systemd\n")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(directory))
    return directory


def test_the_systemd_credential_is_the_token_file(tmp_path: Path, credentials: Path) -> None:
    settings = load_settings(write(tmp_path, 'channel_id = "c"\n'))
    assert settings.api_token_file == credentials / "api_token"
    assert settings.token().get_secret_value() == "from-systemd"
    (credentials / "api_token").write_text("rotated")
    assert settings.token().get_secret_value() == "rotated"  # read again, as after a 401


@pytest.mark.parametrize(
    ("setting", "expected"),
    [('api_token = "inline"', "inline"), ('api_token_file = "{file}"', "from-file")],
)
def test_a_configured_token_wins_over_the_credential(
    tmp_path: Path, credentials: Path, setting: str, expected: str
) -> None:
    file = tmp_path / "token"
    file.write_text("from-file")
    settings = load_settings(write(tmp_path, f'channel_id = "c"\n{setting.format(file=file)}\n'))
    assert settings.token().get_secret_value() == expected
    assert settings.api_token_file != credentials / "api_token"


def test_an_empty_credential_is_one_line_naming_it(tmp_path: Path, credentials: Path) -> None:
    (credentials / "api_token").write_text("\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, 'channel_id = "c"\n'))
    assert str(caught.value) == (
        f"api_token_file: {credentials / 'api_token'} is empty (the systemd credential api_token)"
    )


def test_a_credentials_directory_without_the_token_is_not_a_token(
    tmp_path: Path, credentials: Path
) -> None:
    (credentials / "api_token").unlink()
    with pytest.raises(ConfigError, match=r"^api_token: not set \(.*or the systemd credential"):
        load_settings(write(tmp_path, 'channel_id = "c"\n'))


# --- a token as Windows Notepad saves it, or one that cannot go into a header ---


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbftok-42\r\n",  # Notepad's UTF-8: a byte-order mark and CRLF
        b"  tok-42 \n\n",
        b"\xff\xfet\x00o\x00k\x00-\x004\x002\x00\r\x00\n\x00",  # Notepad's "Unicode"
    ],
)
def test_a_token_file_from_notepad_is_cleaned(tmp_path: Path, raw: bytes) -> None:
    token = tmp_path / "token"
    token.write_bytes(raw)
    settings = load_settings(write(tmp_path, f'channel_id = "c"\napi_token_file = "{token}"\n'))
    assert settings.token().get_secret_value() == "tok-42"


def test_a_token_in_the_environment_is_cleaned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TUI_POS_API_TOKEN", "\ufefftok-42\n")
    settings = load_settings(write(tmp_path, 'channel_id = "c"\n'))
    assert settings.token().get_secret_value() == "tok-42"


def test_the_token_reloaded_after_a_401_is_cleaned_the_same_way(tmp_path: Path) -> None:
    from tui_pos.app.runtime import Runtime

    token = tmp_path / "token"
    token.write_bytes(b"first\n")
    settings = load_settings(write(tmp_path, f'channel_id = "c"\napi_token_file = "{token}"\n'))
    source = Runtime.live(settings).engine_settings().token_source
    assert source is not None
    token.write_bytes(b"\xef\xbb\xbfrotated\r\n")  # support saved the new one in Notepad
    assert source().get_secret_value() == "rotated"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"tok-42\ntok-43\n", "has more than one line in it"),
        (b"tok\x0742", "has a control character in it (character 4)"),
        (b"tok 42", "has a space in it (character 4)"),
        ("tök-42".encode(), "has a character that is not plain ASCII in it (character 2)"),
        (b"\xef\xbb\xbf\n", "is empty"),
        (b"\xc3\x28tok", "is not text (save it as UTF-8)"),
    ],
)
def test_a_token_that_cannot_go_into_a_header_is_one_line_naming_the_file(
    tmp_path: Path, raw: bytes, problem: str
) -> None:
    token = tmp_path / "token"
    token.write_bytes(raw)
    config = write(tmp_path, f'channel_id = "c"\napi_token_file = "{token}"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    message = str(caught.value)
    assert message.startswith(f"api_token_file: {token} ") and problem in message
    assert message.endswith(f"(from {config})") and "\n" not in message
    secret = raw.decode(errors="ignore").strip("\ufeff\n")
    assert not secret or secret not in message  # never the token itself


def test_a_bad_token_in_the_environment_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TUI_POS_API_TOKEN", "tok\n42")
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, 'channel_id = "c"\n'))
    assert str(caught.value) == (
        "api_token: the token has more than one line in it "
        "(from environment variable TUI_POS_API_TOKEN)"
    )
