"""Follow-ups through the real doors: a reply to the bot's answer takes the ISP or the topic it
lacks from that answer (``bot.answers.followup``), under the same credential policy; "👍" to the
bot gets nothing. Telegram through the real PTB Application and the fake Bot API; WhatsApp
through a started channel and the fake Evolution API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from conftest import MUTUM_DNS, PASSWORD, make_settings, shared_real_kb
from harness import Harness, running, shown

from bot.answers import messages as msg
from bot.knowledge.kb import KB, KBHolder
from fake_bot_api import AGENT, GROUP, ApiCall, button_data, private_chat
from fake_evolution_api import AGENT as WA_AGENT
from fake_evolution_api import API_KEY, GROUP_JID, INSTANCE, JWT_KEY, FakeEvolution, free_port
from handlers.whatsapp import build_channel
from handlers.whatsapp.inbound import read_upsert

VMNET_DNS = "45.162.123.2"
WITHHELD = "não é enviada em grupos"


async def started(**overrides: Any) -> AsyncIterator[Harness]:
    async for harness in running(make_settings(**overrides), shared_real_kb()):
        yield harness


def answer_of(calls: list[ApiCall]) -> ApiCall:
    [sent] = [c for c in calls if c.method == "sendMessage"]
    return sent


async def reply_to(tg: Harness, bot_message: dict[str, Any], text: str) -> list[ApiCall]:
    chat = bot_message["chat"]
    return await tg.feed(tg.updates.message(chat, AGENT, text, reply_to=bot_message))


async def test_replies_to_the_dns_answer_in_the_group_keep_its_context() -> None:
    async for tg in started():
        calls = await tg.say(GROUP, AGENT, "/dns mutum")
        assert MUTUM_DNS in shown(calls)
        first = answer_of(calls).result

        vmnet = shown(await reply_to(tg, first, "e o da vmnet?"))
        assert VMNET_DNS in vmnet and MUTUM_DNS not in vmnet and "VM NET › DNS" in vmnet
        senha = shown(await reply_to(tg, first, "e a senha?"))
        assert "Mutum Fibra › Senha" in senha and "Informe o provedor" not in senha
        assert msg.FOLLOWUP_WHY.format(what="Mutum Fibra") in senha
        bloqueio = shown(await reply_to(tg, first, "qual o bloqueio"))
        assert "Mutum Fibra › Bloqueio" in bloqueio
        assert await reply_to(tg, first, "👍") == []  # nothing posted in the group
        assert shown(await reply_to(tg, first, "valeu")) == msg.GREETING_THANKS
        # the follow-up's own answer can be replied to in turn
        second = answer_of(await reply_to(tg, first, "e o da vmnet?")).result
        assert "VM NET › Senha" in shown(await reply_to(tg, second, "e a senha?"))


async def test_a_reply_quoting_another_isp_s_model_stays_with_the_replied_isp() -> None:
    """In private, under Mutum's password answer, "e a senha do tp link?" is Mutum's (its table
    has no TP-Link) -- never VM NET's TP-Link admin password, which the brand alone names."""
    async for tg in started():
        calls = await tg.say(private_chat(AGENT), AGENT, "/senha mutum")
        first = answer_of(calls).result
        shown_ = shown(await reply_to(tg, first, "e a senha do tp link?"))
        assert "Mutum Fibra › Senha" in shown_ and "VM NET" not in shown_
        assert "deusefiel" not in shown_.casefold()  # VM NET's TP-Link password
        assert msg.FOLLOWUP_WHY.format(what="Mutum Fibra") in shown_


async def test_an_isp_named_in_reply_to_the_which_isp_menu_answers_the_question() -> None:
    """In the group, "qual o dns?" gets "Informe o provedor"; replying "mutum" to it is Mutum's
    DNS, as its button would be (it was Mutum's list of topics)."""
    async for tg in started():
        menu = answer_of(await tg.say(GROUP, AGENT, "@UpcallBot qual o dns?")).result
        assert "Informe o provedor" in menu["text"]
        dns = shown(await reply_to(tg, menu, "mutum"))
        assert MUTUM_DNS in dns and "Assuntos disponíveis" not in dns


async def test_not_a_reply_and_a_reply_to_an_unknown_message_start_from_zero() -> None:
    async for tg in started():
        assert "Informe o provedor" in await tg.ask(GROUP, AGENT, "@UpcallBot e a senha?")
        # a bot message the bot does not remember (sent before a restart)
        old = {
            "message_id": 1,
            "date": 0,
            "chat": GROUP,
            "from": tg.api.bot_user,
            "text": "Mutum Fibra › DNS padrão",
        }
        assert "Informe o provedor" in shown(await reply_to(tg, old, "e a senha?"))
        # "👍" to the bot's answer where it is not remembered: not a follow-up, not silent
        assert "Não entendi" in shown(await reply_to(tg, old, "👍"))


async def test_a_credential_follow_up_obeys_the_group_policy() -> None:
    async for tg in started(credentials_in_groups=False):
        first = answer_of(await tg.say(GROUP, AGENT, "/dns lasernet")).result
        withheld = shown(await reply_to(tg, first, "e a senha?"))
        assert WITHHELD in withheld and "/senha lasernet" in withheld  # what to ask in private
        assert PASSWORD not in withheld
        # the same follow-up in private is answered
        private = private_chat(AGENT)
        mine = answer_of(await tg.say(private, AGENT, "/dns lasernet")).result
        assert PASSWORD in shown(await reply_to(tg, mine, "e a senha?"))


async def test_a_pressed_button_s_answer_is_the_context_of_a_reply() -> None:
    async for tg in started():
        menu = answer_of(await tg.say(GROUP, AGENT, "/provedor")).result  # which ISP?
        data = dict(button_data(menu))["Mutum Fibra"]
        await tg.feed(tg.updates.callback(AGENT, {**menu, "chat": GROUP}, data))
        out = shown(await reply_to(tg, menu, "qual o dns?"))
        assert MUTUM_DNS in out


# --------------------------------------------------------------------------- WhatsApp


@pytest.fixture
def evolution() -> Iterator[FakeEvolution]:
    with FakeEvolution() as fake:
        yield fake


def test_whatsapp_replies_quoting_the_bots_answer_keep_its_context(
    evolution: FakeEvolution, real_kb: KB
) -> None:
    settings = make_settings(
        whatsapp_api_url=evolution.base_url,
        whatsapp_api_key=API_KEY,
        whatsapp_instance=INSTANCE,
        whatsapp_webhook_secret=JWT_KEY,
        whatsapp_webhook_url="http://127.0.0.1:8081/whatsapp",
        whatsapp_group_ids=[GROUP_JID],
        whatsapp_send_interval_seconds=0.0,
        whatsapp_webhook_port=free_port(),
        credentials_in_groups=False,
    )

    async def main() -> list[str]:
        channel = build_channel(settings, KBHolder(real_kb))
        await channel.start()
        texts = []
        try:

            async def ask(text: str, quoted: str = "") -> str:
                payload = evolution.group_text_payload(
                    GROUP_JID, WA_AGENT, text, quoted_id=quoted or None
                )
                message = read_upsert(payload)
                assert message is not None
                before = len(evolution.sent_messages(GROUP_JID))
                await channel.conversation.handle(message)
                sent = evolution.sent_messages(GROUP_JID)[before:]
                texts.append("\n".join(m.text or "" for m in sent))
                return sent[-1].key_id if sent else ""

            first = await ask("/dns mutum")
            await ask("e o da vmnet?", first)
            await ask("e a senha?", first)
            await ask("👍", first)
        finally:
            await channel.stop()
        return texts

    dns, vmnet, senha, nod = asyncio.run(main())
    assert MUTUM_DNS in dns
    assert VMNET_DNS in vmnet and MUTUM_DNS not in vmnet
    assert "/senha mutum" in senha and WITHHELD in senha  # the group policy still applies
    assert nod == ""


# --------------------------------------------------------------------------- captions and edits


def photo_update(tg: Harness, chat: dict[str, Any], caption: str, edited: bool = False) -> Any:
    """A photo with ``caption``, as Telegram sends it (the caption's entities beside it)."""
    update = tg.updates.message(chat, AGENT, caption, edited=edited)
    message = update["edited_message" if edited else "message"]
    message["caption"] = message.pop("text")
    if "entities" in message:
        message["caption_entities"] = message.pop("entities")
    message["photo"] = [
        {"file_id": "f1", "file_unique_id": "u1", "width": 90, "height": 60, "file_size": 900}
    ]
    return update


@pytest.mark.parametrize("caption", ["/dns mutum", "@UpcallBot qual o dns da mutum?"])
async def test_a_photo_captioned_with_a_question_is_answered_as_on_whatsapp(caption: str) -> None:
    async for tg in started():
        assert MUTUM_DNS in shown(await tg.feed(photo_update(tg, GROUP, caption)))
        # the agents' own captioned photos are left alone, as their texts
        assert await tg.feed(photo_update(tg, GROUP, "olha o print da mutum")) == []
        # a command for another bot
        assert await tg.feed(photo_update(tg, GROUP, "/dns@OtherBot mutum")) == []
        # an edited caption is not read again, as an edited text
        assert await tg.feed(photo_update(tg, GROUP, caption, edited=True)) == []


async def test_an_edited_question_is_not_answered_again() -> None:
    async for tg in started():
        update = tg.updates.message(GROUP, AGENT, "@UpcallBot dns da mutum", edited=True)
        assert await tg.feed(update) == []


def test_whatsapp_does_not_read_edits_either() -> None:
    fake = FakeEvolution()
    payload = fake.group_text_payload(GROUP_JID, WA_AGENT, "")
    edit = {"conversation": "/dns mutum"}
    payload["data"]["message"] = {"protocolMessage": {"type": 14, "editedMessage": edit}}
    message = read_upsert(payload)
    assert message is None or message.text == ""  # no question in it
    assert read_upsert({**payload, "event": "messages.update"}) is None
    assert read_upsert({**payload, "event": "messages.edited"}) is None


async def test_a_reply_to_a_password_questions_withheld_notice_tells_no_isp() -> None:
    """Session 10's QA: a typed KB password names its ISP only as a credential answer, withheld
    in a closed group. A reply to that notice ("e o dns?") must not answer for the password's
    ISP in the group (it would tell whose password it is)."""
    async for tg in started(credentials_in_groups=False):
        first = answer_of(
            await tg.say(GROUP, AGENT, "@UpcallBot deusefiel nao entrou, qual a porta?")
        )
        assert WITHHELD in shown([first])
        out = shown(await reply_to(tg, first.result, "e o dns?"))
        assert "VM NET" not in out and "45.162.123" not in out, out
