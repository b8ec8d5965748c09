"""What arrives from Evolution: a ``messages.upsert`` webhook read into an :class:`Incoming`.

Evolution 2.3 posts ``{"event": "messages.upsert", "instance", "data", "sender", ...}``. In
``data`` (``prepareMessage`` in whatsapp.baileys.service.ts): ``key.remoteJid`` (a group ends in
``@g.us``), ``key.participant`` (the sender in a group: ``…@lid`` in groups with LID addressing,
the phone JID then in ``key.participantAlt``), ``key.remoteJidAlt`` (a private chat's other JID),
``key.fromMe``, ``key.id``, ``pushName``, the text in ``message.conversation`` (Evolution moves
``extendedTextMessage.text`` there) and ``contextInfo`` beside ``message``: ``mentionedJid``,
``stanzaId`` and ``participant`` of the quoted message. Older payloads keep
``message.extendedTextMessage``, disappearing messages may come wrapped (``ephemeralMessage``), a
picture's caption may ask too: all are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.policy.access import GROUP_SUFFIX, whatsapp_keys

UPSERT = "messages.upsert"


@dataclass(frozen=True)
class Incoming:
    id: str
    chat: str
    """``…@g.us`` for a group; the other person's JID in a private chat."""
    sender: str
    """The sender's JID as WhatsApp gave it (``…@lid`` or ``…@s.whatsapp.net``)."""
    sender_jids: tuple[str, ...]
    """Every JID known for the sender (participant, participantAlt, remoteJidAlt)."""
    from_me: bool
    name: str
    text: str
    mentions: tuple[str, ...] = ()
    quoted_id: str = ""
    quoted_participant: str = ""
    timestamp: int = 0
    instance_jid: str = ""
    """The envelope's ``sender``: the bot's own number, as Evolution knows it."""

    @property
    def in_group(self) -> bool:
        return self.chat.endswith(GROUP_SUFFIX)

    @property
    def person(self) -> frozenset[str]:
        """The sender's identities, comparable with the settings' (see ``whatsapp_keys``)."""
        return frozenset().union(*(whatsapp_keys(j) for j in self.sender_jids))


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


_WRAPPERS = ("ephemeralMessage", "viewOnceMessage", "viewOnceMessageV2")
"""Messages WhatsApp wraps in another (disappearing messages, view once): the text is inside."""


def _unwrap(message: dict[str, Any]) -> dict[str, Any]:
    for _ in range(len(_WRAPPERS)):
        inner = next(
            (_dict(_dict(message.get(k)).get("message")) for k in _WRAPPERS if k in message), {}
        )
        if not inner:
            break
        message = inner
    return message


def _text_and_context(data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    message = _unwrap(_dict(data.get("message")))
    extended = _dict(message.get("extendedTextMessage"))
    image = _dict(message.get("imageMessage"))
    text = (
        _str(message.get("conversation"))
        or _str(extended.get("text"))
        or _str(image.get("caption"))
    )
    context = (
        _dict(data.get("contextInfo"))
        or _dict(extended.get("contextInfo"))
        or _dict(image.get("contextInfo"))
    )
    return text, context


def read_upsert(payload: Any) -> Incoming | None:
    """The message of a ``messages.upsert`` webhook body; ``None`` for anything else (other
    events, status broadcasts, messages without text)."""
    body = _dict(payload)
    if body.get("event") != UPSERT:
        return None
    data = body.get("data")
    if isinstance(data, list):  # some versions batch; the bot answers the first text
        data = next((d for d in data if isinstance(d, dict)), None)
    data = _dict(data)
    key = _dict(data.get("key"))
    chat, message_id = _str(key.get("remoteJid")), _str(key.get("id"))
    if not chat or not message_id or chat == "status@broadcast" or chat.endswith("@broadcast"):
        return None
    text, context = _text_and_context(data)
    if chat.endswith(GROUP_SUFFIX):
        sender = _str(key.get("participant"))
        jids: tuple[str, ...] = (sender, _str(key.get("participantAlt")))
    else:
        sender = chat
        jids = (chat, _str(key.get("remoteJidAlt")), _str(key.get("senderPn")))
    mentions = context.get("mentionedJid")
    timestamp = data.get("messageTimestamp")
    return Incoming(
        id=message_id,
        chat=chat,
        sender=sender,
        sender_jids=tuple(j for j in jids if j),
        from_me=key.get("fromMe") is True,
        name=_str(data.get("pushName")),
        text=text,
        mentions=tuple(m for m in mentions if isinstance(m, str))
        if isinstance(mentions, list)
        else (),
        quoted_id=_str(context.get("stanzaId")),
        quoted_participant=_str(context.get("participant")),
        timestamp=int(timestamp) if isinstance(timestamp, int | float) else 0,
        instance_jid=_str(body.get("sender")),
    )
