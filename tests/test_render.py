"""Rendering: escaped Telegram HTML within the size limit, and console text."""

from __future__ import annotations

from html.parser import HTMLParser

from bot.answers.render.plain import to_plain
from bot.answers.render.telegram import TELEGRAM_LIMIT, to_html, to_html_parts
from bot.answers.reply import Button, Reply, ReplyKind, Span, Style, heading, note, template, text

ALLOWED = {"b", "i", "code", "pre"}


class _Checker(HTMLParser):
    """Fails on tags Telegram would reject or on unbalanced tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        assert tag in ALLOWED, tag
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, tag


def assert_valid_html(out: str) -> None:
    checker = _Checker()
    checker.feed(out)
    checker.close()
    assert checker.stack == []


def sample(body: str = "a < b & c") -> Reply:
    return Reply(
        ReplyKind.ANSWER,
        (
            heading("Título <x>"),
            text("senha: ", Span("p<a>ss&", Style.CODE), " fim"),
            note("nota"),
            template("Mensagem sugestiva", body),
        ),
        buttons=(Button("Um", "/um"),),
    )


def test_html_escapes_and_styles() -> None:
    out = to_html(sample())
    assert out == (
        "<b>Título &lt;x&gt;</b>\n\n"
        "senha: <code>p&lt;a&gt;ss&amp;</code> fim\n\n"
        "<i>nota</i>\n\n"
        "<b>Mensagem sugestiva</b>\n<pre>a &lt; b &amp; c</pre>"
    )
    assert_valid_html(out)


def test_plain_text_lists_buttons() -> None:
    out = to_plain(sample())
    assert "== Título <x> ==" in out
    assert "senha: p<a>ss& fim" in out
    assert "  | a < b & c" in out
    assert out.endswith("  [1] Um")


def test_long_reply_is_split_between_blocks() -> None:
    blocks = tuple(text(f"linha {i} " + "x" * 900) for i in range(12))
    parts = to_html_parts(Reply(ReplyKind.CARD, blocks))
    assert len(parts) > 1
    assert all(len(p) <= TELEGRAM_LIMIT for p in parts)
    assert "".join(parts).count("linha") == 12
    for part in parts:
        assert_valid_html(part)


def test_huge_block_is_split_inside_and_stays_valid() -> None:
    huge = "<&>" * 5000  # escapes to 4x its length
    parts = to_html_parts(Reply(ReplyKind.ANSWER, (heading("H"), template("T", huge))))
    assert all(len(p) <= TELEGRAM_LIMIT for p in parts)
    for part in parts:
        assert_valid_html(part)
    joined = "".join(p.split("<pre>", 1)[-1].split("</pre>")[0] for p in parts[1:])
    assert joined.count("&lt;&amp;&gt;") + parts[0].count("&lt;&amp;&gt;") == 5000


def test_short_reply_is_one_part() -> None:
    assert to_html_parts(sample()) == [to_html(sample())]


def test_a_section_title_never_ends_a_part() -> None:
    """QA: /provedor cards cut into messages left a section's title at the end of one message
    and its body at the start of the next."""
    blocks = (heading("Ficha"), text("a" * 3000), heading("Seção B"), text("b" * 2000))
    parts = to_html_parts(Reply(ReplyKind.CARD, blocks))
    assert len(parts) == 2
    assert parts[0].endswith("a" * 10) and parts[1].startswith("<b>Seção B</b>\n\nbbb")


def test_no_card_part_ends_with_a_section_title() -> None:
    from conftest import shared_real_kb

    from bot.answers.core import answer

    kb = shared_real_kb()
    for pid in kb.providers:
        parts = to_html_parts(answer(kb, f"/provedor {pid}"))
        assert len(parts) > 1
        assert not any(p.endswith("</b>") for p in parts[:-1]), pid
        assert all(len(p) <= TELEGRAM_LIMIT for p in parts)
