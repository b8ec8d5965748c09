"""Credential tables -> ``equipment`` rows.

Three shapes occur in the seeds: a table exported with its cells on separate lines (header
"EQUIPAMENTO / LOGIN / SENHA" one cell a line, then each row's cells one a line), a table with
tab-separated cells where a cell of several paragraphs continues on the next lines (more
passwords below a row, a model whose note "*Liberar Acesso Web" sits between it and its
login), and credentials written in a sentence ("ONU na porta 8010 com LOGIN: admin SENHA:
admin", "Equipamentos mais comuns: admin / centertelecom / 80 ou 8081; wifi (askey/mitrastar):
net2019* / 80").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.knowledge.typed_passwords import MASK
from bot.reading.text import compact, normalize

MODEL_WORDS = frozenset({"equipamento", "equipamentos", "modelo", "modelos", "marca", "aparelho"})
LOGIN_WORDS = frozenset({"usuario", "usuarios", "login", "user"})
PASSWORD_WORDS = frozenset({"senha", "senhas", "password", "senha padrao"})
PORT_WORDS = frozenset({"porta", "portas", "port"})
HEADER_WORDS = MODEL_WORDS | LOGIN_WORDS | PASSWORD_WORDS | PORT_WORDS
SENTENCE_WORDS = 5
"""A line of this many words or more ends a table (cells are short)."""
_PORT_VALUE = re.compile(r"^\d{2,5}(\s*(ou|e|/|,)\s*\d{2,5})*$")


@dataclass(frozen=True)
class Row:
    number: int
    text: str


@dataclass
class Table:
    rows: list[dict[str, object]] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    """Line numbers transcribed into the rows (header, group label, cells)."""
    notes: list[str] = field(default_factory=list)


HEADER_FILLER = frozenset(
    "de do da dos das padrao acesso web remoto remota inicial fabrica".split()  # noqa: SIM905
)
"""Words a header cell may add to its column's word: "Usuário padrão", "Senha de acesso"."""
COLUMN_WORDS = {
    "model": MODEL_WORDS
    | {"onu", "ont", "roteador", "roteadores", "router", "dispositivo", "fabricante", "equip"},
    "login": LOGIN_WORDS | {"username", "usr"},
    "password": PASSWORD_WORDS | {"pass", "pwd"},
    "port": PORT_WORDS,
}
"""The words a header cell of each column is made of ("ONU/Roteador", "Modelo do aparelho")."""


def column_of(cell: str) -> str | None:
    """The credential-table column a header cell names ("Senha de acesso": password)."""
    key = normalize(cell)
    for name, words in (
        ("model", MODEL_WORDS),
        ("login", LOGIN_WORDS),
        ("password", PASSWORD_WORDS),
        ("port", PORT_WORDS),
    ):
        if key in words:
            return name
    rest = [w for w in key.split() if w not in HEADER_FILLER]
    found = {name for w in rest for name, words in COLUMN_WORDS.items() if w in words}
    if rest and len(found) == 1 and all(any(w in ws for ws in COLUMN_WORDS.values()) for w in rest):
        return found.pop()
    return None


def _header_at(lines: list[Row], i: int) -> tuple[list[str], int] | None:
    """Columns of a header starting at ``lines[i]`` and the index after it."""
    cells = [c for c in lines[i].text.split("\t") if c.strip()]
    if len(cells) >= 2:
        found = [column_of(c) for c in cells]
        named = [c for c in found if c]
        if len(named) == len(found) and {"model", "password"} <= set(named):
            return named, i + 1
        return None
    columns: list[str] = []
    j = i
    while j < len(lines) and "\t" not in lines[j].text:
        column = column_of(lines[j].text)
        if column is None or column in columns:
            break
        columns.append(column)
        j += 1
    if len(columns) >= 2 and {"model", "password"} <= set(columns):
        return columns, j
    return None


def _words(text: str) -> int:
    return len(normalize(text).split())


def _is_stop(text: str) -> bool:
    stripped = text.strip()
    return stripped.endswith("?") or ("\t" not in stripped and _words(stripped) >= SENTENCE_WORDS)


def _is_token(text: str) -> bool:
    return " " not in text.strip() and bool(text.strip())


def _kind(model: str) -> str:
    words = normalize(model).split()
    if "onu" in words or "ont" in words:
        return "ONU"
    if "roteador" in words or "router" in words:
        return "roteador"
    return ""


def _row(model: str, values: dict[str, str], number: int) -> dict[str, object]:
    login = values.get("login", "").strip()
    password = values.get("password", "").strip()
    port = values.get("port", "").strip()
    row: dict[str, object] = {
        "model": model.strip(),
        "kind": _kind(model),
        "login": None if login in {"", "-", "–", "—"} else login,
        "passwords": [password] if password and password not in {"-", "–", MASK} else [],
        "port": port or None,
        "notes": [],
        "_line": number,
    }
    return row


def find_tables(lines: list[Row]) -> list[Table]:
    """Every credential table in ``lines`` (non-blank lines in document order)."""
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        header = _header_at(lines, i)
        if header is None:
            i += 1
            continue
        columns, body = header
        table = Table()
        table.used.update(r.number for r in lines[i:body])
        label = _group_label(lines, i)
        if label is not None:
            table.used.add(label.number)
        if body < len(lines) and "\t" in lines[body].text:
            end = _tab_rows(lines, body, columns, table)
        else:
            end = _line_rows(lines, body, columns, table)
        if label is not None:
            for row in table.rows:
                row["notes"] = [label.text, *row["notes"]]  # type: ignore[misc]
        if table.rows:
            tables.append(table)
        i = max(end, i + 1)
    return tables


def _group_label(lines: list[Row], header: int) -> Row | None:
    """ "MATRIZ - SÃO PAULO" just above a header names the group of its rows."""
    if header == 0:
        return None
    above = lines[header - 1]
    text = above.text.strip()
    if "\t" in text or text.endswith(("?", ":")) or _words(text) > SENTENCE_WORDS:
        return None
    letters = [ch for ch in text if ch.isalpha()]
    words = [w for w in normalize(text).split() if w not in {"de", "do", "da", "dos", "das", "e"}]
    if all(column_of(w) is not None for w in words):
        return None  # "SENHAS DOS EQUIPAMENTOS": the table's title, not a group of its rows
    if letters and all(ch.isupper() for ch in letters) and _header_at(lines, header - 1) is None:
        return above
    return None


def _tab_rows(lines: list[Row], start: int, columns: list[str], table: Table) -> int:
    pending: list[Row] = []
    i = start
    while i < len(lines):
        line = lines[i]
        text = line.text
        if _header_at(lines, i) is not None or _is_stop(text):
            break
        if "\t" not in text:
            if i + 1 < len(lines) and _header_at(lines, i + 1) is not None and not _is_token(text):
                break  # the next table's group label
            pending.append(line)
            i += 1
            continue
        cells = [c.strip() for c in text.split("\t")]
        while len(cells) > len(columns) and not cells[-1]:
            cells.pop()
        if len(cells) >= len(columns) or not pending:
            _more_passwords(table, pending)
            values = dict(zip(columns, cells, strict=False))
            model = values.pop("model", "")
            row = _row(model, values, line.number)
        else:
            first, *rest = pending
            missing = len(columns) - len(cells)
            values = dict(zip(columns[missing:], cells, strict=False))
            row = _row(first.text, values, first.number)
            row["notes"] = [r.text for r in rest]
            table.used.update(r.number for r in pending)
        pending = []
        table.rows.append(row)
        table.used.add(line.number)
        i += 1
    leftover = _more_passwords(table, pending)
    return i - leftover


def _more_passwords(table: Table, pending: list[Row]) -> int:
    """Lines below a row, one word each: more values of its last cell (passwords)."""
    if not pending or not table.rows:
        return len(pending)
    if not all(_is_token(r.text) for r in pending):
        return len(pending)
    passwords = table.rows[-1]["passwords"]
    assert isinstance(passwords, list)
    passwords += [r.text.strip() for r in pending if r.text.strip() != MASK]
    table.used.update(r.number for r in pending)
    pending.clear()
    return 0


def _line_rows(lines: list[Row], start: int, columns: list[str], table: Table) -> int:
    i = start
    width = len(columns)
    while i + width <= len(lines):
        chunk = lines[i : i + width]
        if any(_is_stop(r.text) or "\t" in r.text for r in chunk):
            break
        if any(_header_at(lines, k) is not None for k in range(i, i + width)):
            break
        values = dict(zip(columns, (r.text for r in chunk), strict=True))
        model = values.pop("model", "")
        table.rows.append(_row(model, values, chunk[0].number))
        table.used.update(r.number for r in chunk)
        i += width
    return i


# --------------------------------------------------------------------------- sentences

_LOGIN_IN = re.compile(r"(?:login|usu[aá]rio|user)\s*:?\s*(\S+)", re.IGNORECASE)
_PASSWORD_IN = re.compile(r"senha\s*:?\s*(\S+)", re.IGNORECASE)
_PORT_IN = re.compile(r"porta\s*:?\s*(\d{2,5})", re.IGNORECASE)
_SUBJECT_END = re.compile(r"\s+(?:na|no|com|pela|pelo|em)\s+|:", re.IGNORECASE)


def sentence_rows(text: str, number: int) -> list[dict[str, object]]:
    """Rows written in one line, or ``[]`` when the line is not such a credential line."""
    rows = _slash_rows(text, number)
    if rows:
        return rows
    login, password = _LOGIN_IN.search(text), _PASSWORD_IN.search(text)
    if not (login and password) or password.start() < login.start():
        return []
    subject = _SUBJECT_END.split(text, maxsplit=1)[0].strip()
    subject_words = set(normalize(subject).split())
    if not subject or len(subject_words) > 3 or subject_words & (LOGIN_WORDS | PASSWORD_WORDS):
        return []
    if login[1].startswith("/") or password[1].endswith(":"):
        return []
    port = _PORT_IN.search(text)
    values = {"login": login[1], "password": password[1].rstrip(".,;")}
    if port:
        values["port"] = port[1]
    return [_row(subject, values, number)]


_PORT_SUFFIX = re.compile(r"\s*[(\-–,]?\s*porta\s*:?\s*(\d{2,5})\s*\)?\s*$", re.IGNORECASE)


def _slash_rows(text: str, number: int) -> list[dict[str, object]]:
    """ "Label: login / senha / porta; outro (modelo): senha / porta", "Modelo: login / senha
    (porta 8080)"."""
    rows: list[dict[str, object]] = []
    for segment in re.split(r"\s*;\s*", text.strip().rstrip(".")):
        label, sep, rest = segment.partition(":")
        if not sep or "/" not in rest:
            return []
        said_port = _PORT_SUFFIX.search(rest)
        if said_port:  # "admin / senha (porta 8080)"
            rest = rest[: said_port.start()]
        values = [v.strip() for v in rest.split("/")]
        if not 2 <= len(values) <= 3 or any(not v or _words(v) > 3 for v in values):
            return []
        if said_port and len(values) == 2 and all(_is_token(v) for v in values):
            values.append(said_port[1])
        if not _PORT_VALUE.match(values[-1]):
            return []
        model, kind = label.strip(), ""
        inner = re.search(r"\(([^)]+)\)", model)
        if inner:
            kind = model[: inner.start()].strip()
            model = inner[1].strip()
        if len(values) == 3:
            named = {"login": values[0], "password": values[1], "port": values[2]}
        else:
            named = {"password": values[0], "port": values[1]}
        row = _row(model, named, number)
        if kind:
            row["kind"] = kind
        rows.append(row)
    return rows


def port_for(rows: list[dict[str, object]], answer: str) -> tuple[str | None, list[str]]:
    """The porta answer: a bare number is every row's port (``default_port``); "TPLINK: 8080"
    sets the port of the rows of that brand. Returns (default_port, brands matched)."""
    text = answer.strip()
    if _PORT_VALUE.match(text):
        return text, []
    matched: list[str] = []
    for brand, port in re.findall(r"([A-Za-z][\w -]{1,30}?)\s*:\s*(\d{2,5})\b", text):
        key = compact(brand)
        for row in rows:
            if key and key in compact(str(row["model"])) and not row.get("port"):
                row["port"] = port
                row.setdefault("notes", [])
                matched.append(brand.strip())
    return None, matched
