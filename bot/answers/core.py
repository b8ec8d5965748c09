"""The answer core: ``answer(kb, text, now) -> Reply``, called by every door (Telegram, console).

A slash command is parsed here (``/senha@UpcallBot lasernet W5-1200G``) and dispatched to the
topic, the ISP card, the lists or the help; anything else is read as a free-text question.
Nothing here imports ``telegram``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, LCSseq

from bot.answers import clock
from bot.answers import messages as msg
from bot.answers import topics as answers
from bot.answers.greeting import greeting, only_greets
from bot.answers.reply import Block, BlockKind, Button, Reply, ReplyKind, Span, Style, note, text
from bot.coverage import answers as coverage_answers
from bot.coverage import engine as coverage_engine
from bot.knowledge.derive import remembered
from bot.knowledge.kb import KB, derived
from bot.knowledge.passwords import echo
from bot.knowledge.schema import Lookalike, Provider, Sector, Topic
from bot.reading import moment
from bot.reading.context import (
    ContextName,
    common_word,
    context_owners,
    is_place,
    near_a_name,
    places_led,
)
from bot.reading.reader import (
    FINANCE,
    MONEY_MATTERS,
    PLACE_HOURS_TOPIC,
    PLACES_TOPIC,
    Reading,
    TopicScore,
    asks_what_to_do,
    equipment_named,
    keyword_scores,
    places_holding_a_name,
    places_told,
    providers_by_name,
    question_words,
    rank_topics,
    read,
)
from bot.reading.resolve import (
    CONNECTORS,
    ProviderMatch,
    equipment_names,
    initials_of_one,
    provider_names,
    resolve_equipment,
    resolve_provider,
    split_provider,
)
from bot.reading.search import Hit, best_hits, matched_line, search_reply, search_terms
from bot.reading.text import STOPWORDS, clean_input, compact, fold, normalize

MAX_QUERY_CHARS = 4096
"""Longer messages get a "too long" reply: Telegram's own limit for one message."""
LONG_MESSAGE = 200
"""From this many characters a message is a pasted customer message: the question inside it is
read (its sentences with "?" or numbers), the ISP from the whole of it."""

HELP_COMMANDS = ("ajuda", "help", "start")
PROVIDER_COMMANDS = ("provedor",)
LIST_COMMANDS = ("provedores",)
SEARCH_COMMANDS = ("buscar",)
NOW_COMMANDS = ("agora",)
SCHEDULE_COMMANDS = ("escala",)
VERSION_COMMANDS = ("versao",)
NO_ARGUMENTS = (*LIST_COMMANDS, *VERSION_COMMANDS)
"""Commands that take no argument: never what a name typed with arguments stands for."""
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
    typed: str = ""
    """The name as typed when it was understood as another ("desbl" for "desbloqueio")."""
    meant: tuple[str, ...] = ()
    """A tie: the commands the name typed may stand for ("/pla": planos, plantao), asked."""


_COMMAND_HEAD = re.compile(r"/[\s/]*(\w+)(?:@\w*)?(?:[?!:,;.\-–—]+|(?=\s|$))")
"""A command as typed in a hurry: "/dns", "/ dns", "//dns", "/dns?", "/dns:mutum", with or
without "@BotName"; the name is the word's letters and digits, its accents folded."""


def parse_command(text_: str) -> Command | None:
    """``"/senha@Bot lasernet W5-1200G"`` -> Command("senha", ["lasernet", "W5-1200G"]).

    Typed in a hurry too: a space after the slash or a second slash ("/ dns", "//dns"),
    punctuation stuck to the word ("/dns? mutum", "/dns:mutum", "/dns-mutum"), accents
    ("/mudança" is "mudanca")."""
    stripped = text_.strip()
    if not stripped.startswith("/"):
        return None
    found = _COMMAND_HEAD.match(stripped)
    if found is None:
        head, *args = stripped.split()
        return Command(head[1:].split("@", 1)[0].casefold(), args)
    return Command(fold(found.group(1)), stripped[found.end() :].split())


def all_commands(kb: KB) -> list[str]:
    return [*kb.command_topics, *META_COMMANDS]


def answer(kb: KB, text_: str, now: dt.datetime | None = None) -> Reply:
    """Answer one message as typed by an agent. Never raises on any input."""
    stripped = clean_input(text_).strip()
    if not stripped:
        return Reply(ReplyKind.EMPTY, (text(msg.EMPTY),))
    if len(stripped) > MAX_QUERY_CHARS:
        size = len(stripped)
        return Reply(
            ReplyKind.TOO_LONG, (text(msg.TOO_LONG.format(size=size, limit=MAX_QUERY_CHARS)),)
        )
    if now is not None and not coverage_engine.supported(now):
        return out_of_range(now)
    try:
        command = parse_command(stripped) or _without_slash(kb, stripped)
        if command is None:
            inside = command_inside(kb, stripped)
            if inside is not None:
                reply = answer_command(kb, inside, now)
                if reply.kind in COMMAND_INSIDE_KINDS:
                    return reply
            return answer_question(kb, stripped, now)
        return answer_command(kb, _understood(kb, command), now)
    except OverflowError:
        # A moment the question states ("25/12", "domingo") past the last date computed.
        return out_of_range(now or dt.datetime.now(dt.UTC))
    except moment.NoSuchDate as exc:
        # "31/11": never the present moment answered as the one stated.
        return Reply(ReplyKind.OUT_OF_RANGE, (text(msg.INVALID_DATE.format(date=exc.shown)),))


def out_of_range(when: dt.datetime) -> Reply:
    """One line: the clock (``--now``, a stated moment) is outside the dates computed."""
    said = msg.OUT_OF_RANGE.format(
        when=f"{_day(when)} {when:%H:%M}",
        first=_day(coverage_engine.EARLIEST),
        last=_day(coverage_engine.LATEST),
    )
    return Reply(ReplyKind.OUT_OF_RANGE, (text(said),))


def _day(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"  # strftime drops a year's zeros


def _understood(kb: KB, command: Command) -> Command:
    """A command typed in a hurry: the ISP typed first ("/mutum dns") or glued to it
    ("/senhamutum", "/senha_mutum"); a unique prefix ("/desbl") or one slip ("/bloqeuio") of a
    known command, when one command is clearly meant; several commands alike (a prefix of two
    topics' commands, "/pla"): a tie, asked (``Command.meant``). Anything else is left as
    typed (and read as a question, ``_as_question``, when it is no command at all)."""
    names = all_commands(kb)
    if command.args:
        # "/n 2 vm", "/ip v6 vm": a command's word split by a space.
        joined = command.name + fold(command.args[0])
        if joined in names and joined != command.name:
            return Command(joined, command.args[1:])
    if command.name in names:
        return command
    head, _, tail = command.name.partition("_")
    if head and tail:
        # "/senha_mutum": Telegram takes the underscore into the command.
        parts = [*(p for p in tail.split("_") if p), *command.args]
        return _understood(kb, Command(head, parts))
    if not command.name.isalnum():
        return command
    swapped = _isp_first(kb, command, exactly=True) or _glued(kb, command)
    if swapped is not None:
        return swapped
    meant = meant_commands(kb, command.name)
    if len(meant) > 1 and command.args:
        # "/prov vm": /provedor; /provedores takes no ISP.
        meant = [n for n in meant if n not in NO_ARGUMENTS] or meant
    if len(meant) == 1:
        return Command(meant[0], command.args, typed=command.name)
    swapped = _isp_first(kb, command, exactly=False)
    if swapped is not None:
        return swapped
    if meant:
        return Command(command.name, command.args, meant=tuple(meant))
    return command


COMMAND_INSIDE_KINDS = frozenset({ReplyKind.ANSWER, ReplyKind.NO_INFO})
"""A command typed after the ISP's name is taken as typed only when it answers for that ISP;
anything else (no ISP among the other words, a choice) is read as free text."""
_ARGUMENT_PUNCTUATION = ",:;.!?-"


def command_inside(kb: KB, message: str) -> Command | None:
    """ "mutum /ipfix", "laser: /desbl": a topic's command typed after the ISP's name, as
    ``/ipfix mutum`` would be (a unique prefix or one slip understood the same way), the other
    words its arguments. One slashed word only, a command of a topic: "admin/senha" or two
    commands in one message are free text."""
    tokens = message.split()
    slashed = [i for i, t in enumerate(tokens) if t.startswith("/") and t[1:].isalpha()]
    if len(slashed) != 1 or slashed[0] == 0:
        return None
    at = slashed[0]
    args = [t.strip(_ARGUMENT_PUNCTUATION) for i, t in enumerate(tokens) if i != at]
    command = _understood(kb, Command(tokens[at][1:].casefold(), [a for a in args if a]))
    return command if command.name in kb.command_topics else None


def _glued(kb: KB, command: Command) -> Command | None:
    """ "/senhamutum", "/dnsvm", "/bloqlaser": a command (or a clear prefix or slip of one) and
    an ISP's name or short form typed without the space; the ISP as typed exactly only. Never
    its initials: two letters end many a command's prefix ("/mudanc" is no "/muda" + "nc")."""
    name = command.name
    names = all_commands(kb)
    splits = []
    letters = initials_of_one(kb)
    for at in range(len(name) - 2, 1, -1):
        head, tail = name[:at], name[at:]
        if tail in letters:
            continue
        match = resolve_provider(kb, tail)
        if match.candidates and match.score >= 100.0:
            splits.append((head, tail))
    for head, tail in splits:
        if head in names:
            return Command(head, [tail, *command.args])
    for head, tail in splits:
        meant = meant_commands(kb, head) if len(head) >= 3 else []
        if len(meant) == 1:
            return Command(meant[0], [tail, *command.args], typed=head)
    return None


def _without_slash(kb: KB, text_: str) -> Command | None:
    """ "nds mutum", "plnaos vm": a command misspelt and its ISP, with no slash -- a message of
    nothing but one slip of a command (no ordinary word, no prefix: "tec", "conta" are words)
    and an ISP's exact name or short form (courtesy words aside). Else free text."""
    first, *rest = text_.split()
    typed = fold(first).strip("?!:,;.")
    letters = typed.isalnum() and any(ch.isalpha() for ch in typed)
    if not rest or len(typed) < 3 or not letters or typed in all_commands(kb):
        return None
    if common_word(kb, typed):
        return None
    meant = meant_commands(kb, typed, prefixes=False)
    if len(meant) != 1:
        return None
    match, left = split_provider(kb, rest)
    said = [w for w in left if normalize(w) and normalize(w) not in COURTESY | STOPWORDS]
    if match.provider is None or match.score < 100.0 or said:
        return None
    return Command(meant[0], rest, typed=typed)


MEMO_LIMIT = 4096
"""Entries a per-KB memo of typed command names keeps before it starts over."""


@derived
def _meant(kb: KB) -> dict[tuple[str, bool], tuple[str, ...]]:
    """(name typed, prefixes) -> :func:`meant_commands`: the first word of every free-text
    question is tried as a misspelt command against every command of the KB; the same words
    come again and again, and the KB never changes once loaded."""
    return {}


def meant_commands(kb: KB, typed: str, prefixes: bool = True) -> list[str]:
    """The commands (one per topic; meta commands each) a typed name that is no
    command may stand for: those it starts (3 letters on: "/desbl", "/pla" of /planos and
    /plantao); else those one slip away (two in a long name), and of those the ones keeping
    more of its letters in order ("/ip6": /ipv6, not /ip). Two letters name a command only
    with one of its letters missing or two swapped ("/ds", "/vt"). Several: a tie."""
    found = remembered(
        _meant(kb),
        (typed, prefixes),
        lambda: tuple(_meant_commands(kb, typed, prefixes)),
        MEMO_LIMIT,
    )
    return list(found)


def _meant_commands(kb: KB, typed: str, prefixes: bool) -> list[str]:
    names = all_commands(kb)
    if len(typed) >= 3:
        prefixed = [n for n in names if n.startswith(typed)] if prefixes else []
        if prefixed:
            return _per_topic(kb, prefixed)
        budget = 1 if len(typed) <= 6 else 2
        close = [n for n in names if OSA.distance(typed, n) <= budget]
    elif len(typed) == 2:
        close = [
            n
            for n in names
            if (len(n) == 3 and LCSseq.similarity(typed, n) == 2)
            or (len(n) == 2 and n != typed and sorted(n) == sorted(typed))
        ]
    else:
        return []
    if not close and prefixes and len(typed) >= MIN_PREFIX_SLIP:
        return _prefix_slips(kb, typed, names)
    if not close:
        return []
    fewest = min(OSA.distance(typed, n) for n in close)
    close = [n for n in close if OSA.distance(typed, n) == fewest]
    kept = max(LCSseq.similarity(typed, n) for n in close)
    return _per_topic(kb, [n for n in close if LCSseq.similarity(typed, n) == kept])


MIN_PREFIX_SLIP = 4
"""Letters a prefix with one slip needs to name a command ("/vist", "/prot"; "/vit" names none)."""


def _prefix_slips(kb: KB, typed: str, names: Sequence[str]) -> list[str]:
    """The commands whose start is one slip from the typed name: a letter wrong, two swapped,
    one missing or one more ("/vist" of /visita, "/prot" of /porta, "/bloqe" of /bloqueio).
    Several: those keeping more of the typed letters ("/prot": /porta keeps all four, a swap;
    /provedor three), then a tie."""
    size = len(typed)
    found = [
        n
        for n in names
        if len(n) > size
        and any(OSA.distance(typed, n[:cut]) == 1 for cut in (size - 1, size, size + 1))
    ]
    if not found:
        return []
    kept = {n: sum((Counter(typed) & Counter(n[: size + 1])).values()) for n in found}
    most = max(kept.values())
    return _per_topic(kb, [n for n in found if kept[n] == most])


def _per_topic(kb: KB, names: Sequence[str]) -> list[str]:
    """The first of these commands of each topic (meta commands each), in the order given."""
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        topic = kb.command_topics.get(name)
        key = topic.id if topic is not None else name
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _isp_first(kb: KB, command: Command, exactly: bool) -> Command | None:
    """ "/mutum dns", "/vm bloq": the ISP typed as the command and the command among the
    arguments, read as "/dns mutum"; "/mutum" alone, as "/provedor mutum". ``exactly``: the
    ISP by one of its names or short forms only (before the command's own prefixes and slips
    are tried); else misspelt too."""
    match = resolve_provider(kb, command.name)
    if exactly and match.score < 100.0:
        return None
    if not (match.candidates or match.lookalike):
        return None
    if not command.args:
        # "/mutum" alone: the ISP's card (named exactly: "/dnss" is no ISP's slip).
        return Command(PROVIDER_COMMANDS[0], [command.name]) if exactly else None
    names = all_commands(kb)
    for at, arg in enumerate(command.args):
        word = fold(arg.lstrip("/")).rstrip("?!:,;.")
        if not word.isalnum():
            continue
        rest = [command.name, *command.args[:at], *command.args[at + 1 :]]
        if word in names:
            return Command(word, rest)
        meant = meant_commands(kb, word)
        if len(meant) == 1:
            return Command(meant[0], rest, typed=word)
        if meant:
            return Command(word, rest, meant=tuple(meant))
    return None


def answer_command(kb: KB, command: Command, now: dt.datetime | None = None) -> Reply:
    if command.meant:
        return _command_choice(kb, command)
    reply = _command_reply(kb, command, now)
    if command.typed:
        said = note(msg.UNDERSTOOD_COMMAND.format(typed=command.typed, command=command.name))
        reply = replace(reply, blocks=_after_heading(reply.blocks, said))
    return reply


def _command_choice(kb: KB, command: Command) -> Reply:
    """Which of the commands a name typed may stand for, a button each (the arguments kept)."""
    tail = "".join(f" {arg}" for arg in command.args)
    buttons = []
    for name in command.meant:
        topic = kb.command_topics.get(name)
        label = f"/{name} · {topic.title}" if topic is not None else f"/{name}"
        buttons.append(Button(label, f"/{name}{tail}"))
    said = text(msg.CHOOSE_COMMAND.format(command=command.name))
    return Reply(ReplyKind.CHOICE, (said,), buttons=tuple(buttons))


def _after_heading(blocks: tuple[Block, ...], extra: Block) -> tuple[Block, ...]:
    """``extra`` right under the title (or first, when there is none)."""
    if blocks and blocks[0].kind is BlockKind.HEADING:
        return (blocks[0], extra, *blocks[1:])
    return (extra, *blocks)


def _command_reply(kb: KB, command: Command, now: dt.datetime | None) -> Reply:
    name, args = command.name, command.args
    if name in NOW_COMMANDS:
        if not args:
            return replace(coverage_answers.now_reply(kb, now), clock=True)
        return _now_command(kb, name, args, now)
    if name in SCHEDULE_COMMANDS:
        return _schedule(kb, name, args, now)
    if name in HELP_COMMANDS:
        return answers.help_reply(kb)
    if name in VERSION_COMMANDS:
        from bot.answers.reload import version_reply

        return version_reply(kb)
    if name in LIST_COMMANDS:
        return answers.providers_list(kb)
    if name in SEARCH_COMMANDS:
        if not args:
            return Reply(ReplyKind.EMPTY, (text(msg.EMPTY),))
        return search(kb, " ".join(args), now)
    if name in PROVIDER_COMMANDS:
        return _with_provider(kb, name, args, lambda p, _rest: answers.provider_card(kb, p))
    topic = kb.command_topics.get(name)
    if topic is None:
        return _as_question(kb, command, now) or unknown_command(kb, command)
    if topic.id == "senha":
        return _with_provider(kb, name, args, lambda p, rest: _senha(kb, p, rest))
    if topic.id == PORT_TOPIC:
        return _with_provider(kb, name, args, lambda p, rest: _porta(kb, p, topic, rest, now))
    if topic.id == "horario":
        return _timed_topic(kb, name, args, now, lambda p, at: _hours(kb, p, topic, at))
    return _timed_topic(kb, name, args, now, lambda p, at: _routed(kb, p, topic, at))


def _schedule(kb: KB, name: str, args: Sequence[str], now: dt.datetime | None) -> Reply:
    """/escala [dia]; with an ISP where the day goes ("/escala mutum", "/escala sexta mutum"),
    that ISP's hours as /horario gives them, saying so (it was "Não entendi o dia “mutum”")."""
    reply = coverage_answers.schedule_reply(kb, " ".join(args), now)
    if reply.kind is not ReplyKind.NOT_UNDERSTOOD or not args:
        return reply
    match, _rest = split_provider(kb, args)
    hours = kb.topics.get("horario")
    if match.provider is None or hours is None:
        return reply
    return answer_command(kb, Command(hours.commands[0], list(args), typed=name), now)


def _timed_topic(
    kb: KB,
    name: str,
    args: Sequence[str],
    now: dt.datetime | None,
    then: Callable[[Provider, dt.datetime | None], Reply],
) -> Reply:
    """A topic command whose answer carries the clock, at the moment its arguments state
    ("/financeiro vmnet domingo 10h"; the dated "/financeiro vmnet 06/12/2026 10h00" an ISP
    button asks). A moment and no ISP ("/financeiro domingo 10h"): which ISP, each button
    keeping the moment as ``_choice_at`` writes it (the moment's first word is no misspelt ISP;
    an ISP after it is: "/financeiro domingo 10h vmnet")."""
    words = normalize(" ".join(args)).split()
    bad = moment.invalid_hour(words)
    if bad is not None and moment.a_span(bad):
        # "/prazo lasernet 72h" is a span of hours; "/horario vmnet domingo 25h" an hour.
        rest = [w for w in words if w != bad]
        bad = bad if moment.stated(rest, alone=True) is not None else None
    if bad is not None:  # "/horario vmnet domingo 25h": never the present time in its place
        return Reply(ReplyKind.OUT_OF_RANGE, (text(msg.INVALID_HOUR.format(hour=bad)),))
    said = moment.stated(words, alone=True)
    if said is not None and all(i in said.at or w in moment.LINKS for i, w in enumerate(words)):
        stated = clock.stated_moment(words, now, None, alone=True)
        if stated is not None:
            return _choice_at(kb, _which_isp(kb, name), words, now, stated, alone=True)
    return _with_provider(kb, name, args, lambda p, rest: _topic_at(p, rest, now, then))


def _topic_at(
    provider: Provider,
    rest: Sequence[str],
    now: dt.datetime | None,
    then: Callable[[Provider, dt.datetime | None], Reply],
) -> Reply:
    """The ISP's answer at the moment ``rest`` states, its clock line said at that moment (with
    the ISP's sectors then, when the answer routes to none); no moment: now."""
    words = normalize(" ".join(rest)).split()
    stated = clock.stated_moment(words, now, provider, alone=True) if words else None
    if stated is None:
        return then(provider, now)
    reply = then(provider, stated)
    if reply.kind is ReplyKind.ANSWER and not reply.clock and provider.sectors:
        line = note(clock.sectors_now_line(provider, stated))
        reply = replace(reply, blocks=_after_heading(reply.blocks, line), clock=True)
    if not reply.clock:
        return reply
    return clock.at_stated(reply, clock.stated_words(stated, provider))


def _hours(kb: KB, provider: Provider, topic: Topic, now: dt.datetime | None) -> Reply:
    """UPCALL's hours for the ISP, with one line under the title saying whether it covers the
    ISP now ("já está com a UPCALL?" is answered by the same reply as /horario)."""
    reply = coverage_answers.hours_reply(kb, provider, topic, now)
    if reply.kind is not ReplyKind.ANSWER or provider.coverage is None:
        return reply
    words = coverage_answers.coverage_now_words(provider, now)
    line = note(msg.CLOCK_COVERAGE.format(state=words, id=provider.id))
    return replace(reply, blocks=_after_heading(reply.blocks, line), clock=True)


def _routed(kb: KB, provider: Provider, topic: Topic, now: dt.datetime | None) -> Reply:
    """The topic's answer; when it sends the customer to a sector, that sector's state now."""
    reply = answers.topic_reply(kb, provider, topic)
    found = clock.route(kb, provider, topic.id)
    if found is None or reply.kind is not ReplyKind.ANSWER:
        return reply
    line = note(clock.sector_now_line(provider, found, now))
    return replace(reply, blocks=_after_heading(reply.blocks, line), clock=True)


def _with_provider(kb: KB, name: str, args: Sequence[str], then: _Then) -> Reply:
    """Resolve the ISP among the arguments, or explain what is wrong with it."""
    found = _argument(kb, name, args)
    if isinstance(found, Reply):
        return found
    provider, rest, why = found
    reply = then(provider, rest)
    if why and reply.provider_id == provider.id:
        said = note(msg.CONTEXT_WHY.format(names=why, provider=provider.name))
        reply = replace(reply, blocks=_after_heading(reply.blocks, said))
    return reply


def provider_argument(kb: KB, name: str, args: Sequence[str]) -> tuple[Provider, list[str]] | Reply:
    """The ISP a command's arguments name and the other arguments; else the reply saying what
    is wrong with it (none given, several fit, another company's, unknown), its buttons
    repeating ``/name`` for each ISP. Every door's /auditoria uses it too."""
    found = _argument(kb, name, args)
    return found if isinstance(found, Reply) else found[:2]


def _argument(kb: KB, name: str, args: Sequence[str]) -> tuple[Provider, list[str], str] | Reply:
    """``provider_argument``, and the context names that gave the ISP ("" when it was named)."""
    if not args:
        return _which_isp(kb, name)
    match, rest = split_provider(kb, args)
    provider = match.provider
    if provider is not None:
        also = _another_named(kb, provider, rest)
        if also:
            # "/dns mutum vmnet": never answered for the first alone; which one, as free text.
            others = " ".join(w for w in rest if w not in also[1] and w not in ("e", "ou"))
            tail = f" {others}" if others else ""
            return answers.provider_choice(
                kb,
                [provider, *also[0]],
                f"/{name} {{id}}{tail}",
                msg.CHOOSE_PROVIDER,
                ReplyKind.CHOICE,
            )
        return provider, rest, ""
    if match.lookalike:
        return answers.lookalike_reply(kb, *match.lookalike)
    tail = f" {' '.join(rest)}" if rest else ""
    if match.candidates:
        return answers.provider_choice(
            kb, match.candidates, f"/{name} {{id}}{tail}", msg.CHOOSE_PROVIDER, ReplyKind.CHOICE
        )
    named, why, said = _named_by_the_words(kb, args)
    if len(named) == 1:
        # The context's words named the ISP ("/senha barroso"): no model's.
        return named[0], [a for a in args if normalize(a) not in said], why
    if named:
        tail = "".join(f" {word}" for word in args)
        return answers.provider_choice(
            kb, named, f"/{name} {{id}}{tail}", msg.CHOOSE_PROVIDER, ReplyKind.CHOICE
        )
    # Nothing matched: the first word was the attempt at an ISP; keep the others.
    tail = "".join(f" {word}" for word in args[1:])
    topic = kb.command_topics.get(name)
    secret = topic is not None and topic.secret
    return answers.provider_choice(
        kb,
        list(kb.providers.values()),
        f"/{name} {{id}}{tail}",
        msg.UNKNOWN_PROVIDER.format(query=echo(kb, " ".join(args), credential=secret)),
        ReplyKind.UNKNOWN_PROVIDER,
    )


def _another_named(
    kb: KB, provider: Provider, rest: Sequence[str]
) -> tuple[list[Provider], set[str]] | None:
    """Other ISPs named among a command's remaining arguments -- in full, by a prefix or a slip,
    as the first would have been ("/dns vm las", "/dns vm netecnter") -- and the words naming
    them; ``None`` with none."""
    others: list[Provider] = []
    words: set[str] = set()
    left = list(rest)
    while left:
        match, after = split_provider(kb, left)
        found = match.provider
        if found is None or len(after) >= len(left):
            break
        if found.id != provider.id and found not in others:
            others.append(found)
        words.update(w for w in left if w not in after)
        left = after
    return (others, words) if others else None


def _named_by_the_words(kb: KB, args: Sequence[str]) -> tuple[list[Provider], str, set[str]]:
    """No ISP's name among a command's arguments: the ISP(s) the words point to as they would
    in free text -- a model only one ISP lists ("/senha zyxel", said in the reply as a context
    name is), a brand two share, a context name ("/dns ubatuba", with the names, said in the
    reply as free text says them, and their words with any connector before them) -- else none."""
    reading = read(kb, " ".join(args))
    if reading.by_equipment and len(reading.providers) == 1:
        # "/senha intelbras": the ISP that alone lists the brand, said as free text says it.
        found = reading.providers[0]
        return [found], _equipment_as_written(found, reading.equipment_typed), set()
    if reading.providers or reading.lookalike:
        return list(reading.providers), "", set()
    # A password typed in a command's arguments names no ISP ("/porta Lnt12345@"): the command
    # asks for one, and a password there is the agent's value for the equipment.
    context = [c for c in reading.context if not c.password]
    owners = context_owners(context)
    names = ", ".join(dict.fromkeys(c.name for c in context))
    said = {w for c in context for w in c.typed.split()} | CONNECTORS
    return [p for pid, p in kb.providers.items() if pid in owners], names, said


def _now_command(kb: KB, name: str, args: Sequence[str], now: dt.datetime | None) -> Reply:
    """/agora with arguments. Which ISP, at a moment stated ("/agora domingo 10h", "/agora mutum
    vmnet domingo 10h"): each button keeps that moment as a date, as ``_choice_at`` writes it
    (the moment's first word is no misspelt ISP)."""
    words = normalize(" ".join(args)).split()
    bad = moment.invalid_hour(words)
    if bad is not None:  # "/agora mutum 25h": never the present time in its place
        return Reply(ReplyKind.OUT_OF_RANGE, (text(msg.INVALID_HOUR.format(hour=bad)),))
    said = moment.stated(words, alone=True)
    only_moment = said is not None and all(
        i in said.at or w in moment.LINKS for i, w in enumerate(words)
    )
    if only_moment:
        reply = _which_isp(kb, name)
    else:
        reply = _with_provider(kb, name, args, lambda p, rest: _now_at(kb, p, rest, now))
        if reply.kind not in (ReplyKind.CHOICE, ReplyKind.UNKNOWN_PROVIDER):
            return reply
    stated = clock.stated_moment(words, now, None, alone=True)
    if stated is None:
        return reply
    return _choice_at(kb, reply, words, now, stated, alone=True)


def _now_at(kb: KB, provider: Provider, rest: Sequence[str], now: dt.datetime | None) -> Reply:
    """/agora <isp> [moment]: "/agora vmnet domingo 10h", "/agora mutum amanhã 14h" give the view
    at that moment (an hour or a day alone too: "/agora vmnet 23h")."""
    stated = clock.stated_moment(normalize(" ".join(rest)).split(), now, provider, alone=True)
    if stated is None:
        return _now_reply(kb, provider, now)
    return _now_reply(kb, provider, stated, stated=True)


def _now_reply(kb: KB, provider: Provider, now: dt.datetime | None, stated: bool = False) -> Reply:
    """/agora <isp>, and with a sector closed, the document's rule for it (``setores``);
    ``stated``: at the moment the question states."""
    reply = coverage_answers.provider_now_reply(kb, provider, now, stated)
    rules = clock.closed_rules(provider, now)
    if rules:
        said = text("\n".join([msg.CLOSED_RULES, *(f"• {rule}" for rule in rules)]))
        reply = replace(reply, blocks=(*reply.blocks, said))
    return replace(reply, clock=True)


COURTESY = frozenset(
    "pf pfv pfvr pls plz urgente urgencia rapido rapidinho vlw valeu obg socorro".split()  # noqa: SIM905
)
"""Words typed around a command's arguments ("/senha laser w5 pf", "/senha urgente mutum"):
with the stop words, never a model's name."""


def _model_query(rest: Sequence[str]) -> str:
    """The words of a command's arguments that may name a model (courtesy and stop words out)."""
    kept = [w for w in rest if normalize(w) and normalize(w) not in COURTESY | STOPWORDS]
    return " ".join(kept).strip()


def _senha(kb: KB, provider: Provider, rest: Sequence[str]) -> Reply:
    topic = kb.topics["senha"]
    query = _model_query(rest)
    if not query:
        return answers.topic_reply(kb, provider, topic)
    match = resolve_equipment(provider, query)
    if match.equipment is not None:
        return answers.equipment_reply(kb, provider, match.equipment)
    shown = echo(kb, query, credential=True)  # "/senha lasernet Qw3rty!77": never repeated
    if match.candidates:
        return answers.equipment_choice(provider, shown, match.candidates)
    return answers.unknown_equipment(provider, shown)


PORT_TOPIC = "porta"


def _porta(
    kb: KB, provider: Provider, topic: Topic, rest: Sequence[str], now: dt.datetime | None
) -> Reply:
    """/porta <isp> <model>: the model's row (port, login and password: the port is used with
    them), then the ISP's answer on ports; without a model, or an unknown one, that answer."""
    query = _model_query(rest)
    if query:
        match = resolve_equipment(provider, query)
        if match.equipment is not None:
            return answers.equipment_reply(kb, provider, match.equipment, topic.id)
    return _routed(kb, provider, topic, now)


ASKED_AS_QUESTION = frozenset({ReplyKind.ANSWER, ReplyKind.NO_INFO, ReplyKind.MISSING_PROVIDER})
"""A name that is no command, read as free text, is answered so when this clear."""


def _as_question(kb: KB, command: Command, now: dt.datetime | None) -> Reply | None:
    """No command, but a word of a topic typed as one ("/religar vm", "/credencial laser"):
    the words read as the free-text question they are, when that reading finds the topic."""
    reply = answer_question(kb, " ".join([command.name, *command.args]), now)
    if reply.kind not in ASKED_AS_QUESTION:
        return None
    # The topic found: an answer's, or the one the "which ISP?" buttons ask.
    return reply if reply.topic_id or reply.buttons else None


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

CONFIDENT = 1.0
"""Evidence needed to answer without asking: one catalogue keyword as written (see
``bot.reading.reader`` for the scale)."""
PASSAGE_ANSWER = 0.6
"""A topic found only in the answer texts is answered directly from this coverage on (one
ISP named, no close second); below it the passages are shown instead."""
PASSAGE_SECTIONS = 0.5
"""Two topics found only in the answer texts, alike and each holding this much of the question
(one ISP named): both are shown, as sections."""
PASSAGE_MARGIN = 0.15
"""Two topics close on keywords: the one whose passage covers the question this much better
is taken (the answer texts break the tie)."""
DIRECT_KINDS = frozenset(
    {ReplyKind.ANSWER, ReplyKind.NO_INFO, ReplyKind.CHOICE, ReplyKind.UNKNOWN_EQUIPMENT}
)
"""Replies that are about one (ISP, topic): /buscar keeps them (a CHOICE only when it is the
choice of that ISP's equipment models, which sets the topic)."""
SUGGESTIONS = 4
"""Buttons offered when unsure."""


def search(kb: KB, question: str, now: dt.datetime | None = None) -> Reply:
    """``/buscar``: a clear question about one ISP is answered as free text would be; anything
    else shows the passages of the answers that hold its words ("MG Cobranças" finds Seja
    Fibra's rule), or, with none, the free-text reply."""
    reading = read(kb, question)
    named = bool(reading.providers)  # by name: a context name ("MG Cobranças") is searched
    hits = best_hits(reading.hits)
    if hits and not named and not any(ch.isdigit() for ch in question):
        # The passages are the reply whatever the free-text reply would be: it is not built (a
        # third of the search). With a digit it is: a date stated that no month has ("31/11")
        # is refused in words by it, as free text would refuse it.
        return search_reply(kb, question, hits)
    reply = _decide(kb, question, reading, now)
    if named and reply.provider_id and reply.topic_id and reply.kind in DIRECT_KINDS:
        return reply
    return search_reply(kb, question, hits) if hits else reply


def answer_question(kb: KB, question: str, now: dt.datetime | None = None) -> Reply:
    """Free text: find the ISP and the topic from the words, or say what is missing.

    High confidence: the answer, exactly as the equivalent command gives it. Two close topics:
    ask which, with buttons. Low confidence: say so and offer the closest commands. Only
    passages matched: show them. A named ISP is never answered with another ISP's data. No ISP
    named: one the context names ("cliente de Ubatuba") is answered, saying why; two are asked
    between. A long pasted message: the question inside it.
    """
    if not any(ch.isalpha() for ch in question):
        # A bare number ("99", "0800") is a price, a speed, a day count or a phone of several
        # answers at once: it says neither which ISP nor what is asked.
        return _not_understood(kb, question)
    if only_greets(question):
        return greeting(kb, question)
    if len(question) >= LONG_MESSAGE:
        return _long_message(kb, question, now)
    return _decide(kb, question, read(kb, question), now)


_SENTENCES = re.compile(r"(?<=[.!?\n\u2600-\u27bf\U0001f300-\U0001faff])\s+")
"""Where a sentence of a pasted message ends: a full stop, "!", "?", a line break, or an emoji
typed in their place ("não volta 😩 vocês mandam técnico?")."""
_REQUEST = re.compile(
    r"\b(quero|queria|gostaria de|preciso|precisava) (saber|entender)\b|\bcomo (faco|eu faco)\b"
    r"|\b(me )?(expli(ca|que)|diz(er)?|fala(r)?) (como|se|qual|quando|onde)\b"
    r"|(?<!nao )\b(tem|teria|ha|haveria) como\b|(?<!nao )\bda (pra|para) (voces?|vcs?|eu|me)\b"
    r"|(?<!nao )\b(voces?|vcs?) (conseguem|consegue|podem|pode|poderiam|poderia)\b"
)
"""A sentence asking without a "?": "quero saber se vão cobrar essa visita", "como faço pra
cancelar", "tem como liberar hoje", "vcs conseguem mandar alguém" (not "não tem como levar":
a statement)."""


def asks(sentence: str) -> bool:
    """Is this sentence of a pasted message a question or a request?"""
    return "?" in sentence or bool(_REQUEST.search(normalize(sentence)))


_PASTED = re.compile(
    r"\b(mandou|mandaram|escreveu|escreveram|disse|falou|enviou|perguntou|pergunta)\b[^:\n]{0,30}:(?!//)\s*"
    r"|\b(cliente|cli|clt|assinante|msg|mensagem|texto)\b[^:\n?!]{0,40}:(?!\d|//)\s*"
)
"""Where a customer's words begin: "cli mandou:", "cliente escreveu isso:", or a label the
agent wrote before the paste: "cliente:", "msg do cliente:", "cliente pede boleto:" (its words
are the agent's). Not a link's "https://" ("cliente quer acessar https://..."): no label."""
PASTED_WITHIN = 120
"""... among the message's first characters: an agent labels the paste before it; further on,
"o técnico falou: ..." is the customer's story."""
_QUOTES = {'"': '"', "“": "”", "'": "'", "‘": "’", "«": "»"}


_SIGNED = re.compile(
    r"(?:\s(?://+|-{2,}|\|{2,}|—|={2,}|>{2,}|[-=]+>|→)\s*|\bagente\s*:\s*)(?=\S)", re.IGNORECASE
)
"""Where an agent's note after a paste begins: "... // agente: aceito?", "... -- netcenter,
libera?", "... || que faço", "... --- tem plantão?", "... == abro OS?", "... — agente: abro OS?",
"... -> libero?", "... => abro OS?"."""
SIGNED_WITHIN = 300
"""... among the message's last characters: the agent's own question, typed under the paste."""
_AGENT_LABEL = re.compile(r"^\s*agente\s*:\s*", re.IGNORECASE)


_SPEAKER_LINE = re.compile(
    r"(?im)^[ \t]*(?:\[?\d{1,2}[:h]\d{2}(?::\d{2})?\]?[ \t]*[-–]?[ \t]*)?"
    r"(?:agente|atendente|operador|operadora|suporte|cliente|cli|clt|assinante|usuario|usuário"
    r"|voce|você|eu)[ \t]*:"
)
"""A line of a chat transcript: a speaker's label at its start ("Cliente: ...", "[21:03]
Agente: ..."), a time before it or not."""
_AGENT_TURN = re.compile(r"(?i)\b(?:agente|atendente|operadora?)\s*:")
_NOTE_SEPARATOR = ("//", "--", "||", "|", "—", "==", ">>")
"""Signs an agent writes before its own note ("... | agente: x", "... // agente: x")."""


def _signed(message: str) -> str:
    """The agent's note after the paste, past its last separator ("// agente: aceito
    comprovante de agendamento?"); empty when there is none near the end. A bare "agente:"
    that is a line of a pasted transcript (``_transcript_turn``) is no note: the transcript's
    agent spoke to the customer, not to the bot."""
    found = list(_SIGNED.finditer(message, max(0, len(message) - SIGNED_WITHIN)))
    last = found[-1] if found else None
    if last is None or last.start() == 0:
        return _last_line(message)
    if _AGENT_LABEL.match(last.group()) and _transcript_turn(message, last.start()):
        return ""
    return _AGENT_LABEL.sub("", message[last.end() :]).strip()


LAST_LINE = 120
"""The most characters of a question the agent typed on a line of its own under a paste."""


def _last_line(message: str) -> str:
    """A question on a line of its own under the paste ("...aguardo\nposso liberar?"): the
    agent's, as after a separator. Not a line of a chat transcript (several speakers' lines)."""
    body, _, last = message.rstrip().rpartition("\n")
    last = last.strip()
    if not body.strip() or not last or len(last) > LAST_LINE or not asks(last):
        return ""
    if len(_SPEAKER_LINE.findall(message)) >= 2:
        return ""
    return last


def _customers_turns(message: str) -> str:
    """A pasted chat transcript's lines without its agent's turns ("Agente: qual o seu CPF?"):
    the questions the transcript's agent asked the customer are not what is asked of the bot.
    A line starting with a separator ("// agente: x") is the agent's own note and ends a turn.
    Any other message, as it is."""
    lines = message.split("\n")
    if sum(1 for line in lines if _SPEAKER_LINE.match(line)) < 2:
        return message
    kept, turn = [], False
    for line in lines:
        label = _SPEAKER_LINE.match(line)
        if label is not None:
            turn = _AGENT_TURN.search(label.group()) is not None
        elif line.lstrip().startswith(_NOTE_SEPARATOR):
            turn = False
        if not turn:
            kept.append(line)
    return "\n".join(kept)


def _transcript_turn(message: str, start: int) -> bool:
    """Is the "agente:" at ``start`` a turn of a pasted chat transcript rather than the agent's
    note under a paste: not after a separator ("... // agente:", "... | agente:"), and either
    one of several agent turns, or a line's label in a message of several speakers' lines."""
    if message[:start].rstrip().endswith(_NOTE_SEPARATOR):
        return False
    if len(_AGENT_TURN.findall(message)) >= 2:
        return True
    line_start = message.rfind("\n", 0, start) + 1
    labelled = _SPEAKER_LINE.match(message, line_start)
    return labelled is not None and len(_SPEAKER_LINE.findall(message)) >= 2


def agents_words(message: str) -> tuple[str, ...]:
    """The agent's own words around a pasted customer message: before "cli mandou:" ("laser,
    cobra visita? cli mandou: ..."), after the paste when it is quoted ('cli mandou: "..."
    posso liberar?'), and after a separator at its end ("... // agente: aceito?", "... --
    netcenter, libera?", "... --- qual site passo?"). Nothing when the paste is not marked."""
    start = _PASTED.search(message, 0, PASTED_WITHIN)
    signed = _signed(message)
    if start is None:
        return (signed,) if signed else ()
    # The label is the agent's too ("cliente pediu a senha do roteador: ..."); a bare
    # "cliente:" opening the message says nothing.
    bare = start.start() == 0 and len(normalize(start.group()).split()) <= 1
    before = "" if bare else message[: start.end()].rstrip().rstrip(":")
    rest = message[start.end() :]
    after = ""
    closer = _QUOTES.get(rest[:1])
    if closer is not None:
        end = rest.rfind(closer, 1)
        if end > 0:
            after = rest[end + 1 :]
    return tuple(words.strip() for words in (before, after or signed) if words.strip())


def focus(question: str, kb: KB | None = None) -> tuple[str, str, str]:
    """The question inside a pasted message: its sentences with "?" or a request ("quero
    saber se...", "como faço..."); its last two sentences (where a customer's request usually
    is); those asking or with a number ("estou com 40 dias de atraso"). Each may be empty.
    With ``kb``, a question that names no topic of its own and points back ("isso tem a ver?",
    "vai cobrar dessa vez?") asks about what was just told: it is read with the sentence
    before it."""
    sentences = [s.strip() for s in _SENTENCES.split(question) if s.strip()]
    asking = [i for i, s in enumerate(sentences) if asks(s)]
    told = {
        i - 1
        for i in asking
        if i > 0
        and _BACK.search(normalize(sentences[i]))
        and not _SIGNED.search(sentences[i])  # the agent's note: "isso" is the whole paste
        and kb is not None
        and not _names_a_topic(kb, sentences[i])
    }
    asked = [s for i, s in enumerate(sentences) if i in told or i in asking]
    facts = [
        s for i, s in enumerate(sentences) if i in told or asks(s) or any(ch.isdigit() for ch in s)
    ]
    tail = sentences[-2:] if len(sentences) > 2 else []
    return " ".join(asked), " ".join(tail), " ".join(facts)


_BACK = re.compile(r"\b(isso|isto|disso|nisso|desse|dessa|daquilo|aquilo)\b")
"""A word pointing back to what was just told ("isso tem a ver?", "vai cobrar dessa vez?")."""


def _names_a_topic(kb: KB, sentence: str) -> bool:
    """Does a sentence hold a catalogue keyword of some topic?"""
    return bool(keyword_scores(kb, question_words(kb, sentence), set()))


def _where_the_customer_is(kb: KB, question: str, whole: Reading) -> Reading:
    """A pasted message that names no ISP by name: the place the customer tells ("moro em
    Mucuri") names the ISP; a price, a speed, a product or an equipment brand told in passing
    ("pago 89,90", "as câmeras são intelbras", "minha tv box") is the customer's own story and
    does not outvote it. A brand two ISPs share is narrowed by the place. Places pointing to
    several ISPs together, or none, change nothing."""
    if whole.lookalike or providers_by_name(kb, question):
        return whole
    if not whole.providers and context_owners(whole.context) and not _agreeing(whole.context):
        places = [c for c in whole.context if is_place(kb, c)]
    elif whole.providers:
        places = places_told(kb, question)
    else:
        return whole
    owners = context_owners(places)
    if len(owners) != 1 or not all(owners <= c.owners for c in places):
        return whole
    if whole.providers:
        if {p.id for p in whole.providers} == owners:
            return whole
        return replace(
            whole,
            providers=(),
            equipment=None,
            equipment_choices=(),
            equipment_typed="",
            by_equipment=False,
            brand_port="",
            context=tuple(places),
        )
    return replace(whole, context=tuple(c for c in whole.context if owners <= c.owners))


def _agreeing(names: Sequence[ContextName]) -> bool:
    """Do the context names point to some ISP(s) together?"""
    return bool(frozenset.intersection(*(n.owners for n in names))) if names else True


def _long_message(kb: KB, question: str, now: dt.datetime | None) -> Reply:
    told = _customers_hours(kb, read(kb, question, terms=False))
    whole = _where_the_customer_is(kb, question, told)
    asked, tail, facts = focus(_customers_turns(question), kb)
    if not (asked or tail or facts):
        return _decide(kb, question, whole, now)
    # The question sentences first; with the facts (numbers) when they alone say too little;
    # the whole message when neither names a topic clearly.
    # The agent's own question around the paste first ("...". posso liberar?): the agent asks
    # what the bot must answer; the customer's questions are what the customer wants.
    theirs = [s for words in agents_words(question) for s in _SENTENCES.split(words)]
    agent = " ".join(theirs)  # a note without a "?" too: "// segunda via do boleto"
    parts = [p for p in dict.fromkeys((agent, asked, tail, facts)) if p] + [question]
    tried = [
        (part, whole if part == question else _customers_hours(kb, read(kb, part, terms=False)))
        for part in parts
    ]
    clear = [(t, r) for t, r in tried if r.topics and r.topics[0].keywords >= CONFIDENT]
    unmixed = [(t, r) for t, r in clear if not _close(r.topics)]
    mine = [(t, r) for t, r in clear if t == agent]  # the agent's, even with two topics close
    if agent and not mine and asks_what_to_do(agent):
        # "... // agente: oq faço com esse caso?": the agent's words name no topic, the case
        # told is what is asked -- the whole message, when it names one clearly.
        mine = [(t, r) for t, r in clear if t == question]
    inside, reading = (mine or unmixed or clear or tried)[0]
    if whole is not told and not providers_by_name(kb, inside):
        # The place outvoted what the part read names by a clue (a brand, a price).
        reading = replace(
            reading, providers=(), equipment=None, by_equipment=False, context=whole.context
        )
    if not reading.providers and whole.providers:
        # (Found by an equipment brand or model the whole message names: the reply says so.)
        reading = replace(
            reading,
            providers=whole.providers,
            lookalike=None,
            by_equipment=whole.by_equipment,
            equipment_typed=whole.equipment_typed,
            brand_port=whole.brand_port,
        )
    elif reading.providers and not whole.lookalike:
        # The part read names one ISP, the rest of the message another ("mutum cobra visita?
        # cliente escreveu: sou cliente da vmnet ..."): never answered for one silently.
        more = tuple(p for p in whole.providers if p not in reading.providers)
        if more:
            reading = replace(reading, providers=reading.providers + more)
    if not reading.providers and not reading.context and whole.context:
        reading = replace(reading, context=whole.context)
    if not reading.topics:
        reading = replace(reading, topics=whole.topics, hits=whole.hits)
    matter = reading.topics[0].topic.id if reading.topics else None
    if whole.joined and not reading.joined and matter == whole.joined[0]:
        # The case the whole message tells hands its matter over ("paguei o do mês 3, o do mês
        # 2 ficou pra trás ... trocam o pagamento?"): the question about that matter gets the
        # sector's section beside it, as the whole message would.
        reading = replace(reading, joined=whole.joined)
    # (The sentence a question points back to is the story: "agora surgiu uma casa melhor.
    # vai cobrar dessa vez?" asks nothing about now.)
    questions = " ".join(s for s in _SENTENCES.split(asked) if asks(s))
    about_now = bool(questions) and clock.asks_now(questions)
    reply = _decide(kb, inside, reading, now, about_now=about_now)
    if not about_now:
        reply = _untied(kb, reply, (reading, whole), now)
        reply = _with_story(kb, reply, (reading, whole), now)
    said = note(msg.LONG_READ.format(question=_shown(kb, inside)))
    return replace(reply, blocks=_after_heading(reply.blocks, said))


def _customers_hours(kb: KB, reading: Reading) -> Reading:
    """A customer's message is written to the ISP: "o horário que vocês atendem" is the ISP's
    own (its store's, its contacts'), never UPCALL's coverage, which customers do not know
    of. The coverage topic's keyword evidence goes to the contacts; its passages are dropped."""
    coverage = next((t for t in reading.topics if t.topic.id == COVERAGE_TOPIC), None)
    if coverage is None:
        return reading
    keywords = {t.topic.id: t.keywords for t in reading.topics if t is not coverage}
    passages = {t.topic.id: t.passages for t in reading.topics if t is not coverage}
    if coverage.keywords:
        keywords[PLACE_HOURS_TOPIC] = keywords.get(PLACE_HOURS_TOPIC, 0.0) + coverage.keywords
    return replace(reading, topics=tuple(rank_topics(kb, keywords, passages)))


def _untied(
    kb: KB, reply: Reply, readings: tuple[Reading, Reading], now: dt.datetime | None
) -> Reply:
    """The question sentences of a pasted message tie several topics (a menu): the whole
    message ranks them, and its two best are shown as sections."""
    whole = readings[-1]
    topics_menu = bool(reply.blocks) and reply.blocks[0].plain == msg.CHOOSE_TOPIC
    if reply.kind is not ReplyKind.CHOICE or reply.provider_id is None or not topics_menu:
        return reply  # not the menu of close topics (an ISP's topics, equipment models)
    provider = kb.providers[reply.provider_id]
    tied = set()
    for button in reply.buttons:
        command = parse_command(button.ask)
        topic = kb.command_topics.get(command.name) if command is not None else None
        if topic is not None:
            tied.add(topic.id)
    ranked = [t.topic for t in whole.topics if t.topic.id in tied and t.keywords > 0]
    if len(ranked) < 2 or not _sectioned(kb, provider, *ranked[:2]):
        return reply
    return _sections(kb, provider, readings, ranked[:2], now, reply.confidence)


STORY_SHARE = 0.5
"""A pasted message's other topic is shown beside its question's when it has a keyword and
at least this share of the whole message's best topic's score."""
STORY_SUPPORT = 0.15
"""... and of several such topics, the one whose answer text holds the most of the question
sentences (at least this share) is the story the question is about."""


def _with_story(
    kb: KB, reply: Reply, readings: tuple[Reading, Reading], now: dt.datetime | None
) -> Reply:
    """The question of a pasted message answered, and the story around it about another topic
    ("foi a energia, o roteador resetou ... quero saber se vão cobrar a visita"): both, as a
    compact two-section reply -- the rule the agent needs may be in the story's topic.

    The story's topic is one the whole message has a keyword for, that can stand beside the
    question's; of several, the one whose text holds most of the question ("comprei um
    roteador pra usar de repetidor ... vcs conseguem configurar?": the repeaters' text says
    who configures them, not the store's), else the whole message's best."""
    asked_reading, whole = readings
    if reply.kind is not ReplyKind.ANSWER or reply.also or not whole.topics:
        return reply
    if reply.provider_id is None or reply.topic_id is None:
        return reply
    provider, asked = kb.providers[reply.provider_id], kb.topics[reply.topic_id]
    floor = whole.topics[0].score * STORY_SHARE
    stories = [
        t.topic
        for t in whole.topics
        if t.topic.id != asked.id
        and t.keywords >= CONFIDENT
        and t.score >= floor
        and _sectioned(kb, provider, asked, t.topic)
    ]
    if not stories:
        return reply
    held = {t.topic.id: t.passages for t in asked_reading.topics}
    supported = max(stories, key=lambda t: held.get(t.id, 0.0))
    story = supported if held.get(supported.id, 0.0) >= STORY_SUPPORT else stories[0]
    return _sections(kb, provider, readings, (asked, story), now, reply.confidence)


_WHOIS = re.compile(
    r"\bq(ue)?m (q |que )?(atende|cobre|e o provedor)\b|\b(qual|que) (e o )?(provedor|empresa)\b"
    r"|\beh? d[aoe] (qual|que|quem|qm)\b(?! (?!provedor|provedora|empresa|operadora)[a-z]{4,})"
    r"|\bde q(ue)?m eh?\b|\bpor quem\b"
    r"|\b(qual|que|quais) d[oe]s? (nossos |seus )?provedores\b|\bpertence a (qual|que|quem)\b"
    r"|\btem cobertura (em|no|na|pra|para)\b|(?<!que )(?<!q )\b(a gente|voces|vcs) atende(m)?\b"
    r"|\batendemos\b"
    r"|\b(tem|ha|existe|temos) (algum |um )?(provedor|provedores)( nossos?| da gente)?"
    r"( (em|no|na|nos|nas|la|ai|ali)\b|$)"
    r"|\b(tem|ha|existe|temos) (algum |um )?(provedor|provedores) (nossos?|da gente)\b"
    r"|\bq(ue)?m eh?$"
)
"""Who serves a place. Not "o horário que vcs atendem" (when, not where: a relative clause),
nor "é de qual equipamento/loja/setor?" (which of a thing the document lists: that topic).
"tem provedor nosso em X?", "X tem algum provedor nosso? qual?": who serves X; "cliente de X,
quem é?" (the question ending so): whose X is."""


_REACHES = (
    r"\b(tem|chega|pega|existe) (o )?(sinal|internet|fibra|cobertura|rede|net)( de \w+)?"
    r" (em|no|na|nos|nas|pra|para|ate o|ate a|ate) "
)
"""A service reaching a place: "tem sinal na X?", "chega fibra em X?" (before the place)."""
_REACHES_RE = re.compile(_REACHES)


_WHOSE = r",? (e|eh|fica|esta|ta) com q(ue)?m\b"
"""After a place: "Caraguatatuba é com quem?" (whose it is; "o suporte é com quem?" names no
place: a sector, not who serves)."""
_CLOCK_TIME = re.compile(r"\b\d{1,2}(:\d{2}|h\d{0,2})\b")
"""A time of day as typed ("22h", "8h30", "13:30")."""


def _asked_who_serves(kb: KB, said: str, places: Sequence[ContextName]) -> bool:
    """Is who serves a place asked ("quem atende X?", "qual provedor atende X"), or a service
    asked of one of ``places`` named right after it ("tem fibra em Sertânia?", "chega internet
    em Nova Mutum?")? ``said``: the question normalised. The one test of both paths to the
    who-serves answer (a place no ISP's name is in, and one holding an ISP's name)."""
    if _WHOIS.search(said):
        return True
    if any(re.search(re.escape(c.typed) + _WHOSE, said) and is_place(kb, c) for c in places):
        return True
    return bool(_REACHES_RE.search(said)) and any(
        re.search(_REACHES + re.escape(c.typed) + r"\b", said) and is_place(kb, c) for c in places
    )


def _whois(kb: KB, reading: Reading, question: str) -> bool:
    """ "Quem atende Ubatuba?", "qual provedor atende Itabatã", "Kaspersky é de qual provedor?",
    "tem fibra em Sertânia?"."""
    if reading.providers or reading.lookalike:
        return False
    said = normalize(question)
    asked = _asked_who_serves(kb, said, reading.context)
    top = reading.topics[0].topic.id if reading.topics else None
    coverage = top == COVERAGE_TOPIC and reading.topics[0].keywords >= CONFIDENT
    if (coverage or not reading.context) and clock.asks_coverage(reading.words):
        # "nesse horário a gente atende <ISP's name> ou é só transbordo?": UPCALL's hours asked,
        # with a name that says whose (the coverage), not which ISP serves a place; "a gente
        # atende eles agora?" names no place at all.
        return False
    if any(not name.term for name in reading.context):
        # A place and nothing a keyword points to: the place's own line is in "cidades".
        unpointed = not reading.topics or reading.topics[0].keywords == 0
        # (Only places named: a plan's speed or price beside the place says what is asked.)
        placed = (
            bool(reading.hits)
            and reading.hits[0].passage.topic_id == PLACES_TOPIC
            and all(is_place(kb, name) for name in reading.context)
        )
        return asked or top == "cidades" or (unpointed and placed)
    # No name found (a distinctive term is a topic's word, no place: "nesse horário que é só
    # transbordo, a gente atende?" asks the coverage): a place no document names ("quem atende
    # Campinas?"), not "qual provedor tem IP fixo?" (a topic: which ISP is asked as for any
    # question).
    # A place no document names and only passages matched ("campinas é qual dos nossos
    # provedores?"): who serves it, too.
    # "das 13:30 às 15:30 quem atende?": who answers at an hour (the sectors'), not where.
    hours = _CLOCK_TIME.search(fold(question)) is not None
    return asked and not hours and (top in (None, "cidades") or reading.topics[0].keywords == 0)


_CLAUSES = re.compile(r"[?!;\n]+|[,.:](?=\s)")
"""Where a question's sentences and clauses part ("X é de quem? cliente quer fatura", "X de
quem é, tem whats?"); not the dot or comma inside a number ("170.82.44.20", "99,90")."""
_WHOSE_LAST = re.compile(r"\bde q(ue)?m$")
"""A clause ending in "de quem" ("o tel de quem?"): whose the thing named is."""


_WHO_HAS = re.compile(r"^q(ue)?m (que |q )?tem\b")
"""A clause opening with "quem tem" ("quem tem 24h corridas? qual o dns"): whose the thing is."""


def _whose_clause(clause: str) -> bool:
    """Does the clause (normalised) ask whose something is, or who serves it?"""
    return bool(_WHOIS.search(clause) or _WHOSE_LAST.search(clause) or _WHO_HAS.search(clause))


def _asked_beside_whose(kb: KB, reading: Reading, question: str) -> tuple[Reading, Block] | None:
    """A clue of one ISP asked about as whose it is, and another clause asking something else
    ("telefone X é de qual provedor? precisa do whats deles", "(12) X eh o tel de quem?
    cliente quer fatura", "quem atende <lugar>? cliente quer cancelar"): the question is that
    other clause's, for the ISP the clue names -- read as if the ISP were named -- and the
    why-line says how the ISP was found. ``None`` when nothing else is asked (who serves the
    place, as before), when the clue names two ISPs or none, when an ISP is named."""
    owners = reading.context_providers
    if reading.providers or reading.lookalike or len(owners) != 1:
        return None
    clauses = [c for c in (normalize(c) for c in _CLAUSES.split(question)) if c]
    whose = [c for c in clauses if _whose_clause(c)]
    if not whose or len(whose) == len(clauses):
        return None
    clues = [c.typed.replace(" ", "") for c in reading.context]
    rest = [
        c
        for c in clauses
        if c not in whose and not any(clue in c.replace(" ", "") for clue in clues)
    ]
    if not rest:
        return None
    (pid,) = owners
    asked = read(kb, f"{pid}: {' '.join(rest)}")
    if [p.id for p in asked.providers] != [pid] or asked.lookalike is not None:
        return None
    if not asked.topics:
        return None
    names = ", ".join(dict.fromkeys(c.name for c in reading.context if pid in c.owners))
    why = note(msg.CONTEXT_WHY.format(names=names, provider=kb.providers[pid].name))
    if _asks_a_topic(asked):
        return asked, why
    if _asks_a_topic(reading):
        # The other clause has no keyword of its own ("... é o whats de qual provedor? qual o
        # fixo"): the whole question's topic, which its words point to ("whats": the contacts).
        return replace(reading, providers=(kb.providers[pid],)), why
    return None


def _asks_a_topic(reading: Reading) -> bool:
    """Does a keyword point clearly to a topic other than the places served?"""
    top = reading.topics[0] if reading.topics else None
    return top is not None and top.keywords >= CONFIDENT and top.topic.id != PLACES_TOPIC


def _decide(
    kb: KB,
    question: str,
    reading: Reading,
    now: dt.datetime | None,
    about_now: bool | None = None,
) -> Reply:
    """``about_now``: does the question ask about the clock (``None``: read it from the text;
    a pasted message only from its question sentences: "só agora consegui pagar" is no)."""
    why: Block | None = None
    by_password = False
    # "Who serves it?" is never answered from a password typed ("qual provedor usa <senha>?"
    # would say whose it is with no credential policy): the other names only.
    asked_of = reading
    if any(c.password for c in reading.context):
        asked_of = replace(reading, context=tuple(c for c in reading.context if not c.password))
    beside = _asked_beside_whose(kb, asked_of, question)
    if beside is not None:
        # "telefone X é de qual provedor? precisa do whats deles": the clue says whose, the
        # other sentence what is asked -- that topic of that ISP, with the why-line.
        reading, why = beside
    elif _whois(kb, asked_of, question):
        # No name found: a place typed by its leading words ("quem cobre vila maria?": VM
        # NET's "Vila Maria Baixa"), shown whole in the reply's title.
        places = asked_of.context or tuple(places_led(kb, normalize(question).split()))
        return answers.whois_reply(kb, places, question)
    if reading.providers and not reading.lookalike:
        # "quem atende Nova Mutum?", "tem fibra em Nova Mutum?": the ISP's name inside a
        # place's name is the place.
        said = normalize(question)
        if _WHOIS.search(said) or _REACHES_RE.search(said):
            places = places_holding_a_name(kb, question, reading.providers)
            if places and _asked_who_serves(kb, said, places):
                return answers.whois_reply(kb, places, question)
    if not reading.providers and not reading.lookalike:
        owners = reading.context_providers
        if len(owners) == 1:
            by_password = any(c.password for c in reading.context)
            (pid,) = owners
            reading = replace(reading, providers=(kb.providers[pid],))
            names = ", ".join(dict.fromkeys(c.name for c in reading.context if pid in c.owners))
            why = note(msg.CONTEXT_WHY.format(names=names, provider=kb.providers[pid].name))
        elif len(owners) > 1:
            reading = replace(
                reading, providers=tuple(p for pid, p in kb.providers.items() if pid in owners)
            )
    elif reading.by_equipment and len(reading.providers) == 1:
        # "roteador intelbras não conecta": the ISP that alone lists the brand, and why.
        found = reading.providers[0]
        said = _equipment_as_written(found, reading.equipment_typed)
        if reading.brand_port:
            said = f"{said}, porta {reading.brand_port}"
        typed = [c.name for c in reading.context if c.password]
        if typed:
            # "senha deusefiel não foi no tplink": the brand two ISPs list, one's password.
            said = ", ".join([said, *typed])
            by_password = True
        why = note(msg.CONTEXT_WHY.format(names=said, provider=found.name))
    one = reading.providers[0] if len(reading.providers) == 1 else None
    original_now = now
    stated = clock.stated_moment(reading.words, now, one)
    if stated is not None:
        # "domingo 10h", "hj é sábado": the clock of the answer is that moment.
        now = stated
        about_now = True if about_now is None else about_now
    timed = about_now if about_now is not None else clock.asks_now(question)
    if one is not None and (timed or clock.asks_a_day(reading.words)):
        reading = _hours_topic(kb, one, reading, bool(timed))
    reply = _decide_topic(kb, question, reading, now)
    if clock.asks_coverage(reading.words):
        reply = _coverage(kb, reading, reply, now)
    about_now = timed
    named_sector = (
        about_now
        and reply.provider_id is not None
        and clock.names_sector(kb.providers[reply.provider_id], reading.words)
    )
    if about_now and (not reply.clock or named_sector):
        reply = _with_clock(kb, reading, reply, now, stated=stated is not None)
    day = clock.stated_day(reading.words, original_now) if stated is not None else None
    covered = reply.provider_id is not None and kb.providers[reply.provider_id].coverage
    if day is not None and reply.topic_id == COVERAGE_TOPIC and reply.clock and covered:
        # "vmnet amanhã é com a gente?": that whole day's windows, not its present time.
        reply = clock.on_day(reply, kb.providers[reply.provider_id or ""], day)
    elif stated is not None and reply.clock:
        named = moment.named_clock(reading.words) is not None
        provider = kb.providers[reply.provider_id] if reply.provider_id is not None else None
        at = clock.agora_at(provider, stated) if provider is not None else None
        reply = clock.at_stated(reply, clock.stated_words(stated, one, named), at)
        holiday = any(w in moment.HOLIDAY for w in reading.words)
        if reply.topic_id == COVERAGE_TOPIC and covered and provider is not None and not holiday:
            # "mutum quarta 20h é com a gente?": the verdict, not the whole week (a holiday
            # keeps it: the document's caveats about holidays are in its notes).
            reply = clock.verdict_only(reply, provider, stated)
    if stated is not None and reply.kind is ReplyKind.MISSING_PROVIDER:
        reply = _choice_at(kb, reply, reading.words, original_now, stated)
    if why is not None and reply.provider_id is not None:
        reply = replace(reply, blocks=_after_heading(reply.blocks, why))
    if by_password:
        # The ISP came from a password the agent typed: the answer tells whose password it is,
        # as a credential answer does (withheld in groups closed to them, audited).
        reply = replace(reply, credentials=True)
    if reading.beside is not None:
        reply = _beside(kb, reply, *reading.beside)
    return reply


def _equipment_as_written(provider: Provider, typed: str) -> str:
    """The equipment words typed, as the ISP's table writes that name ("intelbras" ->
    "Intelbras"), else as typed ("huawei", a brand of several rows)."""
    key = compact(typed)
    for item in provider.equipment:
        for name in equipment_names(item):
            if compact(name) == key:
                return name
    return typed


COVERAGE_TOPIC = clock.COVERAGE_TOPIC
_CLOCK_CHOICES = ("/agora ", f"/{COVERAGE_TOPIC} ")
"""Choices of an ISP for a question about the clock: a button's ask is then /agora at the moment."""


def _choice_at(
    kb: KB,
    reply: Reply,
    words: Sequence[str],
    now: dt.datetime | None,
    stated: dt.datetime,
    alone: bool | None = None,
) -> Reply:
    """Which ISP, for a question about the clock at a stated moment ("domingo 22h é com a
    gente?"): each button asks /agora of its ISP at that moment, read on that ISP's clock and
    written as a date ("/agora mutum 06/12/2026 22h00": the same moment whenever tapped)."""
    isps = [b for b in reply.buttons if len(b.ask.split()) > 1]  # not a topic offered alone
    if not isps or not all(_timed_ask(kb, b.ask) for b in isps):
        return reply
    buttons = []
    for button in reply.buttons:
        asked = button.ask.split()  # "/agora <id> [the moment]", "/financeiro <id>"
        if len(asked) == 1:
            buttons.append(button)
            continue
        provider = kb.providers.get(asked[1]) if len(asked) > 1 else None
        at = clock.stated_moment(words, now, provider, alone) if provider is not None else None
        if provider is None or at is None:
            return reply
        command = "/agora" if button.ask.startswith(_CLOCK_CHOICES) else asked[0]
        local = at.astimezone(ZoneInfo(provider.timezone))  # how the command reads it
        buttons.append(replace(button, ask=f"{command} {provider.id} {local:%d/%m/%Y %Hh%M}"))
    said = note(msg.STATED_CHOICE.format(moment=clock.stated_words(stated)))
    return replace(reply, blocks=(*reply.blocks, said), buttons=tuple(buttons))


UNTIMED_TOPICS = frozenset({"senha", PORT_TOPIC})
"""Topics whose command reads its other arguments as something else (a model, a port)."""


def _timed_ask(kb: KB, ask: str) -> bool:
    """Is the button's ask /agora, /horario or a topic command answered at a moment its
    arguments state (``_timed_topic``), with an ISP and nothing else?"""
    if ask.startswith(_CLOCK_CHOICES):
        return True
    asked = ask.split()
    topic = kb.command_topics.get(asked[0].removeprefix("/"))
    return len(asked) == 2 and topic is not None and topic.id not in UNTIMED_TOPICS


TIME_TOPICS = frozenset({COVERAGE_TOPIC, "contato", "setores", "plantao"})
"""Topics about when someone works: a question about UPCALL's coverage that reads as one of
them is the coverage."""


def _hours_topic(kb: KB, provider: Provider, reading: Reading, timed: bool) -> Reading:
    """Whether someone is there, now, at a moment or on a day ("tem técnico sábado 10h?", "tem
    alguém agora?", "o financeiro abre sábado?"): when the favourite topic's text gives no
    hours of who is asked about (the visit's cost, for "técnico"; the financial rules, for
    "financeiro"), the next topic whose text gives them is the answer -- the weekend shift, the
    sector hours. Naming no sector by its name, that topic must hold as much of the question
    in its passages. A sector named and asked about now or at a moment keeps its topic: its
    state then is the /agora view when that topic does not give its hours (``_with_clock``)."""
    words = reading.words
    topics = reading.topics
    if not topics or not (clock.names_who(kb, words) and clock.asks_availability(kb, words)):
        return reading
    named = bool(clock.sectors_named(provider, words))
    if named and timed:
        return reading
    asked = clock.sectors_asked(kb, provider, words)

    def gives_hours(topic: Topic) -> bool:
        if asked:
            return clock.hours_in(provider, topic.id, asked)
        return clock.states_hours(provider, topic.id)

    top = topics[0]
    if gives_hours(top.topic):
        return reading
    for rival in topics[1 : SUGGESTIONS + 2]:
        if (named or rival.passages >= top.passages) and gives_hours(rival.topic):
            # It answers what is asked: no other text's share of the question overturns it.
            lifted = replace(
                rival,
                score=top.score + rival.passages,
                keywords=max(rival.keywords, top.keywords),
                passages=max(t.passages for t in topics),
            )
            rest = tuple(t for t in topics if t is not rival)
            return replace(reading, topics=(lifted, *rest))
    return reading


def _coverage(kb: KB, reading: Reading, reply: Reply, now: dt.datetime | None) -> Reply:
    """ "Já é com a gente?", "ainda é com a gente ou já voltou pro provedor?", "qdo a upcall
    cobre a mutum?": UPCALL's hours for the ISP with its coverage at that moment (/horario),
    unless a keyword names another topic clearly (its answer keeps the question, and the
    clock is added as for any question about now). No ISP known: which one, for /horario."""
    top = reading.topics[0] if reading.topics else None
    clear = top is not None and top.keywords >= CONFIDENT and not _close(reading.topics)
    if top is not None and clear and top.topic.id not in TIME_TOPICS:
        return reply
    if reply.topic_id == COVERAGE_TOPIC and reply.clock:
        return reply
    pid = reply.provider_id
    if pid is None and len(reading.providers) == 1:
        pid = reading.providers[0].id
    topic = kb.topics.get(COVERAGE_TOPIC)
    if topic is None:
        return reply
    if pid is None:
        return _which_isp(kb, topic.commands[0]) if not reading.providers else reply
    return _hours(kb, kb.providers[pid], topic, now)


def _beside(kb: KB, reply: Reply, lookalike: Lookalike, owner: Provider | None) -> Reply:
    """Another company named beside an ISP is never dropped: with no clear answer, its rule
    ("PANTANET não é um provedor atendido..."); with one, the answer and a line saying so. A
    company not served (no ``owner``) beside an ISP ("era da claro, agora é da mutum") is a
    line beside whatever the ISP's reply is: the question is the ISP's."""
    if owner is None:
        line = note(msg.NOT_SERVED.format(name=lookalike.name))
        return replace(reply, blocks=_after_heading(reply.blocks, line))
    if reply.kind not in (ReplyKind.ANSWER, ReplyKind.NO_INFO):
        return answers.lookalike_reply(kb, lookalike, owner)
    line = note(msg.LOOKALIKE_BESIDE.format(name=lookalike.name, provider=owner.name))
    return replace(reply, blocks=_after_heading(reply.blocks, line))


def _with_clock(
    kb: KB, reading: Reading, reply: Reply, now: dt.datetime | None, stated: bool = False
) -> Reply:
    """A question about now. Whether a sector is open ("o financeiro está aberto?"), about the
    hours or nothing in particular: the ISP's state now (/agora <isp>). What to do now
    ("posso transferir pro financeiro agora?"): the topic's answer stays (its text has the rule)
    with one line of the ISP's sectors now, unless it already says the state of the sector asked
    about. A sector named that the topic's answer does not name ("tem técnico de campo na rua
    agora?" read as the visit's cost): the ISP's state now. Passages found for one ISP
    named: its state now too. No ISP known: ask which one, for /agora. ``stated``: ``now`` is
    the moment the question states ("domingo 10h")."""
    asked = DIRECT_KINDS | {ReplyKind.UNSURE, ReplyKind.NOT_UNDERSTOOD}
    pid = reply.provider_id if reply.kind in asked else None
    if reply.kind is ReplyKind.SEARCH and len(reading.providers) == 1:
        pid = reading.providers[0].id
    if pid is not None:
        provider = kb.providers[pid]
        sectors = clock.sectors_named(provider, reading.words)
        named = bool(sectors)
        topical = reply.kind is ReplyKind.ANSWER and reply.topic_id not in (None, "horario")
        wanted = clock.sectors_asked(kb, provider, reading.words)
        available = bool(wanted) and clock.asks_availability(kb, reading.words)
        if topical and available and _about(kb, provider, reply.topic_id or "", wanted):
            # "A loja está aberta?" answered by the contacts, "o N2 funciona domingo 15h?" by
            # the N2 rules, "a retenção atende agora?" by the cancelling rule that sends there:
            # the answer stays, with the sector's state and its hours as written.
            reply = _with_sector_lines(kb, provider, reply, wanted, now)
            return _with_sector_hours(kb, provider, reply, wanted)
        elsewhere = (
            topical
            and named
            and reply.topic_id is not None
            and not clock.written_in(provider, reply.topic_id, sectors)
        )
        if topical and not elsewhere and not available:
            if named:  # the sector asked about, with its action
                reply = _with_sector_lines(kb, provider, reply, sectors, now)
            elif provider.sectors and not reply.clock:
                line = note(clock.sectors_now_line(provider, now))
                reply = replace(reply, blocks=_after_heading(reply.blocks, line), clock=True)
            return _with_sector_hours(kb, provider, reply, sectors)
        if available:
            return _with_sector_rules(kb, provider, _now_reply(kb, provider, now, stated))
        return _now_reply(kb, provider, now, stated)
    if not reading.providers and reply.kind is ReplyKind.NOT_UNDERSTOOD:
        return _which_isp(kb, "agora")
    return reply


SECTORS_TOPIC = "setores"


def _about(kb: KB, provider: Provider, topic_id: str, sectors: Sequence[Sector]) -> bool:
    """Is the ISP's answer on the topic about these sectors: it gives their hours, or it sends
    the customer to one of them?"""
    found = clock.route(kb, provider, topic_id)
    if found is not None and any(s.id == found.sector.id for s in sectors):
        return True
    return clock.hours_in(provider, topic_id, sectors)


def _with_sector_lines(
    kb: KB, provider: Provider, reply: Reply, sectors: Sequence[Sector], now: dt.datetime | None
) -> Reply:
    """The answer that gives the sectors' hours, with one line per sector asked about: its
    state now (or at the moment stated) and the action the document gives, first under the
    title. A sector the answer's own clock line already states (the one it transfers to) is
    not said twice."""
    topic_id = reply.topic_id or ""
    routed = clock.route(kb, provider, topic_id) if reply.clock else None
    said = [s for s in sectors if routed is None or s.id != routed.sector.id]
    lines = [note(line) for line in clock.sector_lines(kb, provider, said, now)]
    if not lines:
        return reply
    blocks = reply.blocks
    at = 1 if blocks and blocks[0].kind is BlockKind.HEADING else 0
    return replace(reply, blocks=(*blocks[:at], *lines, *blocks[at:]), clock=True)


def _with_sector_rules(kb: KB, provider: Provider, reply: Reply) -> Reply:
    """ "O financeiro está aberto?": the state now, then the document's own words on its
    sectors (their hours as written, what to do when one is closed: "abrir OS de Outras
    Demandas"), which the state line alone does not say."""
    entry = provider.topics.get(SECTORS_TOPIC)
    topic = kb.topics.get(SECTORS_TOPIC)
    if entry is None or topic is None or entry.secret:
        return reply
    rules = text(Span(topic.title, Style.BOLD), Span("\n" + entry.text.strip()))
    return replace(reply, blocks=(*reply.blocks, rules))


def _with_sector_hours(
    kb: KB, provider: Provider, reply: Reply, sectors: Sequence[Sector]
) -> Reply:
    """ "A retenção atende agora?" answered by the topic that sends the customer there: the
    named sector's hours as the document wrote them (its *setores* lines), below the answer,
    when the answer does not say them (the state line gives the next opening, not the
    hours)."""
    topic = kb.topics.get(SECTORS_TOPIC)
    if not sectors or topic is None or reply.topic_id == SECTORS_TOPIC:
        return reply
    shown = normalize(" ".join(b.plain for b in reply.blocks))
    lines = [ln for ln in clock.hours_written(provider, sectors) if normalize(ln) not in shown]
    if not lines:
        return reply
    hours = text(Span(topic.title, Style.BOLD), Span("\n" + "\n".join(lines)))
    return replace(reply, blocks=(*reply.blocks, hours))


PASSWORD_TOPIC = "senha"


def _model_not_listed(kb: KB, reading: Reading) -> tuple[Provider, str] | None:
    """A password asked for a model another ISP's document lists and the one ISP named does not
    ("senha do tp link da mutum"): that ISP and the model as typed. Its words would otherwise be
    read as some other topic's ("tp" corrected to "tv": "senha da tv")."""
    topic = kb.topics.get(PASSWORD_TOPIC)
    if topic is None or len(reading.providers) != 1 or reading.equipment is not None:
        return None
    if reading.equipment_choices:
        return None
    asked = {k for k in (normalize(k) for k in topic.keywords) if " " not in k}
    if not asked & set(reading.words):
        return None
    (provider,) = reading.providers
    for other in kb.providers.values():
        if other.id == provider.id:
            continue
        found, where = equipment_named(kb, other, reading.words, set())
        if found:
            return provider, " ".join(reading.words[i] for i in sorted(where))
    return None


def _decide_topic(kb: KB, question: str, reading: Reading, now: dt.datetime | None) -> Reply:
    unlisted = _model_not_listed(kb, reading)
    if unlisted is not None:
        # The ISP's password answer (its table, its rule), saying the model is not in it.
        provider, typed = unlisted
        reply = _topic_answer(kb, provider, kb.topics[PASSWORD_TOPIC], reading, now, 1.0)
        shown = echo(kb, typed, credential=True)
        said = note(msg.EQUIPMENT_NOT_LISTED.format(query=shown, provider=provider.name))
        return replace(reply, blocks=_after_heading(reply.blocks, said))
    reading = _text_wins(reading)
    providers, topics = reading.providers, reading.topics
    if not providers and reading.lookalike:
        return answers.lookalike_reply(kb, *reading.lookalike)
    top = topics[0] if topics else None
    hits = best_hits(reading.hits)
    if providers:
        # The ISP known (named, or from a context name or a password typed: "lnt12345@ não
        # entra" is LaserNet's): another ISP's passages are never shown under its why-line.
        known = {p.id for p in providers}
        hits = [h for h in hits if h.passage.provider_id in known]
    if top is None or (top.keywords == 0 and not hits):
        if len(providers) == 1 and not reading.says_more:
            written = _alias_asked_whose(providers[0], question)
            if written is not None:
                # "sansara é de qual provedor?": the ISP's lines explaining that name.
                topic = kb.topics[written]
                return _topic_answer(kb, providers[0], topic, reading, now, 1.0)
            return _provider_topics(kb, providers[0], question)
        return _not_understood(kb, question, providers)
    close = _close(topics)
    if top.keywords == 0:
        return _from_passages(kb, question, reading, hits, now)
    if top.score < CONFIDENT and len(providers) <= 1:
        options = [t.topic for t in topics[:SUGGESTIONS]]
        single = providers[0] if providers else None
        return _unsure(kb, question, options, single, top.score)
    if len(providers) > 1:
        prompt = msg.CHOOSE_PROVIDER
        if reading.context and not any(p.name.casefold() in question.casefold() for p in providers):
            names = ", ".join(dict.fromkeys(c.name for c in reading.context))
            prompt = msg.CONTEXT_CHOOSE.format(names=names)
        return answers.provider_choice(
            kb, providers, _ask(top.topic, "{id}"), prompt, ReplyKind.CHOICE
        )
    if not providers:
        if close:
            others = [t.topic for t in close[: SUGGESTIONS - 1]]
            return _which_isp_or_topic(kb, top.topic, others, 1.0 - close[0].score / top.score)
        return _which_isp(kb, top.topic.commands[0])
    provider = providers[0]
    both = _asked_together(kb, provider, reading) or _money_text(kb, provider, reading)
    if both is not None:
        return _sections(kb, provider, (reading,), both, now, top.score)
    named_equipment = reading.equipment is not None or bool(reading.equipment_choices)
    if close and not (top.topic.id == "senha" and named_equipment):
        if len(close) == 1 and _sectioned(kb, provider, top.topic, close[0].topic):
            # Close on the evidence: the one whose text holds more of the question first --
            # unless a clue chose the favourite ("na <port> não responde": the ports).
            named = clock.sectors_named(provider, reading.words)

            def hours(t: TopicScore) -> bool:
                return bool(named) and _about(kb, provider, t.topic.id, named)

            # The one whose text holds more of the question first; alike, the one giving the
            # hours of a sector named or sending there ("... transferir pro comercial?": the
            # sectors' table, not the financial rules that only mention it).
            first, second = sorted((top, close[0]), key=lambda t: (-t.passages, not hours(t)))
            if top.topic.id == reading.clue_topic:
                first, second = top, close[0]
            pair = (first.topic, second.topic)
            return _sections(kb, provider, (reading,), pair, now, top.score)
        leader = _text_leader([top, *close])
        if leader is not None:
            second = top if leader is not top else close[0]
            if _sectioned(kb, provider, leader.topic, second.topic):
                pair = (leader.topic, second.topic)
                return _sections(kb, provider, (reading,), pair, now, top.score)
        options = [top.topic, *(t.topic for t in close[:2])]
        return Reply(
            ReplyKind.CHOICE,
            (text(msg.CHOOSE_TOPIC),),
            buttons=tuple(
                Button(_option_label(kb, reading, t), _ask(t, provider.id)) for t in options
            ),
            provider_id=provider.id,
            confidence=_confidence(top.score),
        )
    told = _text_rival(reading)
    if told is not None and _sectioned(kb, provider, top.topic, told.topic):
        pair = (told.topic, top.topic)  # the text that holds more of the question first ...
        if _clue_chose(reading):
            pair = (top.topic, told.topic)  # ... unless a clue chose the favourite
        return _sections(kb, provider, (reading,), pair, now, top.score)
    return _topic_answer(kb, provider, top.topic, reading, now, _confidence(top.score))


def _asked_together(kb: KB, provider: Provider, reading: Reading) -> tuple[Topic, Topic] | None:
    """Two topics named either side of "e" ("o link do sistema e da central"), the favourite
    one of them: both answered, as sections, when they can be shown together."""
    if reading.joined is None or reading.topics[0].topic.id not in reading.joined:
        return None
    pair = (kb.topics[reading.joined[0]], kb.topics[reading.joined[1]])
    return pair if _sectioned(kb, provider, *pair) else None


TEXT_SECTION = 0.1
"""A runner-up with a keyword of its own whose text holds this much more of the question than
the favourite's is shown beside it (two sections): the keywords chose one topic, the answer
texts say the other holds more of what was asked."""
TEXT_SECTION_FLOOR = 0.35
"""... and holds at least this share of the question."""


def _text_leader(tied: Sequence[TopicScore]) -> TopicScore | None:
    """Of several topics tied on the evidence, the one whose text holds clearly more of the
    question than each other's (TEXT_SECTION), if one does."""
    ranked = sorted(tied, key=lambda t: -t.passages)
    if ranked[0].passages - ranked[1].passages >= TEXT_SECTION:
        return ranked[0]
    return None


TEXT_UNPOINTED = 0.6
"""A runner-up no keyword points to is shown beside a favourite resting on one keyword when its
text holds this share of the question ..."""
TEXT_UNPOINTED_MARGIN = 0.3
"""... and this much more than the favourite's text: "cliente bloqueado pediu suporte, abro
OS?" is the blocking keyword's topic, but the rule ("Não abrem O.S. para clientes bloqueados")
is written under N2."""
TEXT_UNPOINTED_WORDS = 2
"""... in a question of at least this many informative words (in one, a common word is the
whole question)."""


def _text_rival(reading: Reading) -> TopicScore | None:
    top = reading.topics[0]
    for rival in reading.topics[1:3]:
        if (
            rival.keywords >= CONFIDENT
            and rival.passages >= TEXT_SECTION_FLOOR
            and rival.passages - top.passages >= TEXT_SECTION
        ):
            return rival
    if top.keywords <= CONFIDENT and _informative(reading) >= TEXT_UNPOINTED_WORDS:
        for rival in reading.topics[1:4]:
            if (
                rival.passages >= TEXT_UNPOINTED
                and rival.passages - top.passages >= TEXT_UNPOINTED_MARGIN
            ):
                return rival
    return None


SPECIAL_TOPICS = frozenset({"senha", "horario"})
"""Topics whose reply is more than their text (the equipment table and its choice; the
coverage hours): never a section of a compact reply, the agent picks them from a menu."""


def _sectioned(kb: KB, provider: Provider, *topics: Topic) -> bool:
    """Can these topics be shown together as sections: each answered by the ISP's text, and all
    or none carrying credentials (a public answer is never withheld from a group because of a
    section with a password beside it)?"""
    answered = all(t.id not in SPECIAL_TOPICS and t.id in provider.topics for t in topics)
    return answered and len({kb.is_secret(provider, t.id) for t in topics}) == 1


def _sections(
    kb: KB,
    provider: Provider,
    readings: Sequence[Reading],
    topics: Sequence[Topic],
    now: dt.datetime | None,
    score: float,
) -> Reply:
    """Two topics close on the evidence and both answered by this ISP: both, compactly, each
    with the passage that matched (in the first reading that has one) and its sector's state
    now, rather than a menu to tap."""
    sections = []
    for topic in topics:
        found = clock.route(kb, provider, topic.id)
        line = clock.sector_now_line(provider, found, now) if found is not None else None
        sections.append(answers.Section(topic, _answer_passage(provider, topic, readings), line))
    reply = answers.sections_reply(kb, provider, sections)
    return replace(reply, confidence=min(1.0, score))


def _answer_passage(provider: Provider, topic: Topic, readings: Sequence[Reading]) -> str | None:
    """The best-matching passage of the topic's answer text itself (not of a supervisor's note
    or a suggested message, which are passages too), in the first reading that has one."""
    entry = provider.topics.get(topic.id)
    if entry is None:
        return None
    for reading in readings:
        for hit in reading.hits:
            p = hit.passage
            if p.provider_id == provider.id and p.topic_id == topic.id and p.text in entry.text:
                return p.text
    return None


MONEY_TEXT_FLOOR = 0.3
"""Two financial topics' texts, the favourite's and another's, each holding at least this
share of the question ..."""
MONEY_TEXT_MARGIN = 0.1
"""... and this much more than the favourite's (also financial, its text holding as much) is
shown first, beside it ..."""
SAME_COVERAGE = 0.02
"""Two passages holding the same share of the question (to rounding)."""


def _own_coverage(provider: Provider, reading: Reading) -> dict[str, tuple[float, str]]:
    """Topic id -> (coverage, text) of the ISP's own best passage of it among the hits (not a
    supervisor's note: no rule of the ISP's)."""
    best: dict[str, tuple[float, str]] = {}
    for hit in reading.hits:
        p = hit.passage
        if p.provider_id != provider.id or p.note or p.topic_id in best:
            continue
        best[p.topic_id] = (hit.coverage, p.text)
    return best


def _money_text(kb: KB, provider: Provider, reading: Reading) -> tuple[Topic, Topic] | None:
    """A financial matter whose rule this ISP writes under another financial topic than the
    keywords' favourite: the financial topics share their words ("dias", "atraso", "pagou",
    "comprovante", "fatura") and their texts quote each other's rules -- LaserNet's "NÃO
    LIBERAR COM MAIS DE 35 DIAS DE ATRASO, SOMENTE COM COMPROVANTE" is an unblocking rule,
    NETCENTER writes its pre-paid billing under the invoice and under the sector. Two sections:
    the text that holds clearly more of the question first, the favourite beside it; a line
    the two texts share (holding the question as much in both), the favourite first. Not when
    a clue chose the favourite (the days late told by two dates, a receipt's picture): the
    situation's words are no rule's."""
    top = reading.topics[0].topic
    if top.id not in MONEY_MATTERS or top.id not in provider.topics:
        return None
    if top.id == reading.clue_topic:
        return None
    own = _own_coverage(provider, reading)
    mine, my_text = own.get(top.id, (0.0, ""))
    rivals = [(c, t, x) for t, (c, x) in own.items() if t in MONEY_MATTERS and t != top.id]
    if not rivals:
        return None
    coverage = max(c for c, _t, _x in rivals)
    if min(coverage, mine) < MONEY_TEXT_FLOOR:
        # A text holding little of the question: its keyword named the matter ("vence o
        # boleto", "pagou"), and no text competes for the rule.
        return None
    # Of rivals alike, the financial sector's own rules: a rule the ISP writes under the sector
    # and under another topic is the sector's ("cobrança pré-paga": not sending the invoice).
    tied = sorted((t != FINANCE, t, x) for c, t, x in rivals if coverage - c <= SAME_COVERAGE)
    _other, rival_id, rival_text = tied[0]
    rival = kb.topics[rival_id]
    matter = _matter_typed(top, reading.words)
    if matter and not matter & _text_stems(rival_text):
        # The rival's text holds the question's other words ("aceita": LaserNet's receipts
        # "podemos aceitá-los") but not the favourite's matter typed ("pix"): no rule of it.
        return None
    if coverage - mine >= MONEY_TEXT_MARGIN and _sectioned(kb, provider, rival, top):
        return rival, top
    if abs(coverage - mine) <= SAME_COVERAGE and _sectioned(kb, provider, top, rival):
        # The favourite's line that holds most of the question, written in the rival's too.
        line = normalize(matched_line(kb, my_text, reading.words))
        if line and line in normalize(rival_text):
            return top, rival
    return None


def _matter_typed(topic: Topic, words: Sequence[str]) -> frozenset[str]:
    """The question's stems that are a word of the topic's catalogue keywords ("pix" of the
    payments'): the matter that made it the favourite."""
    return frozenset(search_terms(words)) & _keyword_stems(tuple(topic.keywords))


@lru_cache(maxsize=256)
def _keyword_stems(keywords: tuple[str, ...]) -> frozenset[str]:
    """The stems of a topic's catalogue keywords (computed once per catalogue, not per
    question)."""
    return frozenset(search_terms(w for k in keywords for w in normalize(k).split()))


@lru_cache(maxsize=1024)
def _text_stems(text: str) -> frozenset[str]:
    """The stems an answer's text writes (once per text, not per question)."""
    return frozenset(search_terms(normalize(text).split()))


TEXT_WINS = 0.7
"""A topic whose answer text holds this share of the question's words ..."""
TEXT_ALL = 0.8
"""A text holding (nearly) all the question's words wins with no keyword of its own when the
favourite has one keyword only ("netcenter faz cabeamento para outros equipamentos?": the
"equipamentos" keyword loses to the rule that says "Não fazem cabeamento para outros
equipamentos")."""
TEXT_MARGIN = 0.2
"""... this much more than the keywords' favourite's text does, and that some keyword also
points to, is the answer: "mais de 35 dias de atraso pode liberar?" finds the unblocking rule
("NÃO LIBERAR COM MAIS DE 35 DIAS DE ATRASO") though "dias de atraso" is a blocking keyword."""


PHRASE_CHOSEN = 9.0
"""Keyword evidence of a phrase of three words as written ("alteração cadastral" + another):
a favourite this strong is overturned by a text only when a keyword (not a context name's
0.3) points to the rival too."""


def _informative(reading: Reading) -> int:
    """How many informative words the question has, context names and the moment stated left
    out."""
    named = {w for c in reading.context for w in c.typed.split()}
    when = moment.when_words(reading.words)  # "que horas", "domingo 10h": not searched
    said = [w for i, w in enumerate(reading.words) if w not in named and i not in when]
    return len(search_terms(said))


def _clue_chose(reading: Reading) -> bool:
    """Did a clue, not a keyword, choose the favourite topic (the lines naming an alias typed,
    the ports for a port typed)? A text no keyword points to does not then overturn it, nor
    come first ("cliente diz que é da <alias>, atende?": not the coverage hours) -- unless a
    moment is asked or stated ("..., atende de segunda?": the hours' text may say)."""
    top = reading.topics[0] if reading.topics else None
    chosen = top is not None and top.topic.id == reading.clue_topic
    return chosen and not moment.when_words(reading.words)


def _text_wins(reading: Reading) -> Reading:
    topics = reading.topics
    if len(topics) < 2 or topics[0].keywords == 0 or len(reading.providers) != 1:
        # With no ISP (or several), the texts are those of every ISP: one of them holding more
        # says nothing of the ISP that will be asked for; the keywords choose the topic.
        return reading
    top = topics[0]
    informative = _informative(reading)
    chosen = _clue_chose(reading)
    strong = top.keywords >= PHRASE_CHOSEN
    for rival in topics[1:]:
        keyword = rival.keywords >= CONFIDENT if strong else rival.keywords > 0
        pointed = keyword or (
            not chosen
            and top.keywords <= CONFIDENT
            and rival.passages >= TEXT_ALL
            and informative >= 2
        )
        if chosen and rival.keywords < top.keywords:
            continue  # "porta 2389 não responde": the port's answer, not the unresponsive line's
        if pointed and rival.passages >= TEXT_WINS and rival.passages - top.passages >= TEXT_MARGIN:
            lifted = replace(rival, score=top.score + rival.passages)
            rest = tuple(t for t in topics if t is not rival)
            return replace(reading, topics=(lifted, *rest))
    return reading


OPTION_LABEL = 60
"""Characters of the matched line shown on a choice button after the topic's title."""


def _option_label(kb: KB, reading: Reading, topic: Topic) -> str:
    """ "Bloqueio e redução: Bloqueio após 15 dias…": the title and the line of the matched
    passage that holds most of the question."""
    passage = reading.best_passage(topic.id)
    if passage is None:
        return topic.title
    line = " ".join(matched_line(kb, passage.text, reading.words).split())
    if len(line) > OPTION_LABEL:
        line = line[: OPTION_LABEL - 1].rstrip() + "…"
    return f"{topic.title}: {line}"


def _confidence(score: float) -> float:
    return min(1.0, score / CONFIDENT)


def _topic_answer(
    kb: KB,
    provider: Provider,
    topic: Topic,
    reading: Reading,
    now: dt.datetime | None,
    confidence: float,
) -> Reply:
    """The reply of the equivalent command ("/senha lasernet W5-1200G"), so that free text and
    commands never answer differently."""
    if topic.id == "senha" and reading.equipment_choices:
        typed = echo(kb, reading.equipment_typed, credential=True)
        return answers.equipment_choice(provider, typed, reading.equipment_choices)
    ask = _ask(topic, provider.id)
    if topic.id in {"senha", PORT_TOPIC} and reading.equipment is not None:
        ask = f"{ask} {reading.equipment.model}"
    command = parse_command(ask)
    assert command is not None
    reply = answer_command(kb, command, now)
    if confidence == reply.confidence == 1.0:
        return reply  # the same reply: no copy of its dozen fields
    return replace(reply, confidence=confidence)


def _close(topics: Sequence[TopicScore]) -> list[TopicScore]:
    """The runners-up too close to the best to choose for the agent: within TOPIC_TIE of its
    score, unless the answer texts clearly favour the best (PASSAGE_MARGIN). When the best has
    keyword evidence, a rival needs some too: the answer texts alone only break ties."""
    top = topics[0]
    return [
        t
        for t in topics[1:]
        if t.score >= top.score * TOPIC_TIE
        and top.passages - t.passages < PASSAGE_MARGIN
        and (t.keywords > 0 or top.keywords == 0)
    ]


def _from_passages(
    kb: KB,
    question: str,
    reading: Reading,
    hits: Sequence[Hit],
    now: dt.datetime | None,
) -> Reply:
    """No keyword, but the answer texts say these words. One ISP named and one topic clearly
    holding them: answer it. Otherwise show the passages. Topics whose best passage is the same
    text (the document repeats a fact under two topics) are not rivals."""
    top = reading.topics[0]
    rivals = [t for t in _close(reading.topics) if not _same_fact(reading, top, t)]
    if len(reading.providers) == 1 and not rivals and top.passages >= PASSAGE_ANSWER:
        return _topic_answer(kb, reading.providers[0], top.topic, reading, now, top.passages)
    if len(reading.providers) == 1 and len({h.passage.topic_id for h in hits}) == 1:
        # The passages /buscar would show are all one topic's ("cliente quer saber se pode ir
        # lá pessoalmente": the store's "atendimento presencial"; no other passage holds 60 %
        # of what it holds): that topic's answer, not one passage to tap.
        only = kb.topics[hits[0].passage.topic_id]
        return _topic_answer(kb, reading.providers[0], only, reading, now, hits[0].coverage)
    if len(reading.providers) == 1 and len(rivals) == 1 and rivals[0].passages >= PASSAGE_SECTIONS:
        # Two topics' texts hold the question alike ("CDNTV" in the SVA list and in the TV
        # steps): both, as sections, rather than the passages to pick from.
        (provider,) = reading.providers
        if _sectioned(kb, provider, top.topic, rivals[0].topic):
            pair = (top.topic, rivals[0].topic)
            return _sections(kb, provider, (reading,), pair, now, top.passages)
    if not reading.providers and not rivals and top.passages >= PASSAGE_ANSWER:
        # The texts of every ISP agree on the topic: ask which ISP, as for a keyword.
        return _which_isp(kb, top.topic.commands[0])
    owners = {h.passage.provider_id for h in hits}
    if len(reading.providers) > 1 and _all_named(question, reading.providers):
        missing = {p.id for p in reading.providers} - owners
    else:
        missing = set()  # (two ISPs a brand points to: "tplink" is Seja's and VM NET's)
    if missing:
        # "35 dias é da lasernet né? e a netcenter?": the passages hold one named ISP's words
        # only; the other named ISP is asked about too: which one, never the first alone.
        return answers.provider_choice(
            kb, reading.providers, _ask(top.topic, "{id}"), msg.CHOOSE_PROVIDER, ReplyKind.CHOICE
        )
    if not reading.providers and len(owners) == 1 and not near_a_name(kb, reading.words, *owners):
        return _one_isps_words(kb, question, reading, hits)
    shown = search_reply(kb, question, hits)
    if not reading.providers and len({h.passage.provider_id for h in hits}) > 1:
        # No ISP known and passages of several: the reply is about none of them.
        shown = replace(shown, provider_id=None)
    return shown


def _all_named(question: str, providers: Sequence[Provider]) -> bool:
    """Does the question write each ISP's name or an alias of it (not a brand they share)?"""
    said = f" {normalize(question)} "
    return all(any(f" {normalize(name)} " in said for name in provider_names(p)) for p in providers)


def _one_isps_words(kb: KB, question: str, reading: Reading, hits: Sequence[Hit]) -> Reply:
    """No ISP named, no keyword, and the only passages holding the question's words are one
    ISP's ("a olt caiu?": Mutum's signal line writes "olt"): ordinary words one text happens
    to write never name its ISP, and showing that ISP's passage would answer for it. Ask as
    for a keyword: which ISP, for the topic of those passages when they are all one topic's;
    else the closest topics, with no ISP. (A word of a name only that ISP writes, typed alone
    or with a slip -- "giga", "canal digtal" -- keeps the passages: ``near_a_name``.)"""
    found = list(dict.fromkeys(h.passage.topic_id for h in hits))
    if len(found) == 1:
        return _which_isp(kb, kb.topics[found[0]].commands[0])
    options = [kb.topics[t] for t in found[:SUGGESTIONS]]  # best passage first
    return _unsure(kb, question, options, None, reading.topics[0].score)


def _same_fact(reading: Reading, one: TopicScore, other: TopicScore) -> bool:
    """Their best passages are the same text, or one holds the other."""
    a, b = reading.best_passage(one.topic.id), reading.best_passage(other.topic.id)
    if a is None or b is None:
        return False
    x, y = normalize(a.text), normalize(b.text)
    return x in y or y in x


def _ask(topic: Topic, provider_id: str) -> str:
    return f"/{topic.commands[0]} {provider_id}"


def _which_isp(kb: KB, command: str) -> Reply:
    """A command or a topic with no ISP: "Informe o provedor", a button per ISP."""
    return answers.provider_choice(
        kb,
        list(kb.providers.values()),
        f"/{command} {{id}}",
        msg.MISSING_PROVIDER.format(command=command),
        ReplyKind.MISSING_PROVIDER,
    )


def _which_isp_or_topic(kb: KB, best: Topic, others: Sequence[Topic], confidence: float) -> Reply:
    """No ISP named and topics close but one ahead: which ISP, for the one ahead, and the close
    ones as topics below. The ISP must be tapped anyway; when the topic ahead is the one asked
    (it is, most often), one tap answers, where a menu of topics first took two. A close topic
    is one tap away, as before. ``confidence`` (below 1: the reading was unsure) keeps the
    question among the gaps, as the menu of topics was."""
    reply = _which_isp(kb, best.commands[0])
    offered = tuple(Button(t.title, f"/{t.commands[0]}") for t in others)
    names = " ou ".join(t.title for t in others)
    return replace(
        reply,
        blocks=(*reply.blocks, note(msg.OTHER_TOPICS.format(topic=best.title, others=names))),
        buttons=(*reply.buttons, *offered),
        confidence=confidence,
    )


def _provider_topics(kb: KB, provider: Provider, question: str = "") -> Reply:
    """Only an ISP named: offer its topics. Named by another name than its own ("o que é
    patosnet?", a former name), the ISP's lines that mention that name come first: they say
    what the name is."""
    topics = [t for t in kb.catalogue.topics if answers.has_topic(provider, t)]
    said = _lines_naming(provider, question)
    return Reply(
        ReplyKind.CHOICE,
        (*said, text(msg.PROVIDER_TOPICS.format(provider=provider.name))),
        buttons=tuple(Button(t.title, _ask(t, provider.id)) for t in topics),
        provider_id=provider.id,
    )


def _alias_asked_whose(provider: Provider, question: str) -> str | None:
    """Another name of the ISP asked about as whose it is ("sansara é de qual provedor?",
    "kaybee eh cliente de quem?"): the one topic whose text explains that name, if one does."""
    if not _whose_clause(normalize(question)):
        return None
    others = _other_names(provider, question)
    topics = {
        topic_id
        for topic_id, entry in provider.topics.items()
        if not entry.secret and any(f" {o} " in f" {normalize(entry.text)} " for o in others)
    }
    return topics.pop() if len(topics) == 1 else None


def _other_names(provider: Provider, question: str) -> list[str]:
    """The ISP's aliases the question calls it by whose words are not all in its own name."""
    asked = f" {normalize(question)} "
    own = set(normalize(provider.name).split()) | {provider.id}
    return [
        normalize(a)
        for a in provider.aliases
        if f" {normalize(a)} " in asked and not set(normalize(a).split()) <= own
    ]


def _lines_naming(provider: Provider, question: str) -> tuple[Block, ...]:
    """The lines of the ISP's public texts naming the other name the question calls it by (an
    alias whose words are not all in the ISP's name), or nothing."""
    others = _other_names(provider, question)
    if not others:
        return ()
    lines = [
        line.strip()
        for entry in provider.topics.values()
        if not entry.secret
        for line in entry.text.splitlines()
        if any(f" {o} " in f" {normalize(line)} " for o in others)
    ]
    return tuple(text(line) for line in dict.fromkeys(lines))


def _shown(kb: KB, question: str) -> str:
    return echo(kb, question)


def _unsure(
    kb: KB,
    question: str,
    topics: Sequence[Topic],
    provider: Provider | None,
    score: float,
) -> Reply:
    """Low confidence: say so, and offer the closest commands as buttons."""
    if provider is None:
        prompt = msg.UNSURE.format(query=_shown(kb, question))
        buttons = tuple(Button(t.title, f"/{t.commands[0]}") for t in topics)
    else:
        prompt = msg.UNSURE_PROVIDER.format(provider=provider.name, query=_shown(kb, question))
        buttons = tuple(Button(t.title, _ask(t, provider.id)) for t in topics)
    return Reply(
        ReplyKind.UNSURE,
        (text(prompt),),
        buttons=buttons,
        provider_id=provider.id if provider else None,
        topic_id=topics[0].id if topics else None,
        confidence=_confidence(score),
    )


def _not_understood(kb: KB, question: str, providers: Sequence[Provider] = ()) -> Reply:
    return Reply(
        ReplyKind.NOT_UNDERSTOOD,
        (
            text(msg.NOT_UNDERSTOOD.format(query=_shown(kb, question))),
            text(msg.NOT_UNDERSTOOD_HINT),
        ),
        buttons=tuple(Button(p.name, f"/provedor {p.id}") for p in providers),
        provider_id=providers[0].id if len(providers) == 1 else None,
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
