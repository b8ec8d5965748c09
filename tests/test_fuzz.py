"""Property-based tests: whatever an agent (or a cat on the keyboard) types, the core answers with
valid Telegram HTML in messages under 4096 characters, and never raises."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from conftest import shared_real_kb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answers.core import MAX_QUERY_CHARS, answer, parse_command
from bot.answers.render.plain import to_plain
from bot.answers.render.telegram import TELEGRAM_LIMIT, to_html_parts
from bot.answers.reply import ReplyKind
from bot.reading.text import clean_input

KB = shared_real_kb()
NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)
TELEGRAM_TAGS = {"b", "i", "code", "pre", "a", "u", "s", "tg-spoiler", "blockquote"}
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class TelegramHTML(HTMLParser):
    """Telegram's HTML subset: known tags only, balanced, entities escaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        assert tag in TELEGRAM_TAGS, f"tag Telegram rejects: <{tag}>"
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"

    def handle_data(self, data: str) -> None:
        assert "<" not in data and ">" not in data

    def handle_entityref(self, name: str) -> None:
        assert name in {"lt", "gt", "amp", "quot"}, name


def assert_sendable(text: str) -> None:
    reply = answer(KB, text, NOW)
    parts = to_html_parts(reply)
    assert parts
    for part in parts:
        assert len(part) <= TELEGRAM_LIMIT
        parser = TelegramHTML()
        parser.feed(part)
        parser.close()
        assert parser.stack == []
    to_plain(reply)


COMMANDS = st.sampled_from(
    [
        "/senha",
        "/dns",
        "/bloqueio",
        "/provedor",
        "/buscar",
        "/agora",
        "/escala",
        "/horario",
        "/ajuda",
        "/provedores",
        "/x",
        "/",
        "/senha@UpcallBot",
        "/dns@OutroBot",
        "/SENHA",
    ]
)
WORDS = st.sampled_from(
    [
        "lasernet",
        "mutum",
        "vm net",
        "seja",
        "caboimagem",
        "trix",
        "W5-1200G",
        "mercusys",
        "<b>",
        "</i>",
        "&amp;",
        "*negrito*",
        "`code`",
        "[link](http://x)",
        "\u202e",
        "\x00",
        "\t",
        "😀",
        "ção",
        "@UpcallBot",
        "",
        " ",
        "1.1.1.1",
        "'; DROP TABLE",
        "\n",
    ]
)


@FUZZ
@given(st.text(max_size=300))
def test_any_unicode(text: str) -> None:
    assert_sendable(text)


@FUZZ
@given(COMMANDS, st.lists(st.one_of(WORDS, st.text(max_size=20)), max_size=6))
def test_commands_with_any_arguments(command: str, args: list[str]) -> None:
    text = " ".join([command, *args])
    assert_sendable(text)
    parsed = parse_command(text)
    assert parsed is not None and "@" not in parsed.name


@FUZZ
@given(st.lists(WORDS, max_size=12))
def test_free_text_fragments(words: list[str]) -> None:
    assert_sendable(" ".join(words))


@settings(max_examples=20, deadline=None)
@given(st.text(min_size=1, max_size=5).filter(str.strip), st.integers(1, 3))
def test_huge_texts_get_too_long(chunk: str, factor: int) -> None:
    text = chunk * (MAX_QUERY_CHARS // len(chunk) + 1) * factor
    reply = answer(KB, text, NOW)
    if len(clean_input(text).strip()) > MAX_QUERY_CHARS:  # control characters do not count
        assert reply.kind is ReplyKind.TOO_LONG
    assert_sendable(text)


def test_every_provider_card_is_sendable() -> None:
    for provider in KB.providers:
        assert_sendable(f"/provedor {provider}")
