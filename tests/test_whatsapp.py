"""The WhatsApp door's decisions, without a network: signatures, payloads, what is a question,
numbered choices, who may ask."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from conftest import make_settings

from bot.answers.reply import Button
from bot.policy.access import whatsapp_keys, whatsapp_may_ask
from fake_evolution_api import AGENT, BOT, GROUP_JID, JWT_KEY, SUPERVISOR, FakeEvolution
from handlers.whatsapp import webhook
from handlers.whatsapp.choices import Choices
from handlers.whatsapp.inbound import Incoming, read_upsert
from handlers.whatsapp.questions import Identity, SentIds, question_in
from handlers.whatsapp.webhook import Seen, Signatures, signed

FAKE = FakeEvolution()
"""Only its payload builders are used: never started."""


def token(key: str = JWT_KEY, **claims: Any) -> str:
    now = int(time.time())
    payload = {"iat": now, "exp": now + 600, "app": "evolution", "action": "webhook"} | claims
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, key, algorithm="HS256")


# --------------------------------------------------------------------------- the signature


def test_a_token_as_evolution_signs_it_is_accepted() -> None:
    assert signed(f"Bearer {token()}", JWT_KEY)
    assert signed(f"bearer {FAKE.make_jwt(JWT_KEY)}", JWT_KEY)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer not-a-jwt",
        f"Basic {token()}",
        f"Bearer {token('another-key-of-the-same-length-0123456789abcde')}",
        f"Bearer {token(exp=int(time.time()) - 120)}",  # expired (beyond the leeway)
        f"Bearer {token(exp=None)}",  # no expiry at all
        f"Bearer {token(app='other')}",  # signed, but not an Evolution webhook
    ],
)
def test_anything_else_is_refused(header: str | None) -> None:
    assert not signed(header, JWT_KEY)


def test_alg_none_is_refused() -> None:
    unsigned = jwt.encode({"exp": int(time.time()) + 60}, None, algorithm="none")
    assert not signed(f"Bearer {unsigned}", JWT_KEY)


def test_no_secret_configured_refuses_everything() -> None:
    assert not signed(f"Bearer {token()}", "")


def test_seen_is_bounded_and_answers_once() -> None:
    seen = Seen(size=3)
    assert seen.first_time("a") and not seen.first_time("a")
    for key in "bcd":
        seen.first_time(key)
    assert len(seen) == 3
    assert seen.first_time("a")  # forgotten: the oldest go first


# --------------------------------------------------------------------------- payloads


def test_a_lid_group_message_is_read() -> None:
    payload = FAKE.group_text_payload(
        GROUP_JID, AGENT, f"{BOT.mention(True)} oi", mentions=[BOT], quoted_id="ABC"
    )
    message = read_upsert(payload)
    assert message is not None
    assert message.chat == GROUP_JID and message.in_group
    assert message.sender == AGENT.lid_jid
    assert set(message.sender_jids) == {AGENT.lid_jid, AGENT.pn_jid}
    assert message.mentions == (BOT.lid_jid,)
    assert message.quoted_id == "ABC"
    assert message.text == f"@{BOT.lid} oi"
    assert message.name == AGENT.name and not message.from_me


def test_a_private_lid_message_knows_the_phone_too() -> None:
    message = read_upsert(FAKE.dm_text_payload(SUPERVISOR, "/dns mutum", lid=True))
    assert message is not None and not message.in_group
    assert message.chat == SUPERVISOR.lid_jid
    assert SUPERVISOR.phone in message.person


def test_extended_text_of_older_payloads_is_read() -> None:
    payload = FAKE.group_text_payload(GROUP_JID, AGENT, "")
    data = payload["data"]
    data["message"] = {
        "extendedTextMessage": {"text": "olá", "contextInfo": {"stanzaId": "Q1"}},
    }
    data.pop("contextInfo", None)
    message = read_upsert(payload)
    assert message is not None and message.text == "olá" and message.quoted_id == "Q1"


@pytest.mark.parametrize(
    "payload",
    [
        {"event": "messages.update", "data": {}},
        {"event": "messages.upsert", "data": {"key": {"remoteJid": "status@broadcast", "id": "1"}}},
        {"event": "messages.upsert", "data": "nonsense"},
        [],
        None,
    ],
)
def test_other_events_and_nonsense_are_nothing(payload: Any) -> None:
    assert read_upsert(payload) is None


# --------------------------------------------------------------------------- what is a question


def incoming(text: str, **fields: Any) -> Incoming:
    values: dict[str, Any] = {
        "id": "M1",
        "chat": GROUP_JID,
        "sender": AGENT.lid_jid,
        "sender_jids": (AGENT.lid_jid, AGENT.pn_jid),
        "from_me": False,
        "name": AGENT.name,
        "text": text,
    }
    return Incoming(**(values | fields))


ME = Identity(BOT.pn_jid, BOT.lid_jid)


@pytest.mark.parametrize(
    ("message", "question"),
    [
        (incoming("/dns mutum"), "/dns mutum"),
        (incoming(f"@{BOT.lid} qual o dns?", mentions=(BOT.lid_jid,)), "qual o dns?"),
        (incoming(f"qual o dns @{BOT.phone}?", mentions=(BOT.pn_jid,)), "qual o dns ?"),
        (incoming("dns da mutum", quoted_id="SENT1"), "dns da mutum"),
        (incoming("dns", quoted_id="OLD", quoted_participant=BOT.lid_jid), "dns"),
        (incoming("qual o dns da mutum?"), None),
        (incoming("dns", quoted_id="X", quoted_participant=AGENT.lid_jid), None),
        (incoming("oi", mentions=(AGENT.lid_jid,)), None),
        (incoming("/dns mutum", from_me=True), None),
        (incoming("   "), None),
        (incoming("qual o dns?", chat=AGENT.pn_jid), "qual o dns?"),  # private: every text
        # A paste's lines are kept, as the Telegram door keeps them (the core reads them).
        (
            incoming("cli mandou:  oi\n\n  a net caiu \nabro OS?", chat=AGENT.pn_jid),
            "cli mandou: oi\na net caiu\nabro OS?",
        ),
    ],
)
def test_question_in(message: Incoming, question: str | None) -> None:
    sent = SentIds()
    sent.add("SENT1")
    assert question_in(message, ME, sent) == question


def test_identity_matches_the_brazilian_ninth_digit() -> None:
    me = Identity("553188887777@s.whatsapp.net")
    assert me.is_me("5531988887777@s.whatsapp.net")
    assert me.is_me("553188887777:12@s.whatsapp.net")
    assert not me.is_me("553188887777@lid")


# --------------------------------------------------------------------------- choices


def test_a_number_replying_to_the_list_or_typed_by_the_same_agent() -> None:
    choices = Choices(ttl=60)
    buttons = (Button("LaserNet", "/dns lasernet"), Button("Mutum", "/dns mutum"))
    choices.offer(GROUP_JID, AGENT.lid_jid, "LIST", buttons)
    other = SUPERVISOR.lid_jid
    replied = choices.pick(incoming("2", sender=other, quoted_id="LIST"), "2")
    assert replied is not None and replied.button == buttons[1]
    assert choices.pick(incoming("2", sender=other), "2") is None  # another agent, no reply
    typed = choices.pick(incoming("1"), "1")
    assert typed is not None and typed.button == buttons[0]
    assert choices.pick(incoming("1"), "1") is None  # used once
    out = choices.pick(incoming("7", quoted_id="LIST"), "7")
    assert out is not None and out.button is None and out.count == 2
    assert choices.pick(incoming("dois", quoted_id="LIST"), "dois") is None


def test_a_typed_number_expires() -> None:
    choices = Choices(ttl=0)
    choices.offer(GROUP_JID, AGENT.lid_jid, "LIST", (Button("A", "/a"),))
    time.sleep(0.01)
    assert choices.pick(incoming("1"), "1") is None
    assert choices.pick(incoming("1", quoted_id="LIST"), "1") is not None  # a reply never does


# --------------------------------------------------------------------------- who may ask


def test_whatsapp_keys() -> None:
    assert whatsapp_keys("+55 (11) 91111-0001") == {"5511911110001", "551111110001"}
    assert whatsapp_keys("5511911110001:3@s.whatsapp.net") == {"5511911110001", "551111110001"}
    assert whatsapp_keys("200000000000101@lid") == {"lid:200000000000101"}
    assert whatsapp_keys("120363025246125486@g.us") == frozenset()


def test_whatsapp_may_ask() -> None:
    settings = make_settings(
        whatsapp_group_ids=[GROUP_JID],
        whatsapp_supervisors=["5511911110001", "200000000000999@lid"],
    )
    agent = frozenset(whatsapp_keys(AGENT.pn_jid))
    assert whatsapp_may_ask(GROUP_JID, agent, settings)
    assert not whatsapp_may_ask("120363000000000001@g.us", agent, settings)
    assert not whatsapp_may_ask(AGENT.pn_jid, agent, settings)
    assert whatsapp_may_ask(SUPERVISOR.pn_jid, whatsapp_keys(SUPERVISOR.pn_jid), settings)
    lid = "200000000000999@lid"
    assert whatsapp_may_ask(lid, whatsapp_keys(lid), settings)


def test_an_accepted_token_is_remembered_until_it_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [time.time()]
    signatures = Signatures(JWT_KEY, size=2, clock=lambda: now[0])
    good = f"Bearer {token(exp=int(time.time()) + 5)}"
    assert signatures.valid(good)
    checks: list[str | None] = []
    real = webhook.expiry
    monkeypatch.setattr(webhook, "expiry", lambda h, s: checks.append(h) or real(h, s))
    assert signatures.valid(good) and checks == []  # remembered
    assert not signatures.valid(f"Bearer {token('another-key-of-the-same-length-0123456789abcde')}")
    assert not signatures.valid(None)
    now[0] += 5 + webhook.LEEWAY + 1
    signatures.valid(good)
    assert checks[-1] == good  # expired in memory: checked again


def test_wrapped_messages_and_captions_are_read() -> None:
    payload = FAKE.group_text_payload(GROUP_JID, AGENT, "")
    data = payload["data"]
    data.pop("contextInfo", None)
    data["message"] = {
        "ephemeralMessage": {
            "message": {
                "extendedTextMessage": {"text": "/dns mutum", "contextInfo": {"expiration": 604800}}
            }
        }
    }
    message = read_upsert(payload)
    assert message is not None and message.text == "/dns mutum"
    data["message"] = {"imageMessage": {"caption": "/dns vmnet", "url": "https://x"}}
    message = read_upsert(payload)
    assert message is not None and message.text == "/dns vmnet"
