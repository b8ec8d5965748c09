"""Clues that are numbers or codes (`bot.reading.codes`, issue 12): a port typed alone, a UTC
offset, and a KB password's words (never a clue); with the topic such a clue asks
(`reader._measured_topic`, `reader._echoed_clue`). Made-up wording on made-up ISPs added to a
copy of the real KB, so that what is tested is the derivation from the KB, not its words; then
the real KB."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_real_kb, real_kb_with, shared_real_kb

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import KB, load_kb
from bot.reading import codes
from bot.reading.context import context_index
from bot.reading.reader import read

REAL = shared_real_kb()

ZELORA = """\
id: zelora
name: Zelora
timezone: America/Rio_Branco
state: AC
reviewed: 2026-11-30
topics:
  porta:
    text: "ONU na porta 7441 (usuário e senha padrão: ver /senha)."
  senha:
    text: "A senha padrão da ONU está na tabela abaixo; a troca de senha é cobrada."
  dns:
    text: "DNS: 9.9.9.9 e 149.112.112.112"
  planos:
    text: |
      Plano 350 Mega: R$ 87,45
      Plano 700 Mega: R$ 119,45
  tecnologias:
    text: "SVAs: Zunibox (filmes e séries). Problemas nos SVAs: Outras Demandas."
  tv:
    text: "Zunibox: o cliente acessa pelo app com o e-mail do titular; a senha é criada no primeiro acesso."
  cidades:
    text: "Vila Quindarela - Xapuri"
  sistemas:
    text: |
      Painel: https://painel.zelora.com.br
      Login: upcall
      Senha: @QRivo$2231
    secret: true
equipment:
  - model: "ONU"
    kind: ONU
    login: "admin"
    passwords: ["zel0ra!x"]
    port: "7441"
"""

OVALINK = """\
id: ovalink
name: Ovalink
timezone: America/Rio_Branco
state: AC
reviewed: 2026-11-30
topics:
  porta:
    text: "Roteadores na porta 7441; a ONU antiga na porta 2024."
  dns:
    text: "DNS: 208.67.222.222"
  bloqueio:
    text: "Com 20 dias de atraso a velocidade é reduzida: o cliente fica com 350 Mega."
"""


def _kb(where: Path, **providers: str) -> KB:
    """The real KB with the made-up ISPs, and "Zunibox" a catalogue keyword of the SVAs (as
    "paramount" is): a product whose name is also a topic word."""
    root = copy_real_kb(where, **providers)
    topics = root / "topics.yaml"
    text = topics.read_text(encoding="utf-8")
    assert "deezer, paramount," in text
    topics.write_text(text.replace("deezer, paramount,", "deezer, zunibox, paramount,"), "utf-8")
    return load_kb(root)


@pytest.fixture(scope="module")
def zelora(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return _kb(tmp_path_factory.mktemp("zelora"), zelora=ZELORA)


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return _kb(tmp_path_factory.mktemp("both"), zelora=ZELORA, ovalink=OVALINK)


# --------------------------------------------------------------------------- ports


def test_a_port_typed_alone_names_its_isp_with_the_port_as_the_reason(zelora: KB) -> None:
    reply = answer(zelora, "a onu na 7441 não abre, qual o login?")
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, "zelora", "senha")
    assert "porta 7441 → Zelora" in to_plain(reply)


def test_a_port_with_no_credential_asked_is_the_ports_topic(zelora: KB) -> None:
    # "não responde" is an escalation keyword; the port typed is what the question is about.
    reply = answer(zelora, "pela 7441 o roteador não responde")
    assert (reply.provider_id, reply.topic_id) == ("zelora", "porta")
    assert "7441" in to_plain(reply)


def test_the_named_isps_own_port_says_the_topic(zelora: KB) -> None:
    reply = answer(zelora, "zelora: admin não entrou, tento na 7441?")
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, "zelora", "porta")


@pytest.mark.parametrize(
    "question",
    [
        "cliente com 7441 dias de atraso sem acesso ao roteador",  # a day count
        "o roteador custa 7441 reais?",  # a price
        "plano de 7441 tem acesso ao roteador?",  # a plan's speed
        "ligou do 7441 5566, sem acesso ao roteador",  # a phone's pieces
        "cliente 7441 quer cancelar",  # no access asked
        "cliente cód 7441 sem acesso, o que faço?",  # the customer's code
        "código do cliente 7441 não consegue acessar o roteador",
        "contrato 7441 sem acesso ao roteador",  # a contract's number
        "protocolo 7441, cliente não entra no roteador",  # a call's number
        "os 7441 aberta, roteador sem acesso",  # a service order's number
        "id 7441 sem acesso ao roteador",
        "matrícula 7441 sem acesso ao roteador",
    ],
)
def test_a_number_that_is_no_port_names_no_one(zelora: KB, question: str) -> None:
    assert not [n for n in read(zelora, question).context if "zelora" in n.owners]


def test_a_year_shaped_port_names_its_isp_only_after_porta(both: KB) -> None:
    assert not read(both, "senha do roteador de 2024").context
    assert not read(both, "o roteador é 2024, qual a senha?").context
    found = read(both, "qual a senha da porta 2024?").context
    assert [n.owners for n in found] == [frozenset({"ovalink"})]


def test_a_port_two_isps_write_asks_between_them(both: KB) -> None:
    reply = answer(both, "na 7441 o roteador não responde")
    assert reply.kind is ReplyKind.CHOICE
    assert {b.label for b in reply.buttons} == {"Zelora", "Ovalink"}
    assert all(b.ask.startswith("/porta ") for b in reply.buttons)


def test_the_real_kb_ports() -> None:
    onu = answer(REAL, "a onu tá na 8010, qual o login?")
    assert (onu.provider_id, onu.topic_id) == ("mutum", "senha")
    assert "porta 8010 → Mutum Fibra" in to_plain(onu)
    port = answer(REAL, "pela 2389 o roteador não abre")
    assert (port.provider_id, port.topic_id) == ("sejafibra", "porta")
    assert read(REAL, "acesso ao roteador pela 443").context == ()  # no ISP's port


@pytest.mark.parametrize(
    "question",
    [
        "roteador na 8080 não abre, qual o login?",
        "tento acessar na 8081?",
        "onu pela 8443 não entra",
    ],
)
def test_a_web_port_everyone_uses_names_no_isp(question: str) -> None:
    # 8080 (VM NET's TP-Link) and 8081 (NETCENTER's) are written by one document each, but they
    # are the default web ports of countless routers: an agent of any ISP may type them.
    reply = answer(REAL, question)
    assert reply.provider_id is None, question
    assert "→" not in to_plain(reply)


def test_a_web_port_still_says_the_topic_when_the_isp_is_named() -> None:
    reply = answer(REAL, "netcenter: admin nao entrou, tento na 8081?")
    assert (reply.provider_id, reply.topic_id) == ("netcenter", "porta")


# --------------------------------------------------------------------------- UTC offsets


@pytest.mark.parametrize(
    "question",
    [
        "o provedor é gmt-5 né? qual o dns",
        "provedor em UTC -05:00, qual o dns?",
        "fuso -5, qual o dns?",
        "o dns de quem tá no fuso de rio branco?",  # the zone's city (America/Rio_Branco)
    ],
)
def test_an_offset_only_one_isp_has_names_it(zelora: KB, question: str) -> None:
    reply = answer(zelora, question)
    assert (reply.provider_id, reply.topic_id) == ("zelora", "dns")
    assert "9.9.9.9" in to_plain(reply) and "→ Zelora" in to_plain(reply)


def test_offsets_come_from_the_tz_database(zelora: KB, both: KB) -> None:
    assert codes.offset_owners(zelora)[-300] == frozenset({"zelora"})
    assert codes.offset_owners(both)[-300] == frozenset({"zelora", "ovalink"})
    # Brasília's offset is most ISPs': whose clock it is, it does not say.
    assert -180 not in codes.offset_owners(zelora)
    assert codes.offset_owners(REAL) == {-240: frozenset({"mutum"})}
    assert codes.offset_name(-240) == "GMT-4" and codes.offset_name(-210) == "GMT-3:30"


def test_an_offset_two_isps_share_asks_between_them(both: KB) -> None:
    reply = answer(both, "provedor gmt-5, qual o dns?")
    assert reply.kind is ReplyKind.CHOICE
    assert {b.label for b in reply.buttons} == {"Zelora", "Ovalink"}


@pytest.mark.parametrize("question", ["provedor é gmt-3, qual o dns?", "gmt+5 qual o dns?"])
def test_an_offset_of_many_or_of_none_names_no_one(zelora: KB, question: str) -> None:
    reply = answer(zelora, question)
    assert reply.kind is ReplyKind.MISSING_PROVIDER


def test_the_real_kb_isp_on_another_clock() -> None:
    reply = answer(REAL, "o provedor é gmt-4 né, qual o dns?")
    assert reply.provider_id == "mutum" and "GMT-4 → Mutum Fibra" in to_plain(reply)


# --------------------------------------------------------------------------- passwords


def test_a_passwords_words_are_no_clue(zelora: KB) -> None:
    # Inner capitals make "QRivo" a name for the context index, but only the secret topic's
    # password writes it: typed, it is never quoted as the reason. A word of the password
    # names no one; the whole password names its ISP as "senha digitada" (test_codes_passwords).
    assert "qrivo" in context_index(zelora).names
    for question in ("@QRivo$2231 não entrou", "tentei qrivo no painel e nada"):
        reading = read(zelora, question)
        assert [c.name for c in reading.context if not c.password] == []
        assert reading.providers == ()
        reply = answer(zelora, question)
        assert "QRivo → Zelora" not in to_plain(reply) and "qrivo →" not in to_plain(reply)
        # Passages of the secret topic may be shown, as for any search: marked, for the policy.
        assert reply.credentials or "qrivo" not in to_plain(reply).casefold()


@pytest.mark.parametrize(
    "question",
    [
        "a senha do wifi dele é xapuri, não conecta",  # Zelora's city as the customer's password
        "senha do wifi: quindarela, e o bloqueio?",
        "senha: zunibox",  # its product's name
        "a senha do wifi é vilaquindarela e o roteador não abre",  # the place's words run together
        # Session 9's QA, finding 1: a password changed ("para", "pra", "agora é", "como senha").
        "trocou a senha do wifi para xapuri",
        "cliente mudou a senha pra xapuri e não conecta",
        "alterou a senha por quindarela",
        "mudou a senha, agora é xapuri",
        "trocou pra xapuri a senha do wifi",
        "colocou xapuri como senha",
        "colocou a senha xapuri",
        "senha nova xapuri",
    ],
)
def test_a_password_the_agent_types_is_never_a_clue_nor_the_reason(
    zelora: KB, question: str
) -> None:
    """The customer's password typed after "senha" (as the stores mask it) names no ISP, and
    is never quoted as the reason: "a senha do wifi dele é fortaleza" answered LaserNet with
    "(Fortaleza → LaserNet)" -- the password as the why-line."""
    reading = read(zelora, question)
    assert not [n for n in reading.context if "zelora" in n.owners], question
    assert "→ Zelora" not in to_plain(answer(zelora, question))


def test_a_place_beside_a_typed_password_still_counts() -> None:
    reply = answer(REAL, "cliente de ubatuba, a senha do wifi é Xk9-778, não conecta")
    assert reply.provider_id == "sejafibra" and "Ubatuba → Seja Fibra" in to_plain(reply)
    assert "Xk9" not in to_plain(reply)


@pytest.mark.parametrize(
    "question",
    ["trocou a senha do wifi para ubatuba", "mudou a senha pra fortaleza", "a senha virou ubatuba"],
)
def test_a_changed_password_that_is_a_real_place_names_no_isp(question: str) -> None:
    """Session 9's QA, finding 1: "trocou a senha do wifi para ubatuba" answered Seja Fibra with
    "(Ubatuba → Seja Fibra)": the customer's password as the reason."""
    reply = answer(REAL, question)
    assert reply.provider_id is None, question
    said = to_plain(reply).casefold()
    assert "ubatuba" not in said and "fortaleza" not in said


def test_a_place_moved_to_beside_a_password_question_still_counts() -> None:
    # "mudou pra X" is a move when the password is not what changed: the place names the ISP.
    for question in (
        "cliente mudou pra ubatuba, qual a senha do wifi?",
        "cliente vai mudar para ubatuba, precisa trocar a senha?",
    ):
        reply = answer(REAL, question)
        assert reply.provider_id == "sejafibra", question
        assert "Ubatuba → Seja Fibra" in to_plain(reply)


def test_the_real_kb_password_typed_is_no_reason() -> None:
    """The whole password names Mutum, the reason "senha digitada", never the password (nor
    its "MFibra"): a credential answer (test_codes_passwords)."""
    for question in ("@MFibra$0125 não entrou", "o cliente disse que a senha é @MFibra$0125"):
        reply = answer(REAL, question)
        assert reply.provider_id == "mutum" and reply.credentials
        assert "(senha digitada → Mutum Fibra)" in to_plain(reply)
        assert "mfibra →" not in to_plain(reply).casefold()


# --------------------------------------------------------------------------- the topic asked


@pytest.mark.parametrize(
    "question",
    [
        "cliente da vila quindarela quer saber quanto tá o de 350mb",  # a place beside it
        "o de 700M é 119,45 ainda?",  # a price stated
    ],
)
def test_a_plans_speed_with_a_price_is_the_plans(zelora: KB, question: str) -> None:
    reply = answer(zelora, question)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (
        ReplyKind.ANSWER,
        "zelora",
        "planos",
    )


def test_a_plans_speed_with_no_price_asked_leaves_the_topic_to_the_keywords(zelora: KB) -> None:
    reply = answer(zelora, "cliente de 350mb quer a senha do zunibox")
    assert reply.topic_id != "planos"


def test_keywords_that_only_repeat_the_clue_give_way_to_what_else_is_asked(zelora: KB) -> None:
    # "zunibox" is an SVA keyword: it says whose, the SVAs say nothing of the login; the TV
    # answer, which writes Zunibox too, says how the customer gets in.
    reply = answer(zelora, "senha do zunibox, como o cliente acessa?")
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, "zelora", "tv")
    # Nothing else asked: the keyword's topic stays.
    alone = answer(zelora, "o zunibox é do plano?")
    assert alone.topic_id == "tecnologias" or "tecnologias" in alone.also


def test_the_real_kb_clue_questions() -> None:
    barroso = answer(REAL, "cliente do barroso quer saber quanto sai o de 400mb")
    assert (barroso.provider_id, barroso.topic_id) == ("lasernet", "planos")
    radio = answer(REAL, "o de 20M no rádio ainda é 59,90?")
    assert (radio.provider_id, radio.topic_id) == ("lasernet", "planos")
    watch = answer(REAL, "a senha da watch, como o cliente entra?")
    assert watch.kind is ReplyKind.CHOICE
    assert {b.ask for b in watch.buttons} == {"/tv sejafibra", "/tv vmnet"}


def test_a_number_after_de_in_a_question_about_plans_is_a_speed(zelora: KB) -> None:
    reply = answer(zelora, "quais planos tem? o cliente quer saber do de 350")
    assert (reply.provider_id, reply.topic_id) == ("zelora", "planos")
    assert "350 Mega → Zelora" in to_plain(reply)
    # Not a question about plans, or a span or a price after the number: no speed.
    assert not read(zelora, "cliente de 350 sem internet").context
    assert not read(zelora, "plano de 350 dias de fidelidade, pode cancelar?").context


def test_the_real_kb_plan_spans_are_no_speeds() -> None:
    assert not read(REAL, "plano de 30 dias de fidelidade, pode cancelar?").context
    assert [n.owners for n in read(REAL, "quais os planos? cliente quer o de 30").context] == [
        frozenset({"lasernet"})
    ]


def test_a_speed_two_sell_is_the_one_whose_answer_of_the_topic_writes_it(both: KB) -> None:
    # Zelora sells a 350 Mega plan; Ovalink's blocking answer reduces to 350 Mega.
    reduced = answer(both, "na redução o cliente fica com 350mb? diz que tá lento")
    assert (reduced.provider_id, reduced.topic_id) == ("ovalink", "bloqueio")
    assert "350 Mega → Ovalink" in to_plain(reduced)
    # The customer's plan, or a question about the plans: both, never one picked.
    for question in ("o plano de 350 mega reduz com quantos dias?", "quanto custa o de 350mb?"):
        assert read(both, question).context_providers == {"zelora", "ovalink"}
        assert answer(both, question).provider_id is None


KORVA = """\
id: korva
name: Korva Telecom
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-11-30
topics:
  porta:
    text: "Porta de acesso: QUIXBOX 7345"
equipment:
  - {model: QUIXBOX Q9, login: admin, passwords: ["Kv_q9#1"], port: "7345"}
"""

LUMEN = """\
id: lumenar
name: Lumenar
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-11-30
topics:
  porta:
    text: "Porta de acesso: QUIXBOX 8080"
equipment:
  - {model: QUIXBOX Q7, login: admin, passwords: ["Lm_q7#2"], port: "8080"}
"""


def test_a_port_typed_beside_a_brand_two_isps_list_names_the_one_writing_it(
    tmp_path: Path,
) -> None:
    # A made-up brand both made-up ISPs list; each writes its own port. A web port (8080)
    # names no one alone, but beside the brand it narrows to the one writing it -- and says why.
    kb = real_kb_with(tmp_path, korva=KORVA, lumenar=LUMEN)
    assert sorted(p.id for p in read(kb, "a porta do quixbox?").providers) == ["korva", "lumenar"]
    for question, isp, port in (
        ("quixbox na 8080 nao abre a pagina", "lumenar", "8080"),
        ("o quixbox do cliente e na 7345 mesmo?", "korva", "7345"),
    ):
        reply = answer(kb, question)
        assert reply.provider_id == isp, question
        assert f"porta {port} →" in to_plain(reply)
    # A port neither writes narrows nothing.
    assert answer(kb, "quixbox na 9999 nao abre").provider_id is None


def test_the_real_tplink_at_8080_is_vm_nets() -> None:
    # TPLink is Seja Fibra's and VM NET's; "TPLINK: 8080" is VM NET's, 2389 Seja Fibra's.
    reply = answer(REAL, "o tplink ta na 8080 e nao abre, qual a porta dos outros?")
    assert (reply.provider_id, reply.topic_id) == ("vmnet", "porta")
    assert answer(REAL, "tplink do cliente na 2389 nao abre").provider_id == "sejafibra"
    assert answer(REAL, "porta do tplink?").kind is ReplyKind.CHOICE  # no port: both
