"""The logging net under the code: the settings' secrets are masked in every record."""

from __future__ import annotations

import io
import logging

from conftest import make_settings

from bot.app.redact import MASK, Redactor, secrets_of

TOKEN = "7000001:TEST_token-not-real"


def test_secrets_of_the_settings_by_field_name() -> None:
    settings = make_settings(telegram_webhook_secret="Wh00k_secret")
    assert set(secrets_of(settings)) == {TOKEN, "Wh00k_secret"}


def test_masks_message_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(Redactor([TOKEN, "ab"]))  # too short to mask: "ab"
    logger = logging.getLogger("test_redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("token %s rejected, ab", TOKEN)
        try:
            raise ValueError(f"The token `{TOKEN}` was rejected by the server.")
        except ValueError:
            logger.exception("start-up failed")
    finally:
        logger.removeHandler(handler)
    shown = stream.getvalue()
    assert TOKEN not in shown
    assert f"token {MASK} rejected, ab" in shown
    assert f"The token `{MASK}` was rejected" in shown and "Traceback" in shown
