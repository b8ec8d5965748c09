"""Slash commands typed in a hurry: every topic command crossed with every ISP, in the shapes
agents type them (prefixes, one-letter slips, accents, case, "@bot", a space or a second slash,
punctuation, short forms and slips of the ISP's name, the ISP first or after "da"/"pra", extra
words, models typed loosely, the command word without its slash).

`./uvw run --locked python bench/commands_probe.py [--show N] [--family NAME]`: per family and in
all, how many variants get a direct answer (the ISP and topic meant), ask (a real tie, or a
choice where one reading was clear), are not found, or -- the worst -- are answered for another
ISP or topic. Every variant is generated from the KB (its commands, names, aliases, places and
models), so a new ISP or command is probed with no change here.

A variant whose reading is a real tie (a prefix two topics' commands share, a word two ISPs'
names share such as "net") is expected to ask; asking is then right and counted apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import OSA, LCSseq  # noqa: E402

from bot.answers.core import META_COMMANDS, answer  # noqa: E402
from bot.answers.render import to_plain  # noqa: E402
from bot.answers.reply import Reply, ReplyKind  # noqa: E402
from bot.knowledge.kb import KB, load_kb  # noqa: E402
from bot.reading.context import context_index  # noqa: E402
from bot.reading.resolve import alias_word_only  # noqa: E402
from bot.reading.text import compact, normalize  # noqa: E402

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
NEIGHBOURS = {
    ch: "".join(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row))
    for row in _ROWS
    for i, ch in enumerate(row)
}
"""Keys beside a key on the same row."""

ACCENTS = (
    ("coes", "ções"),
    ("cao", "ção"),
    ("anca", "ança"),
    ("enca", "ença"),
    ("ao", "ão"),
    ("ario", "ário"),
    ("ereco", "ereço"),
    ("ameras", "âmeras"),
)
"""How the catalogue's unaccented command words are spelt with their accents (mudança)."""


@dataclass(frozen=True)
class Variant:
    family: str
    text: str
    topic: str | None
    """The topic meant; ``None`` when the command is a real tie."""
    isp: str | None
    """The ISP meant; ``None`` when the ISP's words are a real tie."""


def accented(word: str) -> str:
    for plain, written in ACCENTS:
        if word.endswith(plain):
            return word[: -len(plain)] + written
    return word


def slips(word: str) -> Iterator[tuple[str, str]]:
    """One slip each at a middle position: transposition, missing, doubled, neighbour key."""
    if len(word) < 3:
        return
    i = len(word) // 2
    yield "transposed", word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    yield "missing", word[:i] + word[i + 1 :]
    yield "doubled", word[:i] + word[i] + word[i:]
    near = NEIGHBOURS.get(word[i], "")
    if near:
        yield "neighbour", word[:i] + near[0] + word[i + 1 :]
    if len(word) >= 5:
        j = len(word) - 2
        yield "transposed-end", word[:j] + word[j + 1] + word[j] + word[j + 2 :]


def command_owners(kb: KB, typed: str) -> set[str]:
    """The topics (or meta commands) a typed command word may mean: itself, else the commands
    it is a prefix of (3 letters on), else the closest by edits (one; two in a word of 7
    letters or more), and of those the ones keeping most of its letters in order ("ip6" is
    ipv6's, not ip's). Two letters: a 3-letter command missing one, or a 2-letter one swapped."""
    names = {**{c: t.id for c, t in kb.command_topics.items()}, **{m: m for m in META_COMMANDS}}
    key = compact(typed)
    if key in names:
        return {names[key]}
    if len(key) >= 3:
        prefixed = {t for c, t in names.items() if c.startswith(key)}
        if prefixed:
            return prefixed
        budget = 1 if len(key) <= 6 else 2
        close = [c for c in names if OSA.distance(key, c) <= budget]
    else:
        close = [
            c
            for c in names
            if (len(c) == 3 and LCSseq.similarity(key, c) == 2)
            or (len(c) == 2 and sorted(c) == sorted(key))
        ]
    if not close:
        return set()
    fewest = min(OSA.distance(key, c) for c in close)
    close = [c for c in close if OSA.distance(key, c) == fewest]
    kept = max(LCSseq.similarity(key, c) for c in close)
    return {names[c] for c in close if LCSseq.similarity(key, c) == kept}


def command_forms(kb: KB, command: str) -> Iterator[tuple[str, str]]:
    """(family, how it is typed, without the slash) of one command word."""
    yield "exact", command
    yield "upper", command.upper()
    if accented(command) != command:
        yield "accent", accented(command)
        yield "accent-upper", accented(command).upper()
    for n in range(3, len(command)):
        yield "prefix", command[:n]
    for kind, slipped in slips(command):
        yield f"slip-{kind}", slipped


def isp_forms(kb: KB) -> Iterator[tuple[str, str, str]]:
    """(family, how it is typed, ISP id): names and aliases as typed, short forms, slips, a
    place only that ISP's document names."""
    places = context_index(kb).places
    for provider in kb.providers.values():
        pid = provider.id
        names = [provider.name, *provider.aliases]
        forms: list[tuple[str, str]] = [("isp-id", pid)]
        for name in names:
            forms.append(("isp-name", name.lower()))
            forms.append(("isp-name-hyphen", normalize(name).replace(" ", "-")))
            forms.append(("isp-name-joined", compact(name)))
        for name in names:
            words = normalize(name).split()
            if len(words) > 1 and not alias_word_only(kb, provider, words[0]):
                # Not an alias's ordinary first word ("cabo" of "Cabo Imagem"): the cable.
                forms.append(("isp-first-word", words[0]))
                if len(words[0]) == 2:
                    forms.append(("isp-dotted", ".".join(words[0]) + "."))
                    forms.append(("isp-dotted", ".".join(words[0])))
                    forms.append(("isp-first-word-spaced", " ".join([*words[0], *words[1:]])))
        forms.extend(("isp-prefix", compact(provider.name)[:n]) for n in (3, 4))
        forms.extend((f"isp-slip-{kind}", typed) for kind, typed in slips(compact(provider.name)))
        forms.append(("isp-upper", provider.name.upper()))
        others = [v for k, v in places.items() if k != pid]
        own = sorted(
            p
            for p in places.get(pid, ())
            if " " not in p and len(p) >= 6 and all(p not in v for v in others)
        )
        if own:
            forms.append(("isp-place", own[0]))
        seen: set[str] = set()
        for family, typed in forms:
            if typed and typed.lower() not in seen:
                seen.add(typed.lower())
                yield family, typed, pid


def unique_prefix(kb: KB, command: str) -> str:
    """The shortest prefix (3 letters or more, shorter than the word) only this command's topic
    starts with; "" when there is none."""
    for n in range(3, len(command)):
        if command[:n] not in {*kb.command_topics, *META_COMMANDS} and command_owners(
            kb, command[:n]
        ) == {kb.command_topics[command].id}:
            return command[:n]
    return ""


def isp_owners(kb: KB, typed: str) -> set[str]:
    """The ISPs a typed name may mean: a word or a prefix of names of several ISPs is a tie."""
    key, words = compact(typed), normalize(typed).split()
    owners = set()
    for provider in kb.providers.values():
        for name in [provider.name, *provider.aliases]:
            parts = normalize(name).split()
            if compact(name).startswith(key) or (len(words) == 1 and words[0] in parts):
                owners.add(provider.id)
    return owners


def variants(kb: KB) -> Iterator[Variant]:
    providers = list(kb.providers.values())
    topics = kb.catalogue.topics
    # 1. every command word of every topic, typed in every way, for every ISP (its id).
    for topic in topics:
        for command in topic.commands:
            for family, typed in command_forms(kb, command):
                slipped = family.startswith(("prefix", "slip"))
                if slipped and typed in {*kb.command_topics, *META_COMMANDS}:
                    continue  # the prefix or slip is a command's own name
                meant = command_owners(kb, typed)
                if topic.id not in meant:
                    continue  # the slip reads closer to another command: not this one's
                tid = topic.id if len(meant) == 1 else None
                for provider in providers:
                    yield Variant(f"cmd-{family}", f"/{typed} {provider.id}", tid, provider.id)
    # 2. the ways the command itself is written around the word, on the canonical command.
    shapes = {
        "at-bot": "/{c}@UpcallBot {i}",
        "at-bot-upper": "/{C}@UpcallBot {i}",
        "space-after-slash": "/ {c} {i}",
        "two-slashes": "//{c} {i}",
        "backslash": "\\{c} {i}",
        "trailing-question": "/{c}? {i}",
        "trailing-colon": "/{c}: {i}",
        "trailing-comma": "/{c}, {i}",
        "end-question": "/{c} {i}?",
        "end-question-spaced": "/{c} {i} ?",
        "isp-da": "/{c} da {i}",
        "isp-do": "/{c} do {i}",
        "isp-pra": "/{c} pra {i}",
        "isp-na": "/{c} na {i}",
        "isp-first-slash": "/{i} {c}",
        "isp-first-text": "{i} /{c}",
        "trailing-comma-joined": "/{c},{i}",
        "trailing-colon-joined": "/{c}:{i}",
        "extra-pf": "/{c} {i} pf",
        "extra-words": "/{c} {i} quantos dias",
        "extra-before": "/{c} urgente {i}",
        "glued": "/{c}{i}",
        "underscore": "/{c}_{i}",
        "emoji-after": "/{c} {i} 🙏",
        "bangs-after": "/{c} {i}!!",
        "dots-after": "/{c} {i}...",
        "cliente-before": "/{c} cliente {i}",
        "no-slash": "{c} {i}",
        "no-slash-isp-first": "{i} {c}",
        "no-slash-question": "{c} {i}?",
    }
    for topic in topics:
        c = topic.commands[0]
        for provider in providers:
            for family, shape in shapes.items():
                said = shape.format(c=c, C=c.upper(), i=provider.id)
                yield Variant(f"shape-{family}", said, topic.id, provider.id)
    # 3. every way of naming every ISP, with every topic's canonical command.
    for family, typed, pid in isp_forms(kb):
        owners = isp_owners(kb, typed)
        isp = pid if owners <= {pid} else None
        for topic in topics:
            c = topic.commands[0]
            yield Variant(family, f"/{c} {typed}", topic.id, isp)
            yield Variant(f"{family}-da", f"/{c} da {typed}", topic.id, isp)
    # 4. several hurries at once: a short form of the ISP with a prefix, a slip, an accent,
    # the bot's name or punctuation; the command word without its slash after a short form.
    for topic in topics:
        c = topic.commands[0]
        prefix = unique_prefix(kb, c)
        slip = next((s for _, s in slips(c) if command_owners(kb, s) == {topic.id}), None)
        for provider in providers:
            short = normalize(provider.name).split()[0]
            if isp_owners(kb, short) != {provider.id}:
                short = provider.id
            combos = {
                "prefix-short": f"/{prefix} {short}" if prefix else "",
                "prefix-at-bot-da": f"/{prefix}@UpcallBot da {short}" if prefix else "",
                "slip-short": f"/{slip} {short}" if slip else "",
                "slip-at-bot-upper": f"/{slip.upper()}@UpcallBot {short.upper()}" if slip else "",
                "accent-question": f"/{accented(c)}? {short}",
                "short-first-prefix": f"/{short} {prefix}" if prefix else "",
                "noslash-short": f"{c} {short}",
                "noslash-slip-short": f"{slip} {short}" if slip else "",
                "glued-short": f"/{c}{short}",
                "noslash-short-first": f"{short} {c}",
                "noslash-short-da": f"{c} da {short}?",
            }
            for family, said in combos.items():
                if said:
                    yield Variant(f"combo-{family}", said, topic.id, provider.id)
    # 5. two ISPs named, the second by a short form, a prefix or a slip: never one of them.
    for one in providers:
        for other in providers:
            if one is other:
                continue
            key = compact(other.name)
            forms = {"prefix": key[:3], "slip": next(s for _, s in slips(key))}
            for family, typed in forms.items():
                if isp_owners(kb, typed) - {other.id}:
                    continue  # a word two ISPs share: a tie of its own
                for topic in topics[:6]:
                    c = topic.commands[0]
                    yield Variant(f"two-isps-{family}", f"/{c} {one.id} {typed}", topic.id, None)
    # 6. a word of the topic's own keywords typed as a command ("/religar vm", "/wifi laser"):
    # no command, but the question is clear when only this topic has the word.
    holders: dict[str, set[str]] = defaultdict(set)
    for topic in topics:
        for keyword in topic.keywords:
            holders[normalize(keyword)].add(topic.id)
    for topic in topics:
        for keyword in topic.keywords:
            key = normalize(keyword)
            if " " in key or key in kb.command_topics or key in META_COMMANDS or len(key) < 4:
                continue
            tid = topic.id if holders[key] == {topic.id} else None
            if command_owners(kb, key):
                continue  # a prefix or slip of a command: the families above
            for provider in providers:
                yield Variant("keyword-command", f"/{key} {provider.id}", tid, provider.id)
    # 7. the password of each model, the model typed loosely, the ISP by a short form.
    for provider in providers:
        short = normalize(provider.name).split()[0]
        for item in provider.equipment:
            model = item.model
            if len(compact(model)) < 4 or not any(ch.isdigit() for ch in model):
                continue
            forms = {
                "model": model,
                "model-lower": model.lower(),
                "model-spaced": normalize(model),
                "model-joined": compact(model),
            }
            owners = {
                p.id
                for p in providers
                for e in p.equipment
                for n in (e.model, *e.aliases)
                if compact(n) == compact(model)
            }
            only = provider.id if owners == {provider.id} else None
            yield Variant("senha-model-only", f"/senha {model}", "senha", only)
            slipped = model[:-1]
            alike = [e for e in provider.equipment if compact(e.model).startswith(compact(slipped))]
            tied = None if len(alike) > 1 else provider.id
            yield Variant("senha-model-slip", f"/senha {provider.id} {slipped}", "senha", tied)
            for family, typed in forms.items():
                for isp in (provider.id, short):
                    isp_ok = provider.id if isp_owners(kb, isp) <= {provider.id} else None
                    yield Variant(f"senha-{family}", f"/senha {isp} {typed}", "senha", isp_ok)
                    yield Variant(f"senha-{family}-pf", f"/senha {isp} {typed} pf", "senha", isp_ok)
                    said = f"senha {isp} {typed}"
                    yield Variant(f"senha-{family}-noslash", said, "senha", isp_ok)


@dataclass(frozen=True)
class Outcome:
    verdict: str
    """direct, tie-asked, asked, not-found, wrong."""
    reply: Reply


DIRECT = (ReplyKind.ANSWER, ReplyKind.NO_INFO)
ASKED = (
    ReplyKind.CHOICE,
    ReplyKind.MISSING_PROVIDER,
    ReplyKind.UNSURE,
    ReplyKind.UNKNOWN_EQUIPMENT,
)


def judge(kb: KB, variant: Variant) -> Outcome:
    reply = answer(kb, variant.text, NOW)
    if variant.topic is None or variant.isp is None:
        # A real tie: asking (or, for a word other companies' names share, the lookalike's
        # rule) is right; answering settles it silently.
        if reply.kind in DIRECT:
            return Outcome("tie-answered", reply)
        if reply.kind in ASKED or reply.kind is ReplyKind.LOOKALIKE:
            return Outcome("tie-asked", reply)
        return Outcome("tie-not-found", reply)
    if reply.kind in DIRECT:
        if reply.provider_id == variant.isp and reply.topic_id == variant.topic:
            return Outcome("direct", reply)
        return Outcome("wrong", reply)
    if reply.kind in ASKED:
        if reply.provider_id is not None and reply.provider_id != variant.isp:
            return Outcome("wrong", reply)
        return Outcome("asked", reply)
    return Outcome("not-found", reply)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=3, help="misses shown per family")
    parser.add_argument("--family", default="", help="only families starting with this")
    args = parser.parse_args()
    kb = load_kb(ROOT / "knowledge")
    totals: Counter[str] = Counter()
    by_family: dict[str, Counter[str]] = defaultdict(Counter)
    misses: dict[str, list[str]] = defaultdict(list)
    for variant in variants(kb):
        if not variant.family.startswith(args.family):
            continue
        outcome = judge(kb, variant)
        totals[outcome.verdict] += 1
        by_family[variant.family][outcome.verdict] += 1
        if outcome.verdict not in ("direct", "tie-asked"):  # what to look at
            r = outcome.reply
            first = to_plain(r).splitlines()[0][:70] if r.blocks else ""
            misses[variant.family].append(
                f"    {variant.text!r} [{variant.isp}/{variant.topic}] -> {outcome.verdict}: "
                f"{r.kind.value} {r.provider_id}/{r.topic_id} {first!r}"
            )
    verdicts = (
        *("direct", "asked", "not-found", "wrong"),
        *("tie-asked", "tie-answered", "tie-not-found"),
    )
    print(f"{'family':30} " + " ".join(f"{v[:12]:>12}" for v in verdicts))
    for family in sorted(by_family):
        row = by_family[family]
        print(f"{family:30} " + " ".join(f"{row[v]:12d}" for v in verdicts))
    clear = sum(totals[v] for v in verdicts[:4])
    ties = sum(totals[v] for v in verdicts[4:])
    print(
        f"\ncommands_probe: {totals['direct']}/{clear} clear variants answered directly, "
        f"{totals['asked']} asked, {totals['not-found']} not found, {totals['wrong']} wrong "
        f"(another ISP or topic); real ties: {totals['tie-asked']}/{ties} asked, "
        f"{totals['tie-answered']} answered, {totals['tie-not-found']} not found"
    )
    if args.show:
        for family in sorted(misses):
            print(f"  {family}: {len(misses[family])} missed")
            print("\n".join(misses[family][: args.show]))


if __name__ == "__main__":
    main()
