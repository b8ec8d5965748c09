"""``upcall-bot kb lint``: what a valid KB may still get wrong.

Warnings point at what a supervisor should look at (a topic the document does not answer, an old
``reviewed`` date, equipment without credentials); errors are mistakes that would mislead agents
(an alias shared by two ISPs, the same name as alias and lookalike).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.answers.messages import WEEKDAY_SHORT
from bot.answers.topics import has_topic
from bot.coverage.engine import _occurrences, provider_segments
from bot.knowledge.kb import KB, seed_problems
from bot.knowledge.schema import Provider
from bot.reading.text import normalize


class Level(StrEnum):
    WARNING = "aviso"
    ERROR = "erro"


@dataclass(frozen=True)
class Finding:
    level: Level
    provider: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.provider}: {self.message}"


def lint(kb: KB, today: dt.date, stale_days: int = 90) -> list[Finding]:
    findings: list[Finding] = []
    for provider in kb.providers.values():
        findings += _missing_topics(kb, provider)
        findings += _stale(provider, today, stale_days)
        findings += _equipment(provider)
        findings += _lookalike_clash(kb, provider)
    findings += _shared_aliases(kb)
    findings += [
        Finding(Level.ERROR, f"{problem.file}:{problem.line}", problem.message)
        for problem in seed_problems(kb)
    ]
    for provider in kb.providers.values():
        findings += _coverage_typos(provider)
    return findings


def _missing_topics(kb: KB, provider: Provider) -> Iterator[Finding]:
    missing = [t.commands[0] for t in kb.catalogue.topics if not has_topic(provider, t)]
    if missing:
        yield Finding(
            Level.WARNING,
            provider.id,
            "o documento não responde: " + ", ".join(f"/{m}" for m in missing),
        )


def _stale(provider: Provider, today: dt.date, stale_days: int) -> Iterator[Finding]:
    age = (today - provider.reviewed).days
    if age > stale_days:
        yield Finding(
            Level.WARNING,
            provider.id,
            f"revisado em {provider.reviewed:%d/%m/%Y}, há {age} dias (limite {stale_days})",
        )
    if age < 0:
        yield Finding(
            Level.ERROR, provider.id, f"data de revisão no futuro: {provider.reviewed:%d/%m/%Y}"
        )


def _equipment(provider: Provider) -> Iterator[Finding]:
    for item in provider.equipment:
        if not item.passwords:
            yield Finding(Level.WARNING, provider.id, f"equipamento sem senha: {item.model}")


def _lookalike_clash(kb: KB, provider: Provider) -> Iterator[Finding]:
    names = {normalize(n): p.id for p in kb.providers.values() for n in (p.id, p.name, *p.aliases)}
    for lookalike in provider.lookalikes:
        owner = names.get(normalize(lookalike.name))
        if owner:
            yield Finding(
                Level.ERROR,
                provider.id,
                f"{lookalike.name!r} está como engano (lookalike) e também é nome de {owner}",
            )


def _shared_aliases(kb: KB) -> Iterator[Finding]:
    # The loader already refuses exact clashes; here: names equal once spaces are removed.
    owners: dict[str, set[str]] = {}
    for provider in kb.providers.values():
        for name in (provider.id, provider.name, *provider.aliases):
            owners.setdefault(normalize(name).replace(" ", ""), set()).add(provider.id)
    for name, ids in sorted(owners.items()):
        if len(ids) > 1:
            yield Finding(Level.ERROR, ", ".join(sorted(ids)), f"apelido {name!r} compartilhado")


SHORT_GAP = dt.timedelta(minutes=30)
"""A pause in coverage this short is more likely a typo ("08:00" vs "08:10") than a real gap."""
REFERENCE_WEEK = dt.date(2026, 8, 17)
"""A Monday with no national or state holiday in the following fortnight."""


def _coverage_typos(provider: Provider) -> Iterator[Finding]:

    coverage = provider.coverage
    if coverage is None:
        yield Finding(Level.WARNING, provider.id, "sem janelas de cobertura da UPCALL (coverage)")
        return
    zone = ZoneInfo(coverage.timezone)
    lo = dt.datetime.combine(REFERENCE_WEEK, dt.time(), tzinfo=zone)
    hi = lo + dt.timedelta(days=14)
    segments = provider_segments(provider, lo, hi)
    for before, after in itertools.pairwise(segments):
        gap = after.start - before.end
        if dt.timedelta(0) < gap < SHORT_GAP and before.end < lo + dt.timedelta(days=7):
            yield Finding(
                Level.WARNING,
                provider.id,
                f"cobertura para só {int(gap.total_seconds() // 60)} min "
                f"({_when(before.end, zone)}): erro de digitação?",
            )
    occurrences = sorted(
        _occurrences(provider, coverage.windows, zone, coverage.holiday_rule, lo, hi)
    )
    for (s1, e1, m1), (s2, _e2, m2) in itertools.pairwise(occurrences):
        if m1 == m2 and s2 < e1 and s1 >= lo:
            yield Finding(
                Level.WARNING,
                provider.id,
                f"janelas sobrepostas ({_when(s2, zone)}): confira se é intencional",
            )
            break


def _when(moment: dt.datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{WEEKDAY_SHORT[local.weekday()]} {local:%H:%M}"
