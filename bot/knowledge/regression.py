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
from bot.answers.render import to_html, to_plain
from bot.knowledge.kb import KB, KBProblem, not_found, yaml_problem
from bot.knowledge.kb import _describe as describe
from bot.knowledge.kb import _node_at as node_at
from bot.knowledge.yamlworker import parse
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
    """The reply as plain text (the console's), as a failure shows it."""
    missing: tuple[str, ...]
    forbidden: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.missing and not self.forbidden


FORMAT_HINT = (
    "formato: uma lista de casos, cada um com ask (a pergunta) e expect/forbid (textos), "
    'ex.: - ask: /dns mutum  /  expect: ["143.202.80.56"]; ou cases: com essa lista'
)


NO_CASES = "nenhum caso no arquivo (lista vazia): o kb test não testaria nada"
NO_CHECK = (
    "caso {number} sem expect nem forbid: ele passaria sempre; "
    "diga o que a resposta deve trazer (expect) ou não pode trazer (forbid)"
)


IS_A_DIRECTORY = (
    "é um diretório: indique o arquivo de casos (ex.: knowledge/tests.yaml); "
    "a base se escolhe com --kb DIR"
)


def load_suite(path: Path) -> tuple[list[Case], list[KBProblem]]:
    """The cases of one file: ``cases: [...]`` or a bare list of cases."""
    cases, _, problems = _read_suite(path)
    return cases, problems


def _read_suite(path: Path) -> tuple[list[Case], list[int], list[KBProblem]]:
    """The cases of one file, the line where each starts, the problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], [], [KBProblem(path, None, not_found("arquivo de casos", path))]
    except IsADirectoryError:
        return [], [], [KBProblem(path, None, IS_A_DIRECTORY)]
    except (OSError, UnicodeDecodeError) as exc:
        return [], [], [KBProblem(path, None, f"não foi possível ler o arquivo: {exc}")]
    try:
        node, data = parse(text)
    except yaml.YAMLError as exc:
        return [], [], [yaml_problem(path, text, exc)]
    if node is None or data is None:
        return [], [], [KBProblem(path, None, f"arquivo vazio; {FORMAT_HINT}")]
    if isinstance(data, list):  # a bare list of cases
        data, node = (
            {"cases": data},
            yaml.MappingNode(
                "tag:yaml.org,2002:map", [(yaml.ScalarNode("tag:yaml.org,2002:str", "cases"), node)]
            ),
        )
    if not isinstance(data, dict) or "cases" not in data:
        return [], [], [KBProblem(path, 1, f"nenhum caso encontrado; {FORMAT_HINT}")]
    try:
        cases = list(Suite.model_validate(data).cases)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            target = node_at(node, loc)
            problems.append(
                KBProblem(path, target.start_mark.line + 1, f"{_where(loc)}: {describe(error)}")
            )
        problems.append(KBProblem(path, None, FORMAT_HINT))
        return [], [], problems
    lines = [node_at(node, ("cases", i)).start_mark.line + 1 for i in range(len(cases))]
    if not cases:
        # The pre-commit hook relies on `kb test`: an emptied file must not pass as green.
        line = node_at(node, ("cases",)).start_mark.line + 1
        return [], [], [KBProblem(path, line, f"{NO_CASES}; {FORMAT_HINT}")]
    problems = [
        KBProblem(path, n, NO_CHECK.format(number=i))
        for i, (case, n) in enumerate(zip(cases, lines, strict=True), start=1)
        if not case.expect and not case.forbid
    ]
    if problems:
        return [], [], problems
    return cases, lines, []


def _where(loc: tuple[int | str, ...]) -> str:
    """``("cases", 0, "expect")`` -> ``caso 1, expect``."""
    if len(loc) >= 2 and loc[0] == "cases" and isinstance(loc[1], int):
        rest = ".".join(map(str, loc[2:]))
        return f"caso {loc[1] + 1}" + (f", {rest}" if rest else "")
    return ".".join(map(str, loc)) or "(raiz)"


def run_case(kb: KB, case: Case, source: str, default_now: dt.datetime) -> Outcome:
    now = case.now or default_now
    if now.tzinfo is None:
        now = now.replace(tzinfo=default_now.tzinfo)
    reply = answer(kb, case.ask, now)
    seen = comparable(to_html(reply))  # tags dropped: a case survives formatting changes
    return Outcome(
        source,
        case,
        to_plain(reply),
        missing=tuple(e for e in case.expect if comparable(e) not in seen),
        forbidden=tuple(f for f in case.forbid if comparable(f) in seen),
    )


def run_suites(
    kb: KB, paths: Iterable[Path], now: dt.datetime
) -> tuple[list[Outcome], list[KBProblem]]:
    outcomes: list[Outcome] = []
    problems: list[KBProblem] = []
    for path in paths:
        cases, lines, found = _read_suite(path)
        problems += found
        # `arquivo:linha` as every other message says where: the line the case starts on.
        outcomes += [run_case(kb, c, f"{path}:{n}", now) for c, n in zip(cases, lines, strict=True)]
    return outcomes, problems


def describe_failure(outcome: Outcome) -> str:
    lines = [f"FALHOU {outcome.source}: {outcome.case.ask}"]
    lines += [f"  esperado e ausente: {e!r}" for e in outcome.missing]
    lines += [f"  proibido e presente: {f!r}" for f in outcome.forbidden]
    lines.append("  resposta:")
    lines += [f"    {line}" for line in outcome.reply.splitlines()]
    return "\n".join(lines)
