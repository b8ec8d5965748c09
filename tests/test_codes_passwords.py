"""A KB password the agent types names the one ISP holding it (``codes.password_clue``), safely:
only a distinctive value (``passwords.telling_secrets``), never quoted as the reason, and the
answer is a credential answer (the policy withholds it where credentials may not go)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import make_settings, real_kb_with, shared_real_kb

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import ReplyKind
from bot.app.logs import Redactor
from bot.knowledge.kb import KB
from bot.knowledge.passwords import (
    distinctive,
    kb_secrets,
    mask,
    telling_ranges,
    telling_secrets,
)
from bot.policy.audit import AuditLog
from bot.policy.credentials import Asker, gate, record_sent
from bot.reading import codes
from bot.reading.reader import read

REAL = shared_real_kb()
NOW = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)

QUARTA = """\
id: quarta
name: Quarta Rede
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-11-30
topics:
  porta:
    text: "Roteadores na porta 6612."
  senha:
    text: "A senha padrão está na tabela; a troca de senha não é cobrada."
  central:
    text: |
      Central do assinante: https://central.quarta.example
      Senha: 1 ao 5
      Senha do app: 4 primeiros números do CPF
    secret: true
equipment:
  - model: "Roteador Quarta"
    kind: roteador
    login: "admin"
    passwords: ["fortaleza", "admin", "12345678", "ventania", "Lnt12345@", "Qv7-Brisa!"]
    port: "6612"
"""
"""A made-up sixth ISP whose passwords are a place that is a word ("fortaleza"), a value two
ISPs hold ("admin"; "Lnt12345@", LaserNet's too; "1 ao 5", Seja Fibra's too), a bare number, an
ordinary word, a description ("4 primeiros números do CPF") and one distinctive value
("Qv7-Brisa!")."""


@pytest.fixture(scope="module")
def quarta(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("quarta"), quarta=QUARTA)


# --------------------------------------------------------------------------- which values tell


def test_the_real_kbs_telling_passwords_are_its_distinctive_values_of_one_isp() -> None:
    telling = telling_secrets(REAL)
    assert telling["lnt12345@"] == "lasernet" and telling["net2019*"] == "netcenter"
    assert telling["deusefiel"] == "vmnet" and telling["@mfibra$0125"] == "mutum"
    assert "admin" not in telling  # Mutum's and VM NET's
    assert "sejafibra" not in telling and "sejafibra." not in telling  # the ISP's name


@pytest.mark.parametrize(
    ("value", "telling"),
    [
        ("Lnt12345@", True),
        ("net2019*", True),
        ("deusefiel", True),  # letters run together, no word
        ("Qv7-Brisa!", True),
        ("fortaleza", False),  # a word (and a place)
        ("internet", False),
        ("ventania", False),
        ("flamengo", False),
        ("12345678", False),  # a number is anyone's
        ("admin", False),  # short
        ("ab1@", False),
        ("192.168.0.1", False),
    ],
)
def test_a_distinctive_password(value: str, telling: bool) -> None:
    assert distinctive(value) is telling


def test_a_made_up_isps_ordinary_or_shared_values_tell_nothing(quarta: KB) -> None:
    telling = telling_secrets(quarta)
    assert telling["qv7-brisa"] == "quarta"  # as typed before a "!" that ends a sentence
    for value in ("fortaleza", "admin", "12345678", "ventania"):
        assert value not in telling
    # Now two ISPs hold it: LaserNet's password no longer says LaserNet.
    assert "lnt12345@" not in telling


# --------------------------------------------------------------------------- the reader and core


@pytest.mark.parametrize(
    ("question", "isp", "topic"),
    [
        ("senha lnt12345@ nao entra no w4 o q faco", "lasernet", "senha"),
        ("a senha Lnt12345@ pode passar pro cliente?", "lasernet", "senha"),
        ("LNT12345@ não entrou no roteador, tem outra senha?", "lasernet", "senha"),
        ("senha deusefiel nao foi, tem outra?", "vmnet", "senha"),
        ("senha Lnt12345@ nao entrou, qual a porta de acesso msm?", "lasernet", "porta"),
        ("@MFibra$0125 não entrou", "mutum", None),
    ],
)
def test_a_typed_kb_password_names_its_isp_without_quoting_it(
    question: str, isp: str, topic: str | None
) -> None:
    reply = answer(REAL, question)
    assert reply.provider_id == isp
    if topic is not None:
        assert (reply.kind, reply.topic_id) == (ReplyKind.ANSWER, topic)
    shown = to_plain(reply)
    name = REAL.providers[isp].name
    # The reason is the one line that says so; the password typed is not in it (a credential
    # topic's answer shows the ISP's table, which holds it: that is what was asked).
    [why] = [line for line in shown.splitlines() if "senha digitada" in line]
    assert why == f"(senha digitada → {name})"
    # Whose password it is: a credential answer, whatever the topic (the ports are public).
    assert reply.credentials


def test_the_reason_is_a_context_name_that_holds_no_password() -> None:
    reading = read(REAL, "tentei Lnt12345@ no roteador e nao entrou")
    [clue] = [c for c in reading.context if c.password]
    assert (clue.typed, clue.name, clue.owners) == ("", "senha digitada", {"lasernet"})


def test_the_isp_named_wins_over_another_isps_password() -> None:
    for question in ("vmnet senha Lnt12345@ nao entra", "/senha vmnet Lnt12345@"):
        reply = answer(REAL, question)
        assert reply.provider_id == "vmnet", question
        assert "senha digitada" not in to_plain(reply)
        assert "Lnt12345@" not in to_plain(reply)


def test_a_password_against_another_clue_or_of_two_isps_names_no_one() -> None:
    # A place says Seja Fibra: LaserNet's password is the agent's slip, and says nothing.
    placed = answer(REAL, "cliente de ubatuba, senha Lnt12345@ nao entra")
    assert placed.provider_id == "sejafibra" and "senha digitada" not in to_plain(placed)
    for question in ("tentei Lnt12345@ e deusefiel, nenhuma entrou", "/porta Lnt12345@"):
        reply = answer(REAL, question)
        assert reply.provider_id is None, question
        assert "senha digitada" not in to_plain(reply)


@pytest.mark.parametrize(
    "question",
    [
        "a senha do wifi dele é fortaleza",  # the customer's own password
        "senha admin nao entra",  # two ISPs' value
        "senha 12345678 nao entra no roteador",
        "a senha do wifi é ventania",
    ],
)
def test_a_password_that_tells_nothing_is_no_clue(quarta: KB, question: str) -> None:
    for kb in (REAL, quarta):
        reply = answer(kb, question)
        assert reply.provider_id is None, question
        assert "senha digitada" not in to_plain(reply)


def test_a_made_up_isps_distinctive_password_names_it(quarta: KB) -> None:
    reply = answer(quarta, "senha Qv7-Brisa! nao entrou no roteador")
    assert (reply.provider_id, reply.topic_id, reply.credentials) == ("quarta", "senha", True)
    assert "(senha digitada → Quarta Rede)" in to_plain(reply)
    # Held by LaserNet and Quarta alike: which ISP is asked.
    assert answer(quarta, "senha Lnt12345@ nao entra").provider_id is None


# --------------------------------------------------------------------------- never stored


def test_a_typed_kb_password_is_masked_in_any_case_with_no_password_word() -> None:
    for typed, secret in (
        ("a NET2019* nao entrou no wifi do roteador", "NET2019*"),
        ("tentei lnt12345@ no roteador", "lnt12345@"),
    ):
        assert secret not in mask(REAL, typed)


def test_the_policy_withholds_it_in_a_closed_group_and_audits_it_masked(tmp_path: Path) -> None:
    question = "senha Lnt12345@ nao entrou, qual a porta de acesso msm?"
    reply = answer(REAL, question)
    closed = make_settings(credentials_in_groups=False)
    group = Asker(user_id=7, user_name="Ana", chat_id=-100, chat_type="supergroup")
    shown, decision = gate(reply, group, question, kb=REAL, now=NOW, settings=closed)
    text = to_plain(shown)
    assert not decision.deliver and "não é enviada em grupos" in text
    assert "LaserNet" not in text and "9020" not in text and "Lnt12345@" not in text
    private = Asker(user_id=7, user_name="Ana", chat_id=7, chat_type="private")
    given, allowed = gate(reply, private, question, kb=REAL, now=NOW, settings=closed)
    assert allowed.deliver and "(senha digitada → LaserNet)" in to_plain(given)
    audit = AuditLog(tmp_path / "audit.jsonl")
    record_sent(audit, decision, parts=1, parts_sent=0)
    record_sent(audit, allowed, parts=1, parts_sent=1)
    stored = (tmp_path / "audit.jsonl").read_text("utf-8")
    assert "Lnt12345@" not in stored
    rows = [json.loads(line) for line in stored.splitlines()]
    assert [(r["provider"], r["topic"], r["allowed"]) for r in rows] == [
        ("lasernet", "porta", False),
        ("lasernet", "porta", True),
    ]
    assert rows[0]["query"] == "senha ••• nao entrou, qual a porta de acesso msm?"


def test_the_clue_is_found_in_the_text_as_typed() -> None:
    clue = codes.password_clue(REAL, "a net2019* nao entrou")
    assert clue is not None and clue.owners == {"netcenter"}
    assert codes.password_clue(REAL, "a net2019 nao entrou") is None  # not the value
    assert codes.password_clue(REAL, "xlnt12345@ nao entrou") is None  # not a whole word


def test_a_brand_two_isps_list_is_narrowed_by_one_isps_password() -> None:
    """ "tplink" is Seja Fibra's and VM NET's: VM NET's password beside it says VM NET's TP-Link,
    as a port beside the brand does; another ISP's password beside it asks between the two."""
    for question in ("tplink senha deusefiel nao foi", "tplink nao aceita deusefiel, tem outra?"):
        reply = answer(REAL, question)
        assert (reply.provider_id, reply.topic_id, reply.equipment) == (
            "vmnet",
            "senha",
            "Roteador TP Link",
        )
        assert reply.credentials and "(TP Link, senha digitada → VM NET)" in to_plain(reply)
    other = answer(REAL, "tplink nao aceita Lnt12345@, tem outra senha?")
    assert other.provider_id is None and "senha digitada" not in to_plain(other)


def test_who_serves_is_never_answered_from_a_password() -> None:
    """ "qual provedor usa deusefiel?" would say whose password it is with no credential policy
    (it answered "Quem atende senha digitada: VM NET"); and a place no document names is
    quoted back masked ("quem atende Lnt12345@?" quoted the password)."""
    for question in ("qual provedor usa deusefiel?", "quem atende Lnt12345@?"):
        reply = answer(REAL, question)
        shown = to_plain(reply)
        assert reply.provider_id is None or reply.credentials, question
        assert "senha digitada" not in shown or reply.credentials
        assert "deusefiel" not in shown.casefold() and "lnt12345@" not in shown.casefold()


def test_a_password_beside_two_isps_clues_is_not_among_the_reasons() -> None:
    """Clues of two ISPs ask between them; the password of one of them is left out (the prompt
    would list "senha digitada" among the reasons of a menu that holds its ISP)."""
    reading = read(REAL, "cliente de ubatuba e de barroso, senha Lnt12345@ nao entra")
    assert not [c for c in reading.context if c.password]


# --------------------------------------------------------------------------- a range of digits


@pytest.mark.parametrize(
    "question",
    [
        "senha da central e 1 ao 5 ne",
        "central do assinante: usuario é o email e senha 1 ao 5?",
        "senha 1 ao 5 nao entra na central",
    ],
)
def test_a_password_written_as_a_range_names_its_isp_after_a_password_word(question: str) -> None:
    """Seja Fibra's central writes "Senha: 1 ao 5" (a secret topic): typed after "senha", the
    document's own notation names it, the reason never quoting it; stored masked whole."""
    assert telling_ranges(REAL) == {"1 ao 5": "sejafibra"}
    reply = answer(REAL, question)
    assert (reply.provider_id, reply.topic_id, reply.credentials) == ("sejafibra", "central", True)
    assert "(senha digitada → Seja Fibra)" in to_plain(reply)
    assert "1 ao 5" not in mask(REAL, question) and "ao 5" not in mask(REAL, question)


@pytest.mark.parametrize(
    "question",
    [
        "a senha do wifi dele é 1 ao 5, como troco?",
        "senha do roteador é 1 ao 5?",
        "cliente colocou a senha do wifi de 1 ao 5, tá fraca?",
    ],
)
def test_a_range_given_as_the_customers_own_password_names_no_one(question: str) -> None:
    # Its digits are anyone's (12345): only with the topic that writes it ("central") is it the
    # KB's password; else the customer's own, which names no ISP.
    reply = answer(REAL, question)
    assert reply.provider_id is None, question
    assert "senha digitada" not in to_plain(reply)


def test_a_range_with_no_password_word_or_two_isps_names_no_one(quarta: KB) -> None:
    # Its words are ordinary: a due date's range is no password.
    assert answer(REAL, "vencimento do dia 1 ao 5, qual a senha da central?").provider_id is None
    # Held by Seja Fibra and the made-up ISP alike; a description is no range.
    assert telling_ranges(quarta) == {}
    assert answer(quarta, "senha da central e 1 ao 5 ne").provider_id is None
    assert answer(REAL, "mutum senha da central é 1 ao 5?").provider_id == "mutum"


def test_an_isps_name_typed_short_beside_another_isps_password_asks() -> None:
    """ "mtum senha Lnt12345@": the agent named Mutum, short; LaserNet's password must not answer
    for it (QA 9b's rule for every clue): which ISP is asked."""
    for question in ("mtum senha Lnt12345@ nao entra", "vmnt senha Lnt12345@ nao entra"):
        reply = answer(REAL, question)
        assert reply.provider_id is None, question
        assert "senha digitada" not in to_plain(reply)


# --------------------------------------------------------------------------- a range never shown

RANGED = ("a senha 1 ao 5 não entra", "coloquei 1 ao 5 como senha e nada", "pus 1  AO 5 na senha")


@pytest.mark.parametrize("text", RANGED)
def test_a_range_two_isps_hold_is_masked_whole_in_the_stores(quarta: KB, text: str) -> None:
    # "1 ao 5" is Seja Fibra's and Quarta's: it names no one, and it is still a password.
    assert "1 ao 5" not in telling_ranges(quarta)
    masked = mask(quarta, text).casefold()
    assert "ao 5" not in masked and "1 ao" not in masked


@pytest.mark.parametrize("text", RANGED)
def test_a_range_is_redacted_in_a_log_line(text: str) -> None:
    # The runner's redactor asks ``kb_secrets`` of the current KB.
    redacted = Redactor(lambda: kb_secrets(REAL))(text).casefold()
    assert "ao 5" not in redacted and "1 ao" not in redacted


@pytest.mark.parametrize(
    "text", ["tentei Qv7-Brisa no roteador e nao entrou", "o QV7-BRISA nao foi no roteador"]
)
def test_a_password_typed_without_its_closing_sign_is_masked_as_it_names_the_isp(
    quarta: KB, text: str
) -> None:
    # The reader takes "Qv7-Brisa" for Quarta's "Qv7-Brisa!": the stores and the logs hide it.
    assert answer(quarta, text).provider_id == "quarta"
    assert "brisa" not in mask(quarta, text).casefold()
    assert "brisa" not in Redactor(lambda: kb_secrets(quarta))(text).casefold()


# --------------------------------------------------------------------------- QA session 10


@pytest.mark.parametrize("question", ["lnt12345@ nao entra", "deusefiel? nao entra"])
def test_a_password_clue_never_shows_another_isps_passages(question: str) -> None:
    """With no topic word, the passages the words find were shown under the password's why-line
    whatever their ISP ("lnt12345@ nao entra": "(senha digitada → LaserNet)" above Seja Fibra's
    support deadline, and the reply was Seja Fibra's); the ISP known keeps its own passages."""
    reply = answer(REAL, question)
    owner = codes.password_clue(REAL, question)
    assert owner is not None
    (pid,) = owner.owners
    assert reply.provider_id == pid and reply.credentials
    shown = to_plain(reply)
    others = [p.name for p in REAL.providers.values() if p.id != pid]
    assert not [name for name in others if f"{name} ›" in shown], shown


def test_a_made_up_isps_context_clue_keeps_its_own_passages(quarta: KB) -> None:
    reply = answer(quarta, "Qv7-Brisa! nao entra")
    assert reply.provider_id == "quarta" and reply.credentials
    assert "Seja Fibra ›" not in to_plain(reply)


@pytest.mark.parametrize(
    "question",
    [
        "/buscar senha: Xk9pq22w prazo de atendimento",  # a password given, no KB value
        "/buscar Lnt12345@ prazo",  # a KB password
    ],
)
def test_the_search_title_quotes_the_question_masked(question: str) -> None:
    """/buscar quoted the question as typed in its title ("Trechos dos documentos que citam
    “senha: Xk9pq22w ...”"), to a group too: quoted masked, as every echo is."""
    for kb in (REAL,):
        shown = to_plain(answer(kb, question))
        assert "xk9pq22w" not in shown.casefold() and "lnt12345@" not in shown.casefold(), shown
