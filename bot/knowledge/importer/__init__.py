"""``upcall-bot kb import``: a draft provider YAML from an ISP's procedures document.

Modules: :mod:`.document` (read .txt/.docx/.pdf), :mod:`.parsing` (title, UPCALL hours,
passages, templates), :mod:`.placement` (topic of a passage, by the bot's reader),
:mod:`.tables` (credential tables -> equipment), :mod:`.schedules` (pt-BR hours -> windows),
:mod:`.identity` (names, UF, zone), :mod:`.draft` (the provider dict), :mod:`.report`.
See docs/import.md.
"""

from __future__ import annotations

import datetime as dt
import errno
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge import fidelity as fidelity_check
from bot.knowledge.importer import identity
from bot.knowledge.importer.document import ImportFailure, read_document
from bot.knowledge.importer.draft import Draft, build
from bot.knowledge.importer.parsing import parse, title_of
from bot.knowledge.importer.placement import Placer, reading_kb
from bot.knowledge.importer.report import Fidelity, SeedCopy, render
from bot.knowledge.kb import KB, PROVIDERS_DIR, TOPICS_FILE, KBError, load_kb
from bot.knowledge.passwords import labelled_secrets, mask_known, maskable
from bot.knowledge.typed_passwords import MASK, mask_typed
from bot.reading.text import compact, normalize

__all__ = ["ImportFailure", "ImportResult", "import_document"]

REPORT_SUFFIX = ".import.txt"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
MIN_PASSAGES = 2
"""Fewer question/answer passages than this and the file is not a procedures document."""


@dataclass(frozen=True)
class ImportResult:
    provider_id: str
    draft_path: Path
    report_path: Path
    seed_path: Path
    report: str
    draft: Draft


def import_document(
    document: Path,
    *,
    kb_dir: Path,
    seeds_dir: Path,
    provider_id: str | None = None,
    name: str | None = None,
    force: bool = False,
    today: dt.date | None = None,
    secrets_file: Path | None = None,
) -> ImportResult:
    """Read ``document``, write ``<kb_dir>/providers/<id>.yaml``, its report beside it and the
    document's text in ``seeds_dir``. Raises :class:`ImportFailure` (nothing written)."""
    today = today or dt.date.today()
    text = read_document(document)
    catalogue_kb = _existing_kb(kb_dir, secrets_file)
    name = (name or title_of(text) or "").strip()
    if not name:
        raise ImportFailure(
            f"a primeira linha de {document.name} não é o nome do provedor: use --name"
        )
    provider_id = provider_id or identity.slug(name)
    if not _ID.match(provider_id) or len(provider_id) > 32:
        raise ImportFailure(
            f"id inválido: {provider_id!r} (letras minúsculas, números e _, começando por letra)"
        )
    draft_path = kb_dir / PROVIDERS_DIR / f"{provider_id}.yaml"
    if draft_path.exists() and not force:
        raise ImportFailure(
            f"o provedor {provider_id} já existe ({draft_path}); use --force para substituir"
        )
    others = {pid: p for pid, p in catalogue_kb.providers.items() if pid != provider_id}
    for other in others.values():
        if normalize(name) in {normalize(n) for n in (other.id, other.name, *other.aliases)}:
            raise ImportFailure(
                f"o nome {name!r} já é do provedor {other.id}; use --name (ou --id {other.id} "
                "--force para substituí-lo)"
            )
    placer = Placer(
        reading_kb(catalogue_kb.catalogue, others), (name, *identity.name_variants(name))
    )
    parsed = parse(text, placer)
    questions = [p for p in parsed.passages if p.kind == "question"]
    if len(questions) < MIN_PASSAGES and len(parsed.passages) < MIN_PASSAGES * 2:
        raise ImportFailure(
            f"nenhuma pergunta/resposta reconhecível em {document.name}: é o documento de "
            "procedimentos do provedor?"
        )
    taken = {normalize(n) for p in others.values() for n in (p.id, p.name, *p.aliases)}
    seed_name = f"{provider_id}.txt"
    seed_path = seeds_dir / seed_name
    draft = build(
        parsed,
        placer,
        provider_id=provider_id,
        name=name,
        seed=_seed_reference(kb_dir, seed_path),
        today=today,
        taken_names=taken,
    )
    passwords = draft_passwords(draft)
    result_fidelity = _complete_fidelity(text, draft, passwords)
    lint_lines = _validate(kb_dir, draft, provider_id, today, secrets_file)
    report_path = draft_path.with_name(f"{provider_id}{REPORT_SUFFIX}")
    in_place = document.resolve() == seed_path.resolve()
    binary = document.suffix.casefold() in {".docx", ".pdf"}
    copy = SeedCopy(
        str(seed_path),
        masked=bool(passwords) and not in_place,
        original_kept=binary and not passwords and not in_place,
        original_left_out=binary and bool(passwords) and not in_place,
        in_place_with_passwords=in_place and bool(passwords),
        masked_input=MASK in text,
    )
    report = render(
        document=document.name,
        target=str(draft_path),
        draft=draft,
        lint=lint_lines,
        fidelity=result_fidelity,
        seed_copy=copy,
    )
    report = mask_known(report, passwords)  # a line quoted in it (not transcribed, skipped)
    files: list[tuple[Path, str | Path]] = [
        (draft_path, dump(draft.data)),
        (report_path, report),
    ]
    if not in_place or _rewritten(seed_path, text):
        # The text as read (tables typed with spaces now in tab rows): what the fidelity check
        # of `kb validate` reads the draft against; its passwords masked (the copy is committed:
        # they belong in `equipment` or the secrets file), which the check reads as gaps.
        copied = text if in_place else mask_known(text, passwords)
        files.append((seed_path, copied if copied.endswith("\n") else copied + "\n"))
        if copy.original_kept:  # a .docx/.pdf with passwords is not copied into the repository
            files.append((seeds_dir / f"{provider_id}{document.suffix.casefold()}", document))
    _write_all(files)
    return ImportResult(provider_id, draft_path, report_path, seed_path, report, draft)


def _write_all(files: list[tuple[Path, str | Path]]) -> None:
    """Write each (path, text or file to copy); all or nothing: on a failure (``--seeds`` naming a
    file, a folder without permission, a full disk) what was written is removed and what stood
    there before is put back, and the failure is one line."""
    before: dict[Path, bytes | None] = {}
    try:
        for path, content in files:
            before[path] = path.read_bytes() if path.is_file() else None
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, path)
            else:
                path.write_text(content, encoding="utf-8")
    except OSError as exc:
        for path, old in before.items():
            try:
                if old is None:
                    path.unlink(missing_ok=True)
                else:
                    path.write_bytes(old)
            except OSError:
                pass
        where = exc.filename or path
        why = _WHY.get(exc.errno or 0, exc.strerror or str(exc))
        raise ImportFailure(f"não foi possível escrever {where}: {why}; nada foi gravado") from exc


_WHY = {
    errno.EEXIST: "um arquivo está onde deveria haver uma pasta",
    errno.ENOTDIR: "um arquivo está onde deveria haver uma pasta",
    errno.EACCES: "sem permissão",
    errno.EPERM: "sem permissão",
    errno.EROFS: "sistema de arquivos somente leitura",
    errno.ENOSPC: "disco cheio",
}
"""The usual causes in Portuguese (the system's own text is English)."""


def _rewritten(seed_path: Path, text: str) -> bool:
    """Does the text read differ from the file's own lines (a re-import of the seeds copy)?"""
    own = seed_path.read_bytes().decode("utf-8-sig", errors="replace")
    return own.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n") != text.rstrip("\n")


def _seed_reference(kb_dir: Path, seed_path: Path) -> str:
    """The ``seed:`` value ``kb validate`` resolves to ``seed_path``: relative to the repository
    root (the KB directory's parent) when the seed is inside it, absolute otherwise."""
    target = seed_path.resolve()
    try:
        return target.relative_to(kb_dir.resolve().parent).as_posix()
    except ValueError:
        return str(target)


def _existing_kb(kb_dir: Path, secrets_file: Path | None) -> KB:
    if not (kb_dir / TOPICS_FILE).is_file():
        raise ImportFailure(f"catálogo de tópicos não encontrado: {kb_dir / TOPICS_FILE}")
    try:
        return load_kb(kb_dir, secrets_file=secrets_file)
    except KBError as exc:
        first = exc.problems[0] if exc.problems else "erro"
        raise ImportFailure(
            f"a base atual não é válida ({first}); rode upcall-bot kb validate"
        ) from exc


def draft_passwords(draft: Draft) -> tuple[str, ...]:
    """The passwords the draft holds (its equipment rows, "Senha: x" in its secret topics), as
    the KB would know them (``known_secrets``: not "admin", nor one that is also the ISP's name,
    "sejafibra"), longest first."""
    data = draft.data
    found: set[str] = set()
    for row in data.get("equipment") or []:  # type: ignore[attr-defined]
        found.update(str(p) for p in row.get("passwords") or [])
    topics: dict[str, Any] = data.get("topics") or {}  # type: ignore[assignment]
    for topic_id in draft.secret_topics:
        text = str((topics.get(topic_id) or {}).get("text", ""))
        found.update(labelled_secrets(text))
    names = [data.get("id"), data.get("name"), *(data.get("aliases") or [])]  # type: ignore[misc]
    return maskable(found, {compact(str(n)) for n in names if n})


def _complete_fidelity(text: str, draft: Draft, passwords: tuple[str, ...]) -> Fidelity:
    """Every answer line is in the draft or listed in ``fidelity_skip`` with its reason; a skip
    line with its passwords masked (the draft's, and any typed after "senha:"): the YAML is
    committed, the passwords go to ``equipment`` or the secrets file only."""
    data = draft.data
    missing = fidelity_check.missing_lines(text, data)
    skips: list[dict[str, str]] = []
    for line in missing:
        shown = mask_typed(mask_known(line.raw, passwords))
        if line.number in draft.equipment_lines:
            reason = "transcrita como linhas estruturadas em equipment (tabela de credenciais)"
        elif line.number in draft.section_titles:
            reason = "título de seção: as perguntas abaixo dele estão nos seus tópicos"
        else:
            reason = "não transcrita pelo importador: revisar"
            draft.uncertain.append(f'linha {line.number} não transcrita: "{shown}"')
        if all(normalize(s["line"]) != normalize(shown) for s in skips):
            skips.append({"line": shown, "reason": reason})
    if skips:
        data["fidelity_skip"] = skips
    total = sum(1 for _ in fidelity_check.answer_lines(text))
    still = fidelity_check.missing_lines(text, data)
    return Fidelity(
        total,
        [f"linha {m.number}: {m.raw}" for m in still],
        [(s["line"], s["reason"]) for s in skips],
    )


def _validate(
    kb_dir: Path, draft: Draft, provider_id: str, today: dt.date, secrets_file: Path | None
) -> list[str]:
    """Load the KB with the draft in a scratch copy: the draft must validate; lint's words."""
    from bot.knowledge.lint import lint

    with tempfile.TemporaryDirectory(prefix="kb-import-") as scratch:
        root = Path(scratch) / "kb"
        shutil.copytree(kb_dir, root, ignore=shutil.ignore_patterns(".git", "*.import.txt"))
        (root / PROVIDERS_DIR).mkdir(exist_ok=True)
        (root / PROVIDERS_DIR / f"{provider_id}.yaml").write_text(
            dump(draft.data), encoding="utf-8"
        )
        try:
            kb = load_kb(root, secrets_file=secrets_file)
        except KBError as exc:
            problems = "; ".join(str(p) for p in exc.problems[:3])
            raise ImportFailure(f"o rascunho não valida (erro do importador): {problems}") from exc
        return [str(f) for f in lint(kb, today) if provider_id in f.provider.split(", ")]


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    if re.match(r"^\d{1,2}:\d{2}$", value):
        style = "'"  # YAML 1.1 would read 23:50 as a number
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: dict[str, Any]) -> str:
    """The draft as YAML: block text for answers, windows on one line each, passwords marked."""
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2)
    marked = re.sub(
        r"^(\s*)passwords:",
        r"\1# segredo: pode ir para o arquivo de segredos (KB_SECRETS_FILE)\n\1passwords:",
        text,
        flags=re.MULTILINE,
    )
    header = (
        "# Rascunho gerado por `upcall-bot kb import`: revise as notas marcadas como leitura\n"
        "# incerta e o relatório ao lado (<id>.import.txt) antes do commit.\n"
    )
    return header + marked
