"""WhatsApp markup from the core's Reply: formatting, never formatting what must stay as written."""

from __future__ import annotations

import re

import pytest
from conftest import MUTUM_DNS, PASSWORD
from hypothesis import given
from hypothesis import strategies as st

from bot.answers.core import answer
from bot.answers.render.whatsapp import FENCE, WHATSAPP_LIMIT, to_whatsapp, to_whatsapp_parts
from bot.answers.reply import (
    Block,
    BlockKind,
    Button,
    Reply,
    ReplyKind,
    Span,
    Style,
    heading,
    note,
    template,
    text,
)
from bot.knowledge.kb import KB


def reply(*blocks: Block, buttons: tuple[Button, ...] = ()) -> Reply:
    return Reply(ReplyKind.ANSWER, blocks, buttons=buttons)


def test_styles() -> None:
    out = to_whatsapp(
        reply(
            heading("Título <x>"),
            text("senha: ", Span("p*a_ss", Style.CODE), " fim ", Span("forte", Style.BOLD)),
            note("nota"),
            template("Mensagem sugestiva", "Olá, *cliente*!\nTudo bem?"),
        )
    )
    assert out == (
        "*Título <x>*\n\n"
        "senha: ```p*a_ss``` fim *forte*\n\n"
        "_nota_\n\n"
        "*Mensagem sugestiva*\n```Olá, *cliente*!\nTudo bem?```"
    )


def test_markers_hug_the_words_and_stay_on_their_line() -> None:
    out = to_whatsapp(reply(text(Span(" um\ndois ", Style.BOLD)), note("a\n\nb")))
    assert out == " *um*\n*dois* \n\n_a_\n\n_b_"


@pytest.mark.parametrize(
    "plain",
    [
        "ligar *123# e depois _teste_",
        "usuario_admin e senha*",
    ],
)
def test_words_with_markers_are_fenced(plain: str) -> None:
    out = to_whatsapp(reply(text(plain)))
    outside = re.sub(r"```.*?```", "", out)
    assert not set("*_~") & set(outside)
    assert re.sub(r"```", "", out) == plain


# QA round 7, #21: WhatsApp makes a link of a URL in plain text, not of one in monospace.
URL_MARKUP = [
    ("veja https://exemplo.com/x.", "veja https://exemplo.com/x."),
    ("IXC: https://ixc.mutum.com.br/central_assinante_web/login", None),
    ("site www.x.com.br, e _nota_", "site www.x.com.br, e ```_nota_```"),
    ("pasta https://x.com/_docs_/a", "pasta https://x.com/%5Fdocs%5F/a"),
    ("home https://x.com/~joao", "home https://x.com/%7Ejoao"),
    ("raro https://x.com/a*b", "raro ```https://x.com/a*b```"),
]


@pytest.mark.parametrize(("plain", "shown"), URL_MARKUP)
def test_a_url_stays_a_tappable_link(plain: str, shown: str | None) -> None:
    """Out of the fences; a marker at a word's edge percent-encoded (the same address); a URL
    with "*" (no encoding of it is the same address) fenced, exact."""
    out = to_whatsapp(reply(text(plain)))
    assert out == (shown or plain)


def test_a_url_in_bold_or_a_note_stays_a_link() -> None:
    out = to_whatsapp(reply(heading("Portal https://x.com/a"), note("veja www.x.com.br")))
    assert out == "Portal https://x.com/a\n\nveja www.x.com.br"


def test_a_suggested_message_keeps_its_monospace_but_not_around_its_links() -> None:
    body = 'Baixe "VM TV":\n\nANDROID: https://play.google.com/x?id=a_b\nIOS: https://apps.apple.com/y\nSenha: *CPF*'
    out = to_whatsapp(reply(template("Mensagem", body)))
    assert out == (
        "*Mensagem*\n"
        '```Baixe "VM TV":\n\nANDROID:``` https://play.google.com/x?id=a_b\n'
        "```IOS:``` https://apps.apple.com/y\n```Senha: *CPF*```"
    )


def test_a_huge_suggested_message_with_links_fits_each_part() -> None:
    body = "\n".join(f"linha {i} https://exemplo.com/{i} *fim*" for i in range(400))
    parts = to_whatsapp_parts(reply(template("Mensagem", body)), limit=700)
    assert len(parts) > 1
    for part in parts:
        assert len(part) <= 700
        assert part.count(FENCE) % 2 == 0
        assert "```https" not in part


def test_passwords_stay_monospace_and_real_links_tappable(real_kb: KB) -> None:
    """The real KB: no URL of any answer below inside a fence; credentials still fenced."""
    for ask in ("/sistemas mutum", "/contato netcenter", "/tv vmnet", "/provedor lasernet"):
        out = to_whatsapp(answer(real_kb, ask))
        assert re.search(r"(?:https?://|www\.)", out), ask
        outside = re.sub(r"```.*?```", "", out, flags=re.S)
        for url in re.findall(r"(?:https?://|www\.)\S+", out):
            assert url.rstrip(".,;:!?)") in outside, (ask, url)
    assert f"```{PASSWORD}```" in to_whatsapp(answer(real_kb, "/senha lasernet W5-1200G"))


def test_bold_text_with_markers_is_not_styled_but_protected() -> None:
    out = to_whatsapp(reply(heading("Senha a*b")))
    assert out == "Senha ```a*b```"


def test_choices_become_a_numbered_list_in_the_last_part() -> None:
    buttons = (Button("LaserNet", "/dns lasernet"), Button("Mutum_Fibra", "/dns mutum"))
    parts = to_whatsapp_parts(reply(text("Qual provedor?"), buttons=buttons))
    assert len(parts) == 1
    assert "1. LaserNet\n2. ```Mutum_Fibra```" in parts[0]
    assert parts[0].endswith("_Responda a esta mensagem com o número da opção._")


def test_long_replies_split_at_paragraphs() -> None:
    paragraphs = [text(f"parágrafo {i} " + "x" * 900) for i in range(12)]
    parts = to_whatsapp_parts(reply(*paragraphs))
    assert len(parts) > 1
    assert all(len(p) <= WHATSAPP_LIMIT for p in parts)
    assert "\n\n".join(parts) == to_whatsapp(reply(*paragraphs))


def test_a_huge_suggested_message_is_split_with_its_fences_closed() -> None:
    body = "\n".join(f"linha {i} *com* _marcas_" for i in range(800))
    parts = to_whatsapp_parts(reply(template("Mensagem", body)), limit=1000)
    assert len(parts) > 1
    for part in parts:
        assert len(part) <= 1000
        assert part.count(FENCE) % 2 == 0
    joined = "".join(re.findall(r"```(.*?)```", "\n".join(parts), re.S))
    assert joined.replace("\n", "") == body.replace("\n", "")


@given(st.text(max_size=3000))
def test_any_text_fits_and_keeps_its_fences_balanced(value: str) -> None:
    r = reply(heading(value[:50]), text(value, Span(value[:20], Style.CODE)), note(value[:300]))
    for part in to_whatsapp_parts(r, limit=500):
        assert len(part) <= 500


def test_real_answers_carry_no_telegram_html(real_kb: KB) -> None:
    for ask in ("/senha lasernet W5-1200G", "/provedor vmnet", "/dns", "/ajuda", "/escala"):
        out = to_whatsapp(answer(real_kb, ask))
        for tag in ("<b>", "<i>", "<code>", "<pre>", "&lt;", "&amp;", "</"):
            assert tag not in out, (ask, tag)
    senha = to_whatsapp(answer(real_kb, "/senha lasernet W5-1200G"))
    assert f"```{PASSWORD}```" in senha
    assert MUTUM_DNS in to_whatsapp(answer(real_kb, "qual o dns da mutum?"))


def test_empty_blocks_vanish() -> None:
    assert to_whatsapp_parts(reply(Block(BlockKind.TEXT, ()), text("a"))) == ["a"]


def test_a_two_section_reply_reads_the_same_on_whatsapp(real_kb: KB) -> None:
    from bot.answers.render.plain import to_plain

    reply = answer(real_kb, "dns e bloqueio da mutum")
    out, plain = to_whatsapp(reply), to_plain(reply)
    for said in (out, plain):
        assert MUTUM_DNS in said
        assert "DNS padrão" in said and "Bloqueio e redução de velocidade" in said
    assert "*DNS padrão*" in out  # each section's title in bold
    assert "1. DNS padrão (completo)" in out and "2. Bloqueio e redução de velocidade" in out


def test_a_section_title_never_ends_a_part() -> None:
    """QA: a card cut into messages left a section's title alone at the end of one."""
    blocks = (heading("Ficha"), text("a" * 700), heading("Seção B"), text("b" * 300))
    parts = to_whatsapp_parts(reply(*blocks), limit=1000)
    assert len(parts) == 2
    assert parts[0].endswith("a" * 10) and parts[1].startswith("*Seção B*\n\nbbb")
    # a title that cannot fit with its body still goes out
    lone = to_whatsapp_parts(reply(heading("T" * 50), text("c" * 990)), limit=1000)
    assert lone == ["*" + "T" * 50 + "*", "c" * 990]
