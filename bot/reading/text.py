"""Text normalisation shared by matching, search and the fidelity check.

``normalize`` folds case and accents, turns punctuation into spaces and collapses whitespace, so
that "Qual o DNS da Mutum?" and "qual o dns da mutum" compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case and strip accents (ç -> c, ã -> a), keeping everything else."""
    if text.isascii():  # nothing to decompose; ASCII's case fold is its lower case
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_INVISIBLE = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Direction marks and overrides: they make a stored question read differently from what it is."""
_ZERO_WIDTH = frozenset("\u200b\u2060\ufeff\u00ad")
"""Zero-width space, word joiner, BOM, soft hyphen: invisible inside a word pasted from a document
or a web page ("/d\u200bns mutum" must read "/dns mutum")."""
_REMOVED = _INVISIBLE | _ZERO_WIDTH
_JOINERS = frozenset("\u200c\u200d")
"""Zero-width (non-)joiners: removed beside a letter or digit, where they only split a word;
kept between symbols, where they build an emoji (a family, a flag)."""


def clean_input(text: str) -> str:
    """What a person typed, fit to answer and to store: control characters (NUL, ESC, DEL, the
    C1 range), direction overrides and zero-width characters inside words removed, tabs and line
    breaks kept as spaces and lines. Every door's text goes through this (the core's ``answer``,
    the gaps and audit logs)."""
    if text.isprintable():  # the usual case: nothing to remove
        return text
    kept = []
    for at, ch in enumerate(text):
        if ch in "\n\t":
            kept.append(ch)
        elif ch == "\r":
            kept.append("\n")
        elif ch in _JOINERS:
            beside = text[at - 1 : at] + text[at + 1 : at + 2]
            if not any(c.isalnum() for c in beside):
                kept.append(ch)
        elif unicodedata.category(ch) != "Cc" and ch not in _REMOVED:
            kept.append(ch)
    return "".join(kept)


def normalize(text: str) -> str:
    """Fold case and accents, punctuation to spaces, whitespace collapsed.

    Memoised: the same KB names and keywords are normalised on every question. A plain word
    (ASCII letters and digits: a question's words once normalised) is its own lower case, and
    stays out of the memo: a pasted message's thousand words would flush the KB's."""
    if text.isascii() and text.isalnum():
        return text.lower()
    return _normalize(text)


@lru_cache(maxsize=16384)
def _normalize(text: str) -> str:
    return _NON_WORD.sub(" ", fold(text)).strip()


def compact(text: str) -> str:
    """``normalize`` without spaces: "W5-1200G" and "w5 1200g" both give "w51200g"."""
    if text.isascii() and text.isalnum():
        return text.lower()
    return _compact(text)


@lru_cache(maxsize=16384)
def _compact(text: str) -> str:
    return _normalize(text).replace(" ", "")


def tokens(text: str) -> list[str]:
    return normalize(text).split()


# --------------------------------------------------------------------------- pt-BR words

PAYMENT_WORDS = frozenset(
    "valor preco custa custo taxa cobra paga pagar pago boleto".split()  # noqa: SIM905
)
"""Words of a sum charged or paid: the reader's price cues before a number ("valor de 99,90")
and its visit charges ("cobra a visita?") are these and their own."""


LEFT_OPEN = frozenset("aberto aberta abertos abertas".split())  # noqa: SIM905
UNPAID_BEFORE = frozenset(
    {"em", "boleto", "boletos", "fatura", "faturas", "conta", "contas", "mensalidade"}
)


def left_unpaid(words: Sequence[str], i: int) -> bool:
    """Is the word at ``i`` "aberto" of a bill left unpaid ("deixou o anterior em aberto", "2
    boletos abertos"), not of a place open now?"""
    return words[i] in LEFT_OPEN and i > 0 and words[i - 1] in UNPAID_BEFORE


STOPWORDS = frozenset(
    """
    a o as os um uma uns umas ao aos de da do das dos em na no nas nos num numa para pra pro por
    pelo pela pelos pelas com e ou que qual quais quem como onde quando quanto quanta quantos
    quantas se ja nao sim mais menos muito muita tem ter tenho temos tinha ha eh esta estao estou
    esse essa esses essas isso este isto aqui ai la voce voces ele ela eles elas eu me mim meu minha
    seu sua nosso nossa lhe sobre ate pode posso podemos podem faz fazer fazemos sabe saber sei
    alguem algum alguma vai vou foi ser seria seja sao ta to ne entao tambem porque agora hoje ainda
    so mesmo favor obrigado obrigada bom boa dia tarde noite pessoal gente oi ola cliente clientes
    provedor empresa coisa coisas algo dele dela deles delas
    precisar precisava gostaria consigo consegue conseguem assim
    """.split()  # noqa: SIM905 -- a word list reads better as text
)
"""Words that say nothing about the topic: never spelling-corrected, never searched for."""

_SUFFIXES = tuple(
    sorted(
        """
        amentos imentos amento imento acoes icoes acao icao mente idades idade ados adas idos idas
        ado ada ido ida ando endo indo amos emos imos aram eram iram avam ao ar er ir am em ou eu iu
        ei es as os is a e o s
        """.split(),  # noqa: SIM905
        key=len,
        reverse=True,
    )
)


_ROOT = {"aram": 4, "eram": 4, "iram": 4}
"""Letters a root keeps before a past plural ending: "liberam" is "liber" + "am" (they free),
not "lib" + "eram"; "fizeram" and "colocaram" still lose theirs ("fizer", "coloc")."""


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A light pt-BR stem: "cancelar", "cancela", "cancelamento" -> "cancel".

    Only common inflection and derivation endings are cut, and at least three letters remain;
    it is meant for matching words against each other, not for showing.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _ROOT.get(suffix, 3):
            return word[: -len(suffix)]
    return word


# --------------------------------------------------------------------------- service orders

SERVICE_ORDER = "ordemservico"
"""One word for the service order however it is written: "OS", "O.S.", "ordem de serviço",
"ocorrência" (LaserNet's word for it), "chamado" after "abrir"/"um". Lower case "os" is mostly
the article, so a typed "os" is the order only where an article cannot stand: after a feminine
determiner ("a os", "uma os", "na os") or as what is opened or closed at the end of a phrase
("abro os?", "abri os, e agora?")."""

_DOTTED = re.compile(r"\b[Oo]\.\s?[Ss]\b\.?")
_WRITTEN = re.compile(r"\b(ordem de servi[cç]os?|ocorr[eê]ncias?)\b", re.IGNORECASE)
_CALLED = re.compile(r"\b(um|o|novo|abrir|abri|abro|abre|abriu|abrimos|abra) (chamados?)\b", re.I)
_CAPITAL = re.compile(r"(?<![A-ZÀ-Ý] )\bOS\b(?! [A-ZÀ-Ý]{2})")
_AFTER_FEMININE = re.compile(
    r"\b(a|uma|na|da|numa|pela|essa|esta|nessa|dessa|desta|nesta|nova|outra|mesma) os\b", re.I
)
_OPENED = re.compile(
    r"\b(abrir|abri|abro|abre|abriu|abra|abrimos|gerar|gero|gerei|gera|encerrar|encerro|"
    r"encerrei|fechar|fecho|fechei|registrar|registro|registrei) os"
    r"(?=\s*(?:[?.!,;:]|$|(?:de|do|da|no|na|pra|para|pro|com|e|ou|mas|pq|porque|pois|se|antes|"
    r"depois|agora|hoje|ja|entao|tambem|tb|tbm)\b))",
    re.I,
)


def service_orders(text: str, typed: bool = True) -> str:
    """The text with each service order written as one word (``SERVICE_ORDER``); a KB text
    (``typed=False``) only where written so ("OS", "O.S.", "ordem de serviço"), a question also
    where a typed "os" can only be the order."""
    low = text.lower()
    if "s" not in low and "chamad" not in low and "ocorr" not in low:
        return text
    text = _DOTTED.sub(" OS ", text)
    text = _WRITTEN.sub(" OS ", text)
    text = _CALLED.sub(r"\1 OS", text)
    if typed:
        text = _AFTER_FEMININE.sub(r"\1 OS", text)
        text = _OPENED.sub(r"\1 OS", text)
    return _CAPITAL.sub(SERVICE_ORDER, text)


def question_lines(text: str) -> str:
    """A message's text as a door hands it to the core: spaces folded within each line, blank
    lines out, line breaks kept (a paste's lines tell the agent's note under it and a chat
    transcript's turns: ``bot.answers.core``). Every door does the same: the answer must not
    depend on the door."""
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
