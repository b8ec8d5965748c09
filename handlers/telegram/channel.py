"""Telegram as a running channel (:class:`bot.app.doors.Channel`) for ``upcall-bot run``.

Long polling by default; webhook mode when ``TELEGRAM_WEBHOOK_URL`` is set. :meth:`start` does
what PTB's ``run_polling`` / ``run_webhook`` do before serving (``getMe``, the command menus, the
updater, the application), so that several channels can run in one event loop; :meth:`stop` the
rest. A start that cannot succeed ends in one pt-BR line (``SystemExit``), sessions closed, and no
token in it: a rejected token (PTB's own message holds the token), no network or proxy, the
webhook port in use.
"""

from __future__ import annotations

import asyncio
import errno
import importlib.util
import logging
import re
import secrets
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError

from bot.app.settings import Settings, shown_url
from bot.knowledge.kb import KBHolder
from bot.posting.service import Posting
from handlers.telegram.app import build_application, post_init, post_stop
from handlers.telegram.door import TelegramDoor
from handlers.telegram.errors import quiet_network_failures
from handlers.telegram.state import BotApplication
from handlers.telegram.transport import AiohttpRequest

log = logging.getLogger(__name__)

_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

TOKEN_REJECTED = (
    "O Telegram recusou o TELEGRAM_BOT_TOKEN: confira o token com o @BotFather "
    "(ele aparece em /mybots › API Token)."
)
NO_NETWORK = (
    "Sem conexão com o Telegram ({host}): verifique a rede, o DNS e o proxy "
    "(HTTPS_PROXY / HTTP_PROXY / NO_PROXY)."
)
START_REFUSED = "O Telegram recusou o início do bot ({why}); tente de novo em instantes."
PORT_IN_USE = (
    "A porta {port} do webhook já está em uso em {listen}: pare o outro programa ou escolha "
    "outra em TELEGRAM_WEBHOOK_PORT."
)
PORT_FAILED = "Não foi possível abrir o webhook em {listen}:{port} ({why})."
NEEDS_TORNADO = (
    "O modo webhook precisa de python-telegram-bot[webhooks] (tornado); remova "
    "TELEGRAM_WEBHOOK_URL para usar long polling."
)
BAD_SECRET = "TELEGRAM_WEBHOOK_SECRET: use 1 a 256 caracteres A-Z, a-z, 0-9, _ e -."


def check_settings(settings: Settings) -> None:
    """What the Telegram channel needs from the settings; one pt-BR line when not."""
    if settings.telegram_webhook_url:
        if importlib.util.find_spec("tornado") is None:
            raise SystemExit(NEEDS_TORNADO)
        secret = settings.telegram_webhook_secret
        if secret and not _SECRET_RE.match(secret):
            raise SystemExit(BAD_SECRET)


class TelegramChannel:
    def __init__(self, settings: Settings, holder: KBHolder, posting: Posting) -> None:
        self.settings = settings
        self._requests = (AiohttpRequest(), AiohttpRequest(1))
        self.application: BotApplication = build_application(
            settings,
            holder,
            request=self._requests[0],
            get_updates_request=self._requests[1],
            posting=posting,
        )
        self._door = TelegramDoor(self.application, settings)
        quiet_network_failures()

    @property
    def door(self) -> TelegramDoor:
        return self._door

    async def start(self) -> None:
        app = self.application
        try:
            await app.initialize()  # getMe: the token checked here
            await post_init(app)
            await self._start_updater()
            await app.start()
        except BaseException as exc:
            await self._close()
            if isinstance(exc, SystemExit | KeyboardInterrupt | asyncio.CancelledError):
                raise
            raise SystemExit(self._start_error(exc)) from None

    def _start_error(self, exc: BaseException) -> str:
        """One pt-BR line for a start that failed; never the exception's text when it may hold
        the token (PTB's ``InvalidToken``) or a URL with it."""
        settings = self.settings
        if isinstance(exc, InvalidToken):
            return TOKEN_REJECTED
        if isinstance(exc, OSError):
            listen, port = settings.telegram_webhook_listen, settings.telegram_webhook_port
            if exc.errno == errno.EADDRINUSE:
                return PORT_IN_USE.format(port=port, listen=listen)
            return PORT_FAILED.format(
                listen=listen, port=port, why=exc.strerror or type(exc).__name__
            )
        if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
            # (PTB's BadRequest is a NetworkError, but Telegram did answer.)
            return NO_NETWORK.format(host=urlsplit(settings.telegram_api_url).hostname or "?")
        if isinstance(exc, TelegramError):
            return START_REFUSED.format(why=type(exc).__name__)
        log.error("unexpected error starting Telegram: %s", type(exc).__name__)
        return START_REFUSED.format(why=type(exc).__name__)

    async def _start_updater(self) -> None:
        app, settings = self.application, self.settings
        updater = app.updater
        assert updater is not None

        def on_poll_error(exc: TelegramError) -> None:
            app.create_task(app.process_error(error=exc, update=None))

        url = settings.telegram_webhook_url
        if not url:
            log.info("starting long polling")
            await updater.start_polling(
                allowed_updates=Update.ALL_TYPES, error_callback=on_poll_error
            )
            return
        # Without a configured secret, a fresh one per start: Telegram sends it back on every call.
        secret = settings.telegram_webhook_secret or secrets.token_urlsafe(32)
        log.info(
            "starting webhook on %s:%d for %s",
            settings.telegram_webhook_listen,
            settings.telegram_webhook_port,
            shown_url(url, path=True),
        )
        await updater.start_webhook(
            listen=settings.telegram_webhook_listen,
            port=settings.telegram_webhook_port,
            url_path=urlsplit(url).path.lstrip("/"),
            webhook_url=url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )

    def stopping(self, seconds: float) -> None:
        """The process is stopping: every Bot API call ends within ``seconds`` from now (see
        :meth:`AiohttpRequest.stop_by`), so that an unreachable Bot API cannot hold the stop
        past a service manager's patience (``docker stop`` kills after 10 s)."""
        for request in self._requests:
            request.stop_by(seconds)

    async def stop(self) -> None:
        """Stop receiving, let the updates under way finish, close the sessions."""
        app = self.application
        try:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
                await post_stop(app)
        finally:
            await self._close()

    async def _close(self) -> None:
        app = self.application
        try:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
        except Exception:
            log.exception("stopping the Telegram updater")
        try:
            await app.shutdown()
        except Exception as exc:  # not initialised, say: the sessions below still close
            log.debug("Telegram shutdown: %s", type(exc).__name__)
        for request in self._requests:
            await request.shutdown()


def build_channel(settings: Settings, holder: KBHolder, *, posting: Posting) -> TelegramChannel:
    """The factory ``handlers.runner`` calls when ``TELEGRAM_BOT_TOKEN`` is set."""
    check_settings(settings)
    return TelegramChannel(settings, holder, posting)
