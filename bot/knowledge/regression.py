"""Supervisors' regression tests for the knowledge: ``upcall-bot kb test [FILE...]``.

A case asks the core exactly what an agent would type and checks the reply::

    cases:
      - ask: /senha lasernet W5-1200G
        expect: ["Lnt12345@", "porta 9020"]   # every one must appear
        forbid: ["P=a5tr3NeL"]                # none may appear
        now: 2026-11-22T03:00:00-03:00        # optional: fixes the clock

Matching ignores case, accents, HTML tags and extra whitespace, so a case survives formatting
changes and breaks only when the knowledge changes.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from bot.answers.core import answer
from bot.answers.render import to_html
from bot.knowledge.kb import KB, KBProblem
from bot.reading.text import fold

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ask: Annotated[str, Field(min_length=1)]
    expect: Annotated[list[str], BeforeValidator(_as_list)] = Field(default_factory=list)
    forbid: Annotated[list[str], BeforeValidator(_as_list)] = Field(default_factory=list)
    now: dt.datetime | None = None


class Suite(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cases: list[Case]


def comparable(text: str) -> str:
    """Text as compared by the cases: no tags, entities decoded, case/accents folded, spaces."""
    return _SPACE.sub(" ", fold(html.unescape(_TAG.sub(" ", text)))).strip()


@dataclass(frozen=True)
class Outcome:
    source: str
    case: Case
    reply: str
    missing: tuple[str, ...]
    forbidden: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.missing and not self.forbidden


def load_suite(path: Path) -> tuple[list[Case], list[KBProblem]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return [], [KBProblem(path, None, f"não foi possível ler o arquivo: {exc}")]
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        return [], [KBProblem(path, line, f"YAML inválido: {exc.problem}")]
    try:
        return list(Suite.model_validate(data).cases), []
    except ValidationError as exc:
        return [], [
            KBProblem(path, None, f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
            for e in exc.errors()
        ]


def run_case(kb: KB, case: Case, source: str, default_now: dt.datetime) -> Outcome:
    now = case.now or default_now
    if now.tzinfo is None:
        now = now.replace(tzinfo=default_now.tzinfo)
    reply = to_html(answer(kb, case.ask, now))
    seen = comparable(reply)
    return Outcome(
        source,
        case,
        reply,
        missing=tuple(e for e in case.expect if comparable(e) not in seen),
        forbidden=tuple(f for f in case.forbid if comparable(f) in seen),
    )


def run_suites(
    kb: KB, paths: Iterable[Path], now: dt.datetime
) -> tuple[list[Outcome], list[KBProblem]]:
    outcomes: list[Outcome] = []
    problems: list[KBProblem] = []
    for path in paths:
        cases, found = load_suite(path)
        problems += found
        outcomes += [run_case(kb, c, f"{path}#{i}", now) for i, c in enumerate(cases, start=1)]
    return outcomes, problems


def describe_failure(outcome: Outcome) -> str:
    lines = [f"FALHOU {outcome.source}: {outcome.case.ask}"]
    lines += [f"  esperado e ausente: {e!r}" for e in outcome.missing]
    lines += [f"  proibido e presente: {f!r}" for f in outcome.forbidden]
    lines.append("  resposta:")
    lines += [f"    {line}" for line in outcome.reply.splitlines()]
    return "\n".join(lines)
