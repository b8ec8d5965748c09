"""The log's last line of defence (bot/app/logs.py): every secret the bot knows is redacted from
whatever is written, at any level, exceptions and tracebacks included; chatty libraries stay at
INFO when LOG_LEVEL=DEBUG."""

from __future__ import annotations

import io
import logging
import sys
import threading
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from conftest import PASSWORD, make_settings

from bot.app import logs
from bot.app.logs import REDACTED, RedactingFormatter, Redactor, settings_secrets
from bot.knowledge.kb import KB
from bot.knowledge.passwords import known_secrets
from fake_bot_api import TOKEN

WEBHOOK_SECRET = "whsec_unit_0123456789"


def test_the_settings_secrets_are_found_by_field_name() -> None:
    settings = make_settings(telegram_webhook_secret=WEBHOOK_SECRET)
    assert set(settings_secrets(settings)) == {TOKEN, WEBHOOK_SECRET}


def test_every_known_secret_is_redacted_in_any_spelling(real_kb: KB) -> None:
    current = {"kb": real_kb}
    redact = Redactor(lambda: [TOKEN, WEBHOOK_SECRET], lambda: known_secrets(current["kb"]))
    line = (
        f"POST http://127.0.0.1/bot{TOKEN}/sendMessage ({quote(TOKEN, safe='')}) "
        f"secret={WEBHOOK_SECRET} text='Senha: {PASSWORD}' typed senha: Xyz-98765q"
    )
    out = redact(line)
    for secret in (TOKEN, quote(TOKEN, safe=""), WEBHOOK_SECRET, PASSWORD, "Xyz-98765q"):
        assert secret not in out
    assert out.count(REDACTED) == 5


def test_a_kb_password_is_redacted_in_any_case_with_no_password_word(real_kb: KB) -> None:
    """The reader takes "LNT12345@" typed for LaserNet's password: so does the log."""
    redact = Redactor(lambda: known_secrets(real_kb))
    out = redact("answered 'tentei LNT12345@ e a NET2019* no roteador'")
    assert "LNT12345@" not in out and "NET2019*" not in out and out.count(REDACTED) == 2


def test_the_secrets_follow_the_sources(real_kb: KB) -> None:
    """A reload brings new passwords: the next line knows them."""
    found = ["first-secret"]
    redact = Redactor(lambda: found)
    assert redact("a first-secret b") == f"a {REDACTED} b"
    found.append("second-secret")
    assert redact("second-secret") == REDACTED
    assert redact("abc") == "abc"  # short values are not redacted: they would cut words


def test_a_source_that_fails_does_not_stop_the_line() -> None:
    def broken() -> list[str]:
        raise RuntimeError("no KB yet")

    assert Redactor(broken, lambda: ["s3cret-value"])("x s3cret-value") == f"x {REDACTED}"


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level, logging.getLogger("telegram").level
    scheduler_level = logging.getLogger("apscheduler").level
    hooks = sys.excepthook, threading.excepthook
    out = io.StringIO()
    root.handlers = [logging.StreamHandler(out)]
    try:
        yield out
    finally:
        root.handlers, root.level = saved[0], saved[1]
        logging.getLogger("telegram").setLevel(saved[2])
        logging.getLogger("apscheduler").setLevel(scheduler_level)
        sys.excepthook, threading.excepthook = hooks


def test_configure_redacts_tracebacks_and_keeps_libraries_at_info(stream: io.StringIO) -> None:
    logs.configure("DEBUG", Redactor(lambda: [TOKEN]))
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler.formatter, RedactingFormatter)
    try:
        raise ValueError(f"bad reply from /bot{TOKEN}/getMe")
    except ValueError:
        logging.getLogger("handlers.telegram.errors").exception("failed %s", TOKEN)
    logging.getLogger("telegram.ext").debug("Calling sendMessage with text %s", PASSWORD)
    logging.getLogger("bot.knowledge.reload").debug("the bot's own debug line")
    written = stream.getvalue()
    assert TOKEN not in written and "Traceback" in written and REDACTED in written
    assert PASSWORD not in written  # PTB's DEBUG lines are not written at all
    assert "the bot's own debug line" in written


def test_an_error_that_ends_the_program_is_written_redacted(stream: io.StringIO) -> None:
    logs.configure("INFO", Redactor(lambda: [TOKEN]))
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
    except RuntimeError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    written = stream.getvalue()
    assert "stopped by an error" in written and "was rejected" in written
    assert TOKEN not in written


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
def test_apscheduler_writes_only_warnings(stream: io.StringIO, level: str) -> None:
    logs.configure(level, Redactor())
    scheduler = logging.getLogger("apscheduler.scheduler")
    for index in range(40):
        scheduler.info('Added job "notices:at:%d" to job store "default"', index)
    logging.getLogger("apscheduler.executors.default").debug("Running job")
    scheduler.warning("Run time of job was missed by 0:01:00")
    written = stream.getvalue()
    assert "Added job" not in written and "Running job" not in written
    assert "was missed" in written


def test_a_typed_password_after_senha_e_or_password_is_redacted() -> None:
    redact = Redactor()
    line = redact(
        "asked 'a senha é Xy7-8899! não entra' then 'password is Qwerty77', 'senha = Ab#12'"
    )
    assert "Xy7-8899!" not in line and "Qwerty77" not in line and "Ab#12" not in line
    assert "a senha é [redacted] não entra" in line


def test_a_password_in_an_address_setting_is_redacted() -> None:
    """``WHATSAPP_API_URL=http://user:password@host``: whatever prints the address (a library's
    error) has the password redacted; the settings' own messages hide it too."""
    settings = make_settings(whatsapp_api_url="http://user:SuperSecretKey123@127.0.0.1:9")
    assert "SuperSecretKey123" in settings_secrets(settings)
    redact = Redactor(lambda: settings_secrets(settings))
    line = redact("Cannot connect to http://user:SuperSecretKey123@127.0.0.1:9/instance")
    assert "SuperSecretKey123" not in line and "127.0.0.1:9" in line
