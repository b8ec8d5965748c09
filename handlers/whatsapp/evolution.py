"""The Evolution API v2 REST calls the bot makes, one attempt each (retries: :mod:`.outbox`).

Evolution answers ``{"status", "error", "response": {"message": ...}}`` on errors; every call
carries the ``apikey`` header. Shapes follow Evolution 2.3 (``src/api/routes/*.router.ts``,
``whatsapp.baileys.service.ts``); see docs/whatsapp.md.

Errors never carry the API key, nor the text sent, nor aiohttp's own error (a traceback would print
it): a :class:`GatewayDown` certainly was not carried out and may work later (no connection, a
5xx); a :class:`GatewayUnsure` may have been (no answer in time, the connection dropped while
waiting, a garbled answer), so a message is not sent again: never twice; a
:class:`GatewayRejected` will not work (4xx: wrong key, unknown instance, a group the number is not
in, an invalid body).
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp

from bot.app import health
from handlers.deadline import StopDeadline

log = logging.getLogger(__name__)

DOOR = "whatsapp"
"""This door's name in /healthz and the metrics."""
TIMEOUT = 20.0
"""Seconds per call. Evolution answers a send once WhatsApp took it (a second or two)."""
CONNECT_TIMEOUT = 5.0
"""Seconds to open a connection: past it, nothing was sent."""


class GatewayError(Exception):
    """A call to Evolution failed; the text is safe to log (no key, no message text)."""


class GatewayDown(GatewayError):
    """Evolution could not be reached or failed (no connection, 5xx): the call was not carried
    out; try again later."""


class GatewayStopping(GatewayDown):
    """The bot is stopping and its time for Evolution calls is up (:meth:`EvolutionClient.stop_by`):
    the call was not made, could not connect, or was cut short. Never retried; a notice so cut
    is not marked sent (the next process posts it)."""


class GatewayUnsure(GatewayError):
    """The call went out and no usable answer came back: it may have been carried out."""


class GatewayRejected(GatewayError):
    """Evolution refused the call (4xx): the same call will fail again."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class SentMessage:
    """A message the instance sent: what it takes to quote or delete it."""

    chat: str
    id: str
    participant: str = ""
    picture: bool = False
    """A picture (the timeline) rather than one of the answer's text parts."""


@dataclass(frozen=True)
class Quote:
    """The message an answer quotes (the agent's question)."""

    id: str
    chat: str
    text: str
    participant: str = ""


@dataclass(frozen=True)
class Group:
    id: str
    subject: str
    size: int | None


def _detail(payload: Any) -> str:
    """Evolution's error message, short: ``response.message`` (a string or a nested list)."""
    if isinstance(payload, dict):
        response = payload.get("response")
        message = response.get("message") if isinstance(response, dict) else None
        if message is None:
            message = payload.get("error") or payload.get("message")
        payload = message
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return " ".join(str(text).split())[:200]


class EvolutionClient:
    """One Evolution instance over HTTP (aiohttp). Call :meth:`close` when done."""

    def __init__(
        self, base_url: str, api_key: str, instance: str, *, timeout: float = TIMEOUT
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.instance = instance
        self._api_key = api_key
        self._timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=CONNECT_TIMEOUT)
        self._session: aiohttp.ClientSession | None = None
        self._proxy = _proxy_for(self.base_url)
        self._stop = StopDeadline()

    def stop_by(self, seconds: float) -> None:
        """The bot is stopping: every call under way or made from now ends within ``seconds``;
        a call cut short, made after the deadline or that cannot connect raises
        :class:`GatewayStopping`. With Evolution unreachable, stopping would otherwise wait for
        each call's own timeout (:data:`TIMEOUT`) and the outbox's retries."""
        self._stop.set(seconds)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                headers={"apikey": self._api_key},
                timeout=self._timeout,
                # A fresh connection per call: a kept-alive one Evolution closed (a restart)
                # would fail a send in a way that cannot tell whether it went out.
                connector=aiohttp.TCPConnector(force_close=True),
            )
        return self._session

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{path.format(instance=quote(self.instance, safe=''))}"

    async def call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> Any:
        """One HTTP call; the decoded JSON answer. ``path`` may contain ``{instance}``."""
        where = path.split("/{", 1)[0]
        failed: GatewayError | None = None
        raw, status = b"", 0
        if self._stop.passed():
            raise GatewayStopping(f"{where}: o bot está parando")
        try:
            async with (
                self._stop.call() as timer,
                self._http().request(
                    method, self._url(path), json=body, params=params, proxy=self._proxy
                ) as response,
            ):
                raw = await response.read()
                status = response.status
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
            gone = GatewayStopping if self._stop.stopping else GatewayDown
            failed = gone(f"{where}: sem conexão ({type(exc).__name__})")
        except TimeoutError:
            if timer.expired():
                failed = GatewayStopping(f"{where}: interrompido, o bot está parando")
            else:
                failed = GatewayUnsure(f"{where}: sem resposta em {self._timeout.total:.0f} s")
        except aiohttp.ClientError as exc:
            failed = GatewayUnsure(f"{where}: {type(exc).__name__}")
        if failed is not None:
            health.HEALTH.api_failed(DOOR, str(failed))
            raise failed  # out of the except clauses: aiohttp's error is not its context
        try:
            payload: Any = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode(errors="replace")
        if status >= 500:
            down = GatewayDown(f"{where}: HTTP {status}: {_detail(payload)}")
            health.HEALTH.api_failed(DOOR, str(down))
            raise down
        if status in (401, 403, 404):  # the key or the instance: nothing will work
            health.HEALTH.api_failed(DOOR, f"{where}: HTTP {status}")
        else:
            health.HEALTH.api_ok(DOOR)
        if status >= 400:
            raise GatewayRejected(status, f"{where}: {_detail(payload)}")
        return payload

    # ------------------------------------------------------------------ messages

    async def send_text(self, chat: str, text: str, quote_: Quote | None = None) -> SentMessage:
        body: dict[str, Any] = {"number": chat, "text": text, "linkPreview": False}
        if quote_ is not None:
            body["quoted"] = _quoted(quote_)
        return _sent(chat, await self.call("POST", "message/sendText/{instance}", body=body))

    async def send_image(
        self, chat: str, png: bytes, caption: str, file_name: str = "escala.png"
    ) -> SentMessage:
        body = {
            "number": chat,
            "mediatype": "image",
            "mimetype": "image/png",
            "fileName": file_name,
            "caption": caption,
            "media": base64.b64encode(png).decode("ascii"),
        }
        return _sent(chat, await self.call("POST", "message/sendMedia/{instance}", body=body))

    async def delete(self, message: SentMessage) -> None:
        body = {"id": message.id, "remoteJid": message.chat, "fromMe": True}
        if message.participant:
            body["participant"] = message.participant
        await self.call("DELETE", "chat/deleteMessageForEveryone/{instance}", body=body)

    # ------------------------------------------------------------------ the instance

    async def owner_jid(self) -> str:
        """The instance's own number (``ownerJid``, ``5511...@s.whatsapp.net``); empty when the
        instance is not linked to a number yet."""
        found = await self.call(
            "GET", "instance/fetchInstances", params={"instanceName": self.instance}
        )
        rows = found if isinstance(found, list) else [found]
        for row in rows:
            if isinstance(row, dict) and row.get("name", self.instance) == self.instance:
                return str(row.get("ownerJid") or "")
        raise GatewayRejected(404, f"instance/fetchInstances: {self.instance!r} não existe")

    async def groups(self, participants: bool = False) -> list[dict[str, Any]]:
        found = await self.call(
            "GET",
            "group/fetchAllGroups/{instance}",
            params={"getParticipants": "true" if participants else "false"},
        )
        return [g for g in found if isinstance(g, dict)] if isinstance(found, list) else []

    async def set_webhook(self, url: str, secret: str) -> Any:
        body = {
            "webhook": {
                "enabled": True,
                "url": url,
                "headers": {"jwt_key": secret},
                "byEvents": False,
                "base64": False,
                "events": ["MESSAGES_UPSERT"],
            }
        }
        return await self.call("POST", "webhook/set/{instance}", body=body)


def _proxy_for(url: str) -> str | None:
    """The proxy the environment names for ``url`` (``HTTP(S)_PROXY``, ``NO_PROXY``), read once:
    aiohttp's ``trust_env`` would look it up in a thread on every call."""
    parts = urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy is not None and urllib.request.proxy_bypass(parts.netloc):
        return None
    return proxy


def _quoted(quote_: Quote) -> dict[str, Any]:
    key: dict[str, Any] = {"id": quote_.id, "remoteJid": quote_.chat, "fromMe": False}
    if quote_.participant:
        key["participant"] = quote_.participant
    return {"key": key, "message": {"conversation": quote_.text}}


def _sent(chat: str, payload: Any) -> SentMessage:
    key = payload.get("key") if isinstance(payload, dict) else None
    if not isinstance(key, dict) or not key.get("id"):
        raise GatewayUnsure("send: resposta sem key.id")
    participant = payload.get("participant") or key.get("participant") or ""
    return SentMessage(str(key.get("remoteJid") or chat), str(key["id"]), str(participant))
