"""The core's follow-up hook (``bot.answers.followup``): what a reply to the bot's answer takes
from that answer. No chat library here."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from conftest import MUTUM_DNS, PASSWORD

from bot.answers import messages as msg
from bot.answers.core import answer
from bot.answers.followup import Answered, Previous, answer_after, is_reaction, previous_of
from bot.answers.render.plain import to_plain
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import KB

NOW = dt.datetime(2026, 12, 6, 3, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
VMNET_DNS = "45.162.123.2"
MUTUM_DNS_ANSWER = Previous("mutum", "dns")


def after(kb: KB, message: str, previous: Previous | None = MUTUM_DNS_ANSWER) -> str:
    return to_plain(answer_after(kb, message, NOW, previous))


def test_the_isp_of_the_replied_answer_fills_a_question_naming_none(real_kb: KB) -> None:
    reply = answer_after(real_kb, "e a senha?", NOW, MUTUM_DNS_ANSWER)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, "mutum", "senha")
    assert reply.credentials  # still a credential answer: the door's policy applies
    assert reply.stands_for == "/senha mutum"  # what to ask in private if a group may not see it
    shown = to_plain(reply)
    assert msg.FOLLOWUP_WHY.format(what="Mutum Fibra") in shown  # says why, in one line
    # exactly what the "Informe o provedor" button of Mutum gives, with the line why
    assert shown.replace(f"({msg.FOLLOWUP_WHY.format(what='Mutum Fibra')})\n\n", "") == (
        to_plain(answer(real_kb, "/senha mutum", NOW))
    )
    blocking = answer_after(real_kb, "qual o bloqueio", NOW, MUTUM_DNS_ANSWER)
    assert (blocking.provider_id, blocking.topic_id) == ("mutum", "bloqueio")
    command = answer_after(real_kb, "/senha", NOW, MUTUM_DNS_ANSWER)  # a bare command too
    assert (command.provider_id, command.topic_id) == ("mutum", "senha")


def test_the_topic_of_the_replied_answer_fills_a_message_naming_only_an_isp(real_kb: KB) -> None:
    for message in ("e o da vmnet?", "e pra vm net", "vmnet"):
        reply = answer_after(real_kb, message, NOW, MUTUM_DNS_ANSWER)
        assert (reply.provider_id, reply.topic_id) == ("vmnet", "dns"), message
        shown = to_plain(reply)
        assert VMNET_DNS in shown and MUTUM_DNS not in shown  # the named ISP's data only
        assert reply.stands_for == "/dns vmnet"
        assert msg.FOLLOWUP_WHY.format(what=real_kb.topics["dns"].title) in shown


def test_a_named_isp_whose_document_lacks_the_topic_is_told_so_never_another_s(
    real_kb: KB,
) -> None:
    reply = answer_after(real_kb, "e da lasernet?", NOW, MUTUM_DNS_ANSWER)
    assert (reply.kind, reply.provider_id) == (ReplyKind.NO_INFO, "lasernet")
    assert MUTUM_DNS not in to_plain(reply)


def test_what_the_message_says_itself_wins(real_kb: KB) -> None:
    own = answer_after(real_kb, "senha da vmnet", NOW, MUTUM_DNS_ANSWER)
    assert own.provider_id == "vmnet" and own.topic_id == "senha"
    assert answer_after(real_kb, "/dns sejafibra", NOW, MUTUM_DNS_ANSWER).provider_id == (
        "sejafibra"
    )
    # the ISP named with something else to say: not the replied answer's topic
    other = answer_after(real_kb, "bloqueio da vmnet", NOW, MUTUM_DNS_ANSWER)
    assert (other.provider_id, other.topic_id) == ("vmnet", "bloqueio")


@pytest.mark.parametrize("message", ["👍", "🙏🙏", "!!", " 👍🏽 "])
def test_an_emoji_reply_gets_nothing(real_kb: KB, message: str) -> None:
    assert is_reaction(message)
    reply = answer_after(real_kb, message, NOW, MUTUM_DNS_ANSWER)
    assert reply.kind is ReplyKind.NOD and reply.blocks == ()
    # not a reply: as before
    assert answer_after(real_kb, message, NOW, None).kind is ReplyKind.NOT_UNDERSTOOD


def test_thanks_to_an_answer_gets_the_short_courtesy(real_kb: KB) -> None:
    assert after(real_kb, "valeu") == msg.GREETING_THANKS
    assert after(real_kb, "ok obrigado") == msg.GREETING_THANKS
    assert "/ajuda" in after(real_kb, "valeu", None)  # not a reply: with the hint


def test_nonsense_and_an_unknown_previous_are_answered_as_usual(real_kb: KB) -> None:
    assert answer_after(real_kb, "kkk", NOW, MUTUM_DNS_ANSWER).kind is ReplyKind.NOT_UNDERSTOOD
    gone = Previous("gone", "gone")  # an ISP or topic a reload removed
    assert answer_after(real_kb, "e a senha?", NOW, gone).kind is ReplyKind.MISSING_PROVIDER
    assert answer_after(real_kb, "e o da vmnet?", NOW, gone).kind is ReplyKind.CHOICE
    topic_only = Previous(None, "dns")
    assert answer_after(real_kb, "e a senha?", NOW, topic_only).kind is (ReplyKind.MISSING_PROVIDER)


def test_a_password_answer_replied_to_names_its_isp_not_its_password(real_kb: KB) -> None:
    previous = previous_of(answer(real_kb, "/senha lasernet W5-1200G", NOW))
    assert previous == Previous("lasernet", "senha", credentials=True)
    reply = answer_after(real_kb, "e o bloqueio?", NOW, previous)
    assert reply.provider_id == "lasernet" and PASSWORD not in to_plain(reply)


def test_answered_is_bounded_and_keeps_ids_only(real_kb: KB) -> None:
    answered = Answered(size=2)
    dns = answer(real_kb, "/dns mutum", NOW)
    answered.remember(1, 10, dns)
    answered.remember(1, 11, answer(real_kb, "/provedores", NOW))  # about no ISP: not kept
    answered.remember(2, 10, dns)
    answered.remember(1, 12, dns)
    assert len(answered) == 2
    assert answered.about(1, 10) is None  # the oldest forgotten
    assert answered.about(1, 11) is None
    assert answered.about(2, 10) == answered.about(1, 12) == Previous("mutum", "dns")
    answered.remember(1, 12, answer(real_kb, "/provedores", NOW))  # edited into another
    assert answered.about(1, 12) is None


@pytest.mark.parametrize(
    ("previous", "message", "topic"),
    [
        (Previous("mutum", "senha"), "e a senha do tp link?", "senha"),  # VM NET's TP-Link
        (Previous("vmnet", "senha"), "e o roteador intelbras?", "senha"),  # LaserNet's brand
        (Previous("sejafibra", "planos"), "e o de 200 mega?", "planos"),  # LaserNet's plan
        (Previous("mutum", "bloqueio"), "bloqueia no 4º dia né?", "bloqueio"),  # NETCENTER's rule
        (Previous("mutum", "bloqueio"), "o limite não era 35 dias?", "bloqueio"),  # LaserNet's
        (Previous("vmnet", "dns"), "e o ip 170.82.12.3?", None),  # NETCENTER's IP
        (Previous("mutum", "senha"), "/senha tp link", "senha"),  # a command, model only
    ],
)
def test_a_clue_of_another_isp_never_overrides_the_replied_answer_s_isp(
    real_kb: KB, previous: Previous, message: str, topic: str | None
) -> None:
    """A reply to the bot's answer about one ISP that names no ISP is about that ISP: a figure,
    model or plan another ISP's document writes does not switch to that ISP (it did: under
    Mutum's passwords, "e a senha do tp link?" gave VM NET's TP-Link admin password)."""
    assert previous.provider_id is not None
    reply = answer_after(real_kb, message, NOW, previous)
    name = real_kb.providers[previous.provider_id].name
    assert reply.provider_id == previous.provider_id
    if topic is not None:
        assert reply.topic_id == topic
    shown = to_plain(reply)
    assert msg.FOLLOWUP_WHY.format(what=name) in shown
    others = [p.name for p in real_kb.providers.values() if p.id != previous.provider_id]
    assert not any(f"{other} ›" in shown or f"→ {other})" in shown for other in others)


def test_a_reply_that_names_its_isp_or_asks_who_serves_a_place_keeps_it(real_kb: KB) -> None:
    named = answer_after(
        real_kb, "e a senha do intelbras da lasernet?", NOW, Previous("vmnet", "senha")
    )
    assert named.provider_id == "lasernet"
    whois = answer_after(real_kb, "e porto seguro?", NOW, Previous("vmnet", "cidades"))
    assert (whois.provider_id, whois.topic_id) == ("netcenter", "cidades")
    assert "Quem atende Porto Seguro" in to_plain(whois).splitlines()[0]


@pytest.mark.parametrize(
    ("asked", "typed", "isp", "topic"),
    [
        ("qual o dns?", "mutum", "mutum", "dns"),  # "Informe o provedor: /dns <provedor>"
        ("bloqueia com 10 dias?", "a vm", "vmnet", "bloqueio"),  # two ISPs write "10 dias"
        ("dns mutum e bloqueio vmnet", "vmnet", "vmnet", "dns"),  # "Qual provedor?"
    ],
)
def test_an_isp_typed_in_reply_to_a_which_isp_menu_is_its_button(
    real_kb: KB, asked: str, typed: str, isp: str, topic: str
) -> None:
    """Replying "mutum" to the bot's "which ISP?" menu is tapping Mutum's button (it gave Mutum's
    list of topics: the agent had to tap again or type the whole question)."""
    menu = answer(real_kb, asked, NOW)
    assert menu.provider_id is None and menu.buttons
    reply = answer_after(real_kb, typed, NOW, previous_of(menu))
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, isp, topic)
    tapped = next(b.ask for b in menu.buttons if b.ask.split()[1:2] == [isp])
    assert to_plain(answer(real_kb, tapped, NOW)).splitlines()[0] in to_plain(reply)


def test_a_place_in_a_reply_keeps_the_isp_it_names_saying_why(real_kb: KB) -> None:
    """Where the customer is says whose customer it is: "cliente de ubatuba" under Mutum's DNS
    is Seja Fibra's (Mutum serves no Ubatuba), with the line why."""
    reply = answer_after(real_kb, "cliente de ubatuba, qual o dns?", NOW, MUTUM_DNS_ANSWER)
    assert (reply.provider_id, reply.topic_id) == ("sejafibra", "dns")
    assert "Ubatuba → Seja Fibra" in to_plain(reply)
