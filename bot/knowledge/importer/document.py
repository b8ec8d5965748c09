"""Reading an ISP's procedures document: plain text, ``.docx`` (python-docx) or ``.pdf`` (pypdf).

Every failure is an :class:`ImportFailure` with one pt-BR line for the supervisor.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

CONTROL_SHARE = 0.02
"""More control characters than this (tabs and line ends aside) and the file is not text."""


class ImportFailure(Exception):
    """The document cannot be imported; ``str(exc)`` is one pt-BR line."""


def read_document(path: Path) -> str:
    """The document's text, one paragraph (or table row, cells joined by tabs) per line."""
    if not path.is_file():
        raise ImportFailure(f"arquivo não encontrado: {path}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(f"não foi possível ler {path.name}: {exc.strerror}") from exc
    if not data.strip():
        raise ImportFailure(f"documento vazio: {path.name}")
    suffix = path.suffix.casefold()
    if suffix == ".docx":
        text = _docx_text(path)
    elif suffix == ".pdf":
        text = _pdf_text(path)
    else:
        text = _plain_text(data, path.name)
    if not text.strip():
        raise ImportFailure(f"documento sem texto: {path.name}")
    return spaced_columns(text.replace("\r\n", "\n").replace("\r", "\n"))


_GAP = re.compile(r"(?<=\S) {2,}(?=\S)")
_LINKING = re.compile(r"\s(?:d[aeo]s?|[aàoe]s?|às|ou|com|para|por|em|n[ao]s?|at[eé])$", re.I)
"""A cell never ends with a preposition or an article: "Horário de almoço das  13:30h" is a
sentence with a doubled space."""
WIDE_GAP = 3
"""Spaces from which one gap alone says "next column" ("TELEFONE    (11) 3333-4444")."""
SPACED_ROWS = 3
"""Lines split by gaps from which a document without tabs is one whose tables use spaces."""


def _space_cells(line: str) -> list[str]:
    """The cells of a line typed with spaces between columns; an indented row starts with an
    empty cell (the corner of a table with a header row and a header column), a row ending in
    spaces ends with one."""
    if "\t" in line:
        return []
    cells = _GAP.split(line.strip())
    if len(cells) < 2 or any(_LINKING.search(cell) for cell in cells[:-1]):
        return []
    if any(cell.endswith((".", "!", "?", ",")) for cell in cells[:-1]):
        return []  # "Aguardar 24 horas.   Depois abrir OS.": sentences, wide spacing
    if line.endswith("  "):
        cells.append("")  # an empty last cell ("ZYXEL  supervisor  ": passwords below)
    return ["", *cells] if line.startswith("  ") else cells


def spaced_columns(text: str) -> str:
    """Tables typed with spaces instead of tabs (or pasted from a PDF) as the seeds' tab rows:
    a line whose runs of two or more spaces split it into cells is a row when a neighbouring
    line splits into as many cells, when a gap is three spaces or more, or when the document
    has no tab at all and several such lines. Spacing in prose ("das  13:30h", "... 24 horas.
    Depois ...") is left alone (see ``_space_cells``)."""
    lines = text.split("\n")
    counts = [len(_space_cells(line)) for line in lines]
    # A document with no tab at all and several such lines types its tables with spaces: each
    # of them is a row (a row alone between the lines of a multi-line cell too).
    spaced = "\t" not in text and sum(1 for n in counts if n) >= SPACED_ROWS

    def neighbour(i: int, step: int) -> int:
        j = i + step
        while 0 <= j < len(lines) and not lines[j].strip():
            j += step
        return counts[j] if 0 <= j < len(lines) else 0

    out = []
    for i, line in enumerate(lines):
        n = counts[i]
        wide = any(len(gap) >= WIDE_GAP for gap in _GAP.findall(line))
        if n and (spaced or wide or n in (neighbour(i, -1), neighbour(i, 1))):
            line = "\t".join(_space_cells(line))
        out.append(line)
    return "\n".join(out)


def _plain_text(data: bytes, name: str) -> str:
    if b"\x00" in data:
        raise ImportFailure(f"arquivo binário, não é texto: {name} (use .txt, .docx ou .pdf)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if text.count("\ufffd") > len(text) * CONTROL_SHARE:
            raise ImportFailure(
                f"arquivo binário, não é texto: {name} (use .txt, .docx ou .pdf)"
            ) from None
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if control > len(text) * CONTROL_SHARE:
        raise ImportFailure(f"arquivo binário, não é texto: {name} (use .txt, .docx ou .pdf)")
    return text


def _docx_text(path: Path) -> str:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        # PackageNotFoundError: not a zip at all (python-docx says "Package not found").
        raise ImportFailure(f"não foi possível ler o .docx {path.name}: arquivo inválido") from exc
    lines: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            lines.append(item.text)
        elif isinstance(item, Table):
            for row in item.rows:
                # A cell of several paragraphs continues on the next lines, as in the seeds.
                lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs what it repairs or gives up on, in English ("invalid pdf header", "EOF marker
    # not found"): the supervisor gets this module's one line instead.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(str(path))
        # Layout mode keeps a table's columns apart with spaces (plain mode joins its cells
        # with one space): spaced_columns turns them into the seeds' tab rows.
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ImportFailure(f"não foi possível ler o PDF {path.name}: arquivo inválido") from exc
    finally:
        pypdf_log.setLevel(level)
    lines = "\n".join(pages).split("\n")
    return "\n".join(line.rstrip() for line in lines)
