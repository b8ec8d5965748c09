"""The review report printed after an import and kept beside the draft (pt-BR, for supervisors)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.knowledge.importer.draft import FALLBACK_TOPIC, Draft


@dataclass(frozen=True)
class Fidelity:
    answer_lines: int
    missing: Sequence[str]
    skipped: Sequence[tuple[str, str]]

    @property
    def share(self) -> float:
        if not self.answer_lines:
            return 1.0
        return (self.answer_lines - len(self.missing)) / self.answer_lines


@dataclass(frozen=True)
class SeedCopy:
    """What became of the document's copy in the seeds folder (committed with the YAML)."""

    path: str
    masked: bool
    """Written with the passwords masked (``•••``)."""
    original_kept: bool
    """The .docx/.pdf copied beside it (it holds no password)."""
    original_left_out: bool
    """The .docx/.pdf holds passwords: not copied."""
    in_place_with_passwords: bool
    """The document imported is the seeds copy itself, passwords and all: left as it is."""
    masked_input: bool
    """The document has masked passwords (``•••``): a seeds copy, not the original."""


def _seed_copy_lines(copy: SeedCopy) -> list[str]:
    lines = []
    if copy.masked:
        lines.append(
            f"  cópia do documento: {copy.path}, com as senhas mascaradas (•••): pode ir para o"
        )
        lines.append("  git; o documento original tem as senhas: guarde-o fora do repositório")
    if copy.original_left_out:
        lines.append("  o .docx/.pdf original tem senhas: não foi copiado para a pasta de seeds")
    if copy.in_place_with_passwords:
        lines.append(
            f"  {copy.path} tem as senhas (é o próprio documento importado): não o coloque em"
        )
        lines.append("  um repositório público")
    if copy.masked_input:
        lines.append(
            "  o documento tem senhas mascaradas (•••), não importadas: importe o original"
        )
    return lines


def _ranges(numbers: Sequence[int]) -> str:
    out: list[str] = []
    ordered = sorted(set(numbers))
    start = prev = None
    for n in ordered:
        if start is None:
            start = prev = n
        elif prev is not None and n == prev + 1:
            prev = n
        else:
            out.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = prev = n
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ", ".join(out)


def render(
    *,
    document: str,
    target: str,
    draft: Draft,
    lint: Sequence[str],
    fidelity: Fidelity,
    seed_copy: SeedCopy | None = None,
) -> str:
    data = draft.data
    lines = [
        f"Importação de {document} -> {target}",
        f"Provedor: {data['id']} ({data['name']}), UF {data['state']}, fuso {data['timezone']}",
        "",
        "Colocado (tópico <- linhas do documento):",
    ]
    by_topic: dict[str, list[int]] = {}
    for placed in draft.placed:
        by_topic.setdefault(placed.topic, []).extend(placed.lines)
    for topic, numbers in sorted(by_topic.items()):
        lines.append(f"  {topic} <- {_ranges(numbers)}")
    equipment = data.get("equipment") or []
    if equipment:
        lines.append(
            f"  equipment <- {_ranges(sorted(draft.equipment_lines))} "
            f"({len(equipment)} equipamento(s))"  # type: ignore[arg-type]
        )
    lines.append("")
    lines.append("Incertos (leia e confirme; cada um tem uma nota no YAML):")
    lines += [f"  {u}" for u in draft.uncertain] or ["  nenhum"]
    lines.append("")
    lines.append(f"Não classificados (em {FALLBACK_TOPIC}, para revisão):")
    lines += [f"  linhas {_ranges(p.lines)}: {p.head}" for p in draft.unplaced] or ["  nenhum"]
    lines.append("")
    lines.append("Segredos (mova para o arquivo de segredos, KB_SECRETS_FILE, se o repositório")
    lines.append("não deve guardar senhas; veja docs/import.md):")
    rows: list[dict[str, object]] = equipment  # type: ignore[assignment]
    secret_rows = [str(e["model"]) for e in rows if e.get("passwords")]
    if secret_rows:
        lines.append(f"  equipment: senhas de {', '.join(secret_rows)}")
    if draft.secret_topics:
        lines.append(f"  tópicos com senha (secret: true): {', '.join(draft.secret_topics)}")
    copy_lines = _seed_copy_lines(seed_copy) if seed_copy is not None else []
    if not secret_rows and not draft.secret_topics and not copy_lines:
        lines.append("  nenhum")
    lines += copy_lines
    lines.append("")
    lines.append("Faltando no catálogo (kb lint):")
    lines += [f"  {finding}" for finding in lint] or ["  nada"]
    lines.append("")
    percent = f"{fidelity.share:.0%}".replace("%", " %")
    lines.append(
        f"Fidelidade: {percent} das {fidelity.answer_lines} linhas de resposta no YAML ou "
        f"listadas com motivo ({len(fidelity.skipped)} em fidelity_skip)"
    )
    lines += [f"  ausente: {m}" for m in fidelity.missing]
    lines += [f"  fidelity_skip: {line} ({reason})" for line, reason in fidelity.skipped]
    return "\n".join(lines) + "\n"
