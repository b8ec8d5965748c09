"""The answer core: ``answer(kb, text, now) -> Reply``, called by every door (Telegram, console).

A slash command is parsed here (``/senha@UpcallBot lasernet W5-1200G``) and dispatched to the
topic, the ISP card, the lists or the help; anything else is read as a free-text question.
Nothing here imports ``telegram``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot import answers, coverage_answers
from bot import messages as msg
from bot.kb import KB
from bot.reader import read
from bot.reply import Button, Reply, ReplyKind, text
from bot.resolve import (
    ProviderMatch,
    provider_names,
    resolve_equipment,
    resolve_provider,
    split_provider,
)
from bot.schema import Provider, Topic
from bot.text import normalize

MAX_QUERY_CHARS = 1000
"""Longer messages get a "too long" reply: no agent question is that long."""

HELP_COMMANDS = ("ajuda", "help", "start")
PROVIDER_COMMANDS = ("provedor",)
LIST_COMMANDS = ("provedores",)
SEARCH_COMMANDS = ("buscar",)
NOW_COMMANDS = ("agora",)
SCHEDULE_COMMANDS = ("escala",)
VERSION_COMMANDS = ("versao",)
META_COMMANDS = (
    *HELP_COMMANDS,
    *PROVIDER_COMMANDS,
    *LIST_COMMANDS,
    *SEARCH_COMMANDS,
    *NOW_COMMANDS,
    *SCHEDULE_COMMANDS,
    *VERSION_COMMANDS,
)

_Then = Callable[[Provider, list[str]], Reply]
"""What to answer once the ISP is known: (provider, remaining words) -> Reply."""

TOPIC_TIE = 0.8
"""Second topic's score at or above this fraction of the best: ask which one."""


@dataclass(frozen=True)
class Command:
    name: str
    """Lower-case, without "/" and without the "@BotName" suffix."""
    args: list[str]


def parse_command(text_: str) -> Command | None:
    """``"/senha@Bot lasernet W5-1200G"`` -> Command("senha", ["lasernet", "W5-1200G"])."""
    stripped = text_.strip()
    if not stripped.startswith("/"):
        return None
    head, *args = stripped.split()
    name = head[1:].split("@", 1)[0].casefold()
    return Command(name, args)


def all_commands(kb: KB) -> list[str]:
    return [*kb.command_topics, *META_COMMANDS]


def answer(kb: KB, text_: str, now: dt.datetime | None = None) -> Reply:
    """Answer one message as typed by an agent. Never raises on any input."""
    stripped = text_.strip()
    if not stripped:
        return Reply(ReplyKind.EMPTY, (text(msg.EMPTY),))
    if len(stripped) > MAX_QUERY_CHARS:
        size = len(stripped)
        return Reply(
            ReplyKind.TOO_LONG, (text(msg.TOO_LONG.format(size=size, limit=MAX_QUERY_CHARS)),)
        )
    command = parse_command(stripped)
    if command is None:
        return answer_question(kb, stripped)
    return answer_command(kb, command, now)


def answer_command(kb: KB, command: Command, now: dt.datetime | None = None) -> Reply:
    name, args = command.name, command.args
    if name in NOW_COMMANDS:
        if not args:
            return coverage_answers.now_reply(kb, now)
        return _with_provider(
            kb, name, args, lambda p, _rest: coverage_answers.provider_now_reply(kb, p, now)
        )
    if name in SCHEDULE_COMMANDS:
        return coverage_answers.schedule_reply(kb, " ".join(args), now)
    if name in HELP_COMMANDS:
        return answers.help_reply(kb)
    if name in VERSION_COMMANDS:
        from bot.reload_answers import version_reply

        return version_reply(kb, zone=now.tzinfo if now else None)
    if name in LIST_COMMANDS:
        return answers.providers_list(kb)
    if name in SEARCH_COMMANDS:
        if not args:
            return Reply(ReplyKind.EMPTY, (text(msg.EMPTY),))
        return answer_question(kb, " ".join(args))
    if name in PROVIDER_COMMANDS:
        return _with_provider(kb, name, args, lambda p, _rest: answers.provider_card(kb, p))
    topic = kb.command_topics.get(name)
    if topic is None:
        return unknown_command(kb, command)
    if topic.id == "senha":
        return _with_provider(kb, name, args, lambda p, rest: _senha(kb, p, rest))
    if topic.id == "horario":
        return _with_provider(
            kb, name, args, lambda p, _rest: coverage_answers.hours_reply(kb, p, topic, now)
        )
    return _with_provider(kb, name, args, lambda p, _rest: answers.topic_reply(kb, p, topic))


def _with_provider(kb: KB, name: str, args: Sequence[str], then: _Then) -> Reply:
    """Resolve the ISP among the arguments, or explain what is wrong with it."""
    if not args:
        return answers.provider_choice(
            kb,
            list(kb.providers.values()),
            f"/{name} {{id}}",
            msg.MISSING_PROVIDER.format(command=name),
            ReplyKind.MISSING_PROVIDER,
        )
    match, rest = split_provider(kb, args)
    provider = match.provider
    if provider is not None:
        return then(provider, rest)
    if match.lookalike:
        return answers.lookalike_reply(kb, *match.lookalike)
    tail = f" {' '.join(rest)}" if rest else ""
    if match.candidates:
        return answers.provider_choice(
            kb, match.candidates, f"/{name} {{id}}{tail}", msg.CHOOSE_PROVIDER, ReplyKind.CHOICE
        )
    # Nothing matched: the first word was the attempt at an ISP; keep the others.
    tail = "".join(f" {word}" for word in args[1:])
    return answers.provider_choice(
        kb,
        list(kb.providers.values()),
        f"/{name} {{id}}{tail}",
        msg.UNKNOWN_PROVIDER.format(query=" ".join(args)),
        ReplyKind.UNKNOWN_PROVIDER,
    )


def _senha(kb: KB, provider: Provider, rest: Sequence[str]) -> Reply:
    topic = kb.topics["senha"]
    query = " ".join(rest).strip()
    if not query:
        return answers.topic_reply(kb, provider, topic)
    match = resolve_equipment(provider, query)
    if match.equipment is not None:
        return answers.equipment_reply(kb, provider, match.equipment)
    if match.candidates:
        return answers.equipment_choice(provider, query, match.candidates)
    return answers.unknown_equipment(provider, query)


def unknown_command(kb: KB, command: Command) -> Reply:
    blocks = [text(msg.UNKNOWN_COMMAND.format(command=command.name))]
    buttons: tuple[Button, ...] = ()
    suggestion = process.extractOne(
        command.name, all_commands(kb), scorer=fuzz.ratio, score_cutoff=60
    )
    if suggestion:
        best = suggestion[0]
        blocks.append(text(msg.DID_YOU_MEAN.format(suggestion=best)))
        ask = " ".join([f"/{best}", *command.args])
        buttons = (Button(ask, ask),)
    blocks.append(text(msg.SEE_HELP))
    return Reply(ReplyKind.UNKNOWN_COMMAND, tuple(blocks), buttons=buttons)


# --------------------------------------------------------------------------- free text


def answer_question(kb: KB, question: str) -> Reply:
    """Free text: find the ISP and the topic from the words, or say what is missing."""
    reading = read(kb, question)
    providers, topics = reading.providers, reading.topics
    topic = reading.best_topic

    if not providers and reading.lookalike:
        return answers.lookalike_reply(kb, *reading.lookalike)
    if topic is None:
        if len(providers) == 1:
            return _provider_topics(kb, providers[0])
        return _not_understood(kb, question)

    tied = [t.topic for t in topics[1:3] if t.score >= topics[0].score * TOPIC_TIE]
    if len(providers) > 1:
        return answers.provider_choice(
            kb, providers, _ask(topic, "{id}"), msg.CHOOSE_PROVIDER, ReplyKind.CHOICE
        )
    if not providers:
        return answers.provider_choice(
            kb,
            list(kb.providers.values()),
            _ask(topic, "{id}"),
            msg.MISSING_PROVIDER.format(command=topic.commands[0]),
            ReplyKind.MISSING_PROVIDER,
        )
    provider = providers[0]
    if tied and reading.equipment is None:
        options = [topic, *tied]
        return Reply(
            ReplyKind.CHOICE,
            (text(msg.CHOOSE_TOPIC),),
            buttons=tuple(Button(t.title, _ask(t, provider.id)) for t in options),
            provider_id=provider.id,
            confidence=topics[0].score,
        )
    if topic.id == "senha" and reading.equipment is not None:
        return answers.equipment_reply(kb, provider, reading.equipment)
    return answers.topic_reply(kb, provider, topic)


def _ask(topic: Topic, provider_id: str) -> str:
    return f"/{topic.commands[0]} {provider_id}"


def _provider_topics(kb: KB, provider: Provider) -> Reply:
    """Only an ISP named: offer its topics."""
    topics = [t for t in kb.catalogue.topics if answers.has_topic(provider, t)]
    return Reply(
        ReplyKind.CHOICE,
        (text(msg.PROVIDER_TOPICS.format(provider=provider.name)),),
        buttons=tuple(Button(t.title, _ask(t, provider.id)) for t in topics),
        provider_id=provider.id,
    )


def _not_understood(kb: KB, question: str) -> Reply:
    shown = question if len(question) <= 80 else question[:77] + "..."
    return Reply(
        ReplyKind.NOT_UNDERSTOOD,
        (text(msg.NOT_UNDERSTOOD.format(query=shown)), text(msg.NOT_UNDERSTOOD_HINT)),
        confidence=0.0,
    )


__all__ = [
    "Command",
    "ProviderMatch",
    "answer",
    "normalize",
    "parse_command",
    "provider_names",
    "resolve_provider",
]
