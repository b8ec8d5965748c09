"""Guards against a file damaged by bad luck: cut short by an interrupted save, a full disk or a
copy stopped half-way; or carrying invisible bidi controls pasted from a document
(:func:`bidi_controls`, refused on every load: QA round 7, finding 21).

Such a file often still parses: a cut inside a text block (``text: |``) leaves a shorter valid
text, and a cut at the end of a line leaves a valid file that simply stops. Loaded, it would make
the bot deny the facts that were cut off ("o documento não traz...") and stop the ISP's notices
with its coverage. Two guards, measured on every cut of the five real provider files
(``bench/torn_files.py``: a cut after each byte, 78,753; 48,446 still validate as a provider):

* :func:`unfinished_end`, on every load (``kb validate``, the start, every reload): a YAML file
  of the KB ends with a line break; one that does not was cut mid-line (97.5 % of the cuts that
  validate). A file saved by an editor that omits the last line break is refused too, with the
  one-key fix: we cannot tell it from a cut.
* :func:`shrunk`, against the version answering (a reload) or the version committed (a
  KB in a git work tree: ``kb validate``/``kb lint``/``ask``/the start): an ISP that loses its
  UPCALL coverage, all its equipment rows, all its sectors, or at least half of its topics (three
  at least) at once, with its ``reviewed:`` date unchanged (99.05 % of the cuts that validate;
  the two guards together miss 44, 0.09 %: cuts at a line end among the last sectors' lines).
  A deliberate removal is a review of the file against the ISP's document, so it says so by
  changing ``reviewed:`` (a cut never changes it: it is near the top, and a cut only removes the
  end); removing a topic or two needs nothing. A copy stopped half-way of a *new* version whose
  ``reviewed:`` changed passes this guard: the first one catches it unless it stops at a line
  end.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections.abc import Mapping
from pathlib import Path

import yaml
from pydantic import ValidationError

from bot.knowledge import yamlworker
from bot.knowledge.schema import Provider

UNFINISHED = (
    "o arquivo termina no meio de uma linha (sem quebra de linha no fim): gravação interrompida, "
    "disco cheio ou cópia pela metade? Confira o fim do arquivo; se ele está completo, "
    "termine-o com uma quebra de linha (Enter)"
)
SHRUNK = (
    "{name} perderia {lost} de uma vez em relação {against}, com reviewed: inalterado: arquivo "
    "cortado (gravação interrompida, disco cheio, cópia pela metade)? Restaure o arquivo; se a "
    "remoção é intencional, atualize reviewed: para a data de hoje"
)
AGAINST_LOADED = "à versão em uso"
AGAINST_COMMITTED = "ao último commit"
MIN_TOPICS_LOST = 3
"""Losing fewer topics than this is an ordinary edit, whatever the share."""
NAMED_TOPICS = 3
"""The lost topics named in the problem line; the rest are counted."""


BIDI_CONTROL = (
    "caractere invisível de direção de texto U+{code:04X} ({name}) na coluna {column}: ele "
    "inverte ou embaralha a exibição do resto da linha no Telegram e no WhatsApp (costuma vir "
    "colado de Word/PDF); apague-o"
)
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""The bidi embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): invisible
in an editor and in ``git diff``, they reorder what follows them on the line as a chat shows it
(a phone number, a password, an IP read backwards). Pasted from a Word or PDF document, they have
no use in the KB's pt-BR text. The plain marks (LRM, RLM) only nudge neutral characters and are
left alone."""


def bidi_controls(text: str) -> list[tuple[int, str]]:
    """``(line, pt-BR problem)`` for each bidi embedding/override/isolate character in ``text``
    (1-based line; the column is named in the problem)."""
    if not _BIDI_CONTROLS.search(text):  # the usual case: one scan of the whole text
        return []
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        for match in _BIDI_CONTROLS.finditer(line):
            char = match.group()
            problem = BIDI_CONTROL.format(
                code=ord(char), name=unicodedata.name(char), column=match.start() + 1
            )
            found.append((number, problem))
    return found


def unfinished_end(text: str) -> int | None:
    """The line (1-based) where ``text`` stops mid-line, or None when it ends with a line break
    (or holds nothing: the loader says "arquivo vazio")."""
    if not text.strip() or text.endswith(("\n", "\r")):
        return None
    return text.count("\n") + 1


def losses(old: Provider, new: Provider) -> list[str]:
    """What ``new`` lost of ``old`` that a cut file loses and an edit rarely does, in pt-BR:
    the coverage, every equipment row, every sector, or at least half of the topics."""
    lost: list[str] = []
    if old.coverage is not None and new.coverage is None:
        lost.append("a cobertura da UPCALL (janelas de atendimento)")
    gone = [topic for topic in old.topics if topic not in new.topics]
    if len(gone) >= MIN_TOPICS_LOST and 2 * len(gone) >= len(old.topics):
        named = ", ".join(gone[:NAMED_TOPICS]) + (", …" if len(gone) > NAMED_TOPICS else "")
        lost.append(f"{len(gone)} de {len(old.topics)} tópicos ({named})")
    if old.equipment and not new.equipment:
        lost.append(f"todos os equipamentos ({len(old.equipment)})")
    if old.sectors and not new.sectors:
        lost.append(f"todos os setores ({len(old.sectors)})")
    return lost


def shrunk(
    baseline: Mapping[str, Provider], providers: Mapping[str, Provider], against: str
) -> dict[str, str]:
    """For each ISP of ``providers`` that lost, compared with ``baseline``, what :func:`losses`
    names while its ``reviewed:`` date stayed the same: the pt-BR line saying so (the loader
    places it at the last line of the file, where a cut file stops)."""
    found: dict[str, str] = {}
    for pid, provider in providers.items():
        before = baseline.get(pid)
        if before is None or before.reviewed != provider.reviewed:
            continue
        lost = losses(before, provider)
        if lost:
            words = ", ".join(lost[:-1]) + " e " + lost[-1] if len(lost) > 1 else lost[0]
            found[pid] = SHRUNK.format(name=provider.name, lost=words, against=against)
    return found


def committed_providers(providers: Path) -> dict[str, Provider]:
    """The ISPs as committed at HEAD whose provider file differs from it now (a KB inside a git
    work tree); empty outside git, or when nothing differs. A committed file that no longer
    validates as a provider is left out: there is nothing to compare with."""
    changed = _git(providers, "diff", "--name-only", "--relative", "HEAD", "--", ".")
    if changed is None:
        return {}
    found: dict[str, Provider] = {}
    for name in changed.splitlines():
        path = Path(name)
        if path.suffix != ".yaml" or path.parent != Path():
            continue
        committed = _git(providers, "show", f"HEAD:./{path.name}")
        if committed is None:
            continue
        try:
            _, data = yamlworker.parse(committed)
            found[path.stem] = Provider.model_validate(data)
        except (yaml.YAMLError, ValidationError, ValueError, TypeError, OSError):
            continue
    return found


def _git(directory: Path, *args: str) -> str | None:
    """``git``'s output in ``directory``, or None (not in git, no such file at HEAD, no git)."""
    if not directory.is_dir():
        return None
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=directory,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None
