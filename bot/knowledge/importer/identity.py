"""Who the ISP is and where: name variants, former names and wrong-company callers, UF and zone."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from bot.knowledge.schema import _UFS
from bot.reading.text import fold, normalize

UF_ZONES = {
    "AC": "America/Rio_Branco",
    "AM": "America/Manaus",
    "RR": "America/Boa_Vista",
    "RO": "America/Porto_Velho",
    "MT": "America/Cuiaba",
    "MS": "America/Campo_Grande",
    "PA": "America/Belem",
    "AP": "America/Belem",
    "TO": "America/Araguaina",
    "MA": "America/Fortaleza",
    "PI": "America/Fortaleza",
    "CE": "America/Fortaleza",
    "RN": "America/Fortaleza",
    "PB": "America/Fortaleza",
    "PE": "America/Recife",
    "AL": "America/Maceio",
    "SE": "America/Maceio",
    "BA": "America/Bahia",
}
"""States outside Brasília's zone name (the rest: America/Sao_Paulo)."""
OFFSET_ZONES = {
    -2: "America/Noronha",
    -3: "America/Sao_Paulo",
    -4: "America/Manaus",
    -5: "America/Rio_Branco",
}
DDD_UF = {
    **dict.fromkeys(range(11, 20), "SP"),
    21: "RJ", 22: "RJ", 24: "RJ", 27: "ES", 28: "ES",
    **dict.fromkeys([31, 32, 33, 34, 35, 37, 38], "MG"),
    **dict.fromkeys([41, 42, 43, 44, 45, 46], "PR"),
    **dict.fromkeys([47, 48, 49], "SC"),
    **dict.fromkeys([51, 53, 54, 55], "RS"),
    61: "DF", 62: "GO", 64: "GO", 63: "TO", 65: "MT", 66: "MT", 67: "MS", 68: "AC", 69: "RO",
    **dict.fromkeys([71, 73, 74, 75, 77], "BA"),
    79: "SE", 81: "PE", 87: "PE", 82: "AL", 83: "PB", 84: "RN", 85: "CE", 88: "CE",
    86: "PI", 89: "PI", 91: "PA", 93: "PA", 94: "PA", 92: "AM", 97: "AM", 95: "RR", 96: "AP",
    98: "MA", 99: "MA",
}  # fmt: skip
"""Brazilian area codes (DDD) -> state: the phone number tells the state when the address does
not."""
_GENERIC = "fibra net telecom internet provedor digital online informatica telecomunicacoes"
GENERIC_WORDS = frozenset(f"{_GENERIC} comunicacoes comunicacao servicos ltda eireli me".split())
"""Words any ISP's name may hold, company suffixes among them ("PatosNet Informática" -> the
alias "PatosNet"; "Vale Telecomunicações Ltda")."""
ADDRESS_WORDS = re.compile(
    r"\b(rua|r\.|av\.?|avenida|travessa|tv\.|rodovia|pra[cç]a|alameda|estrada|cep|matriz|filial)\b",
    re.IGNORECASE,
)
_UF_AT = re.compile(r"(?:[-–/,]\s*|\s)([A-Z]{2})(?=\s*(?:$|[-–,.;)]|\s+(?:FILIAL|MATRIZ)\b))")
_DDD = re.compile(r"\((\d{2})\)\s*\d{4,5}[-\s]?\d{4}")
_FORMER = re.compile(
    r"(?:(?:re)?conhece[mr]? (?:o provedor|a empresa|a operadora|a gente|-nos|n[oó]s)"
    r" (?:como|por)|nos (?:re)?conhece[mr]? (?:como|por)|"
    r"conhecid[oa]s? (?:tamb[eé]m )?(?:como|por)|"
    r"antig[oa]mente chamad[oa]|"
    r"antes (?:se )?chamad[oa]|antes se chamava|antigo nome(?: era)?:?|nomes? antig[oa]s?:?|"
    r"nomes? anteriores?:?|anteriormente|(?:[eé]|era) (?:a|o) antig[oa]|ex-|"
    r"chamam (?:o provedor|a empresa|a operadora) de)\s+"
    r"(?P<list>[^.;()]+)",
    re.IGNORECASE,
)
_FORMER_BARE = re.compile(
    r"(?:^|[(\s])(?:[Aa]ntig[oa]\s+|ANTIG[OA]\s+|[Ee]x-\s*)"
    r"(?P<name>[A-Z0-9][\w&+-]*(?:\s+[A-Z0-9][\w&+-]*){0,3})"
)
"""A capitalised name right after "antiga" or "ex-": "(antiga Linkvel Telecom)", "da antiga
Linkvel", "(ex-Conecta Fibra)"."""
_FORMER_BEFORE = re.compile(
    r"(?P<name>[A-Z0-9][\w&+-]*(?:\s+(?:d[aeo]s?\s+)?[A-Z0-9][\w&+-]*){0,3})\s*"
    r"\((?i:(?:o\s+|nosso\s+|seu\s+)?(?:nome\s+antigo|antigo\s+nome|nome\s+anterior))\b(?!\s*:)"
)
"""A capitalised name right before "(nome antigo …)": "PatosNet Informática (nome antigo até
2021)"."""
_WRONG = re.compile(
    r"(?:por engano|confund(?:em?|ir)|engano)[^.:]*?"
    r"(?:como|:|das? empresas?|com a|com o|clientes d[aeo]s?|usu[aá]rios d[aeo]s?|"
    r"que (?:somos|[eé]|era|fosse)(?: [ao]s?)?)\s+"
    r"(?P<list>(?:[^.;:()]|\.(?=\w))+)",
    re.IGNORECASE,
)
_NOT_SERVED = re.compile(
    r"[Nn][aã]o atendemos (?:[Cc]lientes )?d[aeo]s?\s+"
    r"(?P<list>[A-Z][^.;:()]+)"
)
"""'Não atendemos clientes da VALE NET nem da TELECENTRO': callers of other companies."""
_WRONG_BEFORE = re.compile(
    r"\bclientes\s+(?P<list>d[aeo]s?\s+.+?)\s+(?:(?:ligam|liga|chamam|entram em contato|procuram)"
    r"[^.]*?por engano|confundem\b)",
    re.IGNORECASE,
)
COMMON_WORDS = frozenset("oi ola bom boa dia tarde noite claro certo net sim nao".split())  # noqa: SIM905
"""A lookalike named by one of these would fire on ordinary chat ("Oi, boa noite"): left out."""
_STOP = re.compile(r",?\s+(?:por conta|porque|pois|devido|que|mas)\b.*$", re.IGNORECASE)


def name_list(text: str) -> list[str]:
    """ "Caboimagem, Kaybee, MPV ou Sansara" -> the four names (each a capitalised phrase)."""
    text = _STOP.sub("", text).strip()
    names: list[str] = []
    for piece in re.split(r",\s*|\s+ou\s+|\s+e\s+|\s+nem\s+|\s*/\s*", text):
        piece = re.sub(r"^d[aeo]s?\s+", "", piece.strip(" \"'“”"))
        words = _leading_name(piece.split())
        if not words or len(words) > 4 or not words[0][0].isupper():
            continue
        names.append(" ".join(words))
    return names


NAME_LINKS = frozenset({"da", "de", "do", "das", "dos", "&"})


def _leading_name(words: list[str]) -> list[str]:
    """The capitalised words a piece starts with ("TUCANO NET às vezes" -> TUCANO NET; "Rede
    do Norte" stays whole): a name ends at its first lower-case word."""
    out: list[str] = []
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        capital = word[:1].isupper() or word[:1].isdigit()
        link = bool(out) and word in NAME_LINKS and following[:1].isupper()
        if not (capital or link):
            break
        out.append(word)
    return out


def former_names(line: str) -> list[str]:
    found = [n for m in _FORMER.finditer(line) for n in name_list(m["list"])]
    found += [m["name"] for m in _FORMER_BARE.finditer(line)]
    found += [m["name"] for m in _FORMER_BEFORE.finditer(line)]
    return list(dict.fromkeys(found))


def wrong_companies(line: str) -> list[str]:
    found = [n for m in _WRONG.finditer(line) for n in name_list(m["list"])]
    found += [n for m in _WRONG_BEFORE.finditer(line) for n in name_list(m["list"])]
    found += [n for m in _NOT_SERVED.finditer(line) for n in name_list(m["list"])]
    return list(dict.fromkeys(found))


def generic_name(name: str, others: set[str] = frozenset()) -> bool:  # type: ignore[assignment]
    """Is this name no name of one ISP: only generic words ("Fibra", "Net Telecom"), one or two
    letters, or a single word of another ISP's name or alias ("Fibra" of "Fibra Fácil Telecom"
    when other ISPs are "Mutum Fibra" and "Seja Fibra"; ``others`` holds their names and
    aliases)?"""
    words = normalize(name).split()
    if not words or all(w in GENERIC_WORDS for w in words) or len("".join(words)) <= 2:
        return True
    other_words = {w for other in others for w in normalize(other).split()}
    return len(words) == 1 and words[0] in other_words


def name_variants(name: str) -> list[str]:
    """ "VM NET" -> "VMNET"; "MUTUM FIBRA" -> "Mutum Fibra", "MutumFibra", "Mutum"; "SUPER
    LINK FIBRA" -> ..., "Super Link", "SuperLink" (the name without its generic last word; one
    word left must have five letters or more: "VM" is no name)."""
    words = name.split()
    variants: list[str] = []
    if name.isupper() and any(len(w) > 3 for w in words):
        variants.append(" ".join(w.capitalize() for w in words))
    if len(words) > 1:
        variants.append("".join(words))
        short = words[:-1]
        if fold(words[-1]) in GENERIC_WORDS and (len(short) > 1 or len(short[0]) >= 5):
            shown = [w.capitalize() if w.isupper() and len(w) > 3 else w for w in short]
            variants.append(" ".join(shown))
            if len(short) > 1:
                variants.append("".join(shown))
    seen = {normalize(name)}
    out: list[str] = []
    for variant in variants:
        key = normalize(variant)
        if key not in seen and variant not in out:
            seen.add(key)
            out.append(variant)
    return out


def uf_from_address(lines: list[str]) -> tuple[str | None, str | None]:
    """(UF, the line it came from): an address line's "- SP" / "Fortaleza-CE" first, then any
    line ending in a UF, then a phone's area code."""
    ordered = [line for line in lines if ADDRESS_WORDS.search(line)] + lines
    for line in ordered:
        for match in _UF_AT.finditer(line):
            if match[1] in _UFS:
                return match[1], line
    for line in lines:
        for match in _DDD.finditer(line):
            uf = DDD_UF.get(int(match[1]))
            if uf:
                return uf, line
    return None, None


def zone_of_uf(uf: str) -> str:
    return UF_ZONES.get(uf, "America/Sao_Paulo")


def offset_of(zone: str) -> int:
    moment = dt.datetime(2026, 6, 1, 12, tzinfo=ZoneInfo(zone))
    offset = moment.utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 3600)


def zone_for_offset(offset: int, preferred: str | None = None) -> str | None:
    if preferred is not None and offset_of(preferred) == offset:
        return preferred
    return OFFSET_ZONES.get(offset)


def slug(name: str) -> str:
    key = normalize(name).replace(" ", "")
    key = re.sub(r"[^a-z0-9_]", "", key)
    if not key or not key[0].isalpha():
        key = f"isp{key}"
    return key[:32]
