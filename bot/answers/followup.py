"""Follow-ups: a message that replies to one of the bot's answers ("e a senha?", "e o da
vmnet?", "👍").

The door knows which answer a message replies to and keeps, for the bot's recent messages, only
what each answer was about (:class:`Answered`: ISP id and topic id, or the command a "which
ISP?" menu repeats; no text, no secret; bounded, in memory, forgotten at a restart -- a reply to
an older message is then read on its own). The core takes that as :class:`Previous` and uses it
only for what the new message does not say:

* the new message names no ISP and the core would ask "Informe o provedor": the replied answer's
  ISP, exactly as if its button had been tapped ("e a senha?" under Mutum's DNS: Mutum's
  password answer -- still flagged as credentials, so the door's policy applies);
* the new message names one ISP and nothing else ("e o da vmnet?"): the replied answer's topic
  for that ISP (that ISP's data only; "o documento não traz" when its document lacks it) -- also
  when the replied message asked which ISP ("Informe o provedor: /dns <provedor>" answered with
  "mutum" is Mutum's DNS, as its button);
* the new message names no ISP, but a clue of another ISP's document (a model, a figure, a plan,
  a rule quoted) would answer for that ISP or ask between ISPs: it is read as naming the replied
  answer's ISP ("e a senha do tp link?" under Mutum's passwords: Mutum's table, which has no
  TP-Link -- never VM NET's TP-Link password); "Quem atende <lugar>" stays asked of every ISP,
  and a place the customer is in keeps the ISP it names ("cliente de ubatuba, qual o dns?");
* an emoji or punctuation only ("👍"): nothing is answered (:attr:`ReplyKind.NOD`); a thanks or
  an "ok" gets the short courtesy without the hint.

Anything else is answered as if it were not a reply: a message that names its own ISP or topic
keeps them. Each answer completed this way says why in one line (:data:`msg.FOLLOWUP_WHY`).
Nothing here imports a chat library.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, replace

from bot.answers import messages as msg
from bot.answers.core import _after_heading, answer, parse_command
from bot.answers.greeting import salute
from bot.answers.reply import Reply, ReplyKind, note, text
from bot.knowledge.kb import KB
from bot.reading.context import is_place
from bot.reading.reader import read
from bot.reading.text import clean_input

WHOIS_TOPIC = "cidades"
"""The topic of "Quem atende <lugar>" (``bot.answers.topics.whois_reply``)."""
NOT_ANSWERED = frozenset(
    {ReplyKind.NOT_UNDERSTOOD, ReplyKind.UNSURE, ReplyKind.EMPTY, ReplyKind.UNKNOWN_COMMAND}
)
"""Replies that answer nothing: a message re-read with the replied answer's ISP must do better."""

ISP_MENUS = frozenset({ReplyKind.MISSING_PROVIDER, ReplyKind.CHOICE, ReplyKind.UNKNOWN_PROVIDER})
"""Replies that may ask which ISP, a button each (not /provedores' list of cards)."""

MEMORY = 2000
"""The bot's answers remembered per door (the oldest forgotten first): a few nights of a busy
group."""


@dataclass(frozen=True)
class Previous:
    """What the bot's answer a message replies to was about."""

    provider_id: str | None = None
    topic_id: str | None = None
    command: str | None = None
    """The command every button of a "which ISP?" menu repeats ("/dns {id}"): the answer asked
    which ISP, and the agent may reply with its name instead of tapping ("mutum")."""
    credentials: bool = False
    """The answer was a credential answer (its ISP may have come from a KB password typed:
    "deusefiel não entrou": VM NET, withheld in a closed group): a follow-up answered for its
    ISP from it is one too, or a reply to the withheld notice ("e o dns?") would tell whose
    password it is."""


def previous_of(reply: Reply) -> Previous | None:
    """What ``reply`` is about, or ``None`` when it is about no ISP, no topic and is no menu of
    ISPs for one command."""
    if reply.provider_id is None and reply.topic_id is None:
        command = _menu_command(reply)
        return Previous(command=command) if command is not None else None
    return Previous(reply.provider_id, reply.topic_id, credentials=reply.credentials)


def _menu_command(reply: Reply) -> str | None:
    """The one command all of ``reply``'s buttons ask, each for its own first argument (an ISP:
    "Informe o provedor: /dns <provedor>", "Qual provedor?"), else ``None``."""
    if reply.kind not in ISP_MENUS:
        return None
    commands = [parse_command(b.ask) for b in reply.buttons]
    if len(commands) < 2 or any(c is None or not c.args for c in commands):
        return None
    names = {c.name for c in commands if c is not None}
    firsts = {c.args[0] for c in commands if c is not None}
    return names.pop() if len(names) == 1 and len(firsts) == len(commands) else None


class Answered:
    """Which answer each of the bot's recent messages carries: ``(chat, message id)`` ->
    :class:`Previous`. Memory only, bounded (:data:`MEMORY`)."""

    def __init__(self, size: int = MEMORY) -> None:
        self._size = size
        self._about: OrderedDict[tuple[Hashable, Hashable], Previous] = OrderedDict()

    def remember(self, chat: Hashable, message_id: Hashable, reply: Reply) -> None:
        previous = previous_of(reply)
        key = (chat, message_id)
        if previous is None:
            self._about.pop(key, None)  # an edited message now says something else
            return
        self._about[key] = previous
        self._about.move_to_end(key)
        while len(self._about) > self._size:
            self._about.popitem(last=False)

    def about(self, chat: Hashable, message_id: Hashable) -> Previous | None:
        return self._about.get((chat, message_id))

    def __len__(self) -> int:
        return len(self._about)


def is_reaction(message: str) -> bool:
    """Emoji, symbols or punctuation only ("👍", "🙏🙏", "!!"): nothing asked."""
    stripped = "".join(clean_input(message).split())
    return bool(stripped) and not any(ch.isalnum() for ch in stripped)


def answer_after(
    kb: KB, message: str, now: dt.datetime | None = None, previous: Previous | None = None
) -> Reply:
    """:func:`bot.answers.core.answer` of ``message``, which replies to the bot's answer about
    ``previous`` (``None``: not a reply to a known answer, answered as usual)."""
    if previous is None:
        return answer(kb, message, now)
    reply = _answer_after(kb, message, now, previous)
    from_previous = (
        previous.credentials
        and previous.provider_id is not None
        and reply.provider_id == previous.provider_id
        and answer(kb, message, now).provider_id != previous.provider_id
    )
    if from_previous:
        # The ISP came from the replied credential answer, not from this message.
        reply = replace(reply, credentials=True)
    return reply


def _answer_after(kb: KB, message: str, now: dt.datetime | None, previous: Previous) -> Reply:
    if is_reaction(message):
        return Reply(ReplyKind.NOD, ())
    reply = answer(kb, message, now)
    if reply.kind is ReplyKind.GREETING:
        return Reply(ReplyKind.GREETING, (text(salute(message)),))
    provider = kb.providers.get(previous.provider_id or "")
    if reply.kind is ReplyKind.MISSING_PROVIDER and provider is not None:
        return _for_provider(kb, reply, provider.id, provider.name, now) or reply
    if provider is not None and _guessed_another(kb, message, reply, provider.id):
        kept = _for_named(kb, message, provider.id, provider.name, previous.topic_id, now)
        if kept is not None:
            return kept
    topic = kb.topics.get(previous.topic_id or "") or kb.command_topics.get(previous.command or "")
    if topic is not None and _only_an_isp(kb, reply):
        assert reply.provider_id is not None
        command = f"/{topic.commands[0]} {reply.provider_id}"
        asked = answer(kb, command, now)
        if asked.provider_id == reply.provider_id:
            return _why(asked, topic.title, command)
    return reply


def _for_provider(
    kb: KB, reply: Reply, provider_id: str, name: str, now: dt.datetime | None
) -> Reply | None:
    """The answer of the "Informe o provedor" button of ``provider_id``, saying why."""
    for button in reply.buttons:
        command = parse_command(button.ask)
        if command is not None and command.args[:1] == [provider_id]:
            asked = answer(kb, button.ask, now)
            if asked.provider_id == provider_id:
                return _why(asked, name, button.ask)
    return None


def _guessed_another(kb: KB, message: str, reply: Reply, provider_id: str) -> bool:
    """The core answered for another ISP than the replied answer's (or asks between ISPs) only
    from a clue -- a figure, a model, a place, a rule quoted -- the message naming no ISP and
    asking no "who serves": "e a senha do tp link?" under Mutum's passwords is Mutum's TP-Link,
    not VM NET's."""
    if reply.kind is ReplyKind.CHOICE and reply.provider_id is None:
        if not any(_asks_for(b.ask) in kb.providers for b in reply.buttons):
            return False  # a choice of topics or models, not of ISPs
    elif reply.provider_id in (None, provider_id):
        return False
    if reply.topic_id == WHOIS_TOPIC and reply.blocks and _is_whois(reply):
        return False  # "e porto seguro?": which ISP serves a place is asked of them all
    command = parse_command(message)
    said = " ".join(command.args) if command is not None else message
    reading = read(kb, said)
    if any(is_place(kb, name) for name in reading.context):
        # "cliente de ubatuba, qual o dns?": where the customer is says whose customer, more
        # than the message replied to (the answer says why: "Ubatuba → Seja Fibra").
        return False
    return not reading.lookalike and (not reading.providers or reading.by_equipment)


def _asks_for(ask: str) -> str:
    """The ISP id a button's command names ("/dns {id} ..."), else ""."""
    command = parse_command(ask)
    return command.args[0] if command is not None and command.args else ""


def _is_whois(reply: Reply) -> bool:
    return reply.blocks[0].plain.startswith(msg.WHOIS_TITLE.split("{", 1)[0])


def _for_named(
    kb: KB,
    message: str,
    provider_id: str,
    name: str,
    topic_id: str | None,
    now: dt.datetime | None,
) -> Reply | None:
    """``message`` answered as if it named the replied answer's ISP (else as that answer's topic
    command with the message's words: "e o roteador intelbras?" under VM NET's passwords is
    "/senha vmnet e o roteador intelbras?"), saying why; ``None`` when neither is understood
    (the core's own reply, with its line why, stays)."""
    command = parse_command(message)
    if command is not None:
        asks = [" ".join([f"/{command.name}", provider_id, *command.args])]
    else:
        asks = [f"{provider_id} {message}"]
        topic = kb.topics.get(topic_id or "")
        if topic is not None and topic.commands:
            asks.append(f"/{topic.commands[0]} {provider_id} {message}")
    for ask in asks:
        asked = answer(kb, ask, now)
        if asked.provider_id == provider_id and asked.kind not in NOT_ANSWERED:
            return _why(asked, name, ask)
    return None


def _only_an_isp(kb: KB, reply: Reply) -> bool:
    """The core's reply to a message naming one ISP and nothing else: that ISP's topics."""
    if reply.kind is not ReplyKind.CHOICE or reply.topic_id is not None:
        return False
    provider = kb.providers.get(reply.provider_id or "")
    if provider is None or not reply.blocks:
        return False
    return reply.blocks[-1].plain == msg.PROVIDER_TOPICS.format(provider=provider.name)


def _why(reply: Reply, what: str, command: str) -> Reply:
    said = note(msg.FOLLOWUP_WHY.format(what=what))
    return replace(reply, blocks=_after_heading(reply.blocks, said), stands_for=command)
