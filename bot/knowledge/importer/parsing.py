"""A procedures document -> its parts: title, UPCALL's hours, systems line, intro, passages.

A passage is what answers one question: a question line ("...?", or a line followed by "R:"), a
heading that names a catalogue topic ("SETORES PARA TRANSFERÊNCIA:", "FINANCEIRO E COMERCIAL"),
or a labelled line whose label names another topic than the passage it sits in ("Site para
medir velocidade: Speedtest"); the lines below it until the next one. Suggested messages
("Mensagem sugestiva:", "Exemplo de mensagem:") are kept apart as templates. After "Informações
da empresa" every label opens a block (TELEFONE, ENDEREÇO, CENTRAL DO ASSINANTE...).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from bot.knowledge.fidelity import has_answer_mark, without_answer_mark
from bot.knowledge.importer.identity import ADDRESS_WORDS
from bot.knowledge.importer.placement import FIELD_WORDS, Placer
from bot.knowledge.importer.schedules import DAY_WORDS, gmt_offset, read_phrase
from bot.knowledge.importer.tables import (
    HEADER_WORDS,
    Row,
    column_of,
    find_tables,
    sentence_rows,
)
from bot.reading.text import STOPWORDS, fold, normalize

UPCALL_HOURS = re.compile(
    r"hor[aá]rios?\b.*\bupcall\b|\bupcall\b.*\bhor[aá]rios?\b|"
    r"(atendimento|cobertura)\s+(d[aeo]\s+|pela\s+)?upcall\b",
    re.IGNORECASE,
)
"""UPCALL's hours heading: "Horário de atendimento da UPCALL (GMT -3)", "HORÁRIO UPCALL:",
"Atendimento UPCALL", "Cobertura da UpCall"."""
COMPANY_INFO = re.compile(r"^informa[cç][oõ]es da empresa\b", re.IGNORECASE)
TEMPLATE_MARK = re.compile(
    r"^(mensage[mn]s? (sugestiv[ao]s?|sugerid[ao]s?|padr[aã]o|pronta|modelo)|"
    r"(exemplo|modelo|sugest[aã]o) de (mensagem|texto|resposta)|"
    r"texto (sugerido|padr[aã]o|pronto)|script)\b",
    re.IGNORECASE,
)
SYSTEM_LINE = re.compile(r"\b(upsoft|chat e liga[cç][aã]o|liga[cç][aã]o e chat)\b", re.IGNORECASE)
ACCESS_FIELD = re.compile(r"^(url|link|endere[cç]o|site)\s*:", re.IGNORECASE)
BRANCH_WORDS = frozenset({"filial", "filiais", "matriz", "unidade", "sede"})
LIST_VALUE_WORDS = 3
"""An item of a heading's list names a short value ("Cancelamento: Retenção")."""
HEADING_WORDS = 6
"""A heading or label is at most this many words."""
STRONG = 0.8
"""Keyword evidence from which a label opens its own passage (one keyword, maybe inflected)."""
STRONG_IN_QUESTION = 2.0
"""A bare heading ("FIBRA:", "Sertânia - PE FILIAL") inside a question's answer is part of the
answer unless it names a topic by more than one word."""


@dataclass(frozen=True)
class Line:
    number: int
    raw: str

    @property
    def text(self) -> str:
        return self.raw.strip()

    @property
    def answer(self) -> str:
        """The line without an "R:" ("Resp:", "Resposta:") prefix."""
        return without_answer_mark(self.text)


@dataclass
class Template:
    title: str
    mark: Line
    lines: list[Line] = field(default_factory=list)


@dataclass
class Passage:
    head: Line | None
    """The question or heading; ``None`` for text before any."""
    kind: str
    """"question", "heading", "label" (a labelled line), "info" (company information)."""
    lines: list[Line] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)
    topic: str | None = None
    info: bool = False

    @property
    def all_lines(self) -> list[Line]:
        out = [self.head] if self.head else []
        out += self.lines
        for template in self.templates:
            out += [template.mark, *template.lines]
        return out


@dataclass
class Parsed:
    title: Line | None
    hours_head: Line | None
    hours: list[Line]
    systems: list[Line]
    intro: list[Line]
    passages: list[Passage]


def document_lines(text: str) -> list[Line]:
    """Non-blank lines with their numbers in the document (1-based)."""
    return [
        Line(number, raw) for number, raw in enumerate(text.splitlines(), start=1) if raw.strip()
    ]


def is_question(lines: list[Line], i: int) -> bool:
    text = lines[i].text
    if has_answer_mark(text):
        return False
    if text.endswith("?"):
        return True
    following = lines[i + 1].text if i + 1 < len(lines) else ""
    return has_answer_mark(following) and len(normalize(text).split()) <= 12


def _answered(lines: list[Line], i: int) -> bool:
    """Is the line after this one an "R:" answer?"""
    return i + 1 < len(lines) and has_answer_mark(lines[i + 1].text)


def _letters_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def label_of(line: Line) -> str | None:
    """The label of a heading or labelled line: "Tratativa para reset:", "DNS padrão: ...",
    "TELEFONE\t(11) ...", "FINANCEIRO E COMERCIAL"; ``None`` for a sentence."""
    text = line.answer
    if "\t" in line.raw:
        first = line.raw.split("\t")[0].strip()
        return first or None
    head, sep, _rest = text.partition(":")
    if sep and len(normalize(head).split()) <= HEADING_WORDS and not re.search(r"https?$", head):
        return head
    if _letters_upper(text) and len(normalize(text).split()) <= HEADING_WORDS:
        return text
    if len(normalize(text).split()) <= 4 and not text.endswith((".", ",")):
        return text
    return None


def is_table_header(line: Line) -> bool:
    """A credential table's header row ("ONU/Roteador<TAB>Usuário padrão<TAB>Senha") or one of
    its cells alone ("Equipamento", "SENHA")."""
    cells = [c for c in line.raw.split("\t") if c.strip()]
    if len(cells) == 1:
        return normalize(cells[0]) in HEADER_WORDS
    return bool(cells) and all(column_of(c) is not None for c in cells)


def _is_hours_line(text: str) -> bool:
    phrase = read_phrase(text)
    folded = fold(text)
    return bool(
        phrase.days
        or phrase.times
        or phrase.always
        or phrase.complement
        or phrase.whole_day
        or gmt_offset(text) is not None
        or "fuso" in folded
        or "ressalva" in folded
        or "feriado" in folded
        or "transbordo" in folded
    )


def _has_title(lines: list[Line]) -> bool:
    """The first line names the ISP unless it is already a question or UPCALL's hours."""
    return bool(lines) and not is_question(lines, 0) and not UPCALL_HOURS.search(lines[0].text)


def title_of(text: str) -> str | None:
    """The ISP's name as the document's first line gives it, if it does."""
    lines = document_lines(text)
    return lines[0].text if _has_title(lines) else None


def parse(text: str, placer: Placer) -> Parsed:
    lines = document_lines(text)
    title = lines[0] if _has_title(lines) else None
    start = 1 if title is not None else 0
    first_q = next((i for i in range(start, len(lines)) if is_question(lines, i)), len(lines))
    hours_head: Line | None = None
    hours: list[Line] = []
    systems: list[Line] = []
    intro: list[Line] = []
    i = start
    while i < first_q:
        line = lines[i]
        if hours_head is None and UPCALL_HOURS.search(line.text):
            hours_head = line
            i += 1
            while i < first_q and _is_hours_line(lines[i].text) and not _is_system(lines[i]):
                hours.append(lines[i])
                i += 1
            continue
        if _is_system(line):
            systems.append(line)
        else:
            intro.append(line)
        i += 1
    table_lines = {
        n for table in find_tables([Row(ln.number, ln.raw) for ln in lines]) for n in table.used
    }
    names = system_names(systems)
    passages = _passages(lines[first_q:], placer, table_lines, names)
    return Parsed(title, hours_head, hours, systems, intro, passages)


def _is_system(line: Line) -> bool:
    text = line.text
    if SYSTEM_LINE.search(text):
        return True
    if not _letters_upper(text):
        return False
    return ("\t" in line.raw and len(normalize(text).split()) <= 4) or "setores" in fold(text)


def _template_ends(template: Template, quoted: bool, lines: list[Line], i: int) -> bool:
    """A suggested message ends before a question; an unquoted one also before a heading in
    capitals ("WATCH / PARAMOUNT+"). Its first line is the message even when it ends in "?"
    ("... confirmar um número de telefone?"), unless an "R:" answer follows it."""
    line = lines[i]
    if not template.lines and line.text.endswith("?") and not _answered(lines, i):
        return False
    if is_question(lines, i):
        return True
    return not quoted and _letters_upper(line.text) and "\t" not in line.raw


def _closes(template: Template, text: str) -> bool:
    """Does this line close a quoted message ("...sem pontuação)" at its end)?"""
    ends = text.rstrip().endswith(('"', "”"))
    return ends and (len(template.lines) > 1 or text.count('"') + text.count("”") >= 2)


def system_names(lines: list[Line]) -> frozenset[str]:
    """The systems the header lines name ("HUBSOFT<TAB>OPA<TAB>SETORES"), folded."""
    words = {fold(w) for line in lines for w in re.split(r"[\s/,]+", line.text)}
    return frozenset(w for w in words if len(w) >= 3 and w.isalpha()) - {
        "setores",
        "chat",
        "ligacao",
    }


def _passages(
    lines: list[Line], placer: Placer, table_lines: set[int], systems: frozenset[str] = frozenset()
) -> list[Passage]:
    passages: list[Passage] = []
    current: Passage | None = None
    info = False
    template: Template | None = None
    quoted = False
    for i, line in enumerate(lines):
        text = line.text
        if template is not None:
            if not _template_ends(template, quoted, lines, i):
                template.lines.append(line)
                if quoted and _closes(template, text):
                    template = None
                continue
            template = None
        if TEMPLATE_MARK.match(line.answer) and current is not None:
            title = line.answer.rstrip(":. ").strip()
            template = Template(title, line)
            current.templates.append(template)
            following = lines[i + 1].text if i + 1 < len(lines) else ""
            quoted = following.startswith(('"', "“"))
            if line.answer.rstrip().endswith(".") or fold(following).startswith("obs"):
                template = None  # "Mensagem sugestiva." with no text under it
            continue
        if COMPANY_INFO.match(text):
            info = True
            current = Passage(line, "heading", info=True, topic="contato")
            passages.append(current)
            continue
        if is_question(lines, i):
            current = Passage(line, "question", info=info)
            placed = placer.place(line.text, "")
            if not placed.by_answer:
                current.topic = placed.topic
                if info and current.topic is not None:
                    current.topic = INFO_TOPICS.get(current.topic, current.topic)
            passages.append(current)
            continue
        opened = None
        if line.number not in table_lines:
            opened = _system_link(line, systems, info) or _opens(lines, i, current, placer, info)
        if opened is not None:
            current = opened
            passages.append(current)
            continue
        if current is None:
            current = Passage(None, "text", info=info)
            passages.append(current)
        current.lines.append(line)
    return passages


CREDENTIAL_TOPICS = frozenset({"senha", "porta", "equipamentos"})
"""Topics whose answers may hold credential rows (tables or sentences)."""

INFO_TOPICS = {"horario": "contato", "mudanca": "contato", "plantao": "contato"}
"""In the company information the hours are the ISP's and "ENDEREÇO" is its address."""


def _opens(
    lines: list[Line], i: int, current: Passage | None, placer: Placer, info: bool
) -> Passage | None:
    """A new passage when this line is a heading or label naming another topic."""
    line = lines[i]
    label = label_of(line)
    if label is None or is_table_header(line) or _is_day_label(label):
        return None
    if current is not None and current.topic in CREDENTIAL_TOPICS and sentence_rows(line.answer, 0):
        return None  # "ONU Huawei: telecomadmin / senha (porta 80)": a row, like a table's
    words = [w for w in normalize(label).split() if w not in STOPWORDS]
    following = lines[i + 1].text if i + 1 < len(lines) else ""
    bare = not line.answer.partition(":")[2].strip() and "\t" not in line.raw
    title = bare and _letters_upper(label) and len(words) > 1  # "SENHAS DOS EQUIPAMENTOS"
    if not words or (words[0] in FIELD_WORDS and len(set(words) - FIELD_WORDS) <= 1 and not title):
        return None  # "Senha: CPF", "Login/Senha Leveduca: ...": a field of the block above
    if current is not None and current.kind == "heading" and not info and "\t" in line.raw:
        return None  # a table under "SETORES PARA TRANSFERÊNCIA:" belongs to the heading
    if current is not None and not info and _list_under_heading(current, line):
        return None  # "Cancelamento: Retenção" right under "SETORES PARA TRANSFERÊNCIA:"
    if current is not None and current.kind == "question" and _field_run(current, line):
        return None  # "IPv6: 2804::53" after "DNS secundário: 45.0.0.3": one list of values
    if current is not None and current.kind == "question" and _label_run(lines, i, current):
        return None  # "Rádio: Ubiquiti M5" right under "Roteadores: TP-Link C6": one list
    if current is not None and not info and not bare and _item_like(current, line):
        return None  # "RÁDIO: 15 MEGA – R$ 79,90" under "300 MEGA - R$ 89,90": one list
    if not info and i > 0 and _same_table(lines[i - 1], line):
        return None  # a row of the table above ("Retenção<TAB>Das 09h às 17h<TAB>Não abre")
    if current is not None and current.kind == "question" and set(words) & BRANCH_WORDS:
        return None  # "Cruzeiro do Sul - FILIAL: Centro, ...": a place in the answer
    if bare and ACCESS_FIELD.match(following):
        topic: str | None = "sistemas"  # "ANLIX" over "URL: ... / Login: ... / Senha: ..."
    else:
        scores = placer.label(label)
        topic = max(scores, key=lambda t: scores[t]) if scores else None
        if topic is None:
            return None
        strength = scores[topic]
        if current is not None and scores.get(current.topic or "", 0.0) >= strength:
            return None
        if current is not None and current.kind == "question":
            heading = _sentence_heading(lines, i, bool(current.lines))
            needed = STRONG if heading else STRONG_IN_QUESTION if bare else 1.0
        elif info and (current is None or current.topic != "contato"):
            needed = STRONG
        else:
            needed = 1.0
        if strength < needed:
            return None
    value = labelled(line.answer)[1] or line.raw.partition("\t")[2]
    if topic == "mudanca" and ADDRESS_WORDS.search(value):
        topic = "contato"  # "Endereço: Av. Brasil, 1500 - Centro": the ISP's address
    if info and topic is not None:
        topic = INFO_TOPICS.get(topic, topic)
    elif topic == "horario":
        return None  # after UPCALL's block, hours are the ISP's own (a sector's)
    if current is not None and current.topic == topic:
        return None
    if current is not None and current.topic is None and current.kind == "question":
        return None  # placed by its answer later; its labelled lines stay with it
    heading = _letters_upper(label) or line.text.endswith(":")
    kind = "heading" if heading and "\t" not in line.raw else "label"
    passage = Passage(line, kind, info=info, topic=topic)
    if kind == "heading" and line.answer.partition(":")[2].strip():
        passage.head = None  # "SETORES PARA TRANSFERÊNCIA: (horário local)": a line too
        passage.lines.append(line)
    if kind == "label" and not line.text.endswith(":"):
        passage.head = None
        passage.lines.append(line)
    return passage


def _sentence_heading(lines: list[Line], i: int, answered: bool) -> bool:
    """ "Tratativa para reset:" (or "TRATATIVA PARA RESET") after a blank line: a heading of
    several words starts a paragraph about what it names, even inside a question's answer (one
    keyword is enough, maybe inflected); so does a single word ("TRANSFERÊNCIAS") once the
    answer has lines. A single word opening the answer ("FIBRA:" under "Quais os planos?") is
    an item of its list."""
    line = lines[i]
    text = line.text
    after_blank = i > 0 and lines[i - 1].number < line.number - 1
    words = [w for w in normalize(text).split() if w not in STOPWORDS]
    shaped = text.endswith(":") or _letters_upper(text)
    return after_blank and shaped and (len(words) >= 2 or (answered and len(words) == 1))


def _system_link(line: Line, systems: frozenset[str], info: bool) -> Passage | None:
    """ "HUBSOFT<TAB>https://..." where HUBSOFT is a system the header names: its address
    answers "qual o sistema?", wherever it is written."""
    label = label_of(line)
    value = line.raw.split("\t", 1)[1] if "\t" in line.raw else line.answer.partition(":")[2]
    if label is None or fold(label.strip()) not in systems:
        return None
    if not re.search(r"https?://|www\.", value):
        return None
    return Passage(None, "label", lines=[line], topic="sistemas", info=info)


def _one_value(line: Line) -> str | None:
    """The value of "Label: value" when it is one token (an address, a number), else None."""
    head, sep, value = line.answer.partition(":")
    value = value.strip()
    if not sep or not head.strip() or not value or len(value.split()) != 1:
        return None
    return value


def _field_run(current: Passage, line: Line) -> bool:
    """Is this "Label: value" the next of the answer's run of one-value fields?"""
    if not current.lines or _one_value(line) is None:
        return False
    return _one_value(current.lines[-1]) is not None


def _label_run(lines: list[Line], i: int, current: Passage) -> bool:
    """Is this "Label: value" written right under (no blank line) a "Label: value" line the
    passage kept? A run of labelled lines is one list ("ONU: …" / "Roteadores: …" / "Rádio: …";
    "Residencial: até 36 horas" / "Corporativo (planos Empresa): até 8 horas"), whatever topic a
    later label's word names."""
    if not current.lines or i == 0 or current.lines[-1] is not lines[i - 1]:
        return False
    previous = lines[i - 1]
    if previous.number != lines[i].number - 1:
        return False
    if not all(labelled(ln.answer)[1] and ":" in ln.answer for ln in (previous, lines[i])):
        return False
    if any(set(_label_words(ln)) <= FIELD_WORDS for ln in (previous, lines[i])):
        return False  # "Login: e-mail / Senha: …" is a field of the block, not an item of a list
    return len(_label_words(previous)) <= 2 and len(_label_words(lines[i])) <= 2


def _label_words(line: Line) -> list[str]:
    """The words of a line's label, without stopwords and without a parenthesis."""
    label = re.sub(r"\([^)]*\)", " ", line.answer.partition(":")[0])
    return [w for w in normalize(label).split() if w not in STOPWORDS]


def _shape(text: str) -> tuple[str, ...]:
    """The first two words of a text, numbers written as 0: "300 MEGA - R$ 89,90" -> (0, mega)."""
    words = re.sub(r"\d+(?:[.,]\d+)*", "0", normalize(text)).split()
    return tuple(words[:2])


def _item_like(current: Passage, line: Line) -> bool:
    """Is the value of this "Label: value" shaped like a line of the answer above ("RÁDIO: 15
    MEGA – R$ 79,90" after "300 MEGA - R$ 89,90"): another item of the same list?"""
    value = labelled(line.answer)[1]
    shape = _shape(value)
    if len(shape) < 2 or "0" not in shape:
        return False
    return any(shape in (_shape(ln.answer), _shape(labelled(ln.answer)[1])) for ln in current.lines)


def _list_under_heading(current: Passage, line: Line) -> bool:
    """Is this line an item of the list a heading ending in ":" opens (no blank line between)?"""
    head = current.head
    if current.kind != "heading" or head is None:
        return False
    if not (head.text.endswith(":") or _letters_upper(head.text)):
        return False
    value = labelled(line.answer)[1]
    short = len(value.split()) <= LIST_VALUE_WORDS and not value.endswith((".", "!", "?"))
    if current.topic == "setores" and len(_label_words(line)) <= 2:
        short = not value.endswith((".", "!", "?"))  # "Vendas: contratação, upgrade, IP fixo"
    if not value or not (short or is_schedule(value)):
        return False  # "Bloqueio: 4º dia de atraso.": a label naming its own topic
    numbers = [head.number, *(ln.number for ln in current.lines), line.number]
    return all(b == a + 1 for a, b in itertools.pairwise(numbers))


_DASH = re.compile(r"\s+[-–—]\s+")


def labelled(text: str) -> tuple[str, str]:
    """ "Financeiro: Seg a Sex das 08h às 18h" or "Financeiro – Seg a Sex ...": (label, value);
    ("", "") when the line has neither separator."""
    head, sep, value = text.partition(":")
    if sep and head.strip():
        return head.strip(), value.strip()
    parts = _DASH.split(text, maxsplit=1)
    if len(parts) == 2 and parts[0].strip():
        return parts[0].strip(), parts[1].strip()
    return "", ""


def is_schedule(text: str) -> bool:
    """Days and hours and nothing else ("Segunda à Sexta das 08h às 18h | Sábado das 08h às
    12h"): the value of a sector's line in a list of sectors."""
    phrase = read_phrase(text)
    if not (phrase.days and phrase.times) or text.rstrip().endswith((".", "!", "?")):
        return False
    rest = re.sub(r"\d{1,2}(?:[:h]\d{2}|h)?", " ", fold(text))
    words = [w for w in re.split(r"[^a-z]+", rest) if w]
    return all(w in DAY_WORDS or w in SCHEDULE_WORDS for w in words)


SCHEDULE_WORDS = frozenset(
    "a as ao de da das do dos e ate partir feira h hs min horas feriado feriados exceto".split()  # noqa: SIM905
)
"""The words a schedule phrase is made of besides days and hours."""


def _same_table(previous: Line, line: Line) -> bool:
    """Two adjacent lines with the same number (two or more) of tab-separated cells."""
    if previous.number != line.number - 1:
        return False
    count = len([c for c in line.raw.split("\t") if c.strip()])
    return count >= 2 and count == len([c for c in previous.raw.split("\t") if c.strip()])


def _is_day_label(label: str) -> bool:
    """ "Sábados", "Segunda a Sexta": a line of a schedule, not a topic."""
    words = normalize(label).split()
    return bool(words) and all(w in DAY_WORDS or w in {"a", "e", "de", "ate", "as"} for w in words)
