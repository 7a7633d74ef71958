"""Settings: environment over `mailroom.toml` over defaults, and one clear line when wrong."""

from __future__ import annotations

import pytest

from mailroom.errors import ConfigError
from mailroom.settings import load_settings, redact


def test_the_toml_file_in_home_is_read_and_the_environment_wins(tmp_path, monkeypatch):
    # Given a mailroom.toml and one environment variable that says otherwise
    (tmp_path / "mailroom.toml").write_text('from = "sales@acme.example"\nreply_cap = 4\n')
    monkeypatch.setenv("MAILROOM_REPLY_CAP", "7")

    # When the settings are loaded for that home
    settings = load_settings(home=tmp_path)

    # Then the file fills in, and the environment wins where both speak
    assert settings.from_address == "sales@acme.example"
    assert settings.reply_cap == 7
    assert settings.db_url == f"sqlite:///{tmp_path / 'mailroom.db'}"


def test_a_wrong_value_is_named_with_its_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("MAILROOM_SMTP_URL", "http://mail.example.com")
    with pytest.raises(ConfigError, match="MAILROOM_SMTP_URL: .*smtp://"):
        load_settings(home=tmp_path)


def test_a_broken_toml_file_is_a_config_error(tmp_path):
    (tmp_path / "mailroom.toml").write_text("reply_cap = = 3\n")
    with pytest.raises(ConfigError, match="mailroom.toml"):
        load_settings(home=tmp_path)


def test_passwords_in_urls_are_never_shown():
    assert redact("imap://orders:s3cret@mail.example.com/INBOX") == (
        "imap://orders:***@mail.example.com/INBOX"
    )
    assert redact("smtp://mail.example.com:25") == "smtp://mail.example.com:25"
