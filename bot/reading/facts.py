"""Stated facts: the ISP named by the rule the agent quotes, not by a name.

Agents often ask to confirm a rule they half remember, without naming the ISP: "bloqueia no 4º
dia de atraso, né?", "o limite não era 35 dias?", "aceita comprovantes de agendamento?". The
figure or the wording they quote is one ISP's answer of the topic asked, and no other ISP's
answer of that topic writes it. That ISP is the one meant: the question is answered for it, with
the usual one-line reason ("4º dia → NETCENTER").

Evidence is looked for only in the public answers of the topics the question asks (its
favourite, and the next one if close), so an ordinary word names no one: "multa" is every ISP's
cancellation word, and a word only one ISP writes somewhere else says nothing about this topic.
What counts:

* **a figure with its word** ("35 dias", "4º dia", "72 horas", "4h", "3 em atraso"), as one
  answer of the topic writes it, or a figure with cents, a colon or a slash ("100,00", "07:30",
  "30/60"): 3 points;
* **a phrase** of two words typed side by side as the answer writes them (up to two small words
  between), one of them rare (``PAIR_ZIPF``: "comprovantes de agendamento"), that is not the
  catalogue's wording ("dias de atraso", "segunda via"): 3 points;
* **a topic's own keyword** (``_own_keywords``): a catalogue keyword of the topic that only
  one ISP's answers write, whose answer of the topic names it as a matter of its own (a rule's
  label with a capital, a list's item: "Suspensão temporária:", "Titularidade", "Gamers"; a
  coined word: "pré-paga") and the other ISPs' answers of the topic never mention; typed as a
  noun, not as the customer's wish in a verb ("pausar o contrato"), but a one-word label's verb
  is the same matter ("renegociar": "Renegociações"): 3 points; a catalogue keyword (of any
  topic) of several words that two ISPs' answers alone write as a label in their answers of the
  topic narrows the choice to them ("Outras Demandas": Seja Fibra, VM NET;
  ``_shared_keyword``);
* **a figure framed** (``_framed``): a figure typed between the words one or two answers of
  the topic write it between ("cobra a taxa de 50?": "é cobrada uma taxa de R$50"; "24 horas
  úteis"; "opção 1"; "mais de 35 dias"; "redução de velocidade com 7 dias"), even where the
  figure alone would be the customer's case; the topic's own wording counts only two words
  together, a count from the due date ("de atraso", "do vencimento") never frames: 3 points;
  a framed figure is looked for in the lower-ranked topics too when the asked ones hold
  nothing ("24h corridas ... e fim de semana?": the deadlines' topic, ``_framed_elsewhere``);
* **a run** (``_runs_typed``): four words typed one after the other as one or two answers of
  the topic alone write them, one no everyday word and one beyond the topic's own wording
  ("dados do wifi pros técnicos que instalaram"): 3 points;
* **words written together** (``_together``): two ordinary words of a question that names
  the topic by a word of its own ("reset", "cartão", not "equipamento"), close together, that
  one ISP's answer of the topic writes in one sentence and no other ISP's answer of the topic
  writes at all, one of them written by few ISPs anywhere ("resetou, tem que levar na loja?":
  "levar … loja" → NETCENTER): 2 points;
* **a bare figure** of two digits or more ("rx -26 tx -27": one point each) and **a rare word**
  (``WORD_ZIPF``) only that answer of the topic writes ("renegociações"): 1 point.

The ISP with the most points, at least ``ENOUGH``, and more than any other, is named; two ISPs
tied at the top narrow the choice to them ("bloqueia com 10 dias?": Mutum and VM NET both write
"10 dias"). What does not count:

* a credential topic's text (a password is never the reason an ISP is chosen), and for words
  written together, any sentence that speaks of a password or a login ("Senha: 4 primeiros
  números CPF");
* the words of a KB password, of a password the agent types ("senha: 35dias", as the stores
  mask it: ``typed_secret``), an ISP's or another company's name;
* a figure the question says is the customer's ("cliente com 36 dias", "faz 4 meses"):
  ``_customers``;
* any figure of a question that contrasts the ISP asked about with another ("na outra era 35
  dias, nessa bloqueia com quantos?"): ``_of_another``;
* an hour or a time when the question states a moment ("domingo 10h"): the clock's;
* a pasted customer message (``read(terms=False)``): words an agent did not pick.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from itertools import pairwise

from bot.knowledge.kb import KB, derived
from bot.knowledge.passwords import known_secrets, mask
from bot.knowledge.typed_passwords import PASSWORD_WORD
from bot.reading.codes import measured
from bot.reading.context import (
    ContextName,
    company_words,
    phrase_word,
    singular,
    term_family,
    word_pairs,
    zipf_frequency,
)
from bot.reading.text import STOPWORDS, fold, left_unpaid, normalize

ENOUGH = 2
"""Points an ISP needs to be named (one figure with its word, or one phrase, or two lesser
pieces of evidence)."""
PAIR_ZIPF = 3.0
"""A phrase counts when one of its words is rarer than this in Portuguese (``wordfreq``'s Zipf
scale, the small list: 3.0 is one in a million words, a word under 3.0 is not listed:
"agendamento", "comprovantes"; "vencimento" 3.1; "reter" 3.6, "multa" 4.3)."""
WORD_ZIPF = 3.0
"""A single word counts a point when rarer than this ("gamers" 3.1, "renegociações")."""
MIN_WORD = 5
_VERB = re.compile(r"(?:am|em|ar|er|ir|ou|ei|ando|endo|indo|amos|emos|imos|ado|ada|ido|ida)$")
"""A verb's form ("configuram", "resetar", "parcelado"): a rare one is how anyone says it."""
FIGURE = 3
"""Points of a figure with its word ("35 dias") and of a phrase ("comprovantes de agendamento")."""
BARE = 1
"""Points of a bare figure of two digits or more ("-27") and of a rare word ("renegociações")."""
MAX_TOPICS = 2
"""The question's topics searched: its favourite and the next one, if close (more alike: all,
and they must agree)."""
CLOSE = 0.6
"""The next topic counts when its score is at least this share of the favourite's."""
OWN = 1
"""A catalogue keyword names the ISP when only one ISP's answers write it (two ISPs writing it:
"vencimento", "outras demandas", "retenção" are matters several ISPs have, the others only
wording them otherwise)."""
OWN_ZIPF = 4.5
"""A keyword names an ISP when one of its words (beyond the questionnaire's) is rarer than this
in Portuguese, as the answers write it ("suspensão" 4.3, "pausa" 4.1, "titularidade" 3.3,
"agendamento"); "energia" 5.2, "área" 5.5, "data" 5.1 are anyone's words."""
MAX_KEYWORD = 4
"""Longest keyword looked for (content words)."""
BORROWED = 3.0
"""An English word at least this frequent ("gamer" 3.6) is a borrowed noun, not a verb's form."""

UNITS = {
    "h": "hora", "hs": "hora", "hr": "hora", "hrs": "hora", "hora": "hora", "horas": "hora",
    "dia": "dia", "dias": "dia", "d": "dia",
    "mes": "mes", "meses": "mes",
    "db": "db", "dbm": "db",
    "mb": "mega", "mega": "mega", "megas": "mega", "mbps": "mega", "m": "mega",
    "min": "minuto", "minuto": "minuto", "minutos": "minuto",
}  # fmt: skip
"""Spellings of one unit: "72h" is "72 horas"."""
HOURS = frozenset(["hora"])
_UNIT_KEYS = frozenset(UNITS.values())
CUSTOMERS = re.compile(
    r"\b(?:(?:cliente|cli|clt|assinante|usuario|ele|ela|dele|dela|conta)(?: \w+){0,3}"
    r"|(?:faz|fez|ha|desde|sao|estao|a)(?: \w+)?"
    r"|(?:atrasou|atrasad\w*|vencid\w*|venceu|pagou|mudou|ligou|abert\w*)(?: \w+){0,2}"
    r"|(?:ja|ta|esta) (?:com|no|na|em)) $"
)
"""Words just before a figure that make it the customer's ("cliente com 36 dias", "mudou há 4
meses", "vencido a 4 dias", "já tá com 33"): the situation, not the rule quoted."""
AFTER_CUSTOMERS = frozenset(["atras", "atrasado", "atrasada", "atrasados"])
"""Words just after a figure that make it the customer's ("6 meses atrás", "35 dias em aberto")."""
RULE_CUES = frozenset(
    "limite regra era maximo minimo ate cada apos mais menos falar informar dizer".split()  # noqa: SIM905
)
"""Words just before a figure that make it a rule after all: "o cliente tem até 72 horas", "com
mais de 35 dias" (a limit), "cliente insistindo, posso falar 24 horas" (what the agent may
tell)."""
NEAR_CUES = frozenset(
    "ate apos cada acima abaixo eh limite maximo minimo regra falar informar dizer".split()  # noqa: SIM905
)
"""Words up to three before a figure that quote a rule: "até 72 horas", "a cada 6 meses", and
what the agent may tell ("posso falar prazo de 72 horas?")."""
CONFIRM = frozenset(
    "ne neh mesmo msm certo confere correto era limite regra padrao ideal maximo minimo".split()  # noqa: SIM905
)
"""Words of a question that confirms a rule ("é 10 dias, né?", "o limite não era 35 dias?")."""
AFTER_CUES = frozenset(["apos"])
"""Words just after a figure's unit that quote a rule: "7 dias após o vencimento"."""
SITUATION_UNITS = frozenset(["dia", "mes", "hora", "minuto", "db", "semana", "ano"])
"""Units of what a customer's case is made of (days late, months since, hours, a reading): a
figure in them is the customer's unless the question quotes a rule (``NEAR_CUES``, ``CONFIRM``,
an ordinal: "no 4º dia"); a count of bills ("3 em atraso") likewise."""
SITUATION_WORDS = ("atras", "fatur", "bolet", "parcel", "mensal")
"""Families of counted things that are the customer's ("3 em atraso", "2 faturas")."""
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})$")


@dataclass(frozen=True)
class _Answer:
    figures: frozenset[tuple[str, str]]
    """(number, unit or "") of each figure the answer writes; a bare one too."""
    numbers: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    """(family, family) of two words side by side, as ``context._line_pairs`` reads them."""
    families: frozenset[str]
    words: frozenset[str]
    """Its words, singular ("canais" -> "canal")."""
    sentences: tuple[frozenset[str], ...] = ()
    """The word families of each of its sentences (a line, or a piece of one ended by ".", "!",
    "?" or ";"): words it writes together (``_together``)."""
    timed: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()
    """(the figures' numbers, the word families) of each of its sentences that writes a time of
    day: what the answer says a time range is ("Horário de almoço das 13:30h as 15:30")."""
    frames: frozenset[tuple[str, str, str, str]] = frozenset()
    """(number, unit, side, word) of each figure it writes and the words framing it
    (``Figure.frame``): "taxa de R$50" -> ("50", "", "b", "taxa")."""
    runs: frozenset[tuple[str, ...]] = frozenset()
    """Families of ``RUN`` words it writes one after the other, small words between ("roteador
    adicional como repetidor")."""
    labelled: frozenset[tuple[str, str]] = frozenset()
    """(label, number) of each figure it writes after a short label ("Tx: -27.00": ("tx",
    "-27")), ``Figure.label``."""
    written_as: frozenset[str] = frozenset()
    """Its figures written with decimals, as written ("-26.00")."""
    ranges: frozenset[tuple[str, str, str]] = frozenset()
    """(from, to, the unit after "to") of each range it writes ("-15 a 22dB": ("-15", "22",
    "db")), ``_range_key``."""
    spans: frozenset[tuple[str, str, str, frozenset[str]]] = frozenset()
    """Each range of ``ranges`` with the word families of its line: what the range is of
    ("Suspensão temporária: possível de 30 a 120 dias"), ``_within_range``."""
    quotes: frozenset[tuple[tuple[str, ...], str]] = frozenset()
    """(its words, folded and singular; as written) of each wording it writes between quotes:
    a rule's own words ('Não usar "abrir ordem de serviço"'), ``_quotes_typed``."""


@dataclass(frozen=True)
class _Keyword:
    """A catalogue keyword of a topic that one ISP's answers alone write (``_own_keywords``)."""

    families: tuple[str, ...]
    """Its words' families (stop words out), in order."""
    owners: frozenset[str]
    display: str
    """As the owner's answer writes it ("Suspensão temporária", "pré-paga")."""
    forms: frozenset[str] = frozenset()
    """Its words as the catalogue and the answer write them ("suspensao", "temporaria")."""


@dataclass(frozen=True)
class FactsIndex:
    answers: Mapping[str, Mapping[str, _Answer]]
    """Topic id -> ISP id -> what its public answer of that topic writes."""
    zipf: Mapping[str, float]
    """A word the answers write (folded) -> how frequent it is in Portuguese, as written."""
    family_zipf: Mapping[str, float]
    """Word family -> the same for its most frequent form: for a form the answers do not write."""
    catalogue: frozenset[tuple[str, str]]
    """Pairs of words side by side in a topic's title, description or keywords: the catalogue's
    wording ("dias de atraso", "segunda via"), anyone's."""
    keywords: Mapping[str, tuple[_Keyword, ...]] = field(default_factory=dict)
    """Topic id -> its keywords that name the ISP writing them (``_own_keywords``)."""
    vocabulary: Mapping[str, str] = field(default_factory=dict)
    """The catalogue's single-word vocabulary ("susp" -> "suspensao", "pausar" -> "pausa")."""
    topic_words: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Topic id -> the families of its title's, description's, keywords' and commands' words:
    the topic's own wording, every ISP's matter."""
    writers: Mapping[str, int] = field(default_factory=dict)
    """Word family -> how many ISPs' public answers (any topic) write it."""
    shared_words: frozenset[str] = frozenset()
    """Families of ``CHANNELS`` ("chat", "app"): anyone's words, never written together."""
    topic_names: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Topic id -> those of its families no other topic's wording holds ("reset", "cartão",
    "mesh"): a word that names the topic ("equipamento", "técnicos" are several topics')."""
    held: Mapping[tuple[str, str], frozenset[tuple[str, ...]]] = field(default_factory=dict)
    """(ISP id, topic id) -> the families one after the other its answer of the topic writes
    (``_Written.held``)."""
    own_phrases: frozenset[tuple[str, ...]] = frozenset()
    """Catalogue keywords of two words or more that one ISP's texts alone write, with a word
    beyond the questionnaire's ("roteador adicional": LaserNet's), ``_phrase_runs``."""
    grams: Mapping[tuple[str, ...], frozenset[str]] = field(default_factory=dict)
    """Word families one after the other (up to ``MAX_KEYWORD``, small words between) -> the
    ISPs whose texts (any topic) write them (``_Written.grams``)."""
    quotes: tuple[_Quote, ...] = ()
    """The wordings an answer quotes that no other ISP's text writes (``_lone_quotes``)."""


@dataclass(frozen=True)
class Stated:
    names: tuple[ContextName, ...]
    """The evidence, as context names whose owners are the ISP(s) chosen."""
    topic_id: str


_TOKEN = re.compile(r"(?:(?<=\s)-|^-)?\d+(?:[.,:/]\d+)*|[^\W\d_]+", re.UNICODE)
"""A figure as written ("-26.00", "100,00", "07:30", "30/60"; a minus sign only after a space:
"08h-18h" is a range) or a word."""
_HOUR_MINUTES = re.compile(r"\b(\d{1,2})h(\d{2})\b")
"""'7h30' is '7:30'."""
_ZERO_DECIMALS = re.compile(r"[.,]00?$")
"""Zero cents or decimals ("100,00", "-26.00"); not a thousands' dot ("1.000" is a thousand)."""
_EXACT = re.compile(r"[:/]|,\d\d$")
"""A time, a ratio or a price with its cents ("07:30", "30/60", "100,00"); not "-26.00"."""


def _number(token: str) -> str:
    """A figure's canonical form: "-26.00" -> "-26", "07:30" -> "7:30", "004" -> "4"."""
    sign, digits, rest = re.fullmatch(r"(-?)(\d+)(.*)", _ZERO_DECIMALS.sub("", token)).groups()  # type: ignore[union-attr]
    return sign + str(int(digits)) + rest


@dataclass(frozen=True)
class Figure:
    number: str
    unit: str
    """The unit's key ("hora" for "h", "72h", "horas"), or the family of the word after."""
    shown: str
    """As written, with its word ("35 dias", "-27")."""
    before: tuple[str, ...]
    """Up to four words before it."""
    after: tuple[str, ...]
    """Up to three words after it."""
    exact: bool
    """Written with cents, a colon or a slash ("100,00", "07:30", "30/60"): a price, a time, not
    a count. (A sign alone is not: "rx -27, tá bom?" may be the customer's reading.)"""
    frame: tuple[tuple[str, str], ...] = ()
    """The words it is written between (``_frame``): ("b", word) up to ``FRAME_BEFORE`` words
    before it, ("a", word) up to ``FRAME_AFTER`` after its unit ("taxa de 50": ("b", "taxa");
    "24 horas úteis": ("a", "uteis"))."""
    written: str = ""
    """As written, folded ("-26.00", "07:30"): its decimals too (``number`` drops zero ones)."""
    label: str = ""
    """The short label written just before it ("Tx: -27.00": "tx"; ``_label``), or ""."""
    to: Figure | None = None
    """The figure it runs to, when written as a range ("-15 a 22dB": -15 to 22): ``_range``."""


def figures(text: str) -> list[Figure]:
    """The figures of a text: the unit is the first word after one that is no stop word, one
    small word skipped ("3 em atraso", "35 dias de atraso"), a glued one too ("72h", "26dBm");
    an ordinal's mark is no unit ("4º dia": "dia")."""
    folded = _HOUR_MINUTES.sub(r"\1:\2", fold(_ORDINAL.sub("#", text)))
    matches = list(_TOKEN.finditer(folded))
    tokens = [m.group() for m in matches]
    spans = [m.span() for m in matches]
    found = []
    for i, token in enumerate(tokens):
        if not (token[0].isdigit() or token[0] == "-"):
            continue
        mark = "º" if folded[matches[i].end() : matches[i].end() + 1] == "#" else ""
        unit, end = "", i + 1
        for j in range(i + 1, min(i + 3, len(tokens))):
            word = tokens[j]
            if word[0].isdigit() or word[0] == "-":
                break
            if word in UNITS or (word not in STOPWORDS and len(word) > 1):
                unit, end = word, j + 1
                break
        shown = " ".join([token + mark, *tokens[i + 1 : end]])
        if unit in UNITS and len(unit) <= 2:
            shown = token + unit  # "72h", "4h"
        key = UNITS.get(unit, term_family(unit) if unit else "")
        before = tuple(t for t in tokens[max(0, i - 4) : i] if not t[0].isdigit())
        exact = bool(_EXACT.search(token))
        frame = _frame(folded, spans, tokens, i, end, key)
        found.append(
            Figure(
                _number(token),
                key,
                shown,
                before,
                tuple(tokens[i + 1 : i + 4]),
                exact,
                frame,
                token,
                _label(folded, spans, tokens, i),
            )
        )
    return _ranges(found, tokens)


LABEL_ZIPF = 3.0
"""A label is a short abbreviation no dictionary knows as a word ("rx", "tx" of "Rx: -26.00
dBm | Tx: -27.00 dBm"); "dia", "mes" are words."""
LABEL_SKIPS = frozenset(["ta", "e", "eh", "em", "esta", "deu", "ficou", "de", "do", "da", "com"])
"""Words a question may type between a label and its figure ("tx ta -27", "rx deu -26")."""


def _label(text: str, spans: Sequence[tuple[int, int]], tokens: Sequence[str], at: int) -> str:
    """The short label just before a figure (``Figure.label``): two or three letters, no
    dictionary word, no unit, at most one small word between ("tx ta -27"); none for a figure
    glued to a word ("n2")."""
    start = spans[at][0]
    if start > 0 and text[start - 1].isalpha():
        return ""
    for back in (1, 2):
        if at - back < 0:
            return ""
        token = tokens[at - back]
        if back == 1 and token in LABEL_SKIPS:
            continue
        if (
            2 <= len(token) <= 3
            and token.isalpha()
            and token not in STOPWORDS
            and token not in UNITS
            and zipf_frequency(token, "pt", wordlist="small") < LABEL_ZIPF
        ):
            return token
        return ""
    return ""


_DECIMALS = re.compile(r"^-?\d+\.\d+$")
"""A figure written with decimals ("-26.00"): a reading as a document writes it."""


def _line_words(line: str) -> frozenset[str]:
    """The families of a line's words, no small word, no unit ("dias")."""
    return frozenset(
        term_family(w) for w in normalize(line).split() if phrase_word(w) and w not in UNITS
    )


def _range_key(start: Figure, end: Figure) -> tuple[str, str, str]:
    """A range's key: a reading's second end as the first's sign ("-15 a 22" and "-15 a -22"
    are one range); the unit after it."""
    to = end.number
    if start.number.startswith("-"):
        to = to.lstrip("-")
    return start.number, to, end.unit


RANGE_LINKS = frozenset(["a", "ate", "ao"])
"""Words between the two ends of a range as the documents write them ("-15 a 22dB", "de 30 a
120 dias"); "-" is no link ("49,90 - 50MB" is a price and a speed)."""


def _ranges(found: list[Figure], tokens: Sequence[str]) -> list[Figure]:
    """The figures, each followed by a range's link and another figure marked as running to it
    (``Figure.to``): "-15 a 22", "de 30 a 120 dias"."""
    at = [i for i, t in enumerate(tokens) if t[0].isdigit() or t[0] == "-"]
    if len(at) != len(found):
        return found
    ranged = list(found)
    for k in range(len(found) - 1):
        if at[k + 1] - at[k] == 2 and tokens[at[k] + 1] in RANGE_LINKS:
            ranged[k] = replace(found[k], to=found[k + 1])
    return ranged


FRAME_BEFORE = 5
"""Words before a figure that frame it ("Visita improdutiva: Boleto - Vencimento para após 30
dias": "improdutiva" is five words before)."""
FRAME_AFTER = 2
"""Words after a figure's unit that frame it ("24 horas úteis", "24h corridas")."""
THRESHOLDS = frozenset(["mais", "menos"])
"""Small words that frame a figure as a limit ("com mais de 35 dias de atraso")."""
FRAME_SITUATION = ("atras", "venc")
"""Words any count of days late is told with ("4 dias de atraso", "10 dias do vencimento"):
they frame no rule."""


def _frame_word(token: str) -> bool:
    """A word that may frame a figure: no stop word (a limit's "mais"/"menos" is one), no
    figure, no unit, none the customer's case is told with (``FRAME_SITUATION``)."""
    if token in THRESHOLDS:
        return True
    return (
        len(token) >= 3
        and token.isalpha()
        and token not in STOPWORDS
        and token not in UNITS
        and token not in CASE_WORDS
        and not token.startswith(FRAME_SITUATION)
    )


def _frame(
    text: str, spans: Sequence[tuple[int, int]], tokens: Sequence[str], at: int, end: int, unit: str
) -> tuple[tuple[str, str], ...]:
    """The words a figure is written between (``Figure.frame``), up to the next figure. None for
    a figure glued to a word ("ipv6", "n2": a name), a day of the month ("dia 30") or a count of
    the customer's bills ("3 em atraso", "2 faturas")."""
    start = spans[at][0]
    if start > 0 and text[start - 1].isalpha():
        return ()
    if (at > 0 and tokens[at - 1] in ("dia", "dias")) or unit.startswith(SITUATION_WORDS):
        return ()
    before: list[tuple[str, str]] = []
    for token in reversed(tokens[max(0, at - 2 * FRAME_BEFORE) : at]):
        if token[0].isdigit() or token[0] == "-" or len(before) == FRAME_BEFORE:
            break
        if _frame_word(token):
            before.append(("b", token))
    after: list[tuple[str, str]] = []
    for token in tokens[end : end + 2 * FRAME_AFTER]:
        if token[0].isdigit() or token[0] == "-" or len(after) == FRAME_AFTER:
            break
        if _frame_word(token) and UNITS.get(token, token) != unit:
            after.append(("a", token))
    return (*before, *after)


SAME_WORD = 4
"""Two frame words are one word in two forms when they share this many first letters ("cobra",
"cobrada"; "reduz", "redução")."""


def _same_word(typed: str, written: str) -> bool:
    if typed == written:
        return True
    n = 0
    for a, b in zip(typed, written, strict=False):
        if a != b:
            break
        n += 1
    return n >= SAME_WORD


_ORDINAL = re.compile(r"(?<=\d)(?:[ºª°]|[oa](?![^\W\d_]))")
"""An ordinal's mark ("4º", "4o", "2ª"): no word, "4º dia" is 4 and "dia"."""


@derived
def facts_index(kb: KB) -> FactsIndex:
    """What each ISP's public answer of each topic writes: figures, phrases, word families."""
    answers: dict[str, dict[str, _Answer]] = {}
    zipf: dict[str, float] = {}
    family_zipf: dict[str, float] = {}
    for provider in kb.providers.values():
        for topic_id, entry in provider.topics.items():
            if kb.is_secret(provider, topic_id):
                continue
            written: set[tuple[str, str]] = set()
            pairs: set[tuple[str, str]] = set()
            families: set[str] = set()
            singulars: set[str] = set()
            sentences: list[frozenset[str]] = []
            timed: list[tuple[frozenset[str], frozenset[str]]] = []
            frames: set[tuple[str, str, str, str]] = set()
            runs: set[tuple[str, ...]] = set()
            quotes: set[tuple[tuple[str, ...], str]] = set()
            labelled: set[tuple[str, str]] = set()
            written_as: set[str] = set()
            ranges: set[tuple[str, str, str]] = set()
            spans: set[tuple[str, str, str, frozenset[str]]] = set()
            for body in (entry.text, *(t.text for t in entry.templates)):
                quotes.update(_quotes_of(body))
                for line in body.splitlines():
                    for sentence in _SENTENCE.split(line):
                        if PASSWORD_WORD.search(fold(sentence)):
                            continue  # a password's line is never a reason ("Senha: 4 ...")
                        together = {
                            term_family(w) for w in normalize(sentence).split() if phrase_word(w)
                        }
                        if len(together) >= 2:
                            sentences.append(frozenset(together))
                        clock = {f.number for f in figures(sentence) if _clock(f)}
                        if clock:
                            timed.append((frozenset(clock), frozenset(together)))
                    # A password's line frames no figure and writes no run of words.
                    quoting = PASSWORD_WORD.search(fold(line)) is None
                    for figure in figures(line):
                        written.add((figure.number, figure.unit))
                        written.add((figure.number, ""))
                        if quoting:
                            frames.update((figure.number, figure.unit, *f) for f in figure.frame)
                            if figure.label:
                                labelled.add((figure.label, figure.number))
                            if _DECIMALS.search(figure.written):
                                written_as.add(figure.written)
                            if figure.to is not None:
                                ranges.add(_range_key(figure, figure.to))
                                spans.add((*_range_key(figure, figure.to), _line_words(line)))
                    # Punctuation breaks a phrase ("Demandas - Alteração"): each piece alone.
                    for piece in _BREAK.split(line):
                        words = normalize(piece).split()
                        if quoting:
                            runs.update(families for families, _at in _runs_of(words))
                        for i, j in word_pairs(words):
                            pairs.add((term_family(words[i]), term_family(words[j])))
                        families.update(term_family(w) for w in words if phrase_word(w))
                        singulars.update(singular(w) for w in words)
                    for word in _WRITTEN.findall(line):
                        key = normalize(word).replace(" ", "")
                        frequency = _frequency(word.casefold())
                        zipf[key] = max(zipf.get(key, 0.0), frequency)
                        family = term_family(key)
                        family_zipf[family] = max(family_zipf.get(family, 0.0), frequency)
            answers.setdefault(topic_id, {})[provider.id] = _Answer(
                frozenset(written),
                frozenset(n for n, _u in written),
                frozenset(pairs),
                frozenset(families),
                frozenset(singulars),
                tuple(sentences),
                tuple(timed),
                frozenset(frames),
                frozenset(runs),
                frozenset(labelled),
                frozenset(written_as),
                frozenset(ranges),
                frozenset(spans),
                frozenset(quotes),
            )
    catalogue: set[tuple[str, str]] = set()

    def pairs_of(phrases: Iterable[str]) -> set[tuple[str, str]]:
        # Any small word between: "medir a velocidade" is the catalogue's "medir velocidade".
        found: set[tuple[str, str]] = set()
        for phrase in phrases:
            words = [w for w in normalize(phrase).split() if w not in STOPWORDS]
            found.update((term_family(a), term_family(b)) for a, b in pairwise(words))
        return found

    topic_words: dict[str, frozenset[str]] = {}
    for topic in kb.catalogue.topics:
        catalogue.update(pairs_of((topic.title, topic.description, *topic.keywords)))
        topic_words[topic.id] = frozenset(
            term_family(w)
            for text in (topic.title, topic.description, *topic.keywords, *topic.commands)
            for w in normalize(text).split()
            if w not in STOPWORDS
        )
    vocabulary = {
        typed: meant
        for typed, meant in kb.catalogue.vocabulary.items()
        if len(typed.split()) == 1 and len(meant.split()) == 1
    }
    spread = Counter(f for families in topic_words.values() for f in families)
    index = FactsIndex(
        answers,
        zipf,
        family_zipf,
        frozenset(catalogue),
        vocabulary=vocabulary,
        topic_words=topic_words,
        writers=Counter(
            family
            for pid in kb.providers
            for family in frozenset().union(
                *(by[pid].families for by in answers.values() if pid in by)
            )
        ),
        shared_words=frozenset(term_family(w) for w in CHANNELS),
        topic_names={
            t: frozenset(f for f in fs if spread[f] == 1) for t, fs in topic_words.items()
        },
    )
    quoted = {words for by in answers.values() for a in by.values() for words, _ in a.quotes}
    texts = _written(kb)
    return replace(
        index,
        keywords=_own_keywords(kb, index),
        held=texts.held,
        own_phrases=_lone_keywords(kb, texts),
        grams=texts.grams,
        quotes=_lone_quotes(answers, _writers_of(kb, quoted)),
    )


def _lone_keywords(kb: KB, written: _Written) -> frozenset[tuple[str, ...]]:
    """The catalogue's keywords (any topic) of two words or more that one ISP's texts alone
    write, one word beyond the questionnaire's ("roteador adicional", "ponto adicional",
    "queda de energia" in VM NET's reset answer): ``_phrase_runs``."""
    found: set[tuple[str, ...]] = set()
    for topic in kb.catalogue.topics:
        for keyword in topic.keywords:
            content = [w for w in normalize(keyword).split() if w not in STOPWORDS]
            if len(content) < 2 or len(content) > MAX_KEYWORD - 1:
                continue
            families = tuple(term_family(w) for w in content)
            if len(written.grams.get(families, ())) == 1 and any(
                f not in written.asked for f in families
            ):
                found.add(families)
    return frozenset(found)


_QUOTE = re.compile(r'"([^"\n]+)"|“([^”\n]+)”')
"""A wording an answer writes between quotes ('Não usar "abrir ordem de serviço"')."""
QUOTE_WORDS = 2
"""Fewest words (no stop words) of a quoted wording that counts: one word is a name's or a
term's matter (the context index's)."""


def _quotes_of(body: str) -> Iterable[tuple[tuple[str, ...], str]]:
    """(words, as written) of the wordings a text writes between quotes: its words folded and
    singular, small words out ("abrir ordem de serviço": ("abrir", "ordem", "servico"))."""
    for match in _QUOTE.finditer(body):
        inner = match.group(1) or match.group(2)
        content = tuple(singular(w) for w in normalize(inner).split() if phrase_word(w))
        if len(content) >= QUOTE_WORDS:
            yield content, inner.strip()


QUOTE_GAP = 2
"""Small words a question may type between two words of a quoted wording ("abrir uma ordem de
serviço")."""


def _writers_of(kb: KB, wanted: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], frozenset[str]]:
    """Each run of words (folded, singular) -> the ISPs whose texts (every topic, answers and
    suggested messages) write it, one word after the other (stop words between; punctuation
    breaks)."""
    wanted = set(wanted)
    writers: dict[tuple[str, ...], set[str]] = {w: set() for w in wanted}
    if not wanted:
        return {}
    for provider in kb.providers.values():
        for entry in provider.topics.values():
            for body in (entry.text, *(t.text for t in entry.templates)):
                for _run, piece, _spans in _runs(body):
                    run = [singular(w) for w in normalize(piece).split() if phrase_word(w)]
                    for families in wanted:
                        n = len(families)
                        if any(tuple(run[i : i + n]) == families for i in range(len(run) - n + 1)):
                            writers[families].add(provider.id)
    return {k: frozenset(v) for k, v in writers.items()}


def _runs(body: str) -> Iterable[tuple[list[str], str, list[tuple[int, int]]]]:
    """The word families of a text's pieces (punctuation breaks them), stop words out, with the
    piece and each family's word's place in it."""
    for line in body.splitlines():
        for piece in _BREAK.split(line):
            families: list[str] = []
            spans: list[tuple[int, int]] = []
            for match in _WRITTEN.finditer(piece):
                key = normalize(match.group()).replace(" ", "")
                if key and key not in STOPWORDS:
                    families.append(term_family(key))
                    spans.append(match.span())
            if families:
                yield families, piece, spans


def _own_keywords(kb: KB, index: FactsIndex) -> dict[str, tuple[_Keyword, ...]]:
    """Each topic's catalogue keywords that only one ISP's answers write (``OWN``).

    The seeds are one questionnaire every ISP answered: the words of its questions (the
    catalogue's titles, descriptions and commands) are every ISP's matter ("visita
    improdutiva"). A keyword beyond them that the catalogue lists because one ISP's answer of
    the topic states a rule about it ("suspensão temporária", "pausa no contrato", "gamer")
    names that ISP: no other ISP's answer, of any topic, writes it (a single word: in any
    form). It must hold a word beyond the questionnaire's that

    * the other ISPs' answers of the same topic never write (in any form: "vencimento" is in
      NETCENTER's financial rules too, so "data de vencimento" is no VM NET's own);
    * is no everyday word (``OWN_ZIPF``: "queda de energia", "área de cobertura"), and is rare
      (``WORD_ZIPF``) when other ISPs write it in other topics ("taxa de instalação" is anyone's;
      "agendamento" of "setor de agendamento" is LaserNet's payments' too, but rare);
    * the owner's answer writes with a capital, as the name of the matter (a rule's label, a
      list's item), or is a word coined with a hyphen ("pré-paga");
    * is no verb ("reter", "finalizar": how anyone says what to do).

    No unit ("megas"), company's name or word of the catalogue's ``generic`` list (platforms and
    brands: "instagram") counts."""
    written = _answers_written(kb)
    excluded = (
        company_words(kb)
        | frozenset(UNITS)
        | frozenset(w for g in kb.catalogue.generic for w in normalize(g).split())
    )
    found: dict[str, tuple[_Keyword, ...]] = {}
    every_keyword = sorted({k for topic in kb.catalogue.topics for k in topic.keywords})
    for topic in kb.catalogue.topics:
        own: dict[tuple[str, ...], _Keyword] = {}
        for keyword in topic.keywords:
            content = [w for w in normalize(keyword).split() if w not in STOPWORDS]
            if any(w in excluded or not phrase_word(w) for w in content):
                continue
            if not content or len(content) > MAX_KEYWORD:
                continue
            mine = _own_keyword(kb, written, index, topic.id, content)
            if mine is not None:
                before = own.get(mine.families)
                forms = mine.forms | (before.forms if before else frozenset())
                own[mine.families] = replace(mine, forms=forms)
        for keyword in every_keyword:
            content = [w for w in normalize(keyword).split() if w not in STOPWORDS]
            if len(content) < 2 or len(content) > MAX_KEYWORD:
                continue
            if any(w in excluded or not phrase_word(w) for w in content):
                continue
            shared = _shared_keyword(written, index, topic.id, content)
            if shared is not None and shared.families not in own:
                own[shared.families] = shared
        heads = {families for families in own if _heads_a_longer(families, own)}
        if len(own) > len(heads):
            found[topic.id] = tuple(k for f, k in own.items() if f not in heads)
    return found


def _heads_a_longer(families: tuple[str, ...], own: Mapping[tuple[str, ...], _Keyword]) -> bool:
    """Is this keyword a part of a longer own keyword of the same ISP(s)? The label names the
    rule ("Suspensão temporária", "Pausa no contrato"); its head word alone is the ordinary
    matter every ISP has ("suspensa por débito", "contrato suspenso", "pausa na internet")
    and names no one (QA 9b)."""
    n = len(families)
    return any(
        len(longer) > n
        and other.owners == own[families].owners
        and any(longer[i : i + n] == families for i in range(len(longer) - n + 1))
        for longer, other in own.items()
    )


@dataclass(frozen=True)
class _Written:
    """What the ISPs' answers (text and suggested messages, every topic) write."""

    asked: frozenset[str]
    """Families of the questionnaire's words: the catalogue's titles, descriptions, commands."""
    grams: Mapping[tuple[str, ...], frozenset[str]]
    """Families side by side (stop words between; up to ``MAX_KEYWORD``) -> the ISPs writing
    them."""
    held: Mapping[tuple[str, str], frozenset[tuple[str, ...]]]
    """(ISP id, topic id) -> the grams its answer of that topic writes."""
    singles: Mapping[str, frozenset[str]]
    """A family -> the ISPs whose answers write a word of it."""
    named: Mapping[tuple[str, str], frozenset[str]]
    """(ISP id, topic id) -> the families its answer writes with a capital."""
    shown: Mapping[tuple[str, tuple[str, ...]], str]
    """(ISP id, gram) -> as its answers first write it."""
    compounds: frozenset[tuple[str, ...]]
    """Words joined by hyphens ("pré-paga": ("pre", "paga"))."""


@derived
def _written(kb: KB) -> _Written:
    return _answers_written(kb)


NARROW_RUN = 3
"""Fewest words (the name's and its neighbours', no small ones) of a run that narrows a name two
ISPs write to the one writing the run ("cidade nos recados do grupo")."""
NARROW_REACH = 2
"""Words typed beside a name that a narrowing run may take on each side."""


def narrowed_by_run(
    kb: KB, words: Sequence[str], names: Sequence[ContextName]
) -> tuple[ContextName, ...]:
    """A name two ISPs' texts write (the question's only one), typed inside a longer run of
    words only one of them writes one after the other: that one ("tem que pôr a cidade nos
    recados do grupo?": NETCENTER writes "Informar a cidade nos recados do grupo", Seja Fibra
    "Mandar recado no grupo"; "senha são os 4 primeiros números do cpf": Mutum writes "4
    primeiros números CPF", NETCENTER "4 primeiros dígitos do CPF"). The run holds the name's
    words and at least one word typed beside it (small words between, none of the case's:
    "cliente", "pode"), ``NARROW_RUN`` words or more; no other ISP writes it, and no word of a
    KB password or a company's name is in it, nor a credential's word beside the name ("login e
    senha do leveduca" asks for its login, whoever's it is). The why-line shows the run as
    written."""
    if len(names) != 1 or len(names[0].owners) != 2 or names[0].password:
        return tuple(names)
    name = names[0]
    written = _written(kb)
    excluded = _excluded(kb)
    content = [
        i
        for i, w in enumerate(words)
        if phrase_word(w) and w not in CASE_WORDS and w not in excluded
    ]
    inside = [k for k, i in enumerate(content) if name.start <= i < name.end]
    if not inside:
        return tuple(names)
    found: set[tuple[str, tuple[int, ...], tuple[str, ...]]] = set()
    for first in range(max(0, inside[0] - NARROW_REACH), inside[0] + 1):
        for last in range(inside[-1], min(len(content), inside[-1] + NARROW_REACH + 1)):
            run = content[first : last + 1]
            if len(run) < max(NARROW_RUN, len(inside) + 1) or len(run) > MAX_KEYWORD:
                continue
            if any(b - a > PHRASE_SPAN for a, b in pairwise(run)):
                continue
            if any(words[i] in excluded for i in range(run[0], run[-1] + 1)):
                continue  # a password typed between its words: it is in no run
            beside = [words[i] for i in run if not name.start <= i < name.end]
            if any(PASSWORD_WORD.search(w) for w in beside):
                continue  # "login e senha do leveduca": what is asked of it, anyone's
            families = tuple(term_family(words[i]) for i in run)
            writers = written.grams.get(families, frozenset())
            if len(writers) == 1 and writers <= name.owners:
                found.add((min(writers), tuple(run), families))
    if len({pid for pid, _run, _f in found}) != 1:
        return tuple(names)
    pid, at, families = max(found, key=lambda f: len(f[1]))
    return (
        replace(
            name,
            typed=" ".join(words[at[0] : at[-1] + 1]),
            name=written.shown[(pid, families)],
            owners=frozenset({pid}),
            start=min(at[0], name.start),
            end=max(at[-1] + 1, name.end),
        ),
    )


PHRASE_SPAN = 3
"""Two words of a run (a narrowing run, a phrase's run) are at most this many places apart (two
small words between)."""


def _answers_written(kb: KB) -> _Written:
    asked: set[str] = set()
    for topic in kb.catalogue.topics:
        for text in (topic.title, topic.description, *topic.commands):
            asked.update(term_family(w) for w in normalize(text).split() if w not in STOPWORDS)
    compounds: set[tuple[str, ...]] = set()
    singles: dict[str, set[str]] = {}
    named: dict[tuple[str, str], set[str]] = {}
    shown: dict[tuple[str, tuple[str, ...]], str] = {}
    grams: dict[tuple[str, ...], set[str]] = {}
    held: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    for provider in kb.providers.values():
        for topic_id, entry in provider.topics.items():
            mine = held.setdefault((provider.id, topic_id), set())
            capitals = named.setdefault((provider.id, topic_id), set())
            for body in (entry.text, *(t.text for t in entry.templates)):
                for run, piece, spans in _runs(body):
                    for n in range(1, MAX_KEYWORD + 1):
                        for i in range(len(run) - n + 1):
                            gram = tuple(run[i : i + n])
                            mine.add(gram)
                            grams.setdefault(gram, set()).add(provider.id)
                            shown.setdefault(
                                (provider.id, gram), piece[spans[i][0] : spans[i + n - 1][1]]
                            )
                    for family in run:
                        singles.setdefault(family, set()).add(provider.id)
                capitals.update(term_family(w) for w in _WRITTEN.findall(body) if w[0].isupper())
                compounds.update(tuple(normalize(c).split()) for c in _COMPOUND.findall(body))
    return _Written(
        frozenset(asked),
        {k: frozenset(v) for k, v in grams.items()},
        {k: frozenset(v) for k, v in held.items()},
        {k: frozenset(v) for k, v in singles.items()},
        {k: frozenset(v) for k, v in named.items()},
        shown,
        frozenset(compounds),
    )


def _own_keyword(
    kb: KB, written: _Written, index: FactsIndex, topic_id: str, content: Sequence[str]
) -> _Keyword | None:
    """The keyword (its content words) as one ISP's own, or None (``_own_keywords``)."""
    families = tuple(term_family(w) for w in content)
    owners = written.grams.get(families, frozenset())
    if len(owners) > OWN or not owners:
        return None
    if any(families not in written.held.get((pid, topic_id), ()) for pid in owners):
        return None  # an owner writes it elsewhere: not this topic's rule
    # The other ISPs' answers of the same question: a word they write is a matter they
    # answered too ("vencimento" in NETCENTER's financial rules: "data de vencimento" is no
    # VM NET's own).
    others = [
        written.held.get((pid, topic_id), frozenset())
        for pid, provider in kb.providers.items()
        if pid not in owners and topic_id in provider.topics
    ]
    # The owner's answer names the matter: a rule's label ("Suspensão temporária:",
    # "Agendamento:"), an item of its list ("Titularidade", "Gamers"), or a coined word
    # ("pré-paga"); a word of its running text is how it happened to say something ("picando
    # todas as luzes", "só clientes offline", "pelo navegador").
    labels = frozenset().union(*(written.named.get((pid, topic_id), ()) for pid in owners))
    compound = tuple(content) in written.compounds
    for word, family in zip(content, families, strict=True):
        if family in written.asked or _verb(word) or any((family,) in o for o in others):
            continue
        # A word other ISPs write elsewhere must be rare ("agendamento": LaserNet's payments
        # are scheduled, VM NET has a scheduling sector); an everyday one is the KB's shared
        # wording ("instalação": "taxa de instalação" is anyone's).
        alone = written.singles.get(family, frozenset()) <= owners
        if compound or (family in labels and _rare(index, word, OWN_ZIPF if alone else WORD_ZIPF)):
            display = written.shown[(min(owners), families)]
            forms = frozenset(content) | frozenset(normalize(display).split())
            return _Keyword(families, owners, display, forms)
    return None


SHARED = 2
"""A label two ISPs' answers alone write narrows the choice to them (``_shared_keyword``)."""


def _shared_keyword(
    written: _Written, index: FactsIndex, topic_id: str, content: Sequence[str]
) -> _Keyword | None:
    """A catalogue keyword (of any topic) of several words that two ISPs' answers alone write,
    both in their answer of this topic and both as a label, every word with a capital, with a
    word beyond the questionnaire's that is no everyday one: "Outras Demandas" (the kind of OS
    Seja Fibra and VM NET open for a move of address: "abro os de outras demandas pra mudança
    de endereço?" is a choice between those two). "Rede Mesh" is the questionnaire's word
    ("mesh" is a command): anyone's matter."""
    families = tuple(term_family(w) for w in content)
    owners = written.grams.get(families, frozenset())
    if len(owners) != SHARED:
        return None
    if any(families not in written.held.get((pid, topic_id), ()) for pid in owners):
        return None
    if not all(set(families) <= written.named.get((pid, topic_id), set()) for pid in owners):
        return None
    if not any(
        family not in written.asked and not _verb(word) and _rare(index, word, OWN_ZIPF)
        for word, family in zip(content, families, strict=True)
    ):
        return None
    display = written.shown[(min(owners), families)]
    forms = frozenset(content) | frozenset(normalize(display).split())
    return _Keyword(families, owners, display, forms)


def _frequency(word: str) -> float:
    """How frequent a word is in Portuguese, or its singular if more ("faturas": "fatura"; the
    small list lacks many plurals)."""
    forms = [word]
    for plural, one in (("ões", "ão"), ("ães", "ão"), ("ais", "al"), ("eis", "el"), ("s", "")):
        if word.endswith(plural) and len(word) > len(plural) + 2:
            forms.append(word[: -len(plural)] + one)
            break
    return max(zipf_frequency(form, "pt", wordlist="small") for form in forms)


_SENTENCE = re.compile(r"[.!?;]+(?:\s|$)")
_BREAK = re.compile(r"[.;:!?()\[\]|=\-–—/]+\s")
_WRITTEN = re.compile(r"[^\W\d_]+", re.UNICODE)


@derived
def _excluded(kb: KB) -> frozenset[str]:
    """Words never evidence: the KB's passwords' and the companies' names'."""
    secret = {w for s in known_secrets(kb) for w in normalize(s).split()}
    return frozenset(secret | company_words(kb))


def typed_secret(kb: KB, text: str) -> tuple[str, frozenset[str]]:
    """The question with a password it types masked as the stores mask it ("senha: 35dias",
    "a senha é comprovantes agendamento"), and the words of what was masked: never evidence,
    never the reason shown."""
    if PASSWORD_WORD.search(text) is None:
        return text, frozenset()
    masked = mask(kb, text)
    if masked == text:
        return text, frozenset()
    typed, kept = text.split(), masked.split()
    gone: set[str] = set()
    for tag, i1, i2, _j1, _j2 in SequenceMatcher(None, typed, kept, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            gone.update(w for token in typed[i1:i2] for w in normalize(token).split())
    return masked, frozenset(gone)


def _customers(figure: Figure) -> bool:
    """Is the figure the customer's own ("cliente com 36 dias", "mudou há 4 meses", "6 meses
    atrás", "35 dias em aberto")?"""
    before = " ".join(figure.before) + " "
    if set(figure.after) & AFTER_CUSTOMERS or any(
        left_unpaid(figure.after, i) for i in range(len(figure.after))
    ):
        return True
    return bool(CUSTOMERS.search(before)) and not set(figure.before[-2:]) & RULE_CUES


def _date(figure: Figure) -> bool:
    date = _DATE.match(figure.number)
    return bool(date) and int(date.group(1)) <= 31 and int(date.group(2)) <= 12  # type: ignore[union-attr]


def _clock(figure: Figure) -> bool:
    """A time of day ("07:30", "18h"), not a span ("4h", "72h")?"""
    if ":" in figure.number:
        return True
    return figure.unit == "hora" and figure.number.isdigit() and 5 <= int(figure.number) <= 23


def _situational(figure: Figure) -> bool:
    """Is the figure of the kind a customer's case is made of (days, months, hours, a reading, a
    clock time, a date, a count of bills, a bare number)?"""
    if _date(figure) or ":" in figure.number or figure.unit in SITUATION_UNITS:
        return True
    if figure.unit.startswith(SITUATION_WORDS):
        return True
    return not figure.unit and not figure.exact


def _quoted(figure: Figure, said: frozenset[str]) -> bool:
    """Does the question quote a rule at this figure: a rule word near it ("até 72 horas"), an
    ordinal ("no 4º dia"), "passou de 35", or a question confirming a rule ("10 dias, né?")?"""
    near = set(figure.before[-3:]) | set(figure.after[1:3]) & AFTER_CUES
    passed = (
        len(figure.before) >= 2
        and figure.before[-2] == "passou"
        and figure.before[-1]
        in (
            "de",
            "dos",
            "do",
        )
    )
    return bool(near & NEAR_CUES or said & CONFIRM or "º" in figure.shown or passed)


def _rare(index: FactsIndex, word: str, below: float) -> bool:
    """Is this word of the question, as the answers write it, rarer than ``below`` in
    Portuguese? (A form they do not write: as frequent as its family's most frequent form.)"""
    frequency = index.zipf.get(word)
    if frequency is None:
        frequency = index.family_zipf.get(term_family(word), below)
    return frequency < below


def stated_facts(
    kb: KB,
    text: str,
    words: Sequence[str],
    used: set[int],
    topics: Sequence[tuple[str, float]],
    moment_stated: bool = False,
    literal: Sequence[str] = (),
) -> Stated | None:
    """The ISP(s) whose answer of one of the question's ``topics`` ((id, score), best first)
    writes the figures, phrases or rare words the question quotes (module doc). ``used``: the
    positions already read as names; ``moment_stated``: the question states a moment ("domingo
    10h"), whose hours are no rule's; ``literal``: its words as typed, before service orders
    were read as one word (``_quotes_typed``)."""
    if not topics or _of_another(words, _label_starts(kb)) or name_slipped(kb, words):
        return None
    index = facts_index(kb)
    text, secret = typed_secret(kb, text)
    excluded = _excluded(kb) | secret
    typed = figures(text)
    quotes = _quotes_typed(literal or words, index, excluded)
    best = topics[0][1]
    close = [t for t, score in topics if score >= CLOSE * best]
    # No favourite (more topics alike than are searched): the evidence counts only where every
    # one of them that holds some names the same ISP(s) ("limite é 30 dias, né?": the visit's
    # 30 days are VM NET's, blocking's LaserNet's and Seja Fibra's).
    unclear = len(close) > MAX_TOPICS
    best_found: tuple[int, str, list[ContextName]] | None = None
    leaders: set[frozenset[str]] = set()
    searched = close if unclear else [t for t, score in topics[:MAX_TOPICS] if t in close]
    for topic_id in searched:
        answers = index.answers.get(topic_id)
        if not answers or len(answers) < 2:
            continue
        points, found = _evidence(
            typed, words, used, answers, excluded, moment_stated, index, topic_id, quotes
        )
        if found:
            leaders.add(found[0].owners)
        if found and (best_found is None or points > best_found[0]):
            best_found = (points, topic_id, found)
    if best_found is None and quotes:
        quoted = _quoted_elsewhere(quotes, topics)
        if quoted is not None:
            return quoted
    if best_found is None and not unclear:
        return _framed_elsewhere(
            index, typed, answered=topics, searched=searched, excluded=excluded
        )
    if best_found is None or (unclear and len(leaders) > 1):
        return None
    return Stated(tuple(best_found[2]), best_found[1])


@dataclass(frozen=True)
class _Quote:
    """A wording one ISP's answers quote and no other ISP's text writes (``_lone_quotes``)."""

    words: tuple[str, ...]
    """Folded, singular, no small word ("abrir", "ordem", "servico")."""
    owner: str
    shown: str
    """As written ("abrir ordem de serviço")."""
    topics: frozenset[str]
    """The topics whose answer (of the owner) quotes it."""
    size: Mapping[str, int]
    """Topic id -> how many words the owner's answer of it writes (the rule is most of the
    shortest: ``_quoted_elsewhere``)."""


def _lone_quotes(
    answers: Mapping[str, Mapping[str, _Answer]],
    writers: Mapping[tuple[str, ...], frozenset[str]],
) -> tuple[_Quote, ...]:
    """Each wording an answer quotes that no other ISP's text writes one word after the other."""
    topics: dict[tuple[tuple[str, ...], str, str], dict[str, int]] = {}
    for topic_id, by in answers.items():
        for pid, answer in by.items():
            for words, shown in answer.quotes:
                if writers.get(words) == frozenset({pid}):
                    topics.setdefault((words, pid, shown), {})[topic_id] = len(answer.words)
    return tuple(
        _Quote(words, pid, shown, frozenset(sizes), sizes)
        for (words, pid, shown), sizes in sorted(topics.items())
    )


SAYING = frozenset(
    "falar fala falo falamos dizer diz digo dizemos informar informa informo usar uso usa "  # noqa: SIM905
    "escrever escrevo mencionar menciono chamar chamo termo frase palavra expressao".split()
)
"""A quoted wording counts only as words to say: one of these before it ("pode falar abrir
ordem de serviço pro cliente?", "uso o termo ..."); QA 11: "posso abrir ordem de serviço?" is
anyone's act, and NETCENTER's text quotes the words only to forbid them."""
SAYING_SPAN = 6
"""How many words before the quoted wording a word of saying may stand."""


def _quotes_typed(
    literal: Sequence[str], index: FactsIndex, excluded: frozenset[str]
) -> tuple[_Quote, ...]:
    """The wordings one answer writes between quotes (``_lone_quotes``) the question types whole,
    their words in order (small words between, at most ``QUOTE_GAP``): 'Não usar "abrir ordem
    de serviço", mas sim "transferir ao setor responsável"' -- "posso falar pro cliente que vou
    abrir ordem de serviço?" quotes NETCENTER's rule of how to speak. The document quotes the
    words as its rule's own; they count only when no other ISP's text writes them one after the
    other (anyone's "segunda via do boleto" is no quote of one). ``literal``: the question's
    words as typed, before "ordem de serviço" is read as "OS" (``text.service_orders``): "abro
    os?" is anyone's, the quoted words are not."""
    if not index.quotes:
        return ()
    at = [i for i, w in enumerate(literal) if phrase_word(w)]
    typed = [singular(literal[i]) for i in at]
    found: list[_Quote] = []
    for quote in index.quotes:
        n = len(quote.words)
        if any(w in excluded for w in quote.words):
            continue
        for k in range(len(typed) - n + 1):
            if tuple(typed[k : k + n]) != quote.words:
                continue
            if any(b - a > QUOTE_GAP + 1 for a, b in pairwise(at[k : k + n])):
                continue
            if not any(w in SAYING for w in literal[max(0, at[k] - SAYING_SPAN) : at[k]]):
                continue  # "posso abrir ordem de serviço?": anyone's act, not how to word it
            found.append(quote)
            break
    return tuple(found)


def _quotes_of_the_topic(
    quotes: Sequence[_Quote], answers: Mapping[str, _Answer], topic_id: str
) -> list[tuple[int, int, str, frozenset[str], int]]:
    """The quoted wordings typed (``_quotes_typed``) that an answer of this topic quotes."""
    return [
        (-1, -1, q.shown, frozenset({q.owner}), FIGURE)
        for q in quotes
        if topic_id in q.topics and q.owner in answers
    ]


def _quoted_elsewhere(
    quotes: Sequence[_Quote], answered: Sequence[tuple[str, float]]
) -> Stated | None:
    """A quoted wording (``_quotes_typed``) typed in a question whose asked topics' answers do
    not write it ("não pode falar abrir ordem de serviço, é transferir ao setor responsável?"
    ranks the sectors first): the topic whose answer quotes it, the best ranked of those the
    question touches, else the first of the catalogue's that does."""
    owners = frozenset(q.owner for q in quotes)
    if len(owners) != 1:
        return None
    scores = dict(answered)
    # Several topics quoting it: the best ranked; alike, the answer the rule is most of.
    candidates = frozenset.intersection(*(q.topics for q in quotes))
    if not candidates:
        return None
    size = {t: sum(q.size.get(t, 0) for q in quotes) for t in candidates}
    topic_id = max(sorted(candidates), key=lambda t: (scores.get(t, 0.0), -size[t]))
    return Stated(
        tuple(ContextName(q.shown, q.shown, owners, 0, 0, term=True) for q in quotes), topic_id
    )


def _framed_elsewhere(
    index: FactsIndex,
    typed: Sequence[Figure],
    answered: Sequence[tuple[str, float]],
    searched: Sequence[str],
    excluded: frozenset[str],
) -> Stated | None:
    """A figure typed as one topic's answer frames it (``_framed``), in a topic the question
    also touches but ranks lower ("24h corridas em dia de semana, e fim de semana?": the weekend
    asks for the on-call topic; Seja Fibra's deadlines write "48h corridas aos fins de
    semana"): that topic and that ISP, when no other topic holds such a figure."""
    found: list[tuple[str, tuple[int, int, str, frozenset[str], int]]] = []
    for topic_id, _score in answered:
        answers = index.answers.get(topic_id)
        if topic_id in searched or not answers or len(answers) < 2:
            continue
        own = index.topic_words.get(topic_id, frozenset())
        for figure in typed:
            if _customers(figure) or _date(figure) or _clock(figure):
                continue
            if any(w in excluded for w in normalize(figure.shown).split()):
                continue
            framed = _framed(figure, answers, excluded, own)
            if framed is not None:
                found.append((topic_id, framed))
    if len({topic for topic, _piece in found}) != 1 or len({p[3] for _t, p in found}) != 1:
        return None
    names = tuple(
        ContextName(shown, shown, owners, 0, 0, term=True)
        for _topic, (_s, _e, shown, owners, _w) in found
    )
    return Stated(names, found[0][0])


@derived
def _label_starts(kb: KB) -> frozenset[tuple[str, str]]:
    """The first two word families of the labels the answers write (``_own_keywords``)."""
    return frozenset(
        (k.families[0], k.families[1])
        for keywords in facts_index(kb).keywords.values()
        for k in keywords
        if len(k.families) >= 2
    )


OTHER = frozenset({"outro", "outra", "outros", "outras"})
OTHER_BEFORE = frozenset("na no nas nos da do das dos em a o as os de pra pro".split())  # noqa: SIM905
OTHER_TIME = frozenset("dia dias vez vezes semana mes ano hora lado".split())  # noqa: SIM905
"""After "no outro", these make it a time ("no outro dia", "outra vez"), not another ISP."""


def _of_another(words: Sequence[str], labels: frozenset[tuple[str, str]] = frozenset()) -> bool:
    """The question contrasts the ISP asked about with another one ("na outra era 35 dias,
    nessa bloqueia com quantos?", "no outro provedor bloqueava no 4º dia"): a figure it quotes
    may be that other ISP's, never a reason to name one. ``labels``: the first two word
    families of the labels the answers write ("os de Outras Demandas" is a kind of OS)."""
    for i, word in enumerate(words):
        if word not in OTHER or i == 0 or words[i - 1] not in OTHER_BEFORE:
            continue
        if i + 1 < len(words) and (term_family(word), term_family(words[i + 1])) in labels:
            continue
        if i + 1 >= len(words) or words[i + 1] not in OTHER_TIME:
            return True
    return False


NAME_SLIP_ZIPF = 3.0
"""A word rarer than this in Portuguese may be an ISP's name typed short ("vmnt", "mtum")."""


NAME_SHARE = 0.5
"""... holding at least this share of the name's letters ("mtum" of "mutum", "vmnt" of "vmnet")."""


@derived
def _compact_names(kb: KB) -> frozenset[str]:
    """Every ISP's id, name and aliases, folded, without spaces or hyphens ("netcenter")."""
    return frozenset(
        re.sub(r"[\s\-]+", "", fold(name))
        for provider in kb.providers.values()
        for name in (provider.id, provider.name, *provider.aliases)
    )


def name_slipped(kb: KB, words: Sequence[str], read: Iterable[int] = ()) -> bool:
    """Does the question type a word no dictionary knows that is an ISP's name typed short or
    with letters missing ("vmnt:", "mtum", "vnet": its letters, in order, from the name's
    first, at least half of them)? The agent named an ISP the index did not find: another
    ISP's rule quoted beside it must not answer for it (QA 9b) -- which ISP is asked.
    ``read``: the positions already read as something else ("vl" of "vl guilherme", a place)."""
    names = _compact_names(kb)
    skipped = frozenset(read)
    for at, word in enumerate(words):
        if at in skipped or len(word) < 2 or not word.isalpha() or word in STOPWORDS:
            continue
        if word in names or zipf_frequency(word, "pt", wordlist="small") >= NAME_SLIP_ZIPF:
            continue
        for name in names:
            if name[0] != word[0] or len(word) >= len(name) or len(word) < NAME_SHARE * len(name):
                continue  # another word ("sab" of "sábado" is no "sejafibra")
            rest = iter(name)
            if all(letter in rest for letter in word):
                return True
    return False


RUN = 4
"""Words of a run typed as one answer writes them ("dados do wifi pros técnicos que
instalaram"); three are still anyone's ("segunda via do boleto", "custa a visita improdutiva",
"roteador adicional como repetidor")."""
RUN_SKIPS = frozenset(["pros", "pras"])
"""Small words a run skips that are no stop words ("pros técnicos": para os)."""


def _runs_of(words: Sequence[str]) -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
    """The runs of ``RUN`` words (their families, their positions) of a text, small words
    skipped (``phrase_word``)."""
    content = [i for i, w in enumerate(words) if phrase_word(w) and w not in RUN_SKIPS]
    return [
        (tuple(term_family(words[i]) for i in at), tuple(at))
        for at in (content[k : k + RUN] for k in range(len(content) - RUN + 1))
    ]


def _runs_typed(
    words: Sequence[str],
    taken: set[int],
    answers: Mapping[str, _Answer],
    excluded: frozenset[str],
    index: FactsIndex,
    topic_id: str,
) -> list[tuple[int, int, str, frozenset[str], int]]:
    """``RUN`` words typed one after the other as one or two answers of the topic alone write
    them, one of them no everyday word (``OWN_ZIPF``, no verb) and one beyond the topic's own
    wording: "passa os dados do wifi pros técnicos que instalaram" (Mutum's cameras), the
    answer's own sentence, not the words anyone would put side by side. Adds their positions to
    ``taken``."""
    found: list[tuple[int, int, str, frozenset[str], int]] = []
    own = index.topic_words.get(topic_id, frozenset())
    for families, at in _runs_of(words):
        if set(families) <= own:
            continue  # the topic's own question ("prazo de atendimento do suporte residencial")
        if set(at) & taken or any(words[i] in excluded or words[i] in CASE_WORDS for i in at):
            continue
        if not any(_rare(index, words[i], OWN_ZIPF) and not _VERB.search(words[i]) for i in at):
            continue
        owners = frozenset(p for p, a in answers.items() if families in a.runs)
        if owners and len(owners) <= 2 and len(owners) < len(answers):
            found.append((at[0], at[-1] + 1, " ".join(words[at[0] : at[-1] + 1]), owners, FIGURE))
            taken.update(range(at[0], at[-1] + 1))
    return found


def _phrase_runs(
    words: Sequence[str],
    taken: set[int],
    answers: Mapping[str, _Answer],
    excluded: frozenset[str],
    index: FactsIndex,
    topic_id: str,
) -> list[tuple[int, int, str, frozenset[str], int]]:
    """A catalogue keyword only one ISP's texts write (``FactsIndex.own_phrases``: "roteador
    adicional"), typed with the word that ISP's answer of the topic writes beside it, three
    words one after the other that no other ISP writes ("cliente usa roteador adicional como
    repetidor?": LaserNet's "roteador adicional como repetidor"; "reset foi queda de energia":
    VM NET's "reset ou queda de energia"). The keyword alone is anyone's matter (session 10:
    "roteador adicional"); the word beside it is no verb ("alterar a data de vencimento" is
    the customer's wish) and none of the case's. Adds their positions to ``taken``."""
    if not index.own_phrases:
        return []
    content = [
        i
        for i, w in enumerate(words)
        if phrase_word(w) and w not in CASE_WORDS and w not in excluded and i not in taken
    ]
    found: list[tuple[int, int, str, frozenset[str], int]] = []
    for k in range(len(content) - 2):
        at = content[k : k + 3]
        if any(b - a > PHRASE_SPAN for a, b in pairwise(at)):
            continue
        families = tuple(term_family(words[i]) for i in at)
        if families[:2] in index.own_phrases:
            extra = words[at[2]]
        elif families[1:] in index.own_phrases:
            extra = words[at[0]]
        else:
            continue
        if _verb(extra) or set(at) & taken:
            continue
        if any(words[i] in excluded for i in range(at[0], at[-1] + 1)):
            continue  # a password typed between its words: it would be quoted in the why-line
        writers = index.grams.get(families, frozenset())
        if len(writers) != 1 or len(answers) < 2:
            continue
        pid = min(writers)
        if pid not in answers or families not in index.held.get((pid, topic_id), ()):
            continue
        found.append((at[0], at[-1] + 1, " ".join(words[at[0] : at[-1] + 1]), writers, FIGURE))
        taken.update(range(at[0], at[-1] + 1))
    return found


def _framed(
    figure: Figure,
    answers: Mapping[str, _Answer],
    excluded: frozenset[str],
    own: frozenset[str],
) -> tuple[int, int, str, frozenset[str], int] | None:
    """A figure typed between the words one or two answers of the topic write it between ("cobra
    a taxa de 50?": "é cobrada uma taxa de R$50"; "24 horas úteis"; "redução de velocidade com 7
    dias": the rule as written, not the customer's case), as evidence naming them, or None.

    The topic's own wording (``own``: "visita", "mudança", "corporativo") frames anyone's figure
    ("visita marcada pra daqui 30 dias", "segunda mudança em 6 meses", "corporativo parado 4h"):
    it counts only two words together ("redução de velocidade com 7 dias"); one word beyond it
    is enough ("taxa de 50", "24h corridas", "opção 1", "mais de 35 dias"). A bare figure typed
    matches the answer's with any word after it ("opção 1 ou ...": "opção 1 - SEGUNDA VIA")."""
    matched: dict[str, set[str]] = {}
    for side, word in figure.frame:
        if word in excluded:
            continue
        for pid, answer in answers.items():
            for number, unit, written_side, written in answer.frames:
                if number != figure.number or written_side != side:
                    continue
                if figure.unit in _UNIT_KEYS and unit != figure.unit:
                    continue  # "24 horas" is no "24 dias"; "opção 1 ou ..." is "opção 1 - ..."
                if _same_word(word, written):
                    matched.setdefault(pid, set()).add(word)
    owners = frozenset(
        pid
        for pid, found in matched.items()
        if len(found) >= 2 or any(term_family(w) not in own for w in found)
    )
    if not owners or len(owners) > 2 or len(owners) >= len(answers):
        return None
    return (-1, -1, _framed_shown(figure, matched[min(owners)]), owners, FIGURE)


FIGURE_RUN = 2
"""Words after a figure (its own word first, no small ones) that make it a run of one answer's
wording ("4 primeiros números": Mutum's "Senha: 4 primeiros números CPF")."""


def _figure_run(
    figure: Figure,
    answers: Mapping[str, _Answer],
    excluded: frozenset[str],
    grams: Mapping[tuple[str, ...], frozenset[str]],
) -> tuple[int, int, str, frozenset[str], int] | None:
    """A figure typed with the words one answer of the topic writes after it, as evidence naming
    that ISP, or None: "a senha são os 4 primeiros números do cpf?" quotes Mutum's "4
    primeiros números CPF", where NETCENTER writes "4 primeiros dígitos do CPF" (the figure and
    its word alone are both ISPs'). Its word is no unit ("4 dias", "72 horas" are anyone's
    case), none of its words tells days late or due ("35 dias de atraso"), and no other ISP's
    text, of any topic, writes those words one after the other."""
    if not figure.unit or figure.unit in _UNIT_KEYS or _clock(figure) or _date(figure):
        return None
    after = [w for w in figure.after if phrase_word(w)]
    run = after[: FIGURE_RUN + 1]
    if len(run) < FIGURE_RUN or any(w in excluded or w in CASE_WORDS for w in run):
        return None
    if any(w.startswith(FRAME_SITUATION) or w.startswith(SITUATION_WORDS) for w in run):
        return None
    for n in range(len(run), FIGURE_RUN - 1, -1):
        families = tuple(term_family(w) for w in run[:n])
        # The same words in other words ("números" / "dígitos" of the CPF) are one rule: its
        # writers together (QA 11: the agent's choice of word picked Mutum or NETCENTER).
        writers = frozenset().union(*(grams.get(f, frozenset()) for f in _said_alike(families)))
        owners = frozenset(
            pid
            for pid in writers
            if pid in answers and (figure.number, figure.unit) in answers[pid].figures
        )
        if 1 <= len(writers) <= 2 and owners == writers and len(answers) > len(writers):
            return (-1, -1, f"{figure.number} {' '.join(run[:n])}", owners, FIGURE)
        if writers:
            return None
    return None


ALIKE = {"numer": "digit", "digit": "numer"}
"""Word families that say the same of a figure ("4 primeiros números" / "dígitos do CPF")."""


def _said_alike(families: tuple[str, ...]) -> list[tuple[str, ...]]:
    """``families`` and, with the families of :data:`ALIKE` swapped, the words said otherwise."""
    swapped = tuple(ALIKE.get(f, f) for f in families)
    return [families] if swapped == families else [families, swapped]


def _range_written(
    figure: Figure, answers: Mapping[str, _Answer]
) -> tuple[int, int, str, frozenset[str], int] | None:
    """A range typed as one or two answers of the topic write it ("rx de -15 a 22": Mutum's
    "RX - -15 a 22dB"; "de 30 a 120 dias": NETCENTER's temporary suspension), as evidence
    naming them, or None; a range of times or dates is the clock's."""
    end = figure.to
    if end is None or any(_clock(f) or _date(f) for f in (figure, end)):
        return None
    key = _range_key(figure, end)
    owners = frozenset(
        pid
        for pid, answer in answers.items()
        for start, to, unit in answer.ranges
        if (start, to) == key[:2] and (end.unit not in _UNIT_KEYS or unit == end.unit)
    )
    if not owners or len(owners) > 2 or len(owners) >= len(answers):
        return None
    return (-1, -1, f"{figure.written} a {end.written}", owners, FIGURE)


SPANS = frozenset(["dia", "mes"])
"""Units of a span a customer asks for ("por 60 dias"); a reading ("3 dB") is no span."""
DAYS = {"dia": 1, "mes": 30}
"""A span's days: "por 2 meses" is within "de 30 a 120 dias"."""
SPAN_CUES = frozenset([("por",), ("de",), ("uns",), ("umas",)])
"""The word before a span asked for: "por 60 dias", "suspensão de 60 dias", "uns 2 meses"."""
DEBT_WORDS = frozenset(["devendo", "deve", "atraso", "atrasado", "atrasada", "vencido", "vencida"])
"""Words of the customer's debt before a span: "devendo de 120 dias" is the case, not a rule."""


def _within_range(
    figure: Figure, answers: Mapping[str, _Answer], asked: frozenset[str]
) -> tuple[int, int, str, frozenset[str], int] | None:
    """A span asked for ("por 60 dias", "de 60 dias") within a range (its ends too) one or two
    answers of the topic write in the same unit, as evidence naming them, or None: "suspensão do
    contrato por 60 dias" is within NETCENTER's "Suspensão temporária: possível de 30 a 120
    dias". The customer's case was left out before ("cliente com 60 dias"); a debt's days
    ("devendo 120 dias") and a reading ("tx 3 db": Mutum's "2 a 3 dB") are no span asked. The
    question names what the range is of with a word of its line ("suspender", "suspensão"):
    "quer pausa na internet por 2 meses" is another matter (Seja Fibra's "Pausa no contrato").
    ``asked``: the families of the question's words."""
    if figure.unit not in SPANS or not figure.number.isdigit():
        return None
    if figure.before[-1:] not in SPAN_CUES or set(figure.before) & DEBT_WORDS:
        return None  # "devendo 120 dias": the customer's case, not a span asked for
    days = int(figure.number) * DAYS[figure.unit]
    owners = frozenset(
        pid
        for pid, answer in answers.items()
        for start, to, unit, line in answer.spans
        if unit in SPANS
        and asked & line
        and start.isdigit()
        and to.isdigit()
        and int(start) * DAYS[unit] <= days <= int(to) * DAYS[unit]
    )
    if not owners or len(owners) > 2 or len(owners) >= len(answers):
        return None
    return (-1, -1, figure.shown, owners, FIGURE)


def _own_channel(
    words: Sequence[str], taken: set[int], answers: Mapping[str, _Answer], index: FactsIndex
) -> list[tuple[int, int, str, frozenset[str], int]]:
    """A channel (``CHANNELS``) that only one ISP's texts write at all, typed in a question its
    answer of the topic answers: "segunda via do boleto no bot?" (Seja Fibra's bill answer
    alone sends the customer to a bot; "chat", "app", "site", "menu" are several ISPs')."""
    found: list[tuple[int, int, str, frozenset[str], int]] = []
    for i, word in enumerate(words):
        if i in taken or word not in CHANNELS:
            continue
        if word in THIS_BOT and (i == 0 or words[i - 1] not in CHANNEL_BEFORE):
            continue
        family = term_family(word)
        if index.writers.get(family, 0) != 1:
            continue
        owners = frozenset(pid for pid, answer in answers.items() if family in answer.families)
        if len(owners) == 1 and len(answers) > 1:
            found.append((i, i + 1, word, owners, FIGURE))
            taken.add(i)
    return found


def _as_written(
    figure: Figure, answers: Mapping[str, _Answer], excluded: frozenset[str]
) -> tuple[int, int, str, frozenset[str], int] | None:
    """A reading typed as one or two answers of the topic write it, as evidence naming them, or
    None: after the short label the answer writes before it ("tx tá -27?":
    NETCENTER's "Tx: -27.00 dBm"; not "rx -27", a reading no answer labels so), or with the
    decimals only one answer writes ("-26.00": NETCENTER; VM NET writes "-26dBm"). A figure
    alone is anyone's reading ("sinal -27", "-26 dbm" stay asked); a time of day or a date is
    the clock's."""
    if _clock(figure) or _date(figure):
        return None
    label = figure.label if figure.label not in excluded else ""
    decimals = bool(_DECIMALS.match(figure.written))
    if not label and not decimals:
        return None
    owners = frozenset(answers)
    if label:
        owners = frozenset(pid for pid in owners if (label, figure.number) in answers[pid].labelled)
    if decimals:
        owners = frozenset(pid for pid in owners if figure.written in answers[pid].written_as)
    if not owners or len(owners) > 2 or len(owners) >= len(answers):
        return None
    return (-1, -1, f"{label} {figure.written}".strip(), owners, FIGURE)


def _framed_shown(figure: Figure, words: set[str]) -> str:
    """The figure with the words that frame it, as typed: "24 horas uteis", "opcao 1", "taxa …
    50" (a gap where words were left out)."""
    if figure.unit not in _UNIT_KEYS and not figure.exact:
        figure = replace(figure, shown=figure.shown.split()[0], unit="")  # "1", not "1 ou mando"
    after = [w for side, w in figure.frame if side == "a" and w in words]
    if after:
        next_word = figure.after[1 if figure.unit else 0 : 2 if figure.unit else 1]
        glue = " " if next_word == (after[0],) else " … "
        return figure.shown + glue + " … ".join(after)
    before = [w for side, w in figure.frame if side == "b" and w in words][::-1]
    glue = " " if figure.before[-1:] == (before[-1],) else " … "
    return " … ".join(before) + glue + figure.shown


def _evidence(
    typed: Sequence[Figure],
    words: Sequence[str],
    used: set[int],
    answers: Mapping[str, _Answer],
    excluded: frozenset[str],
    moment_stated: bool,
    index: FactsIndex,
    topic_id: str = "",
    quotes: Sequence[_Quote] = (),
) -> tuple[int, list[ContextName]]:
    """(the points of the ISP(s) named, the evidence naming them) or (0, [])."""
    pieces: list[tuple[int, int, str, frozenset[str], int]] = []
    taken = set(used)
    said = frozenset(words)
    kb_runs = index.grams
    asked = frozenset(
        term_family(w) for w in words if phrase_word(w) and w not in CASE_WORDS and w not in UNITS
    )
    clocks: list[tuple[int, int, str, frozenset[str], int]] = []
    clock_numbers: dict[str, str] = {}  # shown -> number, of the clocks
    stating = False  # a time stated as the rule ("o plantão é 07:30 até 11:30")
    for figure in typed:
        quote = _range_written(figure, answers) or _figure_run(figure, answers, excluded, kb_runs)
        if quote is not None:
            # A range, or a figure with the words one answer writes after it: a rule quoted
            # (the customer's case is one figure and its unit: "são 4 dias").
            pieces.append(quote)
            continue
        if _customers(figure) or _date(figure):
            continue  # "cliente com 36 dias", "vence 31/10": the customer's case
        if figure.unit == "mega" and measured(figure.before, figure.after[1:]):
            continue  # "o teste deu 75 mega": the customer's reading, no plan quoted
        if any(w in excluded for w in normalize(figure.shown).split()):
            continue
        written = _as_written(figure, answers, excluded) or _within_range(figure, answers, asked)
        if written is not None:
            pieces.append(written)
            continue
        own = index.topic_words.get(topic_id, frozenset())
        framed = None if _clock(figure) else _framed(figure, answers, excluded, own)
        if framed is not None:
            pieces.append(framed)
            continue
        if moment_stated and figure.unit in HOURS and not _clock(figure):
            continue  # (a time of day counts only in a range: see the clocks below)
        if _situational(figure) and not _clock(figure) and not _quoted(figure, said):
            continue  # "atrasou 35 dias", "abre às 9h?", "vence 31/10": the customer's case
        number, unit = figure.number, figure.unit
        owners = frozenset(p for p, a in answers.items() if (number, unit) in a.figures)
        # A bare figure counts one point, two where the question quotes a rule ("com 35, né?").
        weight = FIGURE if unit or figure.exact else BARE + _quoted(figure, said)
        shown = figure.shown
        if not owners and unit and len(number.lstrip("-")) >= 2:
            # "rx -26 tx -27": the word after is another figure's, the number still counts.
            owners = frozenset(p for p, a in answers.items() if number in a.numbers)
            weight = FIGURE if figure.exact else BARE + _quoted(figure, said)
            shown = shown.split()[0]
        elif not unit and not figure.exact and len(number.lstrip("-")) < 2:
            continue
        if owners and len(owners) <= 2 and len(owners) < len(answers):
            if _clock(figure):
                clocks.append((-1, -1, shown, owners, weight))
                clock_numbers[shown] = number
                stating = stating or _states_a_time(figure)
            else:
                pieces.append((-1, -1, shown, owners, weight))
    # A time of day is anyone's ("atende até 18h?"); a range of one answer's is quoted as its
    # rule ("almoço das 13:30 às 15:30", "das 13:30 às 15:30, né?"), not as a moment asked
    # about ("das 13:30 às 15:30 quem atende?").
    for owner in {pid for *_rest, owners, _w in clocks for pid in owners}:
        ranged = [c for c in clocks if owner in c[3]]
        numbers = frozenset(clock_numbers[c[2]] for c in ranged)
        if len(ranged) >= 2 and (
            stating or _range_quoted(numbers, answers[owner], words, said, index, topic_id)
        ):
            pieces.extend(c for c in ranged if c not in pieces)
    pieces.extend(_own_keywords_typed(words, taken, answers, excluded, index, topic_id))
    pieces.extend(_quotes_of_the_topic(quotes, answers, topic_id))
    pieces.extend(_own_channel(words, taken, answers, index))
    for i, j in word_pairs(words):
        if {i, j} & taken or words[i] in excluded or words[j] in excluded:
            continue
        pair = (term_family(words[i]), term_family(words[j]))
        rare = any(_rare(index, w, PAIR_ZIPF) and not _VERB.search(w) for w in (words[i], words[j]))
        owners = frozenset(p for p, a in answers.items() if pair in a.pairs)
        if pair in index.catalogue or not rare:
            continue  # the catalogue's wording, or two ordinary words ("horário da loja")
        if owners and len(owners) <= 2 and len(owners) < len(answers):
            pieces.append((i, j + 1, " ".join(words[i : j + 1]), owners, FIGURE))
            taken.update(range(i, j + 1))
    pieces.extend(_runs_typed(words, taken, answers, excluded, index, topic_id))
    pieces.extend(_phrase_runs(words, taken, answers, excluded, index, topic_id))
    pieces.extend(_together(words, taken, answers, excluded, index, topic_id))
    for i, word in enumerate(words):
        if i in taken or word in excluded or word in STOPWORDS or not phrase_word(word):
            continue
        family = term_family(word)
        if len(word) < MIN_WORD or not _rare(index, word, WORD_ZIPF) or _VERB.search(word):
            continue
        owners = frozenset(p for p, a in answers.items() if family in a.families)
        if len(owners) == 1:
            pieces.append((i, i + 1, word, owners, BARE))
            taken.add(i)
    if not pieces:
        return 0, []
    points: dict[str, int] = {}
    for *_rest, owners, weight in pieces:
        for pid in owners:
            points[pid] = points.get(pid, 0) + weight
    ranked = sorted(points.items(), key=lambda kv: -kv[1])
    top = ranked[0][1]
    leaders = frozenset(pid for pid, p in ranked if p == top)
    if top < ENOUGH or len(leaders) > 2:
        return 0, []
    return top, [
        ContextName(
            " ".join(words[start:end]) if start >= 0 else shown,
            shown,
            leaders,
            max(start, 0),
            max(end, 0),
            term=True,
        )
        for start, end, shown, owners, _weight in pieces
        if owners & leaders
    ]


MOMENT_WORDS = frozenset(
    """
    segunda terca quarta quinta sexta sabado domingo seg ter qua qui sex sab dom feira feriado
    feriados dia dias semana fim hora horas horario horarios manha tarde noite madrugada meio
    """.split()  # noqa: SIM905
)
"""Words of a moment, anyone's: beside a time range they say when, not what the range is."""


STATES = frozenset({"eh", "era", "regra", "limite"})
"""Words just before a time that state it as a rule ("o plantão é 07:30 até 11:30")."""
_RANGE_LINKS = frozenset({"das", "de", "a", "as", "da"})


def _states_a_time(figure: Figure) -> bool:
    """Is the time stated as the rule ("é das 13:30", "sábado eh 07:30", "era 07:30")?"""
    near = figure.before[-2:]
    if set(near) & STATES:
        return True
    # "é" is folded "e", as "and" is: only just before the time or its "das".
    return near[-1:] == ("e",) or (len(near) == 2 and near[0] == "e" and near[1] in _RANGE_LINKS)


def _range_quoted(
    numbers: frozenset[str],
    answer: _Answer,
    words: Sequence[str],
    said: frozenset[str],
    index: FactsIndex,
    topic_id: str,
) -> bool:
    """Is a time range the question types (``numbers``) quoted as the rule ``answer`` writes:
    the question confirms one ("..., né?"; a time stated, "é das 13:30", is ``_states_a_time``'s),
    or it names what the
    range is with a word the answer writes in the range's sentence ("almoço das 13:30 às
    15:30": "Horário de almoço das 13:30h as 15:30"), not the topic's own wording ("atende",
    "horário") nor a moment's ("sábado")? Alone, a range is a moment asked about ("das 13:30
    às 15:30 quem atende?"): which ISP is asked, as for any time."""
    if said & CONFIRM:
        return True
    ordinary = index.topic_words.get(topic_id, frozenset())
    named = {term_family(w) for w in words if phrase_word(w) and w not in MOMENT_WORDS} - ordinary
    return any(
        len(numbers & written) >= 2 and named & families for written, families in answer.timed
    )


_COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")
"""A word made of words joined by hyphens ("pré-paga")."""


def _verb(word: str) -> bool:
    """A verb's form ("reter", "finalizar", "localizar"): how anyone says what to do, no
    matter of one ISP's; an English word ending alike ("gamer") is none."""
    return bool(_VERB.search(word)) and zipf_frequency(word, "en", wordlist="small") < BORROWED


FORM_GAP = 3
"""A word typed for a keyword's word of its family differs from it by at most this many letters
("renegociações", "gamers"); more is another word ("titular" is no "titularidade")."""


def _form_of(typed: str, keyword: _Keyword, vocabulary: Mapping[str, str]) -> bool:
    """Is the typed word one of the keyword's words in another form (or as the catalogue's
    vocabulary reads it: "susp" is "suspensao"), and no verb ("pausar o contrato", "quer
    suspender": how anyone words the customer's wish, where the rule's label quotes the ISP:
    "pausa no contrato", "suspensão temporária")?"""
    if typed in STOPWORDS:
        return True
    meant = vocabulary.get(typed, typed)
    family = term_family(meant)
    near = any(
        term_family(form) == family and abs(len(form) - len(meant)) <= FORM_GAP
        for form in keyword.forms
    )
    # A one-word label in a verb's form is the same matter ("renegociar": "Renegociações"); a
    # longer label's head in a verb, with or without its object, is how any customer words the
    # wish ("quer pausar o contrato", "quer suspender"): the studied sets' writers label it
    # one ISP's as often as the no-ISP probe asks it of anyone.
    single = len(keyword.families) == 1
    return near and (typed in keyword.forms or single or not _verb(typed))


def _own_keywords_typed(
    words: Sequence[str],
    taken: set[int],
    answers: Mapping[str, _Answer],
    excluded: frozenset[str],
    index: FactsIndex,
    topic_id: str,
) -> list[tuple[int, int, str, frozenset[str], int]]:
    """The topic's own keywords (``_own_keywords``) the question types, its words side by side
    (stop words between; ``_form_of``), longest first: "suspensão temporária" -> NETCENTER.
    Adds their positions to ``taken``."""
    keywords = index.keywords.get(topic_id, ())
    if not keywords:
        return []
    content = [i for i, w in enumerate(words) if w not in STOPWORDS]
    families = [term_family(index.vocabulary.get(words[i], words[i])) for i in content]
    found = []
    for keyword in sorted(keywords, key=lambda k: -len(k.families)):
        if not keyword.owners <= answers.keys():
            continue  # an owner's answer of the topic is a credential: never a reason
        n = len(keyword.families)
        for k in range(len(families) - n + 1):
            at = content[k : k + n]
            if tuple(families[k : k + n]) != keyword.families or taken & set(at):
                continue
            if any(
                words[i] in excluded or not _form_of(words[i], keyword, index.vocabulary)
                for i in at
            ):
                continue
            start, end = at[0], at[-1] + 1
            found.append((start, end, keyword.display, keyword.owners, FIGURE))
            taken.update(range(start, end))
            break
    return found


TOGETHER_GAP = 3
"""Two words of the question count together when at most this many content words apart."""
TOGETHER_MIN = 4
"""Shortest word that counts together ("loja"; "tem", "ver" are anyone's)."""
FEW_WRITERS = 2
"""One of the two words must be written by at most this many ISPs' answers, of any topic
("loja", "recorrente", "exceção"): "setor", "transfiro", "contratar" are everyone's."""
CASE_WORDS = frozenset(
    [
        "cliente",
        "clientes",
        "cli",
        "clt",
        "cliete",
        "assinante",
        "usuario",
        "pessoa",
        "ele",
        "ela",
        "dele",
        "dela",
        "gente",
        "pode",
        "posso",
        "quer",
        "queria",
        "falar",
        "diz",
        "disse",
        "fala",
        "tem",
        "esta",
        "estao",
        "ta",
    ]
)
"""The customer and the agent themselves: words of the case, not of one ISP's rule."""
THIS_BOT = frozenset({"bot", "robo"})
"""What agents call this tool ("valeu bot", "esse bot não sabe", "o bot travou"): one ISP's channel
only where the customer uses it ("no bot", "pelo bot": ``CHANNEL_BEFORE``). QA 11: "bot me ajuda:
segunda via do boleto" named Seja Fibra, whose bill answer alone writes "bot"."""
CHANNEL_BEFORE = frozenset({"no", "pelo", "via", "pro"})
CHANNELS = frozenset(
    "chat bot site app aplicativo email whatsapp zap telefone menu opcao".split()  # noqa: SIM905
)
"""Where a customer reaches an ISP ("pelo chat", "no app", "opção 1 do menu"): every ISP has them,
one ISP's answer merely says which it uses."""


def _together(
    words: Sequence[str],
    taken: set[int],
    answers: Mapping[str, _Answer],
    excluded: frozenset[str],
    index: FactsIndex,
    topic_id: str,
) -> list[tuple[int, int, str, frozenset[str], int]]:
    """Two ordinary words of a question that names the topic by a word of its own
    (``FactsIndex.topic_names``), at most ``TOGETHER_GAP`` words apart (stop words aside), that
    one ISP's answer of the topic writes in one sentence while no other ISP's answer of the topic
    writes either: "cliente resetou, tem que levar na loja?" -> the ISP whose reset answer sends
    the device to the shop ("levar … loja"). Neither word is the topic's own wording, the case's
    (``CASE_WORDS``) or a short one, and one of them is written by few ISPs' answers at all
    (``FEW_WRITERS``)."""
    names = index.topic_names.get(topic_id, frozenset())
    if not any(term_family(w) in names for w in words if w not in STOPWORDS):
        return []  # the topic is not named: its words may be anyone's
    own = index.topic_words.get(topic_id, frozenset()) | index.shared_words
    content = [i for i, w in enumerate(words) if w not in STOPWORDS]
    place = {i: k for k, i in enumerate(content)}
    usable = [
        (i, term_family(words[i]))
        for i in content
        if i not in taken
        and words[i] not in excluded
        and words[i] not in CASE_WORDS
        and phrase_word(words[i])
        and len(words[i]) >= TOGETHER_MIN
        and term_family(words[i]) not in own
    ]
    found: list[tuple[int, int, str, frozenset[str], int]] = []
    for k, (i, a) in enumerate(usable):
        for j, b in usable[k + 1 :]:
            if place[j] - place[i] > TOGETHER_GAP:
                break
            if a == b or min(index.writers.get(a, 0), index.writers.get(b, 0)) > FEW_WRITERS:
                continue  # both words are the KB's everyday wording ("transfiro ... setor")
            owners = frozenset(
                pid
                for pid, answer in answers.items()
                if any(a in s and b in s for s in answer.sentences)
            )
            if len(owners) != 1:
                continue
            others = [pid for pid in answers if pid not in owners]
            if others and not any(
                a in answers[pid].families or b in answers[pid].families for pid in others
            ):
                found.append((i, j + 1, f"{words[i]} … {words[j]}", owners, ENOUGH))
    return found
