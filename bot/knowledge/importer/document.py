"""Reading an ISP's procedures document: plain text, ``.docx`` (python-docx) or ``.pdf`` (pypdf).

Every failure is an :class:`ImportFailure` with one pt-BR line for the supervisor.
"""

from __future__ import annotations

import logging
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
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ImportFailure(f"não foi possível ler o PDF {path.name}: arquivo inválido") from exc
    finally:
        pypdf_log.setLevel(level)
    return "\n".join(pages)
