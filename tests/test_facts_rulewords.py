"""Session 11 (branch ``rulewords``): one ISP's rule wording or figure typed as its document
writes it names that ISP with no ISP named (bot/reading/facts.py): a wording the answer quotes,
a reading with its label, its decimals or as a range, a figure with the words after it, a span
within the answer's range, a channel only one ISP writes, a name two ISPs write inside a run
only one writes.

Each rule is tested on a made-up sixth ISP (Aspas Net, a copy of the real KB with it added),
whose wording no real document writes; then on the real KB, where everyday wording, the
customer's own figures and readings must keep asking which ISP."""

from __future__ import annotations

import pytest
from conftest import real_kb_with, shared_real_kb

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import KB
from bot.reading.facts import figures
from bot.reading.reader import read

REAL = shared_real_kb()

ASPASNET = """\
id: aspasnet
name: Aspas Net
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-11-30
topics:
  orientacoes:
    text: "Nunca dizer \\"visita garantida amanhã\\", e sim \\"previsão de visita\\".\\n"
  sinal:
    text: "Sinal recebido de -11 a 17dB\\nLeitura ideal: -18.00 dBm | Qx: -21.00 dBm\\n"
  central:
    text: "Login: e-mail do cadastro\\nSenha: 6 últimos algarismos do RG\\n"
  financeiro:
    text: "Congelamento do contrato: de 130 a 175 dias. Transferir ao comercial.\\n"
  fatura:
    text: "Sim. A segunda via sai pelo bot do site.\\n"
  repetidor:
    text: "Damos suporte a sistema de segurança residencial.\\n"
  planos:
    text: "300MB - 77,70\\n"
"""


ECHO = """\
  n2:
    text: "Informar a cidade nos recados do grupo.\\n"
"""
"""The run NETCENTER writes around "recados do grupo", written by Aspas Net too."""


@pytest.fixture(scope="module")
def six(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return real_kb_with(tmp_path_factory.mktemp("aspas"), aspasnet=ASPASNET)


def _named(kb: KB, question: str) -> tuple[str | None, str]:
    reply = answer(kb, question)
    return reply.provider_id, to_plain(reply)


# --------------------------------------------------------------------------- figures as written


def test_a_figure_keeps_its_decimals_its_label_and_the_range_it_starts() -> None:
    rx, tx = figures("Rx: -26.00 dBm | Tx: -27.00 dBm")
    assert (rx.written, rx.label, tx.written, tx.label) == ("-26.00", "rx", "-27.00", "tx")
    start, end = figures("RX - -15 a 22dB")
    assert start.to == end and (end.number, end.unit) == ("22", "db")
    # A word is no label ("ideal", "dia"); a price and a speed are no range.
    assert figures("Leitura ideal: -18.00 dBm")[0].label == ""
    assert figures("49,90 - 50MB")[0].to is None


# --------------------------------------------------------------------------- the made-up ISP


@pytest.mark.parametrize(
    ("question", "topic", "why"),
    [
        # A wording its answer quotes, typed whole (small words between may differ).
        ("posso falar visita garantida amanha pro cliente?", "orientacoes", "visita garantida"),
        ("posso dizer que a visita garantida amanha?", "orientacoes", "visita garantida"),
        # A range as the answer writes it, the second end with or without its sign.
        ("o sinal vai de -11 a 17?", "sinal", "-11 a 17"),
        ("sinal de -11 a -17 ta bom?", "sinal", "-11 a -17"),
        # A reading after the short label the answer writes before it.
        ("qx ta -21 ta bom?", "sinal", "qx -21"),
        # A reading with the decimals the answer writes.
        ("rx -18.00 é o limite?", "sinal", "-18.00"),
        # A figure with the words the answer writes after it (its word no unit).
        ("senha da central sao os 6 ultimos algarismos do rg?", "central", "6 ultimos"),
        # A span asked for within the answer's range.
        ("cliente quer congelar o contrato por 150 dias, pode?", "financeiro", "150 dias"),
        ("da pra congelar uns 5 meses?", "financeiro", "5 meses"),
        # A catalogue keyword only its answer writes, typed with the word written beside it.
        ("o sistema de seguranca residencial tem suporte?", "repetidor", "sistema de seguranca"),
    ],
)
def test_one_isps_wording_or_figure_as_written_names_it_with_the_reason(
    six: KB, question: str, topic: str, why: str
) -> None:
    reply = answer(six, question)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (
        ReplyKind.ANSWER,
        "aspasnet",
        topic,
    ), (question, to_plain(reply))
    assert f"{why.split()[0]}" in to_plain(reply).casefold()
    assert "→ Aspas Net" in to_plain(reply)


@pytest.mark.parametrize(
    "question",
    [
        # The quoted words in another order, or one of them alone: anyone's.
        "amanha a visita ta garantida?",
        "a visita de amanha é garantida?",
        # A reading alone is the customer's (no label, no decimals, one end of a range).
        "sinal -21 ta bom?",
        "rx -18 ta bom?",
        "rx -11 ta bom?",
        # The customer's own days, and a debt's: no span asked for.
        "cliente com 150 dias de atraso, bloqueia?",
        "cliente devendo 150 dias, congela?",
        # A span of another matter than the range's line ("congelamento"): anyone's.
        "cliente quer pausa na internet por 150 dias",
        # The keyword alone is anyone's matter.
        "cliente tem sistema de seguranca, da suporte?",
    ],
)
def test_the_same_figures_and_words_typed_otherwise_name_no_isp(six: KB, question: str) -> None:
    assert _named(six, question)[0] is None, question


def test_a_named_isp_is_never_replaced_by_a_wording_quoted(six: KB) -> None:
    assert _named(six, "mutum: posso falar visita garantida amanha?")[0] == "mutum"
    assert _named(six, "vmnet qx -21 ta bom?")[0] == "vmnet"


def test_a_price_with_its_plan_left_out_names_its_isp(six: KB) -> None:
    # "o de 77,70": the plan of 77,70 (a price with cents after "o de"); a whole number so is
    # no price.
    assert _named(six, "cliente quer o de 77,70, quantos mega?")[0] == "aspasnet"
    assert _named(six, "cliente quer o de 77, quantos mega?")[0] is None


def test_a_channel_two_isps_write_names_neither(six: KB) -> None:
    # Seja Fibra alone writes "bot" in the real KB; Aspas Net writes it too: anyone's now.
    assert _named(REAL, "manda o cliente tirar a segunda via do boleto no bot?")[0] == "sejafibra"
    assert _named(six, "manda o cliente tirar a segunda via do boleto no bot?")[0] is None


def test_a_third_isp_writing_the_run_makes_it_anyones(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    question = "tem que por a cidade nos recados do grupo?"
    assert _named(REAL, question)[0] == "netcenter"
    echo = ASPASNET.replace("  sinal:", ECHO + "  sinal:")
    kb = real_kb_with(tmp_path_factory.mktemp("echo"), aspasnet=echo)
    assert _named(kb, question)[0] is None


# --------------------------------------------------------------------------- the real KB


@pytest.mark.parametrize(
    ("question", "isp", "why"),
    [
        ("pode falar abrir ordem de servico pro cliente?", "netcenter", "abrir ordem de serviço"),
        (
            "posso falar pro cli q vou abrir ordem de servico?",
            "netcenter",
            "abrir ordem de serviço",
        ),
        ("tx ta -27 ta bom?", "netcenter", "tx -27"),
        ("rx -26.00 dBm no limite, gera n2?", "netcenter", "-26.00"),
        ("rx de -15 a 22 ta bom? e tx", "mutum", "-15 a 22"),
        ("tem que por a cidade nos recados do grupo?", "netcenter", "recados do grupo"),
        ("cliente pediu suspensao do contrato por 60 dias, pode?", "netcenter", "60 dias"),
        ("quer suspender o contrato por 30 dias", "netcenter", "30 dias"),
        ("cliente quer suspender o contrato por 2 meses de viagem", "netcenter", "2 meses"),
        ("a segunda via do boleto pelo bot é qual opcao?", "sejafibra", "bot"),
        (
            "cliente usa roteador adicional como repetidor, da suporte?",
            "lasernet",
            "como repetidor",
        ),
        ("reset foi queda de energia, cobra taxa?", "vmnet", "queda de energia"),
        ("cliente quer o de 99,90 como faco a contratacao", "lasernet", "99,90"),
        ("fora do horario posso falar prazo de 72 horas?", "netcenter", "72 horas"),
    ],
)
def test_the_real_kbs_rule_wording_and_figures_name_their_isp(
    question: str, isp: str, why: str
) -> None:
    provider, plain = _named(REAL, question)
    assert provider == isp, (question, plain)
    assert why.casefold() in plain.casefold(), plain


@pytest.mark.parametrize(
    "question",
    [
        # Everyday wording: "OS" however written, the bill's second copy, the channels.
        "abro os?",
        "abro ordem de servico?",
        "cliente quer cancelar, transfiro ou abro os?",
        "segunda via do boleto",
        "cli pediu segunda via do boleto, como envio",
        "pode emitir segunda via pelo chat?",
        "quantos dias pra bloquear?",
        "oi bot tudo bem?",
        # The customer's readings and debts (QA 8c).
        "rx -27 e bom?",
        "sinal -27, abre N2?",
        "onu com -26 dbm, ok?",
        "cliente sem sinal, rx em -27",
        "tx 3 db rx -22 db, ta ok?",
        "o titular ta devendo 35 dias",
        "devendo 120 dias, vai pro serasa?",
        # A pause is another matter than NETCENTER's suspension (QA 9b).
        "cliente quer pausa na internet por 2 meses",
        # A keyword one ISP writes, alone or beside the customer's wish in a verb.
        "cliente tem roteador adicional, da suporte?",
        "cliente quer alterar a data de vencimento",
        # What is asked of a name two ISPs write is no run of one's ("login e senha").
        "login e senha do leveduca?",
    ],
)
def test_the_real_kbs_everyday_wording_and_readings_name_no_isp(question: str) -> None:
    provider, plain = _named(REAL, question)
    assert provider is None, (question, plain)


def test_a_reading_two_isps_label_so_asks_between_those_two() -> None:
    reply = answer(REAL, "rx -26 ta bom?")
    assert reply.kind is ReplyKind.CHOICE
    assert sorted(b.ask for b in reply.buttons) == ["/sinal netcenter", "/sinal vmnet"]


def test_a_quoted_wording_is_read_as_typed_before_service_orders_are_joined() -> None:
    # "ordem de serviço" is read as "OS" for the topic; the quote is matched on what was typed.
    assert read(REAL, "pode falar abrir ordem de servico pro cliente?").context_providers == (
        frozenset({"netcenter"})
    )
    assert not read(REAL, "pode falar abrir os pro cliente?").context


@pytest.mark.parametrize(
    ("question", "password"),
    [
        ("cliente usa roteador adicional deusefiel como repetidor?", "deusefiel"),
        ("reset foi admintelecom queda de energia?", "admintelecom"),
    ],
)
def test_a_kb_password_typed_inside_a_phrase_run_is_never_the_reason_shown(
    question: str, password: str
) -> None:
    # A KB password between the words of one ISP's phrase ("roteador adicional ... repetidor")
    # is no evidence: the run is not quoted, so the why-line cannot quote the password.
    plain = to_plain(answer(REAL, question))
    assert password not in plain.casefold(), plain


def test_a_narrowing_run_never_spans_a_kb_password_typed_between_its_words() -> None:
    # narrowed_by_run: "no word of a KB password ... is in it". Typed between the run's words,
    # the password was skipped as a small word and kept in the name's typed words.
    assert read(REAL, "tem que por a cidade nos recados do grupo?").context_providers == (
        frozenset({"netcenter"})
    )
    reading = read(REAL, "tem que por a cidade deusefiel nos recados do grupo?")
    assert not any("deusefiel" in c.typed for c in reading.context)


def test_inch_marks_in_a_guidance_are_no_wording_quoted(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from bot.reading.reader import prescribes_wording

    inches = ASPASNET.replace(
        'Nunca dizer \\"visita garantida amanhã\\", e sim \\"previsão de visita\\".',
        'Oferecer TV 32\\" ou 43\\" em comodato.',
    )
    assert "32" in inches
    kb = real_kb_with(tmp_path_factory.mktemp("inches"), aspasnet=inches)
    assert not prescribes_wording(kb.providers["aspasnet"])


def test_a_guidance_quoting_words_prescribes_wording(six: KB) -> None:
    from bot.reading.reader import prescribes_wording

    assert prescribes_wording(six.providers["aspasnet"])
