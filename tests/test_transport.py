"""The bot's HTTP request object (:class:`handlers.telegram.transport.AiohttpRequest`) against the fake Bot
API over real HTTP on 127.0.0.1: what goes on the wire, what comes back as which PTB error, and
the proxy variables. Everything else that passes through it (polling, floods, faults) is tested
through the whole Application in test_e2e, test_flood and test_faults.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import struct
import threading
import zlib
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import certifi
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut

from fake_bot_api import (
    AGENT,
    TOKEN,
    FakeBotApiServer,
    FakeTelegram,
    Updates,
    Upload,
    private_chat,
)
from handlers.telegram.transport import AiohttpRequest, NotDelivered, Stopping, tls_context

CHAT = private_chat(AGENT)


@pytest.fixture
def proxy_free(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy variable from the machine running the tests."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def server(proxy_free: None) -> Iterator[FakeBotApiServer]:
    api = FakeTelegram()
    api.push(Updates().message(CHAT, AGENT, "oi"))  # the fake answers only chats it has seen
    with FakeBotApiServer(api) as running:
        yield running


def bot_for(base_url: str, read_timeout: float = 5.0) -> Bot:
    return Bot(
        TOKEN,
        base_url=base_url,
        request=AiohttpRequest(read_timeout=read_timeout),
        get_updates_request=AiohttpRequest(1, read_timeout=read_timeout),
    )


@pytest.fixture
async def bot(server: FakeBotApiServer) -> AsyncIterator[Bot]:
    async with bot_for(server.base_url) as ready:  # initialize: getMe
        yield ready


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


async def test_a_message_goes_as_json_with_its_values(server: FakeBotApiServer, bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Senha", callback_data="t:senha")]])
    sent = await bot.send_message(
        CHAT["id"], "<b>DNS</b> da Mutum: 143.202.80.56 — ok", ParseMode.HTML, reply_markup=keyboard
    )
    (call,) = server.api.calls_to("sendMessage")
    assert call["chat_id"] == CHAT["id"]  # a number, not a string of one
    assert call["text"] == "<b>DNS</b> da Mutum: 143.202.80.56 — ok"
    assert call["parse_mode"] == "HTML"
    assert call["reply_markup"] == {
        "inline_keyboard": [[{"text": "Senha", "callback_data": "t:senha"}]]
    }
    assert sent.chat_id == CHAT["id"]  # Telegram's answer, parsed by PTB into a Message
    assert sent.message_id == call.result["message_id"]


async def test_an_upload_goes_as_multipart_with_its_fields(
    server: FakeBotApiServer, bot: Bot
) -> None:
    picture = tiny_png()
    await bot.send_photo(CHAT["id"], picture, caption="Escala <b>hoje</b>", filename="escala.png")
    (call,) = server.api.calls_to("sendPhoto")
    assert call.error is None
    photo = call["photo"]
    assert isinstance(photo, Upload)
    assert (photo.filename, photo.data, photo.mime_type) == ("escala.png", picture, "image/png")
    assert call["caption"] == "Escala <b>hoje</b>"
    assert call["chat_id"] == CHAT["id"]


async def test_telegram_refusing_a_call_is_ptbs_error(server: FakeBotApiServer, bot: Bot) -> None:
    server.api.fail_next("sendMessage", 400, "Bad Request: message text is empty")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(CHAT["id"], "x")


async def test_an_answer_slower_than_the_read_timeout_is_timed_out(
    server: FakeBotApiServer,
) -> None:
    async with bot_for(server.base_url, read_timeout=0.3) as bot:
        server.api.delay_next("sendMessage", 1.5)
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT["id"], "x")
        # The connection it gave up on is not reused: the next call goes through.
        assert (await bot.send_message(CHAT["id"], "y")).text == "y"


async def test_nobody_listening_is_a_network_error(proxy_free: None) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NotDelivered, match="aiohttp") as refused:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()
    assert TOKEN not in str(refused.value)  # nothing was sent; the URL is not in the text
    assert refused.value.__cause__ is None and refused.value.__context__ is None


async def test_stopping_cuts_a_call_under_way_and_refuses_the_next(proxy_free: None) -> None:
    """``stop_by``: a call held by a server that never answers ends at the deadline, not at its
    own 20 s; after the deadline a call is not made; a refused connection is not retried."""
    with socket.socket() as silent, socket.socket() as probe:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # accepts, never answers
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]  # nothing listens there
        request = AiohttpRequest()
        await request.initialize()
        loop = asyncio.get_running_loop()
        try:
            url = f"http://127.0.0.1:{silent.getsockname()[1]}/bot{TOKEN}/sendMessage"
            call = asyncio.ensure_future(request.post(url, read_timeout=20))
            await asyncio.sleep(0.2)
            started = loop.time()
            request.stop_by(0.3)
            with pytest.raises(TimedOut):
                await call
            assert loop.time() - started < 2
            with pytest.raises(Stopping, match="no time left"):
                await request.post(url)
        finally:
            await request.shutdown()
        late = AiohttpRequest()
        await late.initialize()
        try:
            late.stop_by(5)
            with pytest.raises(Stopping, match="aiohttp") as refused:  # not NotDelivered
                await late.post(f"http://127.0.0.1:{closed}/bot{TOKEN}/getMe")
        finally:
            await late.shutdown()
        assert not isinstance(refused.value, NotDelivered)
        assert TOKEN not in str(refused.value)


@pytest.mark.parametrize(("code", "description"), [(500, "Internal Server Error"), (503, "")])
async def test_a_5xx_is_not_delivered(
    server: FakeBotApiServer, bot: Bot, code: int, description: str
) -> None:
    server.api.fail_next("sendMessage", code, description)
    with pytest.raises(NotDelivered, match=rf"\({code}\)$"):
        await bot.send_message(CHAT["id"], "x")


async def test_a_garbled_reply_is_an_error_whose_text_and_chain_hold_no_token(
    server: FakeBotApiServer, bot: Bot
) -> None:
    server.api.garble_next("sendMessage")
    with pytest.raises(NetworkError) as garbled:
        await bot.send_message(CHAT["id"], "x")
    assert not isinstance(garbled.value, NotDelivered)  # it may have been carried out
    error: BaseException | None = garbled.value
    while error is not None:  # the whole chain a traceback would print
        assert TOKEN not in str(error) and TOKEN not in repr(error.args)
        error = error.__cause__ or error.__context__
    assert "/bot<token>" in str(garbled.value) or "<Bot API>" in str(garbled.value)


async def test_a_request_used_before_initialize_says_so() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:1/x", "POST")


async def test_the_proxy_variables_are_honoured(
    server: FakeBotApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTP_PROXY: calls go through the proxy (here the fake itself, which also answers as a
    proxy), even to a host that does not resolve; NO_PROXY: straight to the server."""
    proxy = server.base_url.removesuffix("/bot")
    monkeypatch.setenv("HTTP_PROXY", proxy)
    async with bot_for("http://api.telegram.invalid/bot") as bot:
        assert (await bot.send_message(CHAT["id"], "via proxy")).text == "via proxy"
    assert server.proxied == ["api.telegram.invalid"] * 2  # getMe, sendMessage

    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    async with bot_for(server.base_url) as bot:
        assert (await bot.send_message(CHAT["id"], "direto")).text == "direto"
    assert len(server.proxied) == 2  # nothing more went through the proxy


def test_proxy_for_reads_the_environment_once_per_host(
    proxy_free: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = AiohttpRequest()
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.local:3128")
    monkeypatch.setenv("NO_PROXY", "interno.local")
    assert request.proxy_for("https://api.telegram.org/bot1/getMe") == "http://proxy.local:3128"
    assert request.proxy_for("https://interno.local/bot1/getMe") is None
    assert request.proxy_for("http://api.telegram.org/bot1/getMe") is None  # no HTTP_PROXY
    monkeypatch.delenv("HTTPS_PROXY")  # read once: a running bot keeps its proxy
    assert request.proxy_for("https://api.telegram.org/bot1/sendMessage") == (
        "http://proxy.local:3128"
    )


def test_tls_trusts_certifi_as_well_as_the_system() -> None:
    """A container without the system's CA certificates still verifies api.telegram.org."""
    bundle = Path(certifi.where()).read_text(encoding="ascii", errors="replace")
    roots = bundle.count("-----BEGIN CERTIFICATE-----")
    context = tls_context()
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] >= roots > 50


async def test_an_error_page_that_echoes_the_url_is_not_quoted(proxy_free: None) -> None:
    """A proxy's 403 page naming the URL asked for (token included) is not put in the error."""
    page = f"<html>Forbidden: /bot{TOKEN}/getMe</html>".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(403)
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(Forbidden) as refused:
            await request.post(f"http://127.0.0.1:{server.server_port}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()
        server.shutdown()
    assert TOKEN not in str(refused.value) and "Forbidden" in str(refused.value)
