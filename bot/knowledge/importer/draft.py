"""Build the draft provider (a plain dict, YAML-ready) from a parsed document."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bot.knowledge.importer import identity
from bot.knowledge.importer.parsing import (
    Line,
    Parsed,
    Passage,
    Template,
    is_schedule,
    is_table_header,
    label_of,
    labelled,
)
from bot.knowledge.importer.placement import Placer
from bot.knowledge.importer.schedules import (
    HOLIDAY_CONFIRM,
    coverage_windows,
    gmt_offset,
    read_phrase,
    sector_windows,
    times_in,
)
from bot.knowledge.importer.tables import Row as TableRow
from bot.knowledge.importer.tables import find_tables, port_for, sentence_rows
from bot.knowledge.schema import HOLIDAY
from bot.reading.text import compact, fold, normalize

FALLBACK_TOPIC = "orientacoes"
"""Where a passage nothing points to goes (and is listed for review): never dropped."""
_SECRET_VALUE = re.compile(r"\bsenha\s*:\s*(\S+)\s*$", re.IGNORECASE)
_HOURS_LABEL = re.compile(r"^hor[aá]rios?\b", re.IGNORECASE)


@dataclass
class Placed:
    topic: str
    lines: list[int]
    head: str
    uncertain: str | None = None


@dataclass
class Draft:
    data: dict[str, object]
    placed: list[Placed] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    unplaced: list[Placed] = field(default_factory=list)
    equipment_lines: set[int] = field(default_factory=set)
    secret_topics: list[str] = field(default_factory=list)
    section_titles: set[int] = field(default_factory=set)
    """Lines of headings that only title the questions below them ("FINANCEIRO E COMERCIAL")."""


def _numbered(line: Line) -> str:
    return f'linha {line.number}: "{line.text}"'


def build(
    parsed: Parsed,
    placer: Placer,
    *,
    provider_id: str,
    name: str,
    seed: str,
    today: dt.date,
    taken_names: set[str],
) -> Draft:
    draft = Draft(data={})
    notes: list[str] = []
    aliases, lookalikes = _names(parsed, name, taken_names, draft, notes)
    uf, zone, coverage_zone = _where(parsed, notes)
    systems, channels = _systems(parsed)
    equipment, default_port = _equipment(parsed, draft)
    topics = _topics(parsed, placer, draft, equipment, notes)
    coverage = _coverage(parsed, uf, coverage_zone, draft, zone)
    sectors = _sectors(parsed.passages)
    data: dict[str, object] = {"id": provider_id, "name": name, "aliases": aliases}
    if lookalikes:
        data["lookalikes"] = lookalikes
    data.update(
        {
            "timezone": zone,
            "state": uf,
            "systems": systems,
            "channels": channels,
            "reviewed": today,
            "seed": seed,
            "notes": notes,
            "topics": topics,
        }
    )
    optional = {
        "default_port": default_port,
        "equipment": equipment,
        "coverage": coverage,
        "sectors": sectors,
    }
    data.update({key: value for key, value in optional.items() if value})
    draft.data = data
    return draft


def _names(
    parsed: Parsed, name: str, taken: set[str], draft: Draft, notes: list[str]
) -> tuple[list[str], list[dict[str, str]]]:
    """Aliases (name variants, former names) and lookalikes (callers by mistake)."""
    variants = [v for v in identity.name_variants(name) if normalize(v) not in taken]
    aliases = list(variants)
    lookalikes: list[dict[str, str]] = []
    first = parsed.passages[0].lines if parsed.passages else []
    for line in [*parsed.intro, *first]:
        for found in identity.former_names(line.text):
            for former in [found, *identity.name_variants(found)]:
                if normalize(former) in taken:
                    notes.append(
                        f"Nome antigo {former!r} já é de outro provedor: {_numbered(line)}"
                    )
                elif all(normalize(former) != normalize(a) for a in [name, *aliases]):
                    aliases.append(former)
        for other in identity.wrong_companies(line.text):
            if normalize(other) in identity.COMMON_WORDS:
                notes.append(
                    f"{other!r} (quem liga por engano) não entrou em lookalikes: também é palavra "
                    f"comum e seria lida em qualquer conversa; {_numbered(line)}"
                )
                draft.uncertain.append(f"lookalike {other!r} deixado de fora (palavra comum)")
            elif all(normalize(other) != normalize(a) for a in aliases):
                lookalikes.append({"name": other, "note": line.text})
    for alias in list(aliases):
        if identity.generic_name(alias, taken):
            aliases.remove(alias)
            notes.append(
                f"{alias!r} não entrou em aliases: palavra genérica ou de nome de outro provedor "
                "(a pergunta com ela não diria de qual provedor se trata)."
            )
    lookalikes = [x for x in lookalikes if not identity.generic_name(x["name"])]
    if len(aliases) > len(variants) or lookalikes:
        notes.append(
            "Nomes antigos em aliases e empresas de quem liga por engano em lookalikes, lidos "
            "da frase do documento: confira."
        )
    return aliases, lookalikes


def _where(parsed: Parsed, notes: list[str]) -> tuple[str, str, str]:
    """(UF, the ISP's zone, the zone UPCALL's hours are written in)."""
    info_lines = [ln.text for p in parsed.passages if p.info for ln in p.all_lines]
    every_line = [*parsed.hours, *parsed.systems, *parsed.intro]
    every_line += [line for p in parsed.passages for line in p.all_lines]
    found, uf_line = identity.uf_from_address(info_lines + [ln.text for ln in every_line])
    if found is None:
        uf = "SP"
        notes.append("UF não encontrada no documento (endereço, telefone): SP provisório, corrija.")
    else:
        uf = found
        notes.append(f'UF {uf} lida de: "{uf_line}".')
    zone = identity.zone_of_uf(uf)
    for line in parsed.hours + parsed.intro:
        folded = fold(line.text)
        isp_offset = gmt_offset(line.text)
        if not ("fuso" in folded or "provedor" in folded) or isp_offset is None:
            continue
        if identity.offset_of(zone) != isp_offset:
            by_offset = identity.zone_for_offset(isp_offset)
            notes.append(
                f"Fuso do provedor GMT {isp_offset} não bate com a UF {uf} ({zone}): "
                f"adotado {by_offset}; {_numbered(line)}"
            )
            zone = by_offset or zone
        else:
            notes.append(f"Fuso do provedor {zone} (GMT {isp_offset}): {_numbered(line)}")
    upcall_offset = gmt_offset(parsed.hours_head.text) if parsed.hours_head else None
    coverage_zone = "America/Sao_Paulo"
    if upcall_offset is not None and upcall_offset != -3:
        coverage_zone = identity.zone_for_offset(upcall_offset, zone) or zone
    return uf, zone, coverage_zone


def _systems(parsed: Parsed) -> tuple[list[str], list[str]]:
    """Systems (IXC, OPA, UPSOFT...) and channels (chat, ligação) from the header lines."""
    systems: list[str] = []
    channels: list[str] = []
    for line in parsed.systems:
        folded = fold(line.text)
        if "chat" in folded:
            channels.append("chat")
        if "ligac" in folded or "telefone" in folded:
            channels.append("ligação")
        if "upsoft" in folded:
            systems.append("UPSOFT")
        elif "chat e" not in folded:
            systems += [
                w
                for w in re.split(r"[\s\t/,]+", line.text)
                if w.isupper() and len(w) >= 3 and fold(w) not in {"setores", "ok", "e"}
            ]
    return list(dict.fromkeys(systems)), list(dict.fromkeys(channels))


def _equipment(parsed: Parsed, draft: Draft) -> tuple[list[dict[str, object]], str | None]:
    """Credential rows (tables and sentences) and the default port; marks the lines used."""
    body = [line for p in parsed.passages for line in p.all_lines]
    tables = find_tables([TableRow(line.number, line.raw) for line in body])
    rows: list[dict[str, object]] = [row for table in tables for row in table.rows]
    used: set[int] = {n for table in tables for n in table.used}
    for passage in parsed.passages:
        if passage.topic not in {"senha", "porta", "equipamentos"}:
            continue
        for line in passage.lines:
            found = [] if line.number in used else sentence_rows(line.answer, line.number)
            if found:
                rows += found
                used.add(line.number)
    default_port = None
    for passage in parsed.passages:
        if passage.topic != "porta":
            continue
        for line in passage.lines:
            port, brands = port_for(rows, line.answer)
            if port and default_port is None:
                default_port = port
            for brand in brands:
                for row in rows:
                    if compact(brand) in compact(str(row["model"])):
                        row["notes"] = [  # type: ignore[misc]
                            *row["notes"],
                            f"Porta tirada da resposta sobre porta de acesso ({line.answer}).",
                        ]
    for passage in parsed.passages:
        if passage.topic in {"senha", "porta"}:
            for line in passage.lines:
                if line.number not in used:
                    _brand_notes(rows, line.answer)
    draft.equipment_lines = used
    return _unique_rows(rows), default_port


KIND_WORDS = frozenset("onu ont roteador roteadores router modem radio equipamento".split())  # noqa: SIM905
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _brands(model: str) -> set[str]:
    """The words naming a row's maker or line ("ONU Huawei EG8145V5" -> huawei; "Roteador
    TP-Link Archer C6" -> tplink, archer): letters only, three or more, no kind word, nothing in
    brackets."""
    words = re.sub(r"\([^)]*\)", " ", model).split()
    return {
        key
        for word in words
        if (key := compact(word)).isalpha() and len(key) >= 3 and key not in KIND_WORDS
    }


def _brand_notes(rows: list[dict[str, object]], answer: str) -> None:
    """A sentence of the /senha or /porta answer about one maker's rows ("Huawei precisa
    liberar o acesso web antes.") is a note of those rows too: `/senha <isp> huawei` shows the
    row, and the row alone would not say it. A sentence naming several makers, or all rows, is
    about the table and stays only in the topic."""
    for sentence in _SENTENCE_END.split(answer.strip()):
        said = {compact(word) for word in sentence.split()}
        matched = [row for row in rows if _brands(str(row["model"])) & said]
        makers = {min(_brands(str(row["model"])) & said) for row in matched}
        if len(makers) != 1 or len(matched) == len(rows):
            continue
        for row in matched:
            notes = row.setdefault("notes", [])
            assert isinstance(notes, list)
            if sentence not in notes:
                notes.append(sentence)


@dataclass
class _Chunk:
    """One passage's lines under a topic; its question is shown when the topic has several."""

    question: str | None
    lines: list[str]


def _topics(
    parsed: Parsed,
    placer: Placer,
    draft: Draft,
    equipment: list[dict[str, object]],
    notes: list[str],
) -> dict[str, dict[str, object]]:
    chunks: dict[str, list[_Chunk]] = {}
    asides: list[tuple[Passage, list[Line]]] = []
    entry_notes: dict[str, list[str]] = {}
    templates: dict[str, list[dict[str, str]]] = {}
    fixed = [
        ("horario", [parsed.hours_head, *parsed.hours] if parsed.hours_head else []),
        ("sistemas", parsed.systems),
        (FALLBACK_TOPIC, parsed.intro),
    ]
    for topic, lines in fixed:
        if lines:
            chunks.setdefault(topic, []).append(_Chunk(None, [_cells(ln) for ln in lines]))
            draft.placed.append(Placed(topic, [ln.number for ln in lines], lines[0].text))
    for index, passage in enumerate(parsed.passages):
        if _section_title(parsed.passages, index):
            assert passage.head is not None
            draft.section_titles.add(passage.head.number)
            continue
        kept = [ln for ln in passage.lines if ln.number not in draft.equipment_lines]
        if len(kept) < len(passage.lines):
            _credentials_answer(passage, placer)
        numbers = [ln.number for ln in passage.all_lines if ln.number not in draft.equipment_lines]
        uncertain = _place(passage, placer, kept)
        if not numbers or passage.topic is None:
            continue
        topic, head = passage.topic, passage.head
        shown = head.text if head else kept[0].text if kept else ""
        placed = Placed(topic, numbers, shown, uncertain)
        draft.placed.append(placed)
        if uncertain is not None and head is not None:
            entry_notes.setdefault(topic, []).append(
                f"Importação automática, leitura incerta ({uncertain}): {_numbered(head)}"
            )
            draft.uncertain.append(f"{_numbered(head)} -> {uncertain}")
        if topic == FALLBACK_TOPIC and uncertain is not None:
            draft.unplaced.append(placed)
        question = head.text if head is not None and head.text.endswith("?") else None
        shown_lines = [head.answer] if head is not None and question is None else []
        shown_lines += [_cells(ln) for ln in kept if ln.answer]
        chunks.setdefault(topic, []).append(_Chunk(question, shown_lines))
        if passage.kind == "question":
            asides.append((passage, kept))
        for template in passage.templates:
            done = _template(template)
            if done is None:
                entry_notes.setdefault(topic, []).append(
                    f"O documento traz o título sem o texto da mensagem: {_numbered(template.mark)}"
                )
            else:
                templates.setdefault(topic, []).append(done)
    for passage, kept in asides:
        for topic, paragraph in _asides(passage, kept, placer, set(chunks)):
            paragraph = _whole_paragraph(paragraph, parsed.passages)
            chunks.setdefault(topic, []).append(_Chunk(None, [_cells(ln) for ln in paragraph]))
            why = (
                "regra geral depois da mensagem sugerida, sem tópico próprio"
                if topic == FALLBACK_TOPIC
                else "o documento não responde este tópico em outro lugar"
            )
            entry_notes.setdefault(topic, []).append(
                "Importação automática: parágrafo da resposta sobre "
                f"{passage.topic} copiado aqui ({why}): {_numbered(paragraph[0])}"
            )
            draft.uncertain.append(f"{_numbered(paragraph[0])} -> copiado também em {topic}")
    topics = {
        topic: entry
        for topic, parts in chunks.items()
        if (entry := _entry(topic, parts, templates, entry_notes, draft)) is not None
    }
    if "porta" not in topics and any(row.get("port") for row in equipment):
        topics["porta"] = _ports_from_table(equipment)
    for topic, extra in entry_notes.items():
        if topic not in topics and extra:
            notes += extra
    return topics


ASIDE_WORDS = 8
"""A paragraph copied to another topic is a sentence or two, not a label or a list item."""


def _asides(
    passage: Passage, kept: list[Line], placer: Placer, answered: set[str]
) -> list[tuple[str, list[Line]]]:
    """Later paragraphs of a question's answer that are about a topic the document answers
    nowhere else ("Clientes que informarem sobre a empresa X, podemos encaminhar para eles. É
    a empresa de cobrança terceirizada" after the payment-receipt answer): (that topic, the
    paragraph). The paragraph stays in its answer and is copied there, so that a question in
    that topic's words finds it. Its own words must name that topic by an exact keyword and
    none of the answer's topic."""
    paragraphs: list[list[Line]] = []
    for line in kept:
        if paragraphs and line.number == paragraphs[-1][-1].number + 1:
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    found: list[tuple[str, list[Line]]] = []
    message_end = max((t.mark.number for t in passage.templates), default=None)
    for paragraph in paragraphs[1:]:
        words = " ".join(ln.answer for ln in paragraph)
        if label_of(paragraph[0]) is not None or len(normalize(words).split()) < ASIDE_WORDS:
            continue
        ranked = [(t, k) for t, _s, k in placer.scores(words) if k > 0]
        after_message = message_end is not None and paragraph[0].number > message_end
        if not ranked and after_message and FALLBACK_TOPIC not in found_topics(found):
            # after the suggested message, a rule naming no topic ("Não usar X, e sim Y"):
            # how to talk to customers in general, so the general guidance has it too
            found.append((FALLBACK_TOPIC, paragraph))
            continue
        if not ranked or any(t == passage.topic for t, _k in ranked):
            continue
        topic, keywords = ranked[0]
        if keywords >= 1.0 and topic not in answered and topic != FALLBACK_TOPIC:
            found.append((topic, paragraph))
            answered.add(topic)
    return found


def found_topics(found: list[tuple[str, list[Line]]]) -> set[str]:
    return {topic for topic, _lines in found}


def _whole_paragraph(paragraph: list[Line], passages: list[Passage]) -> list[Line]:
    """A copied paragraph with the lines right under it (no blank line) that opened passages of
    their own by a label ("Troca de vencimento: …" / "Pagamento invertido: não inverte" under a
    topic's heading): the document's paragraph is one list of rules, and the topic it is copied
    to gets all of it. Those lines stay in their own topics too."""
    lines = list(paragraph)
    for passage in passages:
        if passage.kind != "label" or not passage.all_lines or passage.templates:
            continue
        block = passage.all_lines
        numbers = [ln.number for ln in block]
        if numbers[0] == lines[-1].number + 1 and numbers == list(
            range(numbers[0], numbers[0] + len(numbers))
        ):
            lines += block
    return lines


CREDENTIALS_TOPIC = "senha"
"""The topic whose answer shows the equipment rows (/senha)."""


def _credentials_answer(passage: Passage, placer: Placer) -> None:
    """A question that holds a credential table and asks for the login or password too ("Qual
    a porta de acesso e usuário/senha dos equipamentos?") answers /senha, which shows the
    table's rows (ports included): the lines around the table ("Equipamentos antigos podem
    estar com a senha antiga: ...") are about those rows."""
    if passage.kind != "question" or passage.head is None or passage.topic == CREDENTIALS_TOPIC:
        return
    scores = placer.label(passage.head.text)
    if scores.get(CREDENTIALS_TOPIC, 0.0) > 0:
        passage.topic = CREDENTIALS_TOPIC


def _section_title(passages: list[Passage], index: int) -> bool:
    """A heading with nothing under it but the next question: it titles a section, and the
    questions below answer their own topics ("FINANCEIRO E COMERCIAL" over "Podemos enviar
    fatura?"); as a topic of its own it would answer with its title alone."""
    passage = passages[index]
    following = passages[index + 1] if index + 1 < len(passages) else None
    return (
        passage.kind == "heading"
        and not passage.info
        and passage.head is not None
        and not passage.lines
        and not passage.templates
        and following is not None
        and following.kind == "question"
    )


def _place(passage: Passage, placer: Placer, kept: list[Line]) -> str | None:
    """Set the passage's topic if parsing left it open; why the reading is uncertain, if so."""
    if passage.topic is not None and passage.kind != "question":
        return None
    head = passage.head.text if passage.head else ""
    placement = placer.place(head, " ".join(ln.answer for ln in kept))
    uncertain: str | None = None
    if passage.topic is None:
        passage.topic = placement.topic
        if passage.topic is None:
            passage.topic = FALLBACK_TOPIC
            uncertain = "nenhum tópico do catálogo reconhecido; posto em orientações"
        if passage.info and passage.topic in {"horario", "mudanca", "plantao"}:
            passage.topic = "contato"
    if placement.topic is not None and placement.uncertain:
        why = "pela resposta" if placement.by_answer else "outro tópico próximo"
        other = f"; alternativa: {placement.runner_up}" if placement.runner_up else ""
        uncertain = f"colocado em {passage.topic} ({why}{other})"
    return uncertain


def _entry(
    topic: str,
    parts: list[_Chunk],
    templates: dict[str, list[dict[str, str]]],
    entry_notes: dict[str, list[str]],
    draft: Draft,
) -> dict[str, object] | None:
    several = len(parts) > 1
    blocks = []
    for part in parts:
        lines = [part.question, *part.lines] if several and part.question else part.lines
        if lines:
            blocks.append("\n".join(lines))
    text = "\n\n".join(blocks).strip()
    if not text and topic in templates:
        text = templates[topic][0]["title"]
    if not text:
        return None  # e.g. /senha whose answer was only the table: equipment answers it
    entry: dict[str, object] = {"text": text + "\n"}
    if templates.get(topic):
        entry["templates"] = templates[topic]
    if entry_notes.get(topic):
        entry["notes"] = entry_notes[topic]
    if any(_is_secret(line) for line in text.splitlines()):
        entry["secret"] = True
        draft.secret_topics.append(topic)
    return entry


def _ports_from_table(equipment: list[dict[str, object]]) -> dict[str, object]:
    lines = [f"{row['model']}: {row['port']}" for row in equipment if row.get("port")]
    return {
        "text": "Portas de acesso (da tabela de credenciais):\n" + "\n".join(lines) + "\n",
        "notes": [
            "Importação automática: o documento não tem texto próprio sobre porta; "
            "texto montado da coluna de porta da tabela de credenciais."
        ],
    }


LOCAL_CLOCK = re.compile(
    r"\b[Hh]or[aá]rio\s+(?:local\b|do provedor\b|d[aeo]\s+(?!Bras[ií]lia)[A-ZÁÉÍÓÚ][a-zà-ú]+)"
)
"""A schedule line that says its own clock: "(horário local)", "(horário do Acre)"."""


def _coverage(
    parsed: Parsed, uf: str, coverage_zone: str, draft: Draft, isp_zone: str | None = None
) -> dict[str, object] | None:
    reading = coverage_windows([ln.text for ln in parsed.hours])
    if not reading.windows:
        if parsed.hours_head is not None:
            draft.uncertain.append("cobertura: nenhuma janela lida do horário da UPCALL")
        return None
    holidays: dict[str, object] = {"country": "BR", "subdivision": uf}
    if reading.holiday_confirm:
        holidays["confirm"] = reading.holiday_confirm
    coverage: dict[str, object] = {
        "timezone": coverage_zone,
        "holidays": holidays,
        "holiday_rule": "add",
        "windows": reading.windows,
    }
    notes = list(reading.notes)
    notes += [f'Linha de horário não entendida: "{line}"' for line in reading.unread]
    if not any(HOLIDAY in w["days"] for w in reading.windows):  # type: ignore[operator]
        notes.append(
            "O documento não fala de feriados: um feriado segue o horário do dia da semana."
        )
    if isp_zone is not None and identity.offset_of(isp_zone) != identity.offset_of(coverage_zone):
        for line in parsed.hours:
            if LOCAL_CLOCK.search(line.text):
                note = (
                    f"A linha diz usar o horário local do provedor ({isp_zone}), mas o bloco da "
                    f"UPCALL está em {coverage_zone}: lida no horário do bloco, sem converter; "
                    f"confira: {_numbered(line)}"
                )
                notes.append(note)
                draft.uncertain.append(f"cobertura: {note}")
    if notes:
        coverage["notes"] = notes
    draft.uncertain += [f"cobertura: {n}" for n in reading.notes]
    draft.uncertain += [f'cobertura: linha não entendida: "{u}"' for u in reading.unread]
    return coverage


def _cells(line: Line) -> str:
    """A table row as text: "TELEFONE<TAB>(11) 4810" -> "TELEFONE: (11) 4810"; more cells
    joined by " / "."""
    if "\t" not in line.raw:
        return line.answer
    cells = [c.strip() for c in line.answer.split("\t") if c.strip()]
    if len(cells) == 2 and not cells[0].endswith(":"):
        return f"{cells[0]}: {cells[1]}"
    return " / ".join(cells)


def _is_secret(line: str) -> bool:
    match = _SECRET_VALUE.search(line)
    if match is None:
        return False
    value = match[1]
    return len(value) >= 4 and (any(ch.isdigit() for ch in value) or not value.isalpha())


def _template(template: Template) -> dict[str, str] | None:
    if not template.lines:
        return None
    parts: list[str] = []
    previous = None
    for line in template.lines:
        if previous is not None:
            parts.append("\n\n" if line.number - previous > 1 else "\n")
        parts.append(line.text)
        previous = line.number
    text = "".join(parts).strip()
    if text[:1] in '"“' and text[-1:] in '"”':
        text = text[1:-1].strip()
    return {"title": template.title, "text": text + "\n"}


def _unique_rows(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for row in rows:
        row = {k: v for k, v in row.items() if not k.startswith("_")}
        key = re.sub(r"\W+", "", str(row["model"]).casefold())
        if not key:
            continue
        if key in out:
            kept = out[key]
            for password in row["passwords"]:  # type: ignore[attr-defined]
                if password not in kept["passwords"]:  # type: ignore[operator]
                    kept["passwords"].append(password)  # type: ignore[attr-defined]
            kept["notes"] = [*kept["notes"], *row["notes"]]  # type: ignore[misc]
            continue
        if not row["notes"]:
            del row["notes"]
        if not row["kind"]:
            del row["kind"]
        out[key] = row
    return list(out.values())


SECTOR_NAME_WORDS = 4
"""A sector's name ("Financeiro", "Técnicos de Campo") is at most this many words."""
DEFAULT_SECTOR = "Atendimento do provedor"


def _sectors(passages: list[Passage]) -> list[dict[str, object]]:
    """The ISP's own hours, in document order: a "Horário…" heading ("HORÁRIO DE ATENDIMENTO",
    "Horários de Atendimento - Loja", "Horário do atendimento N2:", "Horário Loja: Seg a Sex
    08h-18h | Sáb 08h-13h") and the lines under it (day lines, "Financeiro das 08h às 17h",
    "Segunda à Sexta<TAB>Das 08h às 17h", "Segunda<TAB>Sexta<TAB>07:30<TAB>11:30..."), and
    anywhere a row "Financeiro<TAB>Segunda à Sexta das 07h às 17h / Sábado das 07h às 11h"."""
    sectors: dict[str, dict[str, object]] = {}
    for passage in passages:
        current: str | None = None
        days: list[str] = []
        columns: list[list[str]] | None = None
        for line in passage.all_lines:
            columns = _day_columns(line) or columns
            if columns is not None and _day_column_row(sectors, line, columns):
                continue
            if _day_column_header(line):
                continue
            columns = None
            if _sector_row(sectors, line) or _named_sector_line(sectors, line):
                continue
            if passage.topic == "setores" and _sector_label_line(sectors, line):
                continue
            heading = _hours_heading(line)
            if heading is not None:
                current, inline = heading
                days = []
                if inline:
                    _add(sectors, current, sector_windows(inline), line)
                continue
            if current is None:
                continue
            current, days = _hours_line(sectors, line, current, days)
    return list(sectors.values())


def _cells_of(line: Line) -> list[str]:
    return [c.strip() for c in line.raw.split("\t") if c.strip()]


def _day_columns(line: Line) -> list[list[str]] | None:
    """ "SETOR<TAB>SEGUNDA À SEXTA<TAB>SÁBADO": the days of each column after the first."""
    cells = _cells_of(line)
    if len(cells) < 2 or read_phrase(cells[0]).days:
        return None
    columns = [read_phrase(cell) for cell in cells[1:]]
    if not all(c.days and not c.times for c in columns):
        return None
    return [c.days for c in columns]


def _day_column_header(line: Line) -> bool:
    return _day_columns(line) is not None


def _day_column_row(
    sectors: dict[str, dict[str, object]], line: Line, columns: list[list[str]]
) -> bool:
    """ "Financeiro<TAB>Das 08h às 17h30<TAB>Das 08h às 11h" under a day-column header."""
    cells = _cells_of(line)
    if len(cells) != len(columns) + 1 or _day_columns(line) is not None:
        return False
    name = cells[0]
    if times_in(name) or read_phrase(name).days:
        return False
    windows = [
        w for days, cell in zip(columns, cells[1:], strict=True) for w in sector_windows(cell, days)
    ]
    _add(sectors, name, windows, line)
    return True


def _named_sector_line(sectors: dict[str, dict[str, object]], line: Line) -> bool:
    """ "Suporte N2 Domingos e Feriados das 08h às 14h": more hours of a sector already read."""
    text = line.answer
    for sector in sectors.values():
        name = str(sector["name"])
        if not fold(text).startswith(fold(name) + " "):
            continue
        rest = text[len(name) :].strip()
        if fold(rest).startswith(("das ", "de ")) or not read_phrase(rest).days:
            return False
        windows = sector_windows(rest)
        if not windows:
            return False
        _add(sectors, name, windows, line)
        return True
    return False


def _sector_label_line(sectors: dict[str, dict[str, object]], line: Line) -> bool:
    """ "Financeiro: Segunda à Sexta das 08h às 18h | Sábado das 08h às 12h" (or "Financeiro –
    Seg a Sex das 08h às 18h") in the list of sectors: a sector and its hours."""
    head, value = labelled(line.answer)
    name = _sector_name(head)
    if not name or times_in(name) or read_phrase(name).days or not is_schedule(value):
        return False
    _add(sectors, name, sector_windows(value), line)
    return True


def _sector_row(sectors: dict[str, dict[str, object]], line: Line) -> bool:
    """ "Financeiro<TAB>Segunda à Sexta das 07h às 17h / Sábado das 07h às 11h", or the days and
    the hours in cells of their own ("Financeiro<TAB>Sábado<TAB>07h30 às 11h30", a SETOR / DIAS /
    HORÁRIO table)."""
    cells = [c.strip() for c in line.raw.split("\t") if c.strip()]
    if len(cells) not in (2, 3) or times_in(cells[0]) or read_phrase(cells[0]).days:
        return False
    if len(cells) == 3 and not (read_phrase(cells[1]).days and not times_in(cells[1])):
        return False
    hours = " ".join(cells[1:])
    schedule = read_phrase(hours)
    if not (schedule.days and schedule.times):
        return False
    _add(sectors, cells[0], sector_windows(hours), line)
    return True


def _hours_heading(line: Line) -> tuple[str, str] | None:
    """(sector name, hours written on the same line) of a "Horário…" line, else ``None``."""
    text = line.answer.replace("\t", " ")
    if not _HOURS_LABEL.match(text):
        return None
    head, _sep, inline = text.partition(":")
    name = re.sub(r"^hor[aá]rios?(\s+d[eo]\s+atendimento)?(\s+d[oa]s?\b)?\s*", "", head, flags=re.I)
    name = re.sub(r"\([^)]*\)", "", name).strip(" -–")
    if times_in(name) or read_phrase(name).days:
        name, inline = "", text
    return _sector_name(name) or DEFAULT_SECTOR, inline if times_in(inline) else ""


_HOURS_OF = re.compile(r"^hor[aá]rios?(\s+d[eo]\s+atendimento)?(\s+d[oa]s?\b)?\s*", re.I)
"""The hours' words heading a sector's name ("Horário do financeiro")."""


def _sector_name(text: str) -> str:
    text = _HOURS_OF.sub("", text.strip(" -–:")).strip(" -–:")
    if not text or len(text.split()) > SECTOR_NAME_WORDS:
        return ""
    if text.isupper() and len(text) > 3:
        return text.title()
    return text[0].upper() + text[1:]  # "Horário do financeiro": "Financeiro"


def _hours_line(
    sectors: dict[str, dict[str, object]], line: Line, current: str, days: list[str]
) -> tuple[str | None, list[str]]:
    """One line under a "Horário…" heading: (the sector now, the days now); ``None`` ends it."""
    text = line.answer
    if HOLIDAY_CONFIRM.search(fold(text)):
        return current, days  # "Feriados: ... quando forem escalados": not a fixed window
    if "\t" in line.raw:
        windows = sector_windows(line.raw)
        if windows:
            _add(sectors, current, windows, line)
            return current, days
        only = read_phrase(line.raw.replace("\t", " "))
        if only.days and not only.times and HOLIDAY not in only.days:
            return current, only.days
        if only.days or only.times or is_table_header(line) or _column_header(line):
            return current, days
        return None, []
    phrase = read_phrase(text)
    if HOLIDAY in phrase.days:
        return current, days  # holiday hours "when scheduled": a note, not a window
    if phrase.days and phrase.times:
        _add(sectors, current, sector_windows(text), line)
    elif phrase.days:
        return current, phrase.days
    elif phrase.times:
        named = re.match(r"^(.+?)\s+(?:das|de|:)\s*\d", text)
        name = _sector_name(named[1]) if named else ""
        if named and not name:
            return current, days  # a sentence with hours ("fecha para almoço das 12h...")
        if days:
            _add(sectors, name or current, sector_windows(text, days), line)
    elif len(normalize(text).split()) <= SECTOR_NAME_WORDS and not text.endswith((".", ":")):
        return _sector_name(text) or current, days  # "ATENDIMENTO": the sector below
    else:
        return None, []
    return current, days


def _column_header(line: Line) -> bool:
    """ "DE<TAB>À<TAB>DAS<TAB>ÀS": the header of an hours table."""
    words = set(normalize(line.raw).split())
    return bool(words) and words <= {"de", "a", "das", "as", "ate", "dia", "dias", "horario"}


def _add(
    sectors: dict[str, dict[str, object]],
    name: str,
    windows: list[dict[str, object]],
    line: Line,
) -> None:
    if not windows:
        return
    windows = [{k: v for k, v in w.items() if k != "mode"} for w in windows]
    sector_id = identity.slug(name) if name else "atendimento"
    sector_id = re.sub(r"[^a-z0-9_]", "", sector_id)[:32] or "atendimento"
    sector = sectors.setdefault(
        sector_id,
        {"id": sector_id, "name": name.strip() or sector_id, "windows": [], "notes": []},
    )
    for window in windows:
        if window not in sector["windows"]:  # type: ignore[operator]
            sector["windows"].append(window)  # type: ignore[attr-defined]
    sector["notes"].append(  # type: ignore[attr-defined]
        f"Importação automática, horário lido de: {_numbered(line)}"
    )
