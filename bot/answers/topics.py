"""Building the replies that carry knowledge: a topic of an ISP, its card, the lists, the help."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.answers import messages as msg
from bot.answers.reply import (
    Block,
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
from bot.knowledge.kb import KB, derived
from bot.knowledge.passwords import echo
from bot.knowledge.schema import Equipment, Lookalike, Provider, Topic
from bot.reading.context import ContextName


def topic_blocks(kb: KB, provider: Provider, topic: Topic) -> list[Block]:
    """The body of one topic: text, equipment table (for /senha), notes, templates."""
    entry = provider.topics.get(topic.id)
    blocks: list[Block] = []
    if entry is not None:
        blocks.append(text(entry.text.strip()))
    if topic.id == "senha" and provider.equipment:
        blocks.append(equipment_table(provider, provider.equipment))
    if entry is not None:
        blocks += [note(n) for n in entry.notes]
        blocks += [template(t.title, t.text) for t in entry.templates]
    return blocks


def has_topic(provider: Provider, topic: Topic) -> bool:
    return topic.id in provider.topics or (topic.id == "senha" and bool(provider.equipment))


def topic_reply(kb: KB, provider: Provider, topic: Topic) -> Reply:
    if not has_topic(provider, topic):
        return no_info(provider, topic)
    return Reply(
        ReplyKind.ANSWER,
        (heading(f"{provider.name} › {topic.title}"), *topic_blocks(kb, provider, topic)),
        credentials=kb.is_secret(provider, topic.id),
        provider_id=provider.id,
        topic_id=topic.id,
    )


COMPACT_CHARS = 360
"""A topic's text up to this long is shown whole in a section; a longer one, by the passage
that matched the question."""


@dataclass(frozen=True)
class Section:
    """One topic of a compact reply: what matched in it and its sector's state now."""

    topic: Topic
    passage: str | None = None
    """The passage of the topic's answer that matched the question."""
    clock: str | None = None
    """One line: the state now of the sector the answer sends to (``bot.answers.clock``)."""


def sections_reply(kb: KB, provider: Provider, sections: Sequence[Section]) -> Reply:
    """The compact reply to a question two topics of one ISP answer: each topic in a section
    of its own (its title, its sector's state now, its text or, when long, the passage that
    matched), and a button per topic for its whole answer (notes, messages to send)."""
    first, *others = sections
    blocks: list[Block] = [
        heading(
            msg.SECTIONS_TITLE.format(
                provider=provider.name,
                first=first.topic.title,
                second=" + ".join(s.topic.title for s in others),
            )
        )
    ]
    for section in sections:
        blocks.append(text(Span(section.topic.title, Style.BOLD)))
        if section.clock:
            blocks.append(note(section.clock))
        blocks.append(text(_compact_body(provider, section)))
    blocks.append(note(msg.SECTIONS_HINT))
    buttons = tuple(
        Button(
            msg.SECTIONS_BUTTON.format(title=s.topic.title), f"/{s.topic.commands[0]} {provider.id}"
        )
        for s in sections
    )
    return Reply(
        ReplyKind.ANSWER,
        tuple(blocks),
        buttons=buttons,
        credentials=any(kb.is_secret(provider, s.topic.id) for s in sections),
        provider_id=provider.id,
        topic_id=first.topic.id,
        clock=any(s.clock for s in sections),
        also=tuple(s.topic.id for s in others),
    )


def _compact_body(provider: Provider, section: Section) -> str:
    entry = provider.topics.get(section.topic.id)
    whole = entry.text.strip() if entry is not None else ""
    if len(whole) <= COMPACT_CHARS or not section.passage:
        return whole
    return section.passage.strip()


def no_info(provider: Provider, topic: Topic) -> Reply:
    """The ISP's document is silent on this topic: say so, never borrow another ISP's answer."""
    blocks = [
        text(msg.NO_INFO.format(provider=provider.name, topic=topic.title.lower())),
    ]
    related = [n for n in provider.notes if _mentions(n, topic)]
    if related:
        blocks.append(note(msg.UNANSWERED_NOTE + " " + " ".join(related)))
    blocks.append(text(msg.NO_INFO_HINT.format(provider_id=provider.id)))
    return Reply(ReplyKind.NO_INFO, tuple(blocks), provider_id=provider.id, topic_id=topic.id)


def _mentions(note_text: str, topic: Topic) -> bool:
    from bot.reading.text import normalize

    words = normalize(note_text)
    return any(f" {normalize(k)} " in f" {words} " for k in (topic.id, *topic.keywords[:3]))


# --------------------------------------------------------------------------- equipment


def _equipment_line(provider: Provider, item: Equipment) -> list[Span]:
    spans = [Span(item.model, Style.BOLD)]
    if item.kind:
        spans.append(Span(f" ({item.kind})"))
    spans.append(Span(": "))
    spans.append(Span(item.login, Style.CODE) if item.login else Span(msg.NO_LOGIN))
    for i, password in enumerate(item.passwords):
        spans.append(Span(" / " if i == 0 else " ou "))
        spans.append(Span(password, Style.CODE))
    port = item.port or provider.default_port
    if port:
        spans.append(Span(f" ({msg.PORT} {port})"))
    for extra in item.notes:
        spans.append(Span(f" — {extra}"))
    return spans


def equipment_table(provider: Provider, items: Sequence[Equipment]) -> Block:
    spans: list[Span] = []
    for i, item in enumerate(items):
        if i:
            spans.append(Span("\n"))
        spans.append(Span("• "))
        spans += _equipment_line(provider, item)
    return text(*spans)


def equipment_reply(kb: KB, provider: Provider, item: Equipment, topic_id: str = "senha") -> Reply:
    """/senha <isp> <model>: the row first (the agent needs it now), then the ISP's policy.
    /porta <isp> <model>: the same row (its port is used with its login and password), then
    the ISP's answer on ports."""
    topic = kb.topics[topic_id]
    blocks: list[Block] = [
        heading(f"{provider.name} › {topic.title} › {item.model}"),
        text(*_equipment_line(provider, item)),
    ]
    entry = provider.topics.get(topic_id)
    if entry is not None:
        blocks.append(text(entry.text.strip()))
        blocks += [note(n) for n in entry.notes]
        blocks += [template(t.title, t.text) for t in entry.templates]
    return Reply(
        ReplyKind.ANSWER,
        tuple(blocks),
        credentials=True,
        provider_id=provider.id,
        topic_id=topic_id,
        equipment=item.model,
    )


def equipment_choice(provider: Provider, query: str, items: Sequence[Equipment]) -> Reply:
    return Reply(
        ReplyKind.CHOICE,
        (text(msg.CHOOSE_EQUIPMENT.format(query=query)),),
        buttons=tuple(Button(i.model, f"/senha {provider.id} {i.model}") for i in items),
        provider_id=provider.id,
        topic_id="senha",
    )


def unknown_equipment(provider: Provider, query: str) -> Reply:
    if not provider.equipment:
        return Reply(
            ReplyKind.UNKNOWN_EQUIPMENT,
            (text(msg.EQUIPMENT_NONE.format(provider=provider.name)),),
            buttons=(Button(f"/senha {provider.id}", f"/senha {provider.id}"),),
            provider_id=provider.id,
            topic_id="senha",
        )
    models = ", ".join(i.model for i in provider.equipment)
    return Reply(
        ReplyKind.UNKNOWN_EQUIPMENT,
        (text(msg.EQUIPMENT_UNKNOWN.format(query=query, provider=provider.name)), text(models)),
        buttons=tuple(
            Button(i.model, f"/senha {provider.id} {i.model}") for i in provider.equipment
        ),
        provider_id=provider.id,
        topic_id="senha",
    )


# --------------------------------------------------------------------------- choices and lists


def provider_buttons(kb: KB, providers: Iterable[Provider], ask: str) -> tuple[Button, ...]:
    """One button per ISP; ``ask`` has ``{id}`` where the ISP goes ("/dns {id}"). The button of
    an ISP whose document is silent on the topic asked says so: a tap never lands on "the
    document does not say" unannounced."""
    topic = _asked_topic(kb, ask)
    return tuple(
        Button(
            p.name
            if topic is None or has_topic(p, topic)
            else msg.NOT_IN_DOCUMENT_BUTTON.format(provider=p.name),
            ask.replace("{id}", p.id),
        )
        for p in providers
    )


def _asked_topic(kb: KB, ask: str) -> Topic | None:
    """The topic a button's ask is about ("/dns {id}": DNS); ``None`` for another command."""
    command = ask.split(maxsplit=1)[0] if ask.strip() else ""
    return kb.command_topics.get(command[1:]) if command.startswith("/") else None


def provider_choice(
    kb: KB, providers: Sequence[Provider], ask: str, prompt: str, kind: ReplyKind
) -> Reply:
    """Ask which ISP, listing them (all of them, or the close candidates), and saying which of
    them the document leaves silent on the topic asked (their buttons say it too)."""
    names = ", ".join(f"{p.name} ({p.id})" for p in providers)
    blocks = [text(prompt), text(names)]
    topic = _asked_topic(kb, ask)
    silent = [p.name for p in providers if topic is not None and not has_topic(p, topic)]
    if topic is not None and silent:
        words = msg.NOT_IN_DOCUMENT if len(silent) == 1 else msg.NOT_IN_DOCUMENTS
        names = " e ".join([", ".join(silent[:-1]), silent[-1]] if len(silent) > 1 else silent)
        blocks.append(note(words.format(names=names, topic=topic.title.lower())))
    return Reply(kind, tuple(blocks), buttons=provider_buttons(kb, providers, ask))


def lookalike_reply(kb: KB, lookalike: Lookalike, provider: Provider | None) -> Reply:
    """Another company: one an ISP's document lists (its customers call by mistake), or with
    no ``provider`` one the catalogue lists as not served (the big carriers)."""
    if provider is None:
        served = ", ".join(p.name for p in kb.providers.values())
        return Reply(
            ReplyKind.LOOKALIKE,
            (
                text(msg.NOT_SERVED.format(name=lookalike.name)),
                text(msg.NOT_SERVED_LIST.format(names=served)),
            ),
        )
    blocks = [text(msg.LOOKALIKE.format(name=lookalike.name, provider=provider.name))]
    if lookalike.note:
        blocks.append(note(lookalike.note))
    return Reply(
        ReplyKind.LOOKALIKE,
        tuple(blocks),
        buttons=(Button(provider.name, f"/provedor {provider.id}"),),
        provider_id=provider.id,
    )


def providers_list(kb: KB) -> Reply:
    lines: list[str] = []
    for p in kb.providers.values():
        line = msg.PROVIDER_LINE.format(name=p.name, id=p.id)
        if p.aliases:
            line += f" ({msg.PROVIDER_ALIASES.format(aliases=', '.join(p.aliases))})"
        lines.append("• " + line)
    return Reply(
        ReplyKind.LIST,
        (heading(msg.PROVIDERS_TITLE), text("\n".join(lines))),
        buttons=provider_buttons(kb, kb.providers.values(), "/provedor {id}"),
    )


@derived
def _cards(kb: KB) -> dict[str, Reply]:
    return {}


def provider_card(kb: KB, provider: Provider) -> Reply:
    """Every topic the ISP's document answers, in catalogue order. The longest answer there is,
    and it depends on the KB alone: built once per ISP and KB."""
    cards = _cards(kb)
    card = cards.get(provider.id)
    if card is None:
        card = cards.setdefault(provider.id, _provider_card(kb, provider))
    return card


def _provider_card(kb: KB, provider: Provider) -> Reply:
    blocks: list[Block] = [
        heading(msg.CARD_TITLE.format(name=provider.name)),
        text(
            msg.CARD_FACTS.format(
                state=provider.state,
                timezone=provider.timezone,
                systems=", ".join(provider.systems) or "—",
                channels=", ".join(provider.channels) or "—",
            )
        ),
    ]
    if provider.aliases:
        blocks.append(text(msg.CARD_ALIASES.format(aliases=", ".join(provider.aliases))))
    if provider.lookalikes:
        names = ", ".join(x.name for x in provider.lookalikes)
        blocks.append(text(msg.CARD_LOOKALIKES.format(names=names)))
    blocks += [note(n) for n in provider.notes]
    secret = False
    for topic in kb.catalogue.topics:
        if not has_topic(provider, topic):
            continue
        blocks.append(heading(topic.title))
        blocks += topic_blocks(kb, provider, topic)
        secret = secret or kb.is_secret(provider, topic.id)
    blocks.append(note(msg.CARD_REVIEWED.format(date=provider.reviewed.strftime("%d/%m/%Y"))))
    return Reply(ReplyKind.CARD, tuple(blocks), credentials=secret, provider_id=provider.id)


def help_reply(kb: KB) -> Reply:
    lines = [
        msg.HELP_TOPIC_LINE.format(command=t.commands[0], description=t.description or t.title)
        for t in kb.catalogue.topics
    ]
    return Reply(
        ReplyKind.HELP,
        (
            heading(msg.HELP_TITLE),
            text(msg.HELP_USAGE),
            text(msg.HELP_TOPICS + "\n" + "\n".join(lines)),
            text(msg.HELP_GENERAL),
            note(msg.HELP_SUPERVISORS),
        ),
    )


# --------------------------------------------------------------------------- who serves a place

COVERAGE_LINE = 200
"""Characters of an ISP's coverage (its ``cidades`` answer) shown on one line."""


def coverage_line(provider: Provider) -> str:
    """The ISP's ``cidades`` answer on one line ("Ubatuba e Caraguatuba")."""
    entry = provider.topics.get("cidades")
    if entry is None:
        return msg.WHOIS_UNKNOWN
    line = " · ".join(part.strip() for part in entry.text.splitlines() if part.strip())
    return line if len(line) <= COVERAGE_LINE else line[: COVERAGE_LINE - 1].rstrip() + "…"


def whois_reply(kb: KB, context: Sequence[ContextName], question: str) -> Reply:
    """ "Quem atende Ubatuba?": the ISP(s) whose documents name the place (or the product...),
    each with its coverage line; a place no document names: every ISP's coverage line."""
    owners = [p for p in kb.providers.values() if any(p.id in c.owners for c in context)]
    if not owners:
        place = echo(kb, _place_typed(question))  # a password typed is never quoted back
        lines = [
            msg.WHOIS_LINE.format(provider=p.name, coverage=coverage_line(p))
            for p in kb.providers.values()
        ]
        return Reply(
            ReplyKind.NO_INFO,
            (text(msg.WHOIS_NONE.format(place=place)), text("\n".join(lines))),
            buttons=provider_buttons(kb, kb.providers.values(), "/cidades {id}"),
            topic_id="cidades",
        )
    names = ", ".join(dict.fromkeys(c.name for c in context))
    lines = [msg.WHOIS_LINE.format(provider=p.name, coverage=coverage_line(p)) for p in owners]
    return Reply(
        ReplyKind.ANSWER,
        (heading(msg.WHOIS_TITLE.format(place=names)), text("\n".join(lines))),
        buttons=provider_buttons(kb, owners, "/cidades {id}"),
        provider_id=owners[0].id if len(owners) == 1 else None,
        topic_id="cidades",
    )


def _place_typed(question: str) -> str:
    """The words after "atende"/"em" ("quem atende Campinas?" -> "Campinas")."""
    import re

    found = re.search(
        r"\b(?:atendem?|cobre|provedor de|provedor em|em)(?:\s+(?:em|no|na))?\s+(.+?)[?.!]*$",
        question.strip(),
        re.I,
    )
    # The place first: "Campinas é qual dos nossos provedores?", "Campinas pertence a qual?"
    before = re.search(
        r"^(.+?)\s+(?:é|e|pertence)\s+(?:de\s+)?(?:qual|quais|que|quem|a)\b", question.strip(), re.I
    )
    place = found.group(1) if found else before.group(1) if before else question.strip()
    return place if len(place) <= 60 else place[:57] + "..."
