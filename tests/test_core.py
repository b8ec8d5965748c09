"""The answer core, on the real KB and on tiny ones: text -> Reply, no Telegram involved."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import real_kb_with, shared_real_kb

from bot.answers import clock
from bot.answers.core import MAX_QUERY_CHARS, answer, parse_command
from bot.answers.render import to_plain
from bot.answers.render.telegram import to_html
from bot.answers.reply import ReplyKind
from bot.knowledge.kb import KB, load_kb
from bot.reading.text import normalize
from kbfactory import write_kb

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
REAL = shared_real_kb()


def ask(text: str, kb: KB = REAL) -> str:
    return to_html(answer(kb, text, NOW))


@pytest.fixture
def tiny(tmp_path: Path) -> KB:
    return load_kb(write_kb(tmp_path))


# --------------------------------------------------------------------------- the examples


def test_senha_lasernet_w5() -> None:
    reply = answer(REAL, "/senha lasernet W5-1200G", NOW)
    assert reply.kind is ReplyKind.ANSWER
    assert reply.credentials
    assert reply.equipment == "W5-1200G"
    html_ = to_html(reply)
    assert "<code>admin</code> / <code>Lnt12345@</code> (porta 9020)" in html_


def test_bloqueio_vmnet() -> None:
    out = ask("/bloqueio vmnet")
    assert "10 dias após o vencimento" in out
    assert "7 dias após o vencimento" in out


def test_dns_mutum_free_text() -> None:
    out = ask("qual o dns da mutum?")
    assert "143.202.80.56" in out and "143.202.80.57" in out


# --------------------------------------------------------------------------- every command, every ISP


CASES = [
    (topic.id, command, isp)
    for topic in REAL.catalogue.topics
    for command in topic.commands
    for isp in REAL.providers
]


@pytest.mark.parametrize(("topic_id", "command", "isp"), CASES)
def test_every_command_on_every_isp(topic_id: str, command: str, isp: str) -> None:
    provider = REAL.providers[isp]
    reply = answer(REAL, f"/{command} {isp}", NOW)
    assert reply.provider_id == isp
    assert reply.topic_id == topic_id
    entry = provider.topics.get(topic_id)
    if entry is None and not (topic_id == "senha" and provider.equipment):
        assert reply.kind is ReplyKind.NO_INFO
        assert f"O documento da {provider.name} não traz informação" in to_html(reply)
        return
    assert reply.kind is ReplyKind.ANSWER
    out = to_html(reply)
    assert out.startswith(f"<b>{html.escape(provider.name, quote=False)} › ")
    if entry is not None:
        first_line = entry.text.strip().splitlines()[0]
        assert html.escape(first_line, quote=False) in out
    # Never another ISP's data: no other ISP's name in the heading.
    heading = out.split("\n", 1)[0]
    assert all(p.name not in heading for p in REAL.providers.values() if p.id != isp)


@pytest.mark.parametrize("isp", list(REAL.providers))
def test_provider_card_has_every_topic(isp: str) -> None:
    provider = REAL.providers[isp]
    reply = answer(REAL, f"/provedor {isp}", NOW)
    assert reply.kind is ReplyKind.CARD
    out = to_html(reply)
    for topic_id, entry in provider.topics.items():
        assert html.escape(REAL.topics[topic_id].title, quote=False) in out
        assert html.escape(entry.text.strip().splitlines()[0], quote=False) in out
    for item in provider.equipment:
        assert all(html.escape(p, quote=False) in out for p in item.passwords)
    assert reply.credentials == any(REAL.is_secret(provider, t) for t in REAL.topics)


def test_providers_list_and_help() -> None:
    listing = answer(REAL, "/provedores", NOW)
    assert listing.kind is ReplyKind.LIST
    assert [b.ask for b in listing.buttons] == [f"/provedor {p}" for p in REAL.providers]
    for command in ("/ajuda", "/help", "/start", "/ajuda@UpcallBot"):
        reply = answer(REAL, command, NOW)
        assert reply.kind is ReplyKind.HELP
        out = to_html(reply)
        assert all(f"/{t.commands[0]} — " in out for t in REAL.catalogue.topics)


def test_help_lists_versao_with_the_commands_everyone_may_use() -> None:
    """/versao answers every agent, so /ajuda lists it among the general commands, not in the
    supervisors' line; /recarregar, /lacunas and /auditoria stay there."""
    out = to_plain(answer(REAL, "/ajuda", NOW))
    general, _, supervisors = out.partition("Supervisores:")
    assert "/versao — " in general
    assert "/versao" not in supervisors
    assert all(c in supervisors for c in ("/recarregar", "/lacunas", "/auditoria"))


# --------------------------------------------------------------------------- ISP names


@pytest.mark.parametrize(
    ("typed", "isp"),
    [
        ("lasernt", "lasernet"),
        ("laser net", "lasernet"),
        ("LASERNET", "lasernet"),
        ("vm net", "vmnet"),
        ("VMNET", "vmnet"),
        ("mutun", "mutum"),
        ("mutum fibra", "mutum"),
        ("netcenter", "netcenter"),
        ("net center", "netcenter"),
        ("seja fibra", "sejafibra"),
        ("seja", "sejafibra"),
        ("caboimagem", "sejafibra"),
        ("Kaybee", "sejafibra"),
        ("MPV", "sejafibra"),
        ("sansara", "sejafibra"),
    ],
)
def test_isp_resolved_fuzzily_and_by_former_names(typed: str, isp: str) -> None:
    reply = answer(REAL, f"/contato {typed}", NOW)
    assert reply.kind is ReplyKind.ANSWER
    assert reply.provider_id == isp


@pytest.mark.parametrize("company", ["TRIX", "nipponet", "NET CLARO", "giga"])
def test_other_companies_are_lookalikes_not_aliases(company: str) -> None:
    reply = answer(REAL, f"/dns {company}", NOW)
    assert reply.kind is ReplyKind.LOOKALIKE
    out = to_html(reply)
    assert "não é um provedor atendido pela UPCALL" in out
    assert "Seja Fibra" in out
    assert "1.1.1.1" not in out  # no Seja Fibra data as if it were theirs


def test_unknown_isp_lists_the_isps() -> None:
    reply = answer(REAL, "/dns provedorx", NOW)
    assert reply.kind is ReplyKind.UNKNOWN_PROVIDER
    out = to_html(reply)
    assert "Provedor “provedorx” não encontrado" in out
    assert all(p.name in out for p in REAL.providers.values())
    assert [b.ask for b in reply.buttons] == [f"/dns {p}" for p in REAL.providers]


def test_missing_isp_offers_buttons() -> None:
    reply = answer(REAL, "/bloqueio", NOW)
    assert reply.kind is ReplyKind.MISSING_PROVIDER
    assert "Informe o provedor: /bloqueio &lt;provedor&gt;" in to_html(reply)
    assert [b.ask for b in reply.buttons] == [f"/bloqueio {p}" for p in REAL.providers]


def test_which_isp_menu_marks_the_isps_whose_document_is_silent(tiny: KB) -> None:
    """QA 7 #19: a "which ISP?" button never lands on "the document does not say" unannounced."""
    reply = answer(tiny, "/bloqueio", NOW)
    assert reply.kind is ReplyKind.MISSING_PROVIDER
    assert [(b.label, b.ask) for b in reply.buttons] == [
        ("Alfa Net (documento não traz)", "/bloqueio alfa"),
        ("Beta Fibra", "/bloqueio beta"),
    ]
    assert "O documento da Alfa Net não traz bloqueio." in to_plain(reply)
    assert answer(tiny, "/dns", NOW).buttons[0].label == "Alfa Net"  # both answer: unmarked


def test_which_isp_buttons_are_marked_exactly_when_they_lead_to_no_info() -> None:
    marker = "(documento não traz)"
    for topic in REAL.catalogue.topics:
        for button in answer(REAL, f"/{topic.commands[0]}", NOW).buttons:
            silent = answer(REAL, button.ask, NOW).kind is ReplyKind.NO_INFO
            assert (marker in button.label) is silent, (topic.id, button)


def test_isp_after_the_equipment() -> None:
    reply = answer(REAL, "/senha W5-1200G lasernet", NOW)
    assert reply.equipment == "W5-1200G"


# --------------------------------------------------------------------------- equipment


@pytest.mark.parametrize(
    ("query", "isp", "model"),
    [
        ("w5 1200g", "lasernet", "W5-1200G"),
        ("W4-300F", "lasernet", "W4-300F"),
        ("w4 300f", "lasernet", "W4-300F"),
        ("rf1200", "lasernet", "RF1200"),
        ("intelbras", "lasernet", "INTELBRAS"),
        ("huawei v5", "vmnet", "ONU HUAWEI V5"),
        ("huawei v2", "vmnet", "ONU HUAWEI V2 (Preta)"),
        ("stavix", "vmnet", "ONU STAVIX (UNEE)"),
        ("tp link", "vmnet", "Roteador TP Link"),
        ("via real", "vmnet", "Via Real"),
        ("zyxel", "sejafibra", "ZYXEL"),
        ("mercusys mr30", "sejafibra", "MERCUSYS MR30"),
        ("onu", "mutum", "ONU"),
    ],
)
def test_equipment_resolved_fuzzily(query: str, isp: str, model: str) -> None:
    reply = answer(REAL, f"/senha {isp} {query}", NOW)
    assert reply.kind is ReplyKind.ANSWER, to_html(reply)
    assert reply.equipment == model
    assert reply.credentials
    item = next(e for e in REAL.providers[isp].equipment if e.model == model)
    out = to_html(reply)
    assert all(html.escape(p, quote=False) in out for p in item.passwords)
    others = [e for e in REAL.providers[isp].equipment if e.model != model]
    assert all(f"<b>{html.escape(e.model, quote=False)}</b>" not in out for e in others)


def test_two_passwords_shown() -> None:
    out = ask("/senha seja zyxel")
    assert "<code>sejafibraroot1</code> ou <code>sejafibraroot2</code>" in out


def test_senha_without_equipment_lists_all() -> None:
    reply = answer(REAL, "/senha lasernet", NOW)
    out = to_html(reply)
    assert reply.credentials
    assert all(e.model in out for e in REAL.providers["lasernet"].equipment)


def test_ambiguous_equipment_asks_with_buttons() -> None:
    reply = answer(REAL, "/senha seja mercusys", NOW)
    assert reply.kind is ReplyKind.CHOICE
    assert not reply.credentials
    assert [b.ask for b in reply.buttons] == [
        "/senha sejafibra MERCUSYS AC12G",
        "/senha sejafibra MERCUSYS MR30",
    ]
    assert answer(REAL, reply.buttons[1].ask, NOW).equipment == "MERCUSYS MR30"


def test_unknown_equipment_lists_models_without_secrets() -> None:
    reply = answer(REAL, "/senha lasernet archer c6", NOW)
    assert reply.kind is ReplyKind.UNKNOWN_EQUIPMENT
    out = to_html(reply)
    assert "Equipamento “archer c6” não encontrado na LaserNet" in out
    assert "W5-1200G" in out and "Lnt12345@" not in out
    assert not reply.credentials


# --------------------------------------------------------------------------- gaps and errors


def test_topic_the_isp_lacks_says_so_and_never_borrows() -> None:
    reply = answer(REAL, "/dns lasernet", NOW)
    assert reply.kind is ReplyKind.NO_INFO
    out = to_html(reply)
    assert "O documento da LaserNet não traz informação sobre dns padrão." in out
    assert "pergunta o DNS padrão, mas não traz resposta" in out
    for other in ("170.82.12.3", "1.1.1.1", "45.162.123.2", "143.202.80.56"):
        assert other not in out


def test_unknown_command_suggests_the_closest(tiny: KB) -> None:
    # Two slips from /dns in a short word: no reading clear enough to answer, a suggestion.
    reply = answer(REAL, "/dnsxx mutum", NOW)
    assert reply.kind is ReplyKind.UNKNOWN_COMMAND
    out = to_html(reply)
    assert "O comando /dnsxx não existe." in out
    assert "Você quis dizer /dns?" in out
    assert "/ajuda" in out
    nonsense = answer(REAL, "/xyzzyqwv", NOW)
    assert nonsense.kind is ReplyKind.UNKNOWN_COMMAND
    assert "Você quis dizer" not in to_html(nonsense)


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty(text: str) -> None:
    assert answer(REAL, text, NOW).kind is ReplyKind.EMPTY
    assert answer(REAL, "/buscar", NOW).kind is ReplyKind.EMPTY


def test_too_long() -> None:
    reply = answer(REAL, "dns " * MAX_QUERY_CHARS, NOW)
    assert reply.kind is ReplyKind.TOO_LONG
    assert f"o máximo é {MAX_QUERY_CHARS}" in to_html(reply)


def test_html_in_input_is_escaped() -> None:
    out = ask("/dns <b>mutum</b><script>alert(1)</script>")
    assert "<script>" not in out
    out = ask("<i>oi</i> & tchau")
    assert "<i>oi</i>" not in out
    assert "&lt;i&gt;oi&lt;/i&gt; &amp; tchau" in out


def test_html_in_kb_is_escaped(tiny: KB) -> None:
    out = ask("/dns alfa", tiny)
    assert "10.0.0.2 &lt;b&gt;" in out


def test_bot_name_suffix_and_case() -> None:
    assert parse_command("/DNS@UpcallBot mutum").name == "dns"  # type: ignore[union-attr]
    assert answer(REAL, "/dns@UpcallBot mutum", NOW).kind is ReplyKind.ANSWER


# --------------------------------------------------------------------------- free text


@pytest.mark.parametrize(
    ("question", "isp", "topic"),
    [
        ("qual o dns da mutum?", "mutum", "dns"),
        ("senha do roteador W4-300F da lasernet", "lasernet", "senha"),
        ("cliente caboimagem quer cancelar", "sejafibra", "cancelamento"),
        ("qnts dias p bloquear vmnet", "vmnet", "bloqueio"),
        ("vmnet faz desbloqueio de confiança?", "vmnet", "desbloqueio"),
        ("telefone da netcenter", "netcenter", "contato"),
        ("planos da lasernet", "lasernet", "planos"),
        ("nivel de sinal vm net", "vmnet", "sinal"),
        ("a mutum tem ipv6", "mutum", "ipv6"),
    ],
)
def test_free_text_questions(question: str, isp: str, topic: str) -> None:
    for text in (question, f"/buscar {question}"):
        reply = answer(REAL, text, NOW)
        assert reply.kind is ReplyKind.ANSWER, to_html(reply)
        assert (reply.provider_id, reply.topic_id) == (isp, topic)


def test_free_text_equipment_without_isp() -> None:
    reply = answer(REAL, "senha do W5-1200G", NOW)
    assert (reply.provider_id, reply.equipment) == ("lasernet", "W5-1200G")


def test_free_text_without_isp_asks_which() -> None:
    reply = answer(REAL, "qual o dns?", NOW)
    assert reply.kind is ReplyKind.MISSING_PROVIDER
    assert [b.ask for b in reply.buttons] == [f"/dns {p}" for p in REAL.providers]


def test_free_text_two_isps_asks_which() -> None:
    reply = answer(REAL, "dns da mutum ou da vmnet", NOW)
    assert reply.kind is ReplyKind.CHOICE
    assert sorted(b.ask for b in reply.buttons) == ["/dns mutum", "/dns vmnet"]


def test_free_text_isp_only_offers_its_topics() -> None:
    reply = answer(REAL, "lasernet", NOW)
    assert reply.kind is ReplyKind.CHOICE
    asks = [b.ask for b in reply.buttons]
    assert "/planos lasernet" in asks
    assert "/dns lasernet" not in asks  # LaserNet's document has no DNS


def test_free_text_not_understood() -> None:
    reply = answer(REAL, "pessoal, alguém aí?", NOW)
    assert reply.kind is ReplyKind.NOT_UNDERSTOOD
    assert "Não entendi a pergunta “pessoal, alguém aí?”." in to_html(reply)


def test_free_text_lookalike() -> None:
    reply = answer(REAL, "cliente da trix sem internet", NOW)
    assert reply.kind is ReplyKind.LOOKALIKE


def test_a_lookalike_named_beside_an_isp_is_never_dropped() -> None:
    # No clear question besides: the other company's rule, from the document that lists it.
    reply = answer(REAL, "a pessoa diz que é cliente nipponet, confere com a seja?", NOW)
    assert reply.kind is ReplyKind.LOOKALIKE and reply.provider_id == "sejafibra"
    assert "NIPPONET não é um provedor atendido" in html.unescape(to_html(reply))
    # A clear question: the ISP's answer, and one line saying the other is not served.
    dns = answer(REAL, "ele falou trix mas o contrato é mutum, qual o dns?", NOW)
    assert (dns.kind, dns.provider_id, dns.topic_id) == (ReplyKind.ANSWER, "mutum", "dns")
    out = html.unescape(to_html(dns))
    assert "TRIX não é um provedor atendido pela UPCALL" in out and "143.202.80.56" in out


NOT_SERVED = "não é um provedor atendido pela UPCALL"


@pytest.mark.parametrize(
    ("question", "company"),
    [
        ("qual o dns da claro?", "Claro"),
        ("cliente da vivo sem sinal", "Vivo"),
        ("é da tim, qual a senha do roteador?", "TIM"),
        ("cliente da oi quer a segunda via", "Oi"),
        ("cliente da operadora vivo, e o bloqueio?", "Vivo"),
        ("/dns claro", "Claro"),
    ],
)
def test_a_company_not_served_is_said_as_such(question: str, company: str) -> None:
    """The big carriers (knowledge/topics.yaml ``not_served``) named as a company: told so,
    never asked "which ISP?" and never answered with an ISP's data."""
    reply = answer(REAL, question, NOW)
    assert (reply.kind, reply.provider_id) == (ReplyKind.LOOKALIKE, None)
    out = html.unescape(to_html(reply))
    assert f"{company} {NOT_SERVED}" in out
    assert "Provedores atendidos: LaserNet, Mutum Fibra" in out
    assert "143.202.80.56" not in out and not reply.buttons


@pytest.mark.parametrize(
    "question",
    [
        "oi, qual o dns?",
        "o cliente ta vivo?",
        "claro, qual o prazo da visita?",
        "ficou claro pro cliente o prazo da visita?",
        "deixa o tim do suporte saber",
    ],
)
def test_a_carrier_name_that_is_a_common_word_is_the_word(question: str) -> None:
    reply = answer(REAL, question, NOW)
    assert reply.kind is not ReplyKind.LOOKALIKE
    assert NOT_SERVED not in html.unescape(to_html(reply))


def test_a_company_not_served_beside_an_isp_keeps_the_isps_reply() -> None:
    reply = answer(REAL, "era da claro, agora é da mutum, qual o dns?", NOW)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, "mutum", "dns")
    out = html.unescape(to_html(reply))
    assert f"Claro {NOT_SERVED}" in out and "143.202.80.56" in out
    # Unclear besides: still the ISP's own reply (a choice of its topics), with the line.
    unclear = answer(REAL, "cliente era da vivo e agora é da mutum", NOW)
    assert unclear.provider_id == "mutum" and unclear.kind is not ReplyKind.LOOKALIKE
    assert f"Vivo {NOT_SERVED}" in html.unescape(to_html(unclear))


def test_a_supervisor_lists_a_company_not_served(tmp_path: Path) -> None:
    """The list is the KB's: a company added to it is recognised with no code change."""
    from kbfactory import TOPICS

    listed = TOPICS + "not_served: [Ômega Telecom, Claro, ZETA]\n"
    kb = load_kb(write_kb(tmp_path, topics=listed))
    reply = answer(kb, "o cliente disse que é omega telecom, qual o dns?", NOW)
    assert reply.kind is ReplyKind.LOOKALIKE
    assert f"Ômega Telecom {NOT_SERVED}" in html.unescape(to_html(reply))
    assert "Provedores atendidos: Alfa Net, Beta Fibra." in html.unescape(to_html(reply))
    assert answer(kb, "cliente da claro quer bloqueio", NOW).kind is ReplyKind.LOOKALIKE
    assert answer(kb, "claro, e o bloqueio da beta?", NOW).provider_id == "beta"
    # Also a lookalike of Alfa's document: Alfa's note is the more telling reply.
    zeta = answer(kb, "cliente da zeta sem sinal", NOW)
    assert (zeta.kind, zeta.provider_id) == (ReplyKind.LOOKALIKE, "alfa")


# --------------------------------------------------------------------------- credentials flag


def test_credentials_flag(tiny: KB) -> None:
    assert answer(tiny, "/senha alfa", NOW).credentials
    assert answer(tiny, "/sistemas beta", NOW).credentials
    assert not answer(tiny, "/dns alfa", NOW).credentials
    assert answer(REAL, "/sistemas mutum", NOW).credentials
    assert not answer(REAL, "/dns mutum", NOW).credentials


def test_templates_are_separate_blocks(tiny: KB) -> None:
    reply = answer(tiny, "/senha alfa", NOW)
    assert [b.plain for b in reply.templates] == ["Olá, vou abrir um chamado."]
    assert "<pre>Olá, vou abrir um chamado.</pre>" in to_html(reply)


def test_braces_in_arguments_are_plain_text() -> None:
    reply = answer(REAL, "/senha qwerty {", NOW)
    assert reply.kind is ReplyKind.UNKNOWN_PROVIDER
    assert reply.buttons[0].ask == "/senha lasernet {"
    reply = answer(REAL, "/senha W5-1200G {", NOW)  # the model names LaserNet
    assert (reply.provider_id, reply.kind) == ("lasernet", ReplyKind.ANSWER)
    reply = answer(REAL, "/dns xyz { } {0}", NOW)
    assert reply.buttons[0].ask == "/dns lasernet { } {0}"


# --------------------------------------------------------------------------- issue 6: deciding


@pytest.mark.parametrize(
    ("question", "isp", "topic"),
    [
        ("qnts dias p liberar vmnet", "vmnet", "desbloqueio"),
        ("pgto mutum", "mutum", "pagamento"),  # the KB's vocabulary (topics.yaml)
        ("cli quer canc vmnet", "vmnet", "cancelamento"),
        ("desbloqeio de confiança vmnet", "vmnet", "desbloqueio"),  # a typo
        ("mutun dns", "mutum", "dns"),  # a misspelt ISP
        ("caboimagen dns", "sejafibra", "dns"),
        ("mutum reduz velocidade?", "mutum", "bloqueio"),
        ("porta tplink vmnet", "vmnet", "porta"),
        ("huawei v5 vmnet", "vmnet", "senha"),
    ],
)
def test_abbreviations_typos_and_synonyms_are_answered(question: str, isp: str, topic: str) -> None:
    reply = answer(REAL, question, NOW)
    assert reply.kind is ReplyKind.ANSWER, to_html(reply)
    assert (reply.provider_id, reply.topic_id) == (isp, topic)


def test_free_text_answers_as_the_command_does() -> None:
    for question, command in [
        ("horário da upcall na lasernet", "/horario lasernet"),
        ("senha huawei v5 vmnet", "/senha vmnet huawei v5"),
    ]:
        assert to_html(answer(REAL, question, NOW)) == to_html(answer(REAL, command, NOW))


def test_two_close_topics_are_answered_in_two_sections() -> None:
    reply = answer(REAL, "dns e bloqueio da mutum", NOW)
    assert reply.kind is ReplyKind.ANSWER and not reply.gap
    assert {reply.topic_id, *reply.also} == {"dns", "bloqueio"}
    out = to_html(reply)
    assert "143.202.80.56" in out  # the DNS section
    assert "<b>Bloqueio e redução de velocidade</b>" in out and "<b>DNS padrão</b>" in out
    assert sorted(b.ask for b in reply.buttons) == ["/bloqueio mutum", "/dns mutum"]
    assert reply.provider_id == "mutum"


def test_three_close_topics_ask_with_buttons_labelled_by_the_matched_line() -> None:
    reply = answer(REAL, "dns, bloqueio e cancelamento da mutum", NOW)
    assert reply.kind is ReplyKind.CHOICE
    assert "Não ficou claro o assunto. Qual destes?" in to_html(reply)
    assert len(reply.buttons) == 3
    assert all(": " in b.label for b in reply.buttons)  # "Title: the line that matched"


def test_two_close_equipment_models_ask_with_buttons() -> None:
    reply = answer(REAL, "senha mercusys seja", NOW)
    assert reply.kind is ReplyKind.CHOICE and not reply.credentials
    assert "Mais de um equipamento parecido com “mercusys”" in to_html(reply)
    assert [b.ask for b in reply.buttons] == [
        "/senha sejafibra MERCUSYS AC12G",
        "/senha sejafibra MERCUSYS MR30",
    ]


def test_low_confidence_says_so_and_suggests_commands(tiny: KB) -> None:
    # Alfa's document has no /bloqueio and "bloqueiam" is only near a keyword: unsure.
    reply = answer(tiny, "bloqueiam alfa", NOW)
    assert reply.kind is ReplyKind.UNSURE and reply.gap
    assert reply.confidence < 1.0
    out = to_html(reply)
    assert "Não tenho certeza do assunto sobre Alfa Net em “bloqueiam alfa”" in out
    assert [b.ask for b in reply.buttons] == ["/bloqueio alfa"]
    # "bloqueiam" is a Portuguese word, left as typed, and the blocking text says "bloqueio"
    # (same stem): that one is understood. "bloqueando" shares no stem with the texts.
    no_isp = answer(tiny, "bloqueando?", NOW)
    assert no_isp.kind is ReplyKind.UNSURE
    assert "Não tenho certeza do que você procura em “bloqueando?”" in to_html(no_isp)
    assert [b.ask for b in no_isp.buttons] == ["/bloqueio"]  # which ISP: asked next


def test_the_console_shows_the_suggestions_as_numbers(tiny: KB) -> None:
    from bot.answers.render.plain import to_plain

    assert "[1] Bloqueio" in to_plain(answer(tiny, "bloqueiam alfa", NOW))


def test_not_understood_with_an_isp_offers_its_card() -> None:
    reply = answer(REAL, "qual a cor do céu na mutum", NOW)
    assert reply.kind is ReplyKind.NOT_UNDERSTOOD and reply.gap
    assert [b.ask for b in reply.buttons] == ["/provedor mutum"]


def test_a_named_isp_is_never_answered_with_another_isps_passage() -> None:
    # Flashman is only in Mutum's document: asked about VM NET, VM NET answers.
    reply = answer(REAL, "flashman da vmnet", NOW)
    assert reply.provider_id == "vmnet"
    out = to_html(reply)
    assert "Mutum" not in out and "mutumfibra" not in out and "Flashman" not in out


@pytest.mark.parametrize(
    ("query", "isp", "topic", "fact"),
    [
        ("/buscar MG Cobranças", "sejafibra", "financeiro", "MG Cobranças"),
        ("/buscar Olé TV", "mutum", "tv", "Olé TV"),
        ("/buscar carmella", "vmnet", "cidades", "Carmella"),
        ("/buscar pagamento invertido", "lasernet", "pagamento", "não faz a inversão"),
    ],
)
def test_buscar_finds_passages_inside_the_answers(
    query: str, isp: str, topic: str, fact: str
) -> None:
    reply = answer(REAL, query, NOW)
    assert reply.kind is ReplyKind.SEARCH, to_html(reply)
    assert (reply.provider_id, reply.topic_id) == (isp, topic)
    out = to_html(reply)
    assert "Trechos dos documentos que citam" in out
    name = REAL.providers[isp].name
    assert f"<b>{html.escape(name, quote=False)} › {REAL.topics[topic].title}</b>" in out
    assert html.escape(fact, quote=False) in out
    assert reply.buttons[0].ask == f"/{REAL.topics[topic].commands[0]} {isp}"
    assert reply.buttons[0].label == f"{name} › {REAL.topics[topic].title}"
    assert 1 <= len(reply.buttons) <= 5
    assert answer(REAL, reply.buttons[0].ask, NOW).kind is ReplyKind.ANSWER


def test_buscar_keeps_to_the_named_isp_and_flags_credentials() -> None:
    found = answer(REAL, "/buscar qual o dns", NOW)
    assert found.kind is ReplyKind.SEARCH
    assert {b.ask for b in found.buttons} == {
        f"/dns {p}" for p in REAL.providers if p != "lasernet"
    }
    secret = answer(REAL, "/buscar flashman", NOW)
    assert secret.kind is ReplyKind.SEARCH and secret.credentials  # Mutum's system logins
    assert all(b.ask.endswith(" mutum") for b in secret.buttons)
    clear = answer(REAL, "/buscar dns da mutum", NOW)
    assert clear.kind is ReplyKind.ANSWER and clear.topic_id == "dns"


def test_free_text_found_only_in_the_answers() -> None:
    one = answer(REAL, "vmnet rede hibrida carmella", NOW)  # one ISP, one fact: answered
    assert one.kind is ReplyKind.ANSWER and one.provider_id == "vmnet"
    assert one.topic_id in {"tecnologias", "cidades"}
    many = answer(REAL, "/buscar carmella", NOW)  # the fact is under two topics: both shown
    assert many.kind is ReplyKind.SEARCH and many.gap
    # Free text: "Carmella" is a place only VM NET's document writes: a place alone is read
    # as "who serves it?", and VM NET is named with its coverage line.
    alone = answer(REAL, "carmella", NOW)
    assert alone.kind is ReplyKind.ANSWER and alone.provider_id == "vmnet"
    assert alone.topic_id == "cidades" and "• VM NET:" in to_html(alone)


def test_gap_flag() -> None:
    assert answer(REAL, "/dns lasernet", NOW).gap  # the document does not say
    assert answer(REAL, "pessoal, alguém aí?", NOW).gap
    assert answer(REAL, "/senha lasernet archer c6", NOW).gap
    assert not answer(REAL, "/dns mutum", NOW).gap
    assert not answer(REAL, "qual o dns?", NOW).gap  # asks which ISP: nothing missing


# --------------------------------------------------------------------------- issue 12


BRT = dt.timezone(dt.timedelta(hours=-3))
MONDAY_21H = dt.datetime(2026, 11, 23, 21, 0, tzinfo=BRT)
MONDAY_10H = dt.datetime(2026, 11, 23, 10, 0, tzinfo=BRT)


@pytest.mark.parametrize(
    ("question", "isp", "topic", "why"),
    [
        ("cliente de ubatuba quer cancelar", "sejafibra", "cancelamento", "Ubatuba → Seja Fibra"),
        ("o kaspersky do cliente não ativa", "netcenter", "tecnologias", "Kaspersky"),
        ("paramount plus não abre", "sejafibra", "tecnologias", "Paramount Plus"),
        ("url do anlix", "mutum", "sistemas", "Anlix → Mutum Fibra"),
        ("cliente de caraguatatuba qual o dns", "sejafibra", "dns", "Caraguatatuba"),
    ],
)
def test_the_isp_named_by_context_is_answered_saying_why(
    question: str, isp: str, topic: str, why: str
) -> None:
    reply = answer(REAL, question, NOW)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, isp, topic)
    out = html.unescape(to_html(reply))
    assert why in out
    assert out.index(why) < 200  # one line under the title


def test_a_name_two_isps_share_asks_between_those_two_only() -> None:
    reply = answer(REAL, "leveduca não funciona", NOW)
    assert reply.kind is ReplyKind.CHOICE and reply.provider_id is None
    assert {b.ask for b in reply.buttons} == {"/tecnologias netcenter", "/tecnologias sejafibra"}
    assert "Leveduca" in to_html(reply)


def test_a_named_isp_is_never_answered_with_another_ones_data() -> None:
    # Ubatuba is Seja Fibra's, but the agent named VM NET: VM NET it is, and nothing of Seja's.
    reply = answer(REAL, "cliente da vmnet mudou pra ubatuba, qual o dns?", NOW)
    assert reply.provider_id == "vmnet" and reply.topic_id == "dns"
    out = to_html(reply)
    assert "45.162.123.2" in out and "1.1.1.1" not in out and "Seja Fibra" not in out


@pytest.mark.parametrize(
    ("question", "isps"),
    [
        ("quem atende ubatuba?", {"Seja Fibra"}),
        ("qual provedor atende itabatã?", {"NETCENTER"}),
        ("santa rita do trivelato é de qual provedor?", {"Mutum Fibra"}),
        ("quem atende em fortaleza?", {"LaserNet"}),
        ("quem atende na bahia?", {"NETCENTER"}),  # the ISP's state, by name
        # VM NET's city, Seja Fibra's state (Ubatuba, Caraguatatuba): both, each with its line
        ("qual provedor atende em são paulo", {"VM NET", "Seja Fibra"}),
        ("belmonte é qual dos nossos provedores?", {"NETCENTER"}),
        ("caraguatatuba é de qual dos provedores?", {"Seja Fibra"}),
        ("guarulhos pertence a qual provedor?", {"VM NET"}),
        # in a hurry: "eh", "qm", "quem q"
        ("caragua eh de quem?", {"Seja Fibra"}),
        ("porto seguro eh de qm", {"NETCENTER"}),
        ("qm atende ubatuba", {"Seja Fibra"}),
        ("quem q cobre mucuri?", {"NETCENTER"}),
        # a place whose name holds an ISP's name is the place, not the ISP
        ("nova mutum é de qual provedor?", {"Mutum Fibra"}),
        ("cliente de nova mutum, quem cobre lá?", {"Mutum Fibra"}),
        # a service asked of a place named right after it
        ("tem fibra em sertânia?", {"VM NET"}),
        ("chega internet no jardim julieta?", {"VM NET"}),
        # both: a service asked of a place whose name holds an ISP's name
        ("tem sinal em nova mutum?", {"Mutum Fibra"}),
        ("pega internet em nova mutum", {"Mutum Fibra"}),
    ],
)
def test_who_serves_a_place(question: str, isps: set[str]) -> None:
    reply = answer(REAL, question, NOW)
    assert reply.kind is ReplyKind.ANSWER and reply.topic_id == "cidades"
    out = html.unescape(to_html(reply))
    named = {p.name for p in REAL.providers.values() if f"• {p.name}:" in out}
    assert named == isps


@pytest.mark.parametrize(
    ("text", "action"),
    [
        # the action cut to its verb and object, never the rest of a parenthesis
        (
            "Transferir ao Financeiro (abrir OS de Cobrança fora dele) é este horário.",
            "abrir OS de Cobrança",
        ),
        (
            "Transferir dentro do horário e ser aberto OS de Outras Demandas fora dele.",
            "abrir OS de Outras Demandas",
        ),
        (
            "Transferir ao Comercial; fora do horário, gerar ocorrência para o comercial.",
            "gerar ocorrência para o comercial",
        ),
        (
            "Transferir ao Comercial. Fora do expediente: registrado chamado N1.",
            "registrar chamado N1",
        ),
        # a rule with no action written: the default line says what to do
        ("Transferir ao Financeiro, com exceção após o horário de expediente.", ""),
    ],
)
def test_the_closed_sector_action_is_the_documents_verb_and_object(text: str, action: str) -> None:
    assert clock._closed_clause(text) == action


@pytest.mark.parametrize(
    "question",
    [
        "jundiaí é qual dos nossos provedores?",
        "jundiaí pertence a qual provedor?",
        "vcs atendem em jundiaí?",
        "tem cobertura em jundiaí?",
    ],
)
def test_who_serves_an_unknown_place_in_other_words(question: str) -> None:
    reply = answer(REAL, question, NOW)
    out = html.unescape(to_html(reply))
    assert "“jundiaí”" in out
    assert all(f"• {p.name}:" in out for p in REAL.providers.values())


def test_an_isp_named_inside_a_place_is_still_the_isp_for_a_topic() -> None:
    # Only "who serves" reads "Nova Mutum" as the place: a topic asked of it stays a topic.
    reply = answer(REAL, "mutum: cliente de nova mutum quer cancelar", NOW)
    assert (reply.provider_id, reply.topic_id) == ("mutum", "cancelamento")


def test_a_service_asked_of_no_place_is_no_who_serves() -> None:
    reply = answer(REAL, "cliente de guarulhos, tem sinal na onu?", NOW)
    assert (reply.provider_id, reply.topic_id) == ("vmnet", "sinal")


def test_the_hours_we_serve_are_no_who_serves() -> None:
    # "o horário que vocês atendem" asks when, not where: a relative clause, no place.
    reply = answer(REAL, "qual o horário que vcs atendem?", NOW)
    assert reply.topic_id != "cidades" and "/horario" in reply.buttons[0].ask


def test_a_topic_asked_of_every_isp_is_no_who_serves() -> None:
    reply = answer(REAL, "qual dos nossos provedores tem ip fixo?", NOW)
    assert reply.kind is ReplyKind.MISSING_PROVIDER and "/ipfixo" in reply.buttons[0].ask


def test_who_serves_an_unknown_place_lists_every_coverage_line() -> None:
    reply = answer(REAL, "quem atende campinas?", NOW)
    assert reply.kind is ReplyKind.NO_INFO and reply.provider_id is None
    out = html.unescape(to_html(reply))
    assert "“campinas”" in out
    assert all(f"• {p.name}:" in out for p in REAL.providers.values())


@pytest.mark.parametrize(
    ("typed", "meant", "isp"),
    [
        ("/desbl vmnet", "desbloqueio", "vmnet"),  # a unique prefix
        ("/bloqeuio mutum", "bloqueio", "mutum"),  # one slip
        ("/dnss mutum", "dns", "mutum"),
        ("/cancelamneto seja", "cancelamento", "sejafibra"),  # short form of the ISP
        ("/dns vm", "dns", "vmnet"),
        ("/vist laser", "visita", "lasernet"),  # a prefix with a letter wrong
        ("/prot lasernet", "porta", "lasernet"),  # two letters swapped: /porta, not /provedor
        ("/cancle mutum", "cancelamento", "mutum"),  # a prefix with two letters swapped
        ("/bloqe vm", "bloqueio", "vmnet"),  # a prefix with a letter missing
    ],
)
def test_commands_typed_in_a_hurry_are_answered_saying_what_was_understood(
    typed: str, meant: str, isp: str
) -> None:
    reply = answer(REAL, typed, NOW)
    assert reply.kind is ReplyKind.ANSWER and reply.provider_id == isp
    assert reply.topic_id == REAL.command_topics[meant].id
    word = typed.split()[0][1:]
    if word != meant:
        assert f"Entendi /{word} como /{meant}." in to_html(reply)


def test_only_real_ties_ask() -> None:
    reply = answer(REAL, "/c mutum", NOW)  # too short to mean anything
    assert reply.kind is ReplyKind.UNKNOWN_COMMAND


@pytest.mark.parametrize("typed", ["/xpto mutum", "/kkkk", "/vit laser"])
def test_a_word_one_slip_from_no_command_start_is_no_command(typed: str) -> None:
    """A prefix with a slip names a command only from four letters, and only one slip away."""
    assert answer(REAL, typed, NOW).kind is ReplyKind.UNKNOWN_COMMAND


def test_a_prefix_slip_of_two_topics_asks_between_them() -> None:
    # "/pkan": one letter from the start of /planos and of /plantao, each keeping three letters.
    reply = answer(REAL, "/pkan vm", NOW)
    assert reply.kind is ReplyKind.CHOICE
    assert {b.ask.split()[0] for b in reply.buttons} == {"/planos", "/plantao"}


@pytest.mark.parametrize(
    "typed",
    [
        "/ dns mutum",  # a space after the slash
        "//dns mutum",  # two slashes
        "/dns? mutum",
        "/dns: mutum",
        "/dns, mutum",
        "/dns,mutum",
        "/dns:mutum",
        "/dns-mutum",
        "/DNS@UpcallBot MUTUM",
        "/dns mutum?",
        "/dns da mutum",
        "/dns pra mutum",
        "/dns cliente mutum 🙏",
    ],
)
def test_the_punctuation_and_spacing_of_a_hurried_command(typed: str) -> None:
    reply = answer(REAL, typed, NOW)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, "mutum", "dns")
    assert "Entendi" not in to_plain(reply)  # the command was typed, only its shape was loose


def test_a_command_s_accents_and_stuck_punctuation_are_read_as_its_name() -> None:
    assert parse_command("/mudança? vm") == parse_command("/mudanca vm")
    assert parse_command("/dns:mutum").args == ["mutum"]  # type: ignore[union-attr]
    assert parse_command("/").name == ""  # type: ignore[union-attr]
    reply = answer(REAL, "/MUDANÇA: vm", NOW)
    assert (reply.provider_id, reply.topic_id) == ("vmnet", "mudanca")


@pytest.mark.parametrize(
    ("typed", "asks"),
    [
        ("/pla mutum", ["/planos mutum", "/plantao mutum"]),  # answered /prazo (/sla) before
        ("/plan mutum", ["/planos mutum", "/plantao mutum"]),
        ("/cont vm", ["/contratacao vm", "/contato vm"]),
        ("/sa seja", ["/sva seja", "/sla seja"]),  # two letters, one missing of either
        ("/esc laser", ["/escalonamento laser", "/escala laser"]),
    ],
)
def test_a_command_several_commands_start_asks_which_keeping_the_arguments(
    typed: str, asks: list[str]
) -> None:
    reply = answer(REAL, typed, NOW)
    assert reply.kind is ReplyKind.CHOICE and reply.provider_id is None
    assert sorted(b.ask for b in reply.buttons) == sorted(asks)
    word = typed.split()[0][1:]
    assert f"/{word} pode ser mais de um comando" in to_plain(reply)


@pytest.mark.parametrize(
    ("typed", "isp", "topic"),
    [
        (
            "/ip6 mutum",
            "mutum",
            "ipv6",
        ),  # one missing from /ipv6 or one more on /ip: ipv6 keeps all
        ("/ds mutum", "mutum", "dns"),  # two letters: one missing
        ("/px vm", "vmnet", "pagamento"),
        ("/vt seja", "sejafibra", "tv"),  # two letters swapped
        ("/prov vm", "vmnet", None),  # /provedores takes no ISP: /provedor
    ],
)
def test_short_slips_and_slips_one_command_keeps_best_are_answered(
    typed: str, isp: str, topic: str | None
) -> None:
    reply = answer(REAL, typed, NOW)
    assert reply.kind in (ReplyKind.ANSWER, ReplyKind.NO_INFO, ReplyKind.CARD)
    assert (reply.provider_id, reply.topic_id) == (isp, topic)
    assert "Entendi /" in to_plain(reply)


@pytest.mark.parametrize(
    ("typed", "isp", "topic"),
    [
        ("/mutum dns", "mutum", "dns"),  # the ISP first
        ("/vm bloq", "vmnet", "bloqueio"),
        ("/laser /senha w5", "lasernet", "senha"),
        ("/senhamutum", "mutum", "senha"),  # no space
        ("/dnsvm", "vmnet", "dns"),
        ("/bloqlaser", "lasernet", "bloqueio"),
        ("/senhavm", "vmnet", "senha"),  # not /senhas (two slips) without an ISP
        ("/senha_mutum", "mutum", "senha"),  # Telegram's underscore
        ("/ip v6 seja", "sejafibra", "ipv6"),  # a command's word split by a space
        ("/ip tv mutum", "mutum", "iptv"),
        ("/n 2 vm", "vmnet", "n2"),
        ("/religar vm", "vmnet", "desbloqueio"),  # a topic's word, no command: a question
        ("/credencial seja", "sejafibra", "senha"),
        ("nds mutum", "mutum", "dns"),  # a slip and an ISP, no slash
        ("plnaos vm", "vmnet", "planos"),
    ],
)
def test_the_isp_first_glued_or_a_topic_word_as_command_is_answered(
    typed: str, isp: str, topic: str
) -> None:
    reply = answer(REAL, typed, NOW)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, isp, topic)


def test_an_isps_name_alone_as_a_command_is_its_card() -> None:
    reply = answer(REAL, "/mutum", NOW)
    assert (reply.kind, reply.provider_id) == (ReplyKind.CARD, "mutum")
    shared = answer(REAL, "/net", NOW)  # LaserNet ("Laser Net"), NETCENTER, VM NET
    assert shared.kind is ReplyKind.CHOICE and shared.provider_id is None


@pytest.mark.parametrize(
    "typed", ["conta mutum", "tec vm", "por seja", "nds mutum cliente sem sinal"]
)
def test_ordinary_words_or_more_words_without_a_slash_stay_free_text(typed: str) -> None:
    assert "Entendi /" not in to_plain(answer(REAL, typed, NOW))


def test_a_word_no_topic_has_typed_as_a_command_is_still_unknown() -> None:
    assert answer(REAL, "/xyzzy mutum", NOW).kind is ReplyKind.UNKNOWN_COMMAND
    asked = answer(REAL, "/religar", NOW)  # the topic found: which ISP, for it
    assert asked.kind is ReplyKind.MISSING_PROVIDER
    assert [b.ask for b in asked.buttons] == [f"/desbloqueio {pid}" for pid in REAL.providers]


@pytest.mark.parametrize(
    "typed",
    [
        "/senha da laser W5-1200G",  # a connector before the ISP
        "/senha laser w51200g pf",
        "/senha urgente laser W5 1200G",
        "/senha p/ laser w5-1200g",
    ],
)
def test_the_model_is_found_among_connectors_and_courtesy_words(typed: str) -> None:
    reply = answer(REAL, typed, NOW)
    assert reply.kind is ReplyKind.ANSWER and reply.provider_id == "lasernet"
    assert reply.equipment == "W5-1200G"


@pytest.mark.parametrize(
    "typed", ["/senha da mutum", "/senha mutum pf", "/senha urgente mutum", "/senha mutum 🙏"]
)
def test_only_courtesy_after_the_isp_is_the_topic_not_an_unknown_model(typed: str) -> None:
    reply = answer(REAL, typed, NOW)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, "mutum", "senha")


def test_a_model_the_isp_lacks_is_still_said_unknown() -> None:
    reply = answer(REAL, "/senha mutum zte", NOW)
    assert reply.kind is ReplyKind.UNKNOWN_EQUIPMENT and "“zte”" in to_plain(reply)


def test_a_place_naming_the_isp_is_no_model() -> None:
    reply = answer(REAL, "/senha da caraguatatuba", NOW)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (
        ReplyKind.ANSWER,
        "sejafibra",
        "senha",
    )
    assert "Caraguatatuba → Seja Fibra" in to_plain(reply)


@pytest.mark.parametrize(
    "typed", ["/dns vm las", "/dns las vm", "/dns vm lasrnet", "/dns vm netecnter"]
)
def test_a_second_isp_by_a_prefix_or_a_slip_is_never_dropped(typed: str) -> None:
    reply = answer(REAL, typed, NOW)
    assert reply.kind is ReplyKind.CHOICE and reply.provider_id is None
    assert len(reply.buttons) == 2 and all(b.ask.startswith("/dns ") for b in reply.buttons)


def test_a_long_pasted_message_is_read_up_to_telegrams_limit() -> None:
    filler = "Eu sempre paguei em dia e nunca tive problema com a internet de vocês. " * 14
    text = (
        "Boa noite, sou cliente da Mutum Fibra. "
        + filler
        + "Hoje já estou com 12 dias de atraso e a internet foi cortada. "
        + "Vocês conseguem liberar a internet em confiança até sexta?"
    )
    assert 1000 < len(text) <= MAX_QUERY_CHARS == 4096
    reply = answer(REAL, text, NOW)
    assert (reply.provider_id, reply.topic_id) == ("mutum", "desbloqueio")
    assert "Mensagem longa: li a pergunta" in to_html(reply)
    assert answer(REAL, "x" * 4097, NOW).kind is ReplyKind.TOO_LONG


def test_a_long_message_finds_the_isp_by_its_city() -> None:
    text = (
        "Mensagem do cliente: Olá boa tarde. Eu moro em Santa Rita do Trivelato e contratei a "
        "internet faz dois meses. Desde ontem o roteador fica piscando uma luz vermelha e não tem "
        "internet nenhuma. Já desliguei da tomada e liguei de novo e continua igual. Meu vizinho "
        "também está sem internet. Quando vão mandar alguém? Qual o prazo pra resolver?"
    )
    reply = answer(REAL, text, NOW)
    assert (reply.provider_id, reply.topic_id) == ("mutum", "prazo")


def test_an_answer_routed_to_a_sector_carries_its_state_now() -> None:
    night = answer(REAL, "/fatura vmnet", MONDAY_21H)
    out = html.unescape(to_html(night))
    assert night.clock
    # VM NET writes no action for after hours ("com exceção após o horário"): the default one.
    assert (
        "Financeiro: fechado, abre amanhã às 08:00 → não transferir; abrir OS/ocorrência "
        "conforme as regras do provedor"
    ) in out
    day = answer(REAL, "/fatura vmnet", MONDAY_10H)
    assert "Financeiro: aberto, fecha às 17:00 → transferir" in html.unescape(to_html(day))
    seja = html.unescape(to_html(answer(REAL, "/ipfixo sejafibra", MONDAY_21H)))
    assert "Suporte Interno (Transferências): fechado, abre" in seja
    assert "fechado, abre amanhã às 08:00 → abrir OS de Outras Demandas</i>" in seja
    assert not answer(REAL, "/dns mutum", MONDAY_21H).clock  # routes nowhere


@pytest.mark.parametrize(
    "question",
    ["o financeiro da vmnet está aberto?", "a vmnet está funcionando agora?"],
)
def test_a_question_about_now_gets_the_state_now(question: str) -> None:
    reply = answer(REAL, question, MONDAY_21H)
    assert reply.clock and reply.provider_id == "vmnet"
    out = html.unescape(to_html(reply))
    assert re.search(r"Financeiro: fechado[;,] abre amanhã às 08:00", out)


def test_now_in_free_text_depends_on_the_clock() -> None:
    question = "cliente da vmnet quer a fatura, transfiro agora?"
    night = html.unescape(to_html(answer(REAL, question, MONDAY_21H)))
    day = html.unescape(to_html(answer(REAL, question, MONDAY_10H)))
    assert "Financeiro: fechado" in night and "Financeiro: aberto, fecha às 17:00" in day


def test_e_agora_is_not_a_question_about_the_clock() -> None:
    reply = answer(REAL, "cliente diz que a senha nao entra no sistema, e agora?", MONDAY_21H)
    assert not reply.clock


def test_the_answers_own_text_wins_over_a_keyword() -> None:
    reply = answer(REAL, "mais de 35 dias de atraso pode liberar? lasernet", NOW)
    assert reply.topic_id == "desbloqueio"
    cabling = answer(REAL, "netcenter faz cabeamento para outros equipamentos?", NOW)
    assert cabling.topic_id == "mudanca"


def test_a_choice_between_topics_shows_the_matched_lines() -> None:
    reply = answer(REAL, "mutum: senha ou horario?", NOW)  # never sections: a menu
    assert reply.kind is ReplyKind.CHOICE
    assert all(": " in b.label for b in reply.buttons)  # "Title: the line that matched"


# --------------------------------------------------------------------------- issue 12: two sections


def test_a_runner_up_whose_text_holds_more_of_the_question_is_shown_first() -> None:
    # "sem conexão" is an N2 keyword phrase, but the prazo text holds what is asked.
    reply = answer(REAL, "mutum: sem conexao, o suporte tem prazo pra ligar de volta?", NOW)
    assert reply.kind is ReplyKind.ANSWER
    assert (reply.topic_id, reply.also) == ("prazo", ("n2",))
    out = to_html(reply)
    assert out.index("<b>Prazo de atendimento do suporte</b>") < out.index("<b>Suporte N2")


def test_a_section_shows_the_matched_passage_of_a_long_text_and_a_button_for_all() -> None:
    from bot.answers.topics import COMPACT_CHARS, Section, sections_reply

    provider = REAL.providers["vmnet"]
    long_topic = REAL.topics["reset"]
    assert len(provider.topics["reset"].text) > COMPACT_CHARS
    reply = sections_reply(
        REAL,
        provider,
        [Section(REAL.topics["dns"]), Section(long_topic, passage="Só este trecho.")],
    )
    out = to_html(reply)
    assert "Só este trecho." in out
    assert provider.topics["reset"].text.strip()[:40] not in out
    assert provider.topics["dns"].text.strip().splitlines()[0] in out  # short: shown whole
    assert [b.ask for b in reply.buttons] == ["/dns vmnet", "/reset vmnet"]
    assert (reply.topic_id, reply.also, reply.clock) == ("dns", ("reset",), False)


def test_sections_carry_the_credential_flag_and_the_clock_line() -> None:
    from bot.answers.topics import Section, sections_reply

    mutum = REAL.providers["mutum"]
    secret = sections_reply(
        REAL, mutum, [Section(REAL.topics["dns"]), Section(REAL.topics["sistemas"])]
    )
    assert secret.credentials
    timed = sections_reply(
        REAL,
        mutum,
        [
            Section(REAL.topics["dns"], clock="⏱ Financeiro: fechado"),
            Section(REAL.topics["bloqueio"]),
        ],
    )
    assert timed.clock and "⏱ Financeiro: fechado" in to_html(timed)
    assert not timed.credentials


def test_a_sector_routed_topic_gets_its_clock_line_inside_its_section() -> None:
    from bot.answers import core

    seja = REAL.providers["sejafibra"]
    night = dt.datetime(2026, 11, 23, 21, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
    reading = core.read(REAL, "seja fibra cancelamento e dns")
    reply = core._sections(
        REAL, seja, (reading,), (REAL.topics["cancelamento"], REAL.topics["dns"]), night, 1.0
    )
    assert reply.clock
    assert "⏱ " in to_html(reply) and "fechado" in to_html(reply)


def test_special_topics_are_never_sections() -> None:
    # The equipment table and the coverage hours are more than a text: a menu, not sections.
    reply = answer(REAL, "senha e dns da mutum", NOW)
    assert not reply.also


# --------------------------------------------------------------------------- issue 12: long messages


def test_a_request_without_a_question_mark_is_a_question_sentence() -> None:
    from bot.answers.core import asks, focus

    assert asks("Quero saber se a visita é cobrada.")
    assert asks("Como faço pra pagar a fatura")
    assert not asks("Eu fiz o pagamento ontem.")
    asked, _tail, _facts = focus(
        "Oi. A internet caiu ontem à noite. Gostaria de saber se o técnico vem hoje. "
        "Moro no centro. Obrigada."
    )
    assert asked == "Gostaria de saber se o técnico vem hoje."
    # "tem como ...", "vcs conseguem ...": asking without a "?"; "não tem como" states
    assert asks("tem como deixar a internet liberada ate sexta pra mim")
    assert asks("vcs conseguem mandar alguem aqui amanha cedo.")
    assert asks("da pra eu pagar pelo cartao")
    assert not asks("nao tem como eu ficar sem internet essa semana.")


def test_the_agents_own_words_around_a_paste_are_told_apart() -> None:
    from bot.answers.core import agents_words

    assert agents_words("seja, cobra visita? cli mandou: o tecnico veio e nao era nada") == (
        "seja, cobra visita? cli mandou",
    )
    quoted = 'vm cliente escreveu: "bom dia, a net caiu. vem tecnico?" abro os ou espero?'
    assert agents_words(quoted) == ("vm cliente escreveu", "abro os ou espero?")
    # an apostrophe is no quote; a label alone is no words of the agent's; a message with no
    # "mandou:" has no agent's words marked
    assert agents_words("cliente mandou: oi, moro em arraial d'ajuda e a net caiu") == (
        "cliente mandou",
    )
    assert agents_words("boa noite, a internet caiu e o roteador pisca. vem tecnico?") == ()
    story = (
        "boa noite, a internet caiu ontem a noite e so voltou hoje de manha, ja e a terceira "
        "vez nesse mes. vcs vao descontar? o tecnico que veio aqui falou: é o cabo da rua"
    )
    assert agents_words(story) == ()  # the customer's story, far from where a label goes


def test_the_agents_question_after_a_quoted_paste_is_read_first() -> None:
    # The customer asks for a technician; the agent, after the quoted paste, asks whether to
    # unblock: the agent's question is the one to answer.
    pasted = (
        'vm, cliente mandou: "boa noite, meu roteador resetou depois que acabou a luz e agora '
        "nao tem internet nenhuma aqui em casa, ja desliguei e liguei varias vezes e nada. vcs "
        'mandam tecnico aqui amanha cedo?" ele ta com 40 dias de atraso, posso liberar em '
        "confianca?"
    )
    reply = answer(REAL, pasted, NOW)
    assert (reply.provider_id, reply.topic_id) == ("vmnet", "desbloqueio")
    assert "ele ta com 40 dias de atraso, posso liberar" in to_html(reply)


def test_a_paste_naming_another_isp_than_the_agents_question_asks_which() -> None:
    # The agent's question names one ISP, the customer's message another: never answered for
    # the agent's ISP silently.
    pasted = (
        "seja cobra visita? cli escreveu: bom dia, sou cliente da netcenter, o tecnico esteve "
        "aqui na quarta a tarde, mexeu na caixa da rua, trocou o conector e foi embora, a "
        "conexao voltou e caiu de novo de madrugada. quero saber se vão cobrar essa visita"
    )
    reply = answer(REAL, pasted, NOW)
    assert reply.kind is ReplyKind.CHOICE
    assert {b.ask for b in reply.buttons} == {"/visita sejafibra", "/visita netcenter"}


def test_a_pasted_story_about_another_topic_is_shown_beside_the_question() -> None:
    pasted = (
        "cliente mandou: boa tarde, sou cliente da vm net. hoje cedo caiu a energia aqui no "
        "predio e quando voltou o roteador resetou sozinho, as luzes ficaram diferentes e o "
        "wifi mudou de nome. eu nao mexi em nada. quero saber se vao me cobrar a visita do "
        "tecnico pra configurar."
    )
    reply = answer(REAL, pasted, NOW)
    assert reply.kind is ReplyKind.ANSWER and reply.provider_id == "vmnet"
    assert {reply.topic_id, *reply.also} == {"visita", "reset"}
    assert "Mensagem longa: li a pergunta “quero saber se vao me cobrar" in to_html(reply)


# --------------------------------------------------------------------------- issue 12: the clock


def test_agora_with_a_sector_closed_shows_the_documents_rule_for_it() -> None:
    tz = dt.timezone(dt.timedelta(hours=-3))
    night = answer(REAL, "/agora sejafibra", dt.datetime(2026, 11, 23, 21, 0, tzinfo=tz))
    out = to_html(night)
    assert "Regra do documento para setor fechado:" in out
    assert "abrir OS de Outras Demandas fora dele" in out
    day = answer(REAL, "/agora sejafibra", dt.datetime(2026, 11, 24, 10, 0, tzinfo=tz))
    assert "Regra do documento" not in to_html(day)


def test_a_sector_named_now_that_the_topic_does_not_send_to_gets_the_isps_state_now() -> None:
    night = dt.datetime(2026, 11, 23, 21, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
    # "técnico" points to the visit's cost; the question asks whether the field team is out.
    field = answer(
        REAL, "vm net: da pra mandar tecnico de campo agora pro cliente sem sinal?", night
    )
    assert field.clock and field.topic_id == "horario" and field.provider_id == "vmnet"
    assert "Técnicos de campo: fechado" in to_html(field)
    # The topic's answer sends to the sector named: it stays, with the sectors now.
    billing = answer(
        REAL, "posso transferir pro financeiro da vm net agora? é sobre a fatura", night
    )
    assert billing.clock and billing.topic_id == "fatura"


def test_a_now_question_read_only_as_passages_gets_the_named_isps_state_now() -> None:
    night = dt.datetime(2026, 11, 23, 21, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
    reply = answer(REAL, "seja fibra: agora quem atende somos nós ou eles?", night)
    assert reply.clock and reply.provider_id == "sejafibra" and reply.kind is ReplyKind.ANSWER


def test_two_topics_whose_texts_hold_the_question_alike_are_both_shown() -> None:
    # No keyword: "PlayHub" is in the SVA list and in the sector rule that says where it goes.
    reply = answer(REAL, "seja fibra: playhub, pra quem encaminho?", NOW)
    assert reply.kind is ReplyKind.ANSWER
    assert {reply.topic_id, *reply.also} == {"tecnologias", "setores"}
    assert "PlayHub" in to_html(reply)


def test_the_closed_sector_rule_is_read_from_the_sector_rules_lines() -> None:
    from bot.answers import clock
    from bot.knowledge.schema import TopicEntry

    night = dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
    vm = REAL.providers["vmnet"]
    rules = (
        "Financeiro: transferir pelo chat.\n"
        "Setor fechado: não transferir, abrir OS e avisar que o setor retorna.\n"
        "Comercial fora do horário: abrir OS de Vendas.\n"
        "Loja: só atende no balcão."
    )
    made_up = vm.model_copy(update={"topics": {**vm.topics, "setores": TopicEntry(text=rules)}})
    found = clock.closed_rules(made_up, night)
    assert found == [
        "Setor fechado: não transferir, abrir OS e avisar que o setor retorna.",
        "Comercial fora do horário: abrir OS de Vendas.",
    ]
    morning = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
    assert clock.closed_rules(made_up, morning) == []  # every sector open


def test_of_several_tied_topics_the_one_whose_text_holds_the_question_comes_first() -> None:
    from bot.answers.core import _text_leader
    from bot.reading.reader import TopicScore

    a, b, c = (REAL.topics[t] for t in ("n2", "plantao", "setores"))
    tied = [
        TopicScore(a, 1.3, 1.0, 0.3),
        TopicScore(b, 1.2, 1.0, 0.2),
        TopicScore(c, 1.2, 0.6, 0.6),
    ]
    leader = _text_leader(tied)
    assert leader is not None and leader.topic.id == "setores"
    even = [TopicScore(a, 1.3, 1.0, 0.5), TopicScore(c, 1.2, 0.6, 0.55)]
    assert _text_leader(even) is None


def test_menu_buttons_show_the_title_and_the_matched_line_cut_short() -> None:
    reply = answer(REAL, "dns, bloqueio e cancelamento da mutum", NOW)
    labels = {b.ask: b.label for b in reply.buttons}
    assert labels["/bloqueio mutum"].startswith("Bloqueio e redução de velocidade: Com quantos")
    assert all(
        len(label) <= len("Bloqueio e redução de velocidade: ") + 60 for label in labels.values()
    )


def test_a_public_answer_is_never_sectioned_with_a_secret_one() -> None:
    from bot.answers.core import _sectioned

    mutum = REAL.providers["mutum"]
    dns, sistemas, bloqueio = (REAL.topics[t] for t in ("dns", "sistemas", "bloqueio"))
    assert REAL.is_secret(mutum, "sistemas") and not REAL.is_secret(mutum, "dns")
    assert not _sectioned(REAL, mutum, dns, sistemas)  # a group would lose the DNS answer
    assert _sectioned(REAL, mutum, dns, bloqueio)


@pytest.mark.parametrize(
    ("pasted", "topics"),
    [
        # the repeater in the story, the technician in the question: the repeaters' rule
        # (who configures them) is shown, not the store's the customer bought it in
        (
            "seja fibra, o cliente mandou: ola, comprei um roteador extra numa loja de "
            "informatica pra usar como repetidor no segundo andar porque o sinal la em cima é "
            "muito fraco. vocês instalam ele pra mim ou tenho que chamar outro tecnico? se "
            "cobrarem tudo bem",
            {"visita", "repetidor"},
        ),
        # the reset in the story (a clip in the little hole), the visit in the question; the
        # story's best topic by keywords alone (the password a reset loses) is no section
        (
            "mensagem do cliente: bom dia, sou cliente da vm net faz anos. ontem a energia caiu "
            "e meu neto mexeu no aparelho, enfiou um clipe naquele furinho de tras. agora a "
            "rede do wifi ta sem senha nenhuma. sera que vocês resolvem isso de longe ou o "
            "técnico tem que vir aqui? se vier, cobra?",
            {"visita", "reset"},
        ),
    ],
)
def test_a_pasted_storys_topic_is_the_one_the_question_finds_in_its_text(
    pasted: str, topics: set[str]
) -> None:
    reply = answer(REAL, pasted, NOW)
    assert reply.kind is ReplyKind.ANSWER
    assert {reply.topic_id, *reply.also} == topics


def test_the_hours_a_customer_asks_are_the_isps_not_upcalls() -> None:
    # Customers write to the ISP and do not know UPCALL: "o horário de atendimento de vocês"
    # is the store's (the contacts'), not UPCALL's coverage hours an agent would mean.
    pasted = (
        "cliente escreveu: oi, boa tarde! sou da netcenter aqui de porto seguro. preciso "
        "resolver umas pendências da minha conta e prefiro ir até aí. qual o horário de "
        "atendimento de vocês no sábado? obrigado desde já"
    )
    reply = answer(REAL, pasted, NOW)
    assert (reply.provider_id, reply.topic_id) == ("netcenter", "contato")
    # typed by an agent, the same words are UPCALL's hours
    assert answer(REAL, "netcenter qual o horário de atendimento?", NOW).topic_id == "horario"


def test_one_topics_text_clearly_ahead_is_answered_not_searched() -> None:
    # No keyword; the contacts' text ("Possui atendimento presencial") holds the question
    # twice as well as any other of the ISP the phone names: the answer, not the passages.
    reply = answer(REAL, "cliente do (85) 3276-5247 prefere resolver pessoalmente la", NOW)
    assert reply.kind is ReplyKind.ANSWER
    assert (reply.provider_id, reply.topic_id) == ("lasernet", "contato")
    # texts alike still show the passages to pick from
    assert answer(REAL, "mutum o cliente pode resolver de outro jeito?", NOW).kind is (
        ReplyKind.SEARCH
    )


def test_a_pasted_message_whose_question_ties_topics_is_ranked_by_the_whole_message() -> None:
    from bot.answers import core
    from bot.answers import messages as msg
    from bot.answers.reply import Button, Reply, text

    menu = Reply(
        ReplyKind.CHOICE,
        (text(msg.CHOOSE_TOPIC),),
        buttons=tuple(Button(t, f"/{t} mutum") for t in ("contato", "fatura", "cancelamento")),
        provider_id="mutum",
    )
    asked = core.read(REAL, "como faço, pago a fatura, ligo na loja?")
    whole = core.read(REAL, "mutum: quero cancelar; o cancelamento sai com a fatura em aberto?")
    reply = core._untied(REAL, menu, (asked, whole), NOW)
    assert reply.kind is ReplyKind.ANSWER
    assert (reply.topic_id, reply.also) == ("cancelamento", ("fatura",))
    equipment = core.answer(REAL, "senha mercusys seja", NOW)  # a menu of models stays
    assert core._untied(REAL, equipment, (asked, whole), NOW) is equipment


def test_a_section_never_shows_a_supervisors_note_as_the_answer() -> None:
    # LaserNet's plantão note ("O horário ... vem logo após a resposta") matches "domingo"
    # better than the answer does; the section shows the answer's own text.
    from bot.answers import core

    question = "laser net: domingo tem plantão? e o pix, como paga?"
    best = core.read(REAL, question).best_passage("plantao")
    assert best is not None and "vem logo após a resposta" in best.text
    reply = answer(REAL, question, NOW)
    assert (reply.topic_id, reply.also) == ("plantao", ("pagamento",))
    out = to_html(reply)
    assert "vem logo após a resposta" not in out
    assert "Plantão aos finais de semana e feriado: Não" in out


def test_a_word_several_isps_names_share_never_picks_one(tmp_path: Path) -> None:
    """An imported "Fibra Fácil Telecom" (first word "Fibra", even given "Fibra" as an alias)
    does not take "fibra" from Beta Fibra and Gama Fibra: the command and the free text ask."""
    from kbfactory import ALFA, BETA, write_kb

    gama = BETA.replace("id: beta", "id: gama").replace("Beta Fibra", "Gama Fibra Sul")
    facil = (
        BETA.replace("id: beta", "id: facil")
        .replace("Beta Fibra", "Fibra Fácil Telecom")
        .replace("reviewed:", "aliases: [Fibra]\nreviewed:")
    )
    kb = load_kb(write_kb(tmp_path, {"alfa": ALFA, "beta": BETA, "gama": gama, "facil": facil}))
    for question in ("/dns fibra", "qual o dns da fibra?", "fibra: qual o dns?"):
        reply = answer(kb, question)
        assert reply.provider_id is None, question
        assert {b.ask for b in reply.buttons} == {"/dns beta", "/dns gama", "/dns facil"}, question
    assert answer(kb, "/dns fibra facil").provider_id == "facil"
    assert answer(kb, "qual o dns da fibra facil?").provider_id == "facil"


@pytest.mark.parametrize("number", ["99", "2", "800", "35", "0800"])
def test_a_bare_number_picks_no_topic_nor_isp(number: str) -> None:
    reply = answer(REAL, number)
    assert reply.kind is ReplyKind.NOT_UNDERSTOOD, (number, reply.kind, reply.topic_id)
    assert reply.provider_id is None and reply.topic_id is None


def test_a_command_without_an_isp_takes_the_one_its_words_point_to(tiny: KB) -> None:
    """No ISP's name among the arguments: a model only one ISP lists names it, as in free text;
    a word that points nowhere is still "ISP not found"."""
    reply = answer(tiny, "/senha w5-1200g")
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, "alfa", "senha")
    assert "Segredo1@" in to_html(reply)
    assert answer(tiny, "/senha mercusys").provider_id == "alfa"  # alfa's choice of models
    assert answer(tiny, "/senha qwerty").kind is ReplyKind.UNKNOWN_PROVIDER
    reply = answer(REAL, "/porta mitrastar")  # a model only NETCENTER's document lists
    assert (reply.provider_id, reply.topic_id) == ("netcenter", "porta")
    reply = answer(REAL, "/dns caraguatatuba")  # a city one document names, saying why
    assert (reply.provider_id, reply.topic_id) == ("sejafibra", "dns")
    assert "Caraguatatuba → Seja Fibra" in to_html(reply)
    reply = answer(REAL, "/contato leveduca")  # a product two ISPs sell: those two
    assert {b.ask for b in reply.buttons} == {
        "/contato netcenter leveduca",
        "/contato sejafibra leveduca",
    }


def test_two_topics_asked_together_are_both_answered(tiny: KB) -> None:
    # "dias de atraso" outweighs "dns" nine to one, but the question asks for both.
    reply = answer(tiny, "beta qual o dns e os dias de atraso", NOW)
    assert reply.kind is ReplyKind.ANSWER
    assert (reply.topic_id, reply.also) == ("dns", ("bloqueio",))
    out = to_html(reply)
    assert "20.0.0.1" in out and "Bloqueio com 10 dias." in out
    # Not joined: the stronger one alone.
    assert answer(tiny, "beta dns com dias de atraso", NOW).also == ()


# --------------------------------------------------------------------------- the moment stated


def test_a_stated_day_and_hour_is_the_clock_of_the_answer() -> None:
    # Monday 21:00, every VM NET sector closed; on Sunday at 11:00 the Financeiro is open.
    asked = "vmnet: domingo 11h o financeiro ta aberto?"
    sunday = answer(REAL, asked, MONDAY_21H)
    out = html.unescape(to_html(sunday))
    assert sunday.clock and sunday.provider_id == "vmnet"
    assert "no momento informado, dom 29/11 11:00" in out
    assert "Financeiro: aberto" in out
    now = html.unescape(to_html(answer(REAL, "vmnet: o financeiro ta aberto?", MONDAY_21H)))
    assert "Financeiro: fechado" in now and "hora da pergunta" not in now


def test_a_stated_moment_is_said_in_the_clock_line_of_a_topics_answer() -> None:
    reply = answer(REAL, "seja fibra, sábado 15h: cliente quer contratar, transfiro?", MONDAY_10H)
    out = html.unescape(to_html(reply))
    assert reply.topic_id == "contratacao" and reply.clock
    assert "⏱ No momento informado, sáb 28/11 às 15:00: Suporte Interno" in out


def test_spans_are_no_moment() -> None:
    reply = answer(REAL, "vmnet prazo de 48h pra religar?", MONDAY_21H)
    assert reply.topic_id == "prazo" and not reply.clock


@pytest.mark.parametrize(
    ("question", "state"),
    [
        ("netcenter, quinta 23h55 ainda é com o provedor?", "UPCALL cobertura total"),
        ("netcenter, quinta 22h já é com a gente?", "UPCALL fora da cobertura; começa às 23:50"),
    ],
)
def test_upcalls_coverage_at_a_stated_moment(question: str, state: str) -> None:
    reply = answer(REAL, question, MONDAY_10H)
    out = html.unescape(to_html(reply))
    assert (reply.provider_id, reply.topic_id, reply.clock) == ("netcenter", "horario", True)
    assert "No momento informado, qui 26/11" in out and state in out


@pytest.mark.parametrize("local", ["horário deles", "hora local", "no horário de lá", "GMT-4"])
def test_a_stated_moment_is_read_on_the_isps_own_clock_when_the_question_says_so(
    local: str,
) -> None:
    # Mutum is on GMT-4: 9h there is 10h in Brasília, after UPCALL's night window (09:30).
    reply = answer(REAL, f"mutum: quarta 9h {local} já é com a gente?", MONDAY_21H)
    out = html.unescape(to_html(reply))
    assert reply.topic_id == "horario"
    assert "qua 25/11 às 09:00 no horário local (10:00 em Brasília)" in out
    assert "UPCALL fora da cobertura" in out


@pytest.mark.parametrize(
    "question",
    [
        "mutum segunda 9h horario de brasilia, ainda é com a gente?",
        "mutum segunda 9h (brasilia) ainda é com a gente?",
        "mutum segunda 9h BSB ainda é com a gente?",
        "mutum segunda 9h no nosso horário ainda é com a gente?",
        "mutum segunda 9h hora de brasilia ainda é com a gente?",
        "mutum segunda 9h GMT-3 ainda é com a gente?",
        "mutum segunda 9h horário da UPCALL ainda é com a gente?",
    ],
)
def test_an_hour_said_in_brasilia_is_read_on_brasilias_clock(question: str) -> None:
    # QA7 #7: 09:00 in Brasília is inside UPCALL's night window for Mutum (until 09:30 GMT-3);
    # read as Mutum's 09:00 (10:00 in Brasília) the verdict flipped.
    out = html.unescape(to_html(answer(REAL, question, MONDAY_21H)))
    assert "seg 23/11 às 09:00 no horário de Brasília (08:00 no horário local)" in out
    assert "UPCALL cobertura total até às 09:30" in out
    assert "horário deles" not in out  # the clock was named: no hint about the other


def test_an_hour_around_a_hand_over_said_in_brasilia_gets_the_verdict_then() -> None:
    out = html.unescape(
        to_html(answer(REAL, "mutum quarta 19h15 horario de brasilia é com a gente?", MONDAY_21H))
    )
    assert "qua 25/11 às 19:15 no horário de Brasília (18:15 no horário local)" in out
    assert "UPCALL fora da cobertura; começa às 19:30" in out


def test_a_coverage_question_naming_no_clock_reads_brasilias_and_says_so() -> None:
    # An UPCALL agent asking "é com a gente?" speaks of UPCALL's shift, on UPCALL's clock.
    out = html.unescape(to_html(answer(REAL, "mutum: quarta 9h já é com a gente?", MONDAY_21H)))
    assert "qua 25/11 às 09:00 no horário de Brasília (08:00 no horário local;" in out
    assert "escreva “horário deles”" in out
    assert "UPCALL cobertura total até às 09:30" in out


def test_a_coverage_question_about_a_holiday_keeps_the_documents_caveats() -> None:
    out = html.unescape(to_html(answer(REAL, "mutum feriado 10h é com a gente?", MONDAY_21H)))
    assert "Janelas da UPCALL" in out and "Feriados" in out


def test_a_customers_hour_without_a_named_clock_stays_on_the_isps() -> None:
    # Not a question about UPCALL's coverage: "liguei às 9h" is the customer's (the ISP's) clock.
    assert clock.stated_moment(
        ["cliente", "ligou", "quarta", "9h"], MONDAY_21H, REAL.providers["mutum"]
    ) == dt.datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("America/Cuiaba"))


def test_a_yes_no_coverage_question_gets_the_verdict_not_the_week() -> None:
    # QA7 #6: 2,557 characters of week, notes and seed text around a one-line answer.
    reply = answer(REAL, "mutum quarta 20h eh com a gente?", MONDAY_21H)
    out = html.unescape(to_html(reply))
    assert len(out) < 700, out
    assert "UPCALL cobertura total até amanhã às 09:30" in out
    assert "Janelas da UPCALL" not in out and "Leitura adotada" not in out
    assert "(veja /agora mutum 25/11/2026 19h00)" in out  # that moment, not now
    assert "UPCALL na qua (horário de Brasília): ter 19:30–09:30 · 13:30–15:30 · 19:30–qui" in out
    asks = [b.ask for b in reply.buttons]
    assert asks == ["/horario mutum", "/escala 25/11/2026", "/agora mutum 25/11/2026 19h00"]
    # The pointer answers for the same moment.
    later = html.unescape(to_html(answer(REAL, asks[2], MONDAY_21H)))
    assert "qua 25/11 20:00 (horário de Brasília)" in later
    assert "UPCALL: cobertura total" in later


@pytest.mark.parametrize(
    "question",
    [
        "quando a upcall começa a cobrir a vmnet?",
        "vm net já tá com a gente?",
        "vmnet: agora é nós ou eles?",
    ],
)
def test_a_question_about_upcalls_coverage_gets_its_hours_and_state(question: str) -> None:
    reply = answer(REAL, question, MONDAY_21H)
    assert (reply.provider_id, reply.topic_id, reply.clock) == ("vmnet", "horario", True)
    assert "UPCALL cobertura total" in html.unescape(to_html(reply))


def test_upcalls_coverage_asked_with_a_verb_before_the_moment() -> None:
    # "atende" before "quarta 10h" asks about that moment (it is no "abre às 8h?").
    reply = answer(REAL, "a gente atende a netcenter quarta 10h?", MONDAY_21H)
    assert (reply.provider_id, reply.topic_id, reply.clock) == ("netcenter", "horario", True)
    assert "No momento informado, qua 25/11 às 10:00: UPCALL fora da cobertura" in html.unescape(
        to_html(reply)
    )


def test_whose_job_it_is_is_not_the_coverage() -> None:
    reply = answer(REAL, "é com a gente ou com o provedor o cancelamento da vm?", MONDAY_21H)
    assert reply.topic_id == "cancelamento"


@pytest.mark.parametrize(
    "question",
    [
        "que horas a filial da vm fecha no sábado?",
        "o balcão da lasernet abre domingo?",
        "a sede da mutum fica aberta até quando?",
        "a loja da vm fecha no almoço?",
    ],
)
def test_a_places_hours_are_the_contacts(question: str) -> None:
    assert answer(REAL, question, MONDAY_21H).topic_id == "contato"


def test_a_teams_hours_are_not_a_places() -> None:
    # "o suporte funciona domingo?" asks about the weekend shift, not the store.
    assert answer(REAL, "vmnet o suporte funciona domingo?", MONDAY_21H).topic_id == "plantao"


def test_opening_a_ticket_on_a_day_is_not_a_places_hours() -> None:
    # "abre OS" opens a ticket: Saturday asks about the weekend shift, as before the places.
    assert answer(REAL, "vmnet abre OS sábado?", MONDAY_21H).topic_id == "plantao"


def test_a_stated_moment_without_an_isp_still_asks_which() -> None:
    reply = answer(REAL, "sábado 15h a loja tá aberta?", MONDAY_21H)
    assert reply.kind is ReplyKind.MISSING_PROVIDER
    assert len(reply.buttons) == len(REAL.providers)


def test_whether_a_sector_is_open_at_a_stated_moment_is_its_state_then() -> None:
    # Monday 10:00 the Comercial is open; on Friday at 19:00 it is closed.
    reply = answer(REAL, "vm net, 19h de sexta o comercial ainda ta aberto?", MONDAY_10H)
    out = html.unescape(to_html(reply))
    assert (reply.provider_id, reply.topic_id, reply.clock) == ("vmnet", "horario", True)
    assert "no momento informado, sex 27/11 19:00" in out and "Comercial: fechado" in out
    assert "Nenhum setor do provedor está aberto nesse momento" in out


MONDAY_30_10H = dt.datetime(2026, 11, 30, 10, 0, tzinfo=BRT)


def _coverage_line(question: str, now: dt.datetime = MONDAY_30_10H) -> str:
    reply = answer(REAL, question, now)
    assert (reply.topic_id, reply.clock) == ("horario", True), question
    return html.unescape(to_html(reply))


def test_a_moment_said_of_the_past_is_the_last_one() -> None:
    sunday_11h = dt.datetime(2026, 12, 6, 11, 0, tzinfo=BRT)
    out = _coverage_line("vmnet: o cliente ligou ontem às 10h, era com a gente?", sunday_11h)
    assert "No momento informado, sáb 05/12 às 10:00: UPCALL fora da cobertura" in out
    assert "No momento informado, dom 29/11 às 22:00: UPCALL cobertura total" in _coverage_line(
        "vm ontem 22h era com a gente?"
    )
    reply = answer(
        REAL, "cliente da vm pagou sexta às 16h, o financeiro tava aberto?", MONDAY_30_10H
    )
    out = html.unescape(to_html(reply))
    assert "no momento informado, sex 27/11 16:00" in out and "Financeiro: aberto" in out


def test_midnight_beside_a_weekday_is_the_next_one_ending_it() -> None:
    monday_21h = dt.datetime(2026, 11, 30, 21, 0, tzinfo=BRT)
    out = _coverage_line("seja fibra domingo meia noite é com a gente?", monday_21h)
    assert "No momento informado, seg 07/12 às 00:00" in out


@pytest.mark.parametrize(
    ("question", "when"),
    [
        ("netcenter dia 25 às 10h é com a gente?", "sex 25/12 (Natal) às 10:00"),
        ("netcenter 25/12 10h é com a gente?", "sex 25/12 (Natal) às 10:00"),
        ("netcenter 25/12 às 22h ainda é com o provedor?", "sex 25/12 (Natal) às 22:00"),
    ],
)
def test_a_stated_date_is_the_next_such_date_its_holiday_named(question: str, when: str) -> None:
    assert f"No momento informado, {when}: UPCALL" in _coverage_line(question)


@pytest.mark.parametrize(
    ("question", "when"),
    [
        ("vmnet domingo 22 horas é com a gente?", "dom 06/12 às 22:00: UPCALL cobertura total"),
        # A coverage question naming no clock: Brasília's (UPCALL's shift, docs/reader.md).
        ("mutum 14h é com a gente?", "seg 30/11 às 14:00 no horário de Brasília (13:00 no horário"),
        # A day alone: that day's windows (test_a_coverage_question_about_a_whole_day_...).
        ("netcenter meia noite é com a gente?", "ter 01/12 às 00:00: UPCALL cobertura total"),
        ("vmnet 23h59 é com a gente?", "seg 30/11 às 23:59: UPCALL cobertura total"),
    ],
)
def test_upcalls_coverage_at_an_hour_or_a_day_alone(question: str, when: str) -> None:
    assert f"No momento informado, {when}" in _coverage_line(question)


def test_an_invalid_hour_for_agora_is_said_in_one_line() -> None:
    # QA7 #17: "/agora mutum 25h" answered now; "dia 31 às 25h" used the present time of day.
    for asked in ("/agora mutum 25h", "/agora vmnet dia 31 às 25h", "/agora vmnet 10h75"):
        reply = answer(REAL, asked, MONDAY_30_10H)
        assert reply.kind is ReplyKind.OUT_OF_RANGE, asked
        out = to_plain(reply)
        assert out.startswith("Hora inválida:") and "\n" not in out.strip()
    assert answer(REAL, "/agora vmnet 23h59", MONDAY_30_10H).kind is ReplyKind.ANSWER


@pytest.mark.parametrize(
    "asked",
    [
        "vmnet dia 31/11 às 22h é com a gente?",  # November has 30 days
        "/agora vmnet 31/11 22h",
        "/agora vmnet 31/11",
        "/financeiro vmnet 30/02 10h",
        "mutum 31/04 às 20h ainda é com a gente?",
    ],
)
def test_a_date_no_month_has_is_said_in_one_line_never_answered_as_now(asked: str) -> None:
    """A date the month lacks ("31/11") was dropped with the hour beside it and the present
    moment answered under "No momento informado" -- a verdict for another moment (at 10:00 on
    Monday: "fora da cobertura", while 22h is covered)."""
    reply = answer(REAL, asked, MONDAY_30_10H)
    out = to_plain(reply).strip()
    assert reply.kind is ReplyKind.OUT_OF_RANGE, out
    assert out.startswith("Data inválida:") and "\n" not in out
    assert "momento informado" not in out


def test_buscar_with_a_date_no_month_has_is_still_refused() -> None:
    """/buscar builds no free-text reply when it shows passages (session 11, latency), except
    with a digit typed: the free-text reading refuses a date no month has ("30/02 10h") in
    one line, and /buscar refused it before the shortcut."""
    reply = answer(REAL, "/buscar mg cobrancas 30/02 10h", MONDAY_30_10H)
    assert reply.kind is ReplyKind.OUT_OF_RANGE
    assert to_plain(reply).startswith("Data inválida:")
    assert answer(REAL, "/buscar mg cobrancas", MONDAY_30_10H).kind is ReplyKind.SEARCH


def test_an_invalid_hour_in_a_topic_command_is_said_in_one_line() -> None:
    """ "/horario vmnet domingo 25h" answered Sunday at the present time of day, as the moment
    stated ("/agora" already refused it)."""
    for asked in ("/horario vmnet domingo 25h", "/financeiro vmnet 10h75"):
        reply = answer(REAL, asked, MONDAY_30_10H)
        out = to_plain(reply).strip()
        assert reply.kind is ReplyKind.OUT_OF_RANGE, out
        assert out.startswith("Hora inválida:") and "\n" not in out
    assert answer(REAL, "/horario vmnet domingo 23h", MONDAY_30_10H).kind is ReplyKind.ANSWER


def test_a_span_of_hours_in_a_topic_command_is_no_invalid_hour() -> None:
    """Review 9: "/prazo lasernet 72h", "/desbloqueio vmnet 48h" (a span of whole hours, the
    words of the ISPs' rules) were refused as "Hora inválida"; with a day stated beside it the
    number is an hour, and still refused."""
    for asked, isp in (("/prazo lasernet 72h", "lasernet"), ("/desbloqueio vmnet 48h", "vmnet")):
        reply = answer(REAL, asked, MONDAY_30_10H)
        assert reply.kind is ReplyKind.ANSWER and reply.provider_id == isp, to_plain(reply)
    refused = answer(REAL, "/desbloqueio vmnet sábado 48h", MONDAY_30_10H)
    assert refused.kind is ReplyKind.OUT_OF_RANGE


def test_agora_reads_the_isp_after_the_moment() -> None:
    # QA7 #17: "/agora domingo 10h vmnet" asked which ISP.
    reply = answer(REAL, "/agora domingo 10h vmnet", MONDAY_30_10H)
    assert reply.kind is ReplyKind.ANSWER and reply.provider_id == "vmnet"
    assert "VM NET — no momento informado, dom 06/12 10:00" in html.unescape(to_html(reply))
    # The moment alone still asks which ISP, each button keeping it.
    assert answer(REAL, "/agora domingo 10h", MONDAY_30_10H).kind is not ReplyKind.ANSWER


def test_agora_reads_an_hour_said_in_brasilia_on_brasilias_clock() -> None:
    out = html.unescape(to_html(answer(REAL, "/agora mutum domingo 10h bsb", MONDAY_30_10H)))
    assert "Mutum Fibra — no momento informado, dom 06/12 10:00 (horário de Brasília)" in out


def test_agora_with_a_moment_is_the_view_at_that_moment() -> None:
    reply = answer(REAL, "/agora vmnet domingo 10h", MONDAY_30_10H)
    out = html.unescape(to_html(reply))
    assert reply.clock and "VM NET — no momento informado, dom 06/12 10:00" in out
    assert "UPCALL: cobertura total" in out
    # An absolute date (what the ISP buttons carry) is the same moment whenever tapped.
    later = answer(REAL, "/agora mutum 06/12/2026 22h00", MONDAY_30_10H + dt.timedelta(days=3))
    assert "no momento informado, dom 06/12 23:00" in html.unescape(to_html(later))
    # No moment: now, as before.
    assert "agora, seg 30/11 10:00" in html.unescape(
        to_html(answer(REAL, "/agora vmnet", MONDAY_30_10H))
    )


def test_the_isp_buttons_of_a_coverage_question_keep_its_moment() -> None:
    reply = answer(REAL, "domingo 22h é com a gente?", MONDAY_30_10H)
    assert reply.kind is ReplyKind.MISSING_PROVIDER
    asks = {b.ask for b in reply.buttons}
    # Sunday 22h in Brasília (a coverage question names UPCALL's clock), written as a date on
    # each ISP's own clock, the one /agora reads its arguments on.
    assert "/agora vmnet 06/12/2026 22h00" in asks and "/agora mutum 06/12/2026 21h00" in asks
    assert "No momento informado, dom 06/12 às 22:00" in html.unescape(to_html(reply))


@pytest.mark.parametrize(
    "question",
    [
        "31/12/9999 23h a gente atende a vmnet?",
        "/agora vmnet 31/12/9999 23h",
        "/agora mutum 30/12/9999 00h00",  # an ISP button's ask, forged or typed
    ],
)
def test_a_date_past_the_years_computed_is_answered_now(question: str) -> None:
    reply = answer(REAL, question, MONDAY_30_10H)
    # Was an OverflowError (then "A data 30/11/2026 10:00 está fora do intervalo").
    assert reply.kind is ReplyKind.ANSWER and reply.clock
    out = html.unescape(to_html(reply))
    assert "No momento informado" not in out and "no momento informado" not in out


@pytest.mark.parametrize(
    ("question", "when", "ids"),
    [
        ("/agora domingo 10h", "06/12/2026 10h00", None),
        ("/agora 25/12 22h", "25/12/2026 22h00", None),
        ("/agora 23h", "30/11/2026 23h00", None),
        ("/agora mutum vmnet domingo 10h", "06/12/2026 10h00", {"mutum", "vmnet"}),
    ],
)
def test_agora_with_a_moment_and_no_one_isp_asks_which_keeping_the_moment(
    question: str, when: str, ids: set[str] | None
) -> None:
    reply = answer(REAL, question, MONDAY_30_10H)
    assert reply.kind in (ReplyKind.MISSING_PROVIDER, ReplyKind.CHOICE)
    expected = set(REAL.providers) if ids is None else ids
    asks = {b.ask for b in reply.buttons}
    # Each button at that moment, as a date on its ISP's clock (Mutum's Sunday 10h is its own).
    assert asks == {f"/agora {pid} {when}" for pid in expected}
    out = html.unescape(to_html(reply))
    assert "não encontrado" not in out and "No momento informado" in out


def test_a_start_or_a_limit_is_no_moment_of_the_question() -> None:
    reply = answer(REAL, "netcenter: sem internet desde sexta 10h, qual o prazo?", MONDAY_10H)
    assert reply.topic_id == "prazo" and not reply.clock


# --------------------------------------------------------------------------- issue 12: situations
# Made-up wording (not the benchmark sets'): an agent describing what happened, not naming the topic.


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # away for a while: the suspension rule (financeiro)
        (
            "netcenter: cliente vai passar uma temporada fora e quer trancar o contrato",
            "financeiro",
        ),
        ("netcenter cliente quer suspender por uns meses, ta em viagem", "financeiro"),
        # the router moved or a cable pulled: moving the point (mudança)
        ("lasernet cliente quer mover o roteador pra sala", "mudanca"),
        ("netcenter: tecnico passa o fio ate o quarto do cliente?", "mudanca"),
        # the hidden button pressed, settings lost: the reset
        ("vmnet: a criança apertou o botaozinho e o roteador desconfigurou", "reset"),
        ("vmnet roteador voltou pro padrao de fabrica, e agora?", "reset"),
        # equipment broken by the customer: the visit's charges
        ("lasernet: cliente estragou a onu, cobra?", "visita"),
        # the customer left the chat: the N2 rule for those who stop answering
        ("netcenter: cliente ficou offline no chat, encerro?", "n2"),
        # the contract to another holder: financeiro (alteração cadastral)
        ("vmnet: cliente quer mudar o titular do contrato", "financeiro"),
        # overdue but unused: financeiro
        ("netcenter: fatura vencida mas diz que nao utilizou o servico", "financeiro"),
        # what to write in the group's notices: orientações
        ("netcenter: o que preciso informar no recado do grupo?", "orientacoes"),
        # a login beside what it opens: that topic, not the routers' passwords
        ("netcenter: o aplicativo de tv pede usuario e senha, qual e?", "tv"),
        # round 2 (the catalogue's everyday wording, the reader's rules; made-up wording)
        ("netcenter: cliente tem roteador proprio e pediu a senha de acesso", "senha"),
        ("netcenter cliente nao consegue entrar na pagina do roteador", "senha"),
        ("vmnet cliente quer trocar o roteador de comodo, leva pra cozinha", "mudanca"),
        ("sejafibra cliente se mudou pra outra casa, abro os?", "mudanca"),
        ("mutum cliente reclama que o wifi nao pega no quarto dos fundos", "repetidor"),
        ("sejafibra cliente quer colocar um extensor de sinal, vcs dao suporte?", "repetidor"),
        ("vmnet o instalador das cameras de seguranca quer o wifi", "repetidor"),
        ("mutum o pessoal do alarme pediu a senha do wifi pro cliente", "repetidor"),
        ("netcenter cliente vai viajar 2 meses, da pra suspender?", "financeiro"),
        ("lasernet cliente com 36 dias de atraso pediu pra religar", "desbloqueio"),
        ("mutum cliente promete pagar amanha, posso liberar?", "desbloqueio"),
        ("vmnet cliente cortado por falta de pagamento quer reativar hoje", "desbloqueio"),
        ("lasernet cliente quer encerrar o contrato, abro ocorrencia?", "cancelamento"),
        ("sejafibra cliente usa tvbox com lista pirata e reclama que trava", "iptv"),
        ("mutum cliente pagou e nao deu baixa ainda", "comprovante"),
        ("netcenter acabou a luz e o roteador voltou de fabrica", "reset"),
        ("mutum como localizo o cliente no flashman?", "sistemas"),
        ("vmnet o tecnico vai direto ou tem agendamento?", "prazo"),
        ("lasernet quanto e a taxa de instalacao?", "planos"),
        ("netcenter o cliente pode ir pessoalmente na loja?", "contato"),
        ("lasernet cliente pagou o mes errado e deixou a fatura antiga aberta", "pagamento"),
        ("netcenter ja fiz todos os testes basicos e nao resolveu, pra onde mando?", "n2"),
        ("lasernet cliente nao quer mais a internet", "cancelamento"),
        ("vmnet qual roteador vcs usam?", "equipamentos"),
        ("vmnet cli quer botar a internet no nome da mae", "financeiro"),
        ("sejafibra cli ta devendo 3 meses e quer negociar a divida", "financeiro"),
        ("netcenter cliente com led vermelho aceso na onu", "n2"),
        ("vmnet cli falou q o roteador ficou doido dps q a energia voltou", "reset"),
        ("vmnet cli quer tirar a internet, como procede?", "cancelamento"),
        ("vmnet cli quer usar roteador de terceiros", "repetidor"),
        (
            "lasernet cliente falou que a internet ta cortada e ja pagou, mandou o comprovante",
            "comprovante",
        ),
    ],
)
def test_a_described_situation_reaches_the_answer(question: str, topic: str) -> None:
    reply = answer(REAL, question, NOW)
    assert reply.kind is ReplyKind.ANSWER, question
    assert topic in (reply.topic_id, *reply.also), question


def test_a_rule_written_under_a_topic_no_keyword_points_to_is_shown_beside() -> None:
    """One keyword ("bloqueado") points to the blocking days; Seja Fibra's rule "Não abrem O.S.
    para clientes bloqueados" is written under N2: both are shown, the text holding it first."""
    reply = answer(REAL, "seja: cliente bloqueado pediu suporte, abro os?", NOW)
    assert reply.kind is ReplyKind.ANSWER
    assert (reply.topic_id, reply.also) == ("n2", ("bloqueio",))


def test_a_plan_upgrade_is_a_sale() -> None:
    reply = answer(REAL, "vmnet cliente quer fazer upgrade de plano, como faco?", NOW)
    assert reply.topic_id == "contratacao"


def test_with_no_isp_the_answer_texts_do_not_overturn_the_keywords() -> None:
    """Every ISP's texts are searched when none is named: one ISP's text holding more says
    nothing of the ISP that will be asked for; the keywords choose the topic to ask about."""
    from dataclasses import replace

    from bot.answers.core import _text_wins
    from bot.reading.reader import Reading, TopicScore

    central, tv = REAL.topics["central"], REAL.topics["tv"]
    reading = Reading(
        providers=(),
        topics=(TopicScore(central, 9.7, 9.0, 0.7), TopicScore(tv, 2.0, 1.0, 1.0)),
        equipment=None,
        lookalike=None,
        words=("link", "central", "assinante"),
    )
    assert _text_wins(reading).topics[0].topic.id == "central"
    one = replace(reading, providers=(REAL.providers["mutum"],))
    assert _text_wins(one).topics[0].topic.id == "tv"  # one ISP: its own text may win


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # a ticket asked beside what only describes the customer: the escalation's rules
        ("mutum cliente quer tecnico, abro os?", "n2"),
        ("netcenter cliente bloqueado, abro os?", "n2"),
        ("mutum cliente insiste que quer um tecnico la", "n2"),
        # the visit's cost asked: the visit
        ("vmnet cliente insiste que quer o tecnico, cobra a visita?", "visita"),
        ("vmnet cliente quer visita tecnica, quanto custa?", "visita"),
        # an ISP whose document does not answer the escalation keeps what it answers
        ("lasernet cliente bloqueado quer tecnico, abro os?", "visita"),
    ],
)
def test_a_ticket_asked_for_a_customer_described(question: str, topic: str) -> None:
    reply = answer(REAL, question, NOW)
    assert reply.kind is ReplyKind.ANSWER, question
    assert reply.topic_id == topic, question


# --------------------------------------------------------------------------- a clock out of range

LAST_MINUTE = dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-3)))


@pytest.mark.parametrize(
    "question", ["/agora", "/agora vmnet", "/escala semana", "/horario mutum", "vmnet domingo 10h?"]
)
@pytest.mark.parametrize(
    "when", [LAST_MINUTE, dt.datetime(1, 1, 1, tzinfo=dt.UTC), dt.datetime(1969, 12, 31, 12)]
)
def test_a_clock_out_of_range_is_one_line_never_an_error(question: str, when: dt.datetime) -> None:
    reply = answer(REAL, question, when)
    assert reply.kind is ReplyKind.OUT_OF_RANGE
    shown = to_plain(reply)
    assert "\n" not in shown.strip()
    assert "está fora do intervalo que o bot calcula (01/01/1970 a 31/12/9998)" in shown


def test_a_date_computed_past_the_last_is_refused_in_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The safety net: whatever date arithmetic overflows, answer() says so and never raises."""
    from bot.coverage import engine

    monkeypatch.setattr(engine, "supported", lambda _at: True)
    reply = answer(REAL, "/agora", LAST_MINUTE)
    assert reply.kind is ReplyKind.OUT_OF_RANGE
    assert to_plain(reply).startswith("A data 31/12/9999 23:59 está fora do intervalo")


def test_the_last_date_computed_is_answered() -> None:
    last = dt.datetime(9998, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
    assert answer(REAL, "/agora vmnet", last).kind is ReplyKind.ANSWER


# --------------------------------------------------------------------------- two ISPs named


@pytest.mark.parametrize(
    "question",
    [
        "se o cliente for da mutum ou da vm, qual o bloqueio?",  # QA
        "bloqueio mutum ou vm",
        "dns da lasernet ou da vm?",
        "/dns mutum vmnet",  # QA
        "/bloqueio vm net mutum",
        "/dns mutum e vmnet",
        "/dns seja mutum",
    ],
)
def test_two_isps_named_are_asked_between_never_answered_for_one(question: str) -> None:
    reply = answer(REAL, question, NOW)
    assert reply.kind is ReplyKind.CHOICE, to_plain(reply)
    assert reply.provider_id is None
    assert to_plain(reply).startswith("Qual provedor?")
    assert len(reply.buttons) == 2


def test_a_command_naming_two_isps_keeps_its_other_words_on_each_button() -> None:
    reply = answer(REAL, "/senha mutum e vmnet onu", NOW)
    assert [b.ask for b in reply.buttons] == ["/senha mutum onu", "/senha vmnet onu"]


@pytest.mark.parametrize(
    "question",
    ["/dns mutum mutum fibra", "/senha lasernet W5-1200G", "qual o dns da vmnet? ou seja"],
)
def test_one_isp_named_twice_or_with_a_model_is_answered(question: str) -> None:
    assert answer(REAL, question, NOW).kind is ReplyKind.ANSWER


# --------------------------------------------------------------------------- a model the ISP does not list


@pytest.mark.parametrize(
    ("question", "isp", "typed"),
    [
        ("qual a senha do tp link da seja fibra?", "sejafibra", "tp link"),  # QA: was TV
        ("senha do tp link da mutum", "mutum", "tp link"),  # QA: was Central do assinante
        ("senha do zyxel da vmnet", "vmnet", "zyxel"),
        ("senha do roteador intelbras da mutum", "mutum", "intelbras"),
        ("netcenter, qual a senha do stavix?", "netcenter", "stavix"),
    ],
)
def test_a_password_for_a_model_the_isp_does_not_list_is_its_password_answer(
    question: str, isp: str, typed: str
) -> None:
    reply = answer(REAL, question, NOW)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, isp, "senha")
    name = REAL.providers[isp].name
    said = f"O modelo “{typed}” não está na tabela de senhas do documento da {name}."
    assert said in to_plain(reply)
    assert reply.credentials  # the ISP's table, under the credentials policy as /senha


def test_a_model_the_isp_lists_is_still_its_row() -> None:
    reply = answer(REAL, "senha do tp link da vmnet", NOW)
    assert reply.equipment == "Roteador TP Link"
    assert "não está na tabela" not in to_plain(reply)
    assert answer(REAL, "senha da tv da seja", NOW).topic_id == "tv"


def test_a_zero_width_character_inside_a_command_is_ignored() -> None:
    """QA: "/d\u200bns mutum" (pasted) answered "O comando /d​ns não existe"."""
    reply = answer(REAL, "/d\u200bns mutum", NOW)
    assert (reply.kind, reply.topic_id) == (ReplyKind.ANSWER, "dns")
    assert "143.202.80.56" in to_plain(reply)


@pytest.mark.parametrize(
    ("typed", "isp"),
    [("mut", "mutum"), ("las", "lasernet"), ("sej", "sejafibra"), ("vmn", "vmnet")],
)
def test_a_three_letter_prefix_of_an_isps_name_names_it_in_a_command(typed: str, isp: str) -> None:
    """Decided anew (docs/reader.md §1): where a command expects the ISP, the first three
    letters of its current name or id name it; a stop word, a former name's prefix and a prefix
    several names start do not."""
    reply = answer(REAL, f"/cidades {typed}", NOW)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (ReplyKind.ANSWER, isp, "cidades")


@pytest.mark.parametrize("typed", ["san", "cab", "kay"])
def test_a_three_letter_prefix_of_a_former_name_names_no_isp(typed: str) -> None:
    reply = answer(REAL, f"/dns {typed}", NOW)
    assert reply.kind is ReplyKind.UNKNOWN_PROVIDER and reply.provider_id is None
    assert [b.ask for b in reply.buttons] == [f"/dns {pid}" for pid in REAL.providers]


def test_three_letters_several_names_start_or_a_stop_word_name_no_isp(tmp_path: Path) -> None:
    """Made-up ISP "Comnet Fibra": "com" is a stop word, never its prefix; "comn" is."""
    kb = real_kb_with(
        tmp_path,
        comnet="id: comnet\nname: Comnet Fibra\ntimezone: America/Sao_Paulo\n"
        "state: SP\nreviewed: 2026-11-30\ntopics:\n  dns:\n    text: DNS 10.9.9.9\n",
    )
    assert answer(kb, "/dns com", NOW).provider_id is None
    assert answer(kb, "/dns comn", NOW).provider_id == "comnet"
    shared = answer(kb, "/dns net", NOW)
    assert shared.kind is ReplyKind.CHOICE and shared.provider_id is None


# --------------------------------------------------------------------------- a company name that is a word


@pytest.mark.parametrize(
    "question",
    [
        "cliente com plano giga sem internet",  # QA: "GIGA não é um provedor atendido..."
        "o cliente tem internet giga da vmnet, qual o dns?",  # QA: added the GIGA line
        "quero contratar o plano giga",
        "a internet giga da mutum caiu",
    ],
)
def test_giga_as_a_speed_is_no_company(question: str) -> None:
    reply = answer(REAL, question, NOW)
    assert reply.kind is not ReplyKind.LOOKALIKE
    assert "GIGA não é um provedor" not in to_plain(reply)


@pytest.mark.parametrize(
    "question",
    [
        "cliente da giga sem internet",
        "é da giga, qual o dns?",
        "operadora giga",
        "ela disse que a internet é com a giga, e agora?",
    ],
)
def test_giga_named_as_a_company_is_the_lookalike(question: str) -> None:
    reply = answer(REAL, question, NOW)
    assert reply.kind is ReplyKind.LOOKALIKE
    assert "GIGA não é um provedor atendido pela UPCALL" in to_plain(reply)


# --------------------------------------------------------------------------- issue 12: the topic when the ISP is named
# Made-up wording (not the benchmark sets'): the ISP named, the situation told in everyday words.


@pytest.mark.parametrize(
    ("typed", "topic"),
    [
        ("netcenter /ipfi", "ipfixo"),  # a unique prefix, after the ISP's name
        ("seja fibra: /desbloq", "desbloqueio"),
        ("vmnet /dsn", "dns"),  # one slip
        ("mutum /ipv6", "ipv6"),  # the command as it is
    ],
)
def test_a_command_typed_after_the_isp_is_answered_as_the_command(typed: str, topic: str) -> None:
    reply = answer(REAL, typed, NOW)
    command = "/" + typed.split("/")[1] + " " + typed.split("/")[0].strip(" :")
    assert reply.kind is ReplyKind.ANSWER
    assert reply.topic_id == topic
    assert to_plain(reply) == to_plain(answer(REAL, command, NOW))


@pytest.mark.parametrize(
    "typed", ["netcenter /xyzw", "admin/senha123 netcenter", "/dns e /ipv6 mutum"]
)
def test_what_is_no_command_after_the_isp_stays_free_text(typed: str) -> None:
    reply = answer(REAL, typed, NOW)
    assert "não existe" not in to_plain(reply)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # the reset button held down
        ("vmnet o cliente pressionou o botao do aparelho por um tempo e a rede mudou", "reset"),
        ("mutum cliente segurou aquele botao de tras e ficou sem wifi", "reset"),
        # a device bought to carry the wifi further: repeaters
        ("netcenter cliente quer um aparelho pra espalhar o wifi pela casa toda", "repetidor"),
        ("mutum: comprou um treco pra distribuir o sinal, vcs configuram?", "repetidor"),
        # days counted over what is overdue: the blocking days (and how they are counted)
        ("lasernet cliente com 2 faturas vencidas, conto os dias de qual?", "bloqueio"),
        ("netcenter: boletos atrasados, os dias somam?", "bloqueio"),
        # not paid yet and needs the connection: the trust unblocking
        ("mutum cliente ainda nao pagou e precisa da net pra estudar hoje", "desbloqueio"),
        ("netcenter: cliente bloqueado, precisa urgente da internet", "desbloqueio"),
        # a blocked customer wanting a technician: the escalation's rule (N2/N3)
        ("vmnet cliente cortado por falta de pagamento pede que mande um tecnico", "n2"),
        ("seja cliente esta bloqueado e quer uma visita tecnica", "n2"),
        # the service reaching where the customer lives: the places served
        ("vmnet cliente mora numa chacara e pergunta se chega internet la", "cidades"),
        ("tem internet na netcenter?", "cidades"),
        ("seja fibra: cliente quer saber se chega fibra no condominio dele", "tecnologias"),
        # where a financial matter goes: the matter's rule and the financial sector's
        ("vmnet cliente pagou a fatura do mes errado, abro os ou jogo no grupo?", "financeiro"),
        ("seja: pagou o boleto duas vezes, jogo no grupo ou abro os?", "financeiro"),
    ],
)
def test_a_situation_told_with_the_isp_named_reaches_the_answer(question: str, topic: str) -> None:
    reply = answer(REAL, question, NOW)
    # NO_INFO: the topic's "the document does not say" (Mutum writes no reset rule).
    assert reply.kind in (ReplyKind.ANSWER, ReplyKind.NO_INFO), question
    assert topic in (reply.topic_id, *reply.also), question


def test_a_financial_matter_and_where_it_goes_are_shown_together() -> None:
    """LaserNet writes its inverted-payment rule (group in business hours, an occurrence
    outside them) under payments, and "não devemos transferir, abrimos uma ocorrência" under
    the financial sector: both, as sections, the sector (where it goes, what is asked) first."""
    question = "lasernet cliente pagou o mes seguinte e deixou o anterior, mando no grupo?"
    reply = answer(REAL, question, NOW)
    assert (reply.topic_id, reply.also) == ("financeiro", ("pagamento",))
    said = to_plain(reply)
    assert "Enviar caso no grupo dentro do horário comercial" in said
    assert "não devemos transferir atendimento" in said


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # the same words without the situation keep their topic
        ("vmnet cliente pagou e precisa da internet", "pagamento"),  # paid: no unpaid state
        ("sejafibra quantos dias pra vencer o boleto?", "fatura"),  # no overdue words
        ("lasernet cliente bloqueado quer visita tecnica", "visita"),  # no N2 rules written
        ("mutum, a internet nao chega no quarto dos fundos", "repetidor"),
        ("lasernet quais as formas de pagamento?", "pagamento"),  # nothing routed: one section
    ],
)
def test_the_situation_rules_leave_other_questions_alone(question: str, topic: str) -> None:
    reply = answer(REAL, question, NOW)
    assert reply.topic_id == topic, question
    assert not reply.also or topic in reply.also


def test_a_topic_command_with_a_moment_and_no_isp_keeps_the_moment_on_its_buttons() -> None:
    reply = answer(REAL, "/financeiro domingo 10h", MONDAY_30_10H)
    # Was "Provedor “domingo 10h” não encontrado" with buttons "/financeiro <isp> 10h".
    assert reply.kind is ReplyKind.MISSING_PROVIDER
    asks = {b.ask for b in reply.buttons}
    assert asks == {f"/financeiro {pid} 06/12/2026 10h00" for pid in REAL.providers}
    assert "No momento informado, dom 06/12 às 10:00" in html.unescape(to_html(reply))


def test_a_topic_command_with_a_moment_is_answered_at_that_moment() -> None:
    # What a button asks: the same moment whenever tapped (here on Wednesday).
    tapped = answer(REAL, "/financeiro vmnet 06/12/2026 10h00", MONDAY_30_10H + dt.timedelta(2))
    out = html.unescape(to_html(tapped))
    assert tapped.kind is ReplyKind.ANSWER and tapped.clock
    assert "No momento informado, dom 06/12 às 10:00: Financeiro: aberto, fecha às 12:00" in out
    for typed in ("/financeiro vmnet domingo 10h", "/financeiro domingo às 10h vmnet"):
        reply = answer(REAL, typed, MONDAY_30_10H)
        assert reply.provider_id == "vmnet", typed
        assert "No momento informado, dom 06/12 às 10:00" in html.unescape(to_html(reply))
    # No moment: now (Monday 10h), as before; other arguments are no moment.
    plain = html.unescape(to_html(answer(REAL, "/financeiro vmnet", MONDAY_30_10H)))
    assert "No momento informado" not in plain
    assert "No momento informado" not in to_html(answer(REAL, "/bloqueio vmnet 10 dias"))


def test_the_which_isp_buttons_of_a_free_question_keep_its_moment() -> None:
    reply = answer(REAL, "o financeiro abre domingo 10h?", MONDAY_30_10H)
    assert reply.kind is ReplyKind.MISSING_PROVIDER
    asks = {b.ask for b in reply.buttons}
    command = next(iter(asks)).split()[0]
    assert command != "/agora"
    assert asks == {f"{command} {pid} 06/12/2026 10h00" for pid in REAL.providers}
    # A password's buttons never carry a moment: its argument is a model.
    senha = answer(REAL, "qual a senha do roteador domingo 10h?", MONDAY_30_10H)
    assert not any("2026" in b.ask for b in senha.buttons)


def test_a_coverage_question_about_a_whole_day_gives_that_days_windows() -> None:
    reply = answer(REAL, "vmnet amanhã é com a gente?", MONDAY_30_10H)
    out = html.unescape(to_html(reply))
    # Was "No momento informado, ter 01/12 às 10:00: UPCALL fora da cobertura..."
    assert "No dia informado, ter 01/12: UPCALL seg 18:00–09:00 · 18:00–qua 09:00" in out
    assert "veja /escala 01/12/2026" in out and "No momento informado" not in out
    # With an hour, that moment, as before.
    timed = html.unescape(to_html(answer(REAL, "vmnet amanhã 10h é com a gente?", MONDAY_30_10H)))
    assert "No momento informado, ter 01/12 às 10:00" in timed


def test_a_future_moment_beside_a_past_verb_is_the_next_one() -> None:
    question = "cliente ligou, vai retornar domingo 10h, o financeiro da vmnet ta aberto?"
    out = html.unescape(to_html(answer(REAL, question, MONDAY_30_10H)))
    assert "dom 06/12" in out and "dom 29/11" not in out


@pytest.mark.parametrize(
    ("text", "isp"),
    [
        ("vmnet mudança de ponto precisa passar cabo?", "vmnet"),
        ("netcenter velocidade baixa no cabo", "netcenter"),
        ("/mudanca vm passar cabo", "vmnet"),
        ("/dns cabo vm", "vmnet"),
    ],
)
def test_the_word_cabo_beside_a_named_isp_adds_no_second_isp(text: str, isp: str) -> None:
    """ "cabo" (cable) starts Seja Fibra's alias "Cabo Imagem": it had added Seja Fibra as a
    second button beside the ISP named."""
    reply = answer(REAL, text, NOW)
    assert reply.kind is not ReplyKind.CHOICE and reply.provider_id == isp


@pytest.mark.parametrize(
    "text", ["pede pra ligar no cabo", "o repetidor e ligado por cabo?", "/dns cabo"]
)
def test_the_word_cabo_alone_names_no_isp(text: str) -> None:
    reply = answer(REAL, text, NOW)
    assert reply.provider_id != "sejafibra"
    assert "Seja Fibra ›" not in to_plain(reply)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("roteador intelbras do cliente nao conecta", "(INTELBRAS → LaserNet)"),
        ("onu huawei com luz vermelha", "(huawei → VM NET)"),
        ("senha do stavix", "(STAVIX → VM NET)"),
    ],
)
def test_an_isp_found_by_its_equipment_says_why_in_one_line(text: str, why: str) -> None:
    """An equipment model or brand only one ISP lists names it, as a context name does: the
    answer says why under its title (it said nothing: the agent could not tell the ISP was
    guessed from a brand)."""
    assert why in to_plain(answer(REAL, text, NOW)).splitlines()[:4]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("/senha intelbras", "(INTELBRAS → LaserNet)"),
        ("/senha tp link", "(TP Link → VM NET)"),
        ("/porta tp link", "(TP Link → VM NET)"),
        ("/senha stavix", "(STAVIX → VM NET)"),
        ("/senha huawei", "(huawei → VM NET)"),
    ],
)
def test_a_command_whose_isp_is_found_by_its_equipment_says_why(text: str, why: str) -> None:
    """The command's arguments name a model or brand only one ISP lists, and no ISP: the answer
    (a password, often) says why under its title, as the same words typed as free text do (it
    said nothing: "/senha intelbras" gave LaserNet's admin password as if LaserNet were named)."""
    assert why in to_plain(answer(REAL, text, NOW)).splitlines()[:4]


def test_a_command_naming_its_isp_and_equipment_needs_no_why_line() -> None:
    plain = to_plain(answer(REAL, "/senha lasernet intelbras", NOW))
    assert "LaserNet ›" in plain and "→ LaserNet" not in plain


def test_an_isp_named_with_its_equipment_needs_no_why_line() -> None:
    plain = to_plain(answer(REAL, "senha da onu huawei v5 da vmnet", NOW))
    assert "VM NET ›" in plain and "→ VM NET" not in plain


@pytest.mark.parametrize(
    "text", ["quais os equipamentos mais comuns?", "os equipamentos mais comuns sao quais"]
)
def test_an_equipment_row_named_by_ordinary_words_names_no_isp(text: str) -> None:
    """NETCENTER's row "Equipamentos mais comuns" (alias "mais comuns"): ordinary words."""
    assert answer(REAL, text, NOW).provider_id is None


@pytest.mark.parametrize("asked", ["/escala mutum", "/escala sexta mutum", "/escala vmnet amanhã"])
def test_escala_with_an_isp_gives_its_hours_and_says_how_it_was_read(asked: str) -> None:
    """/escala takes a day; an ISP typed where the day goes got "Não entendi o dia “mutum”" and
    had to be asked again as /horario."""
    reply = answer(REAL, asked, MONDAY_30_10H)
    assert reply.kind is ReplyKind.ANSWER and reply.topic_id == "horario"
    assert reply.provider_id in asked.split()
    assert "(Entendi /escala como /horario.)" in to_plain(reply).splitlines()[:4]


def test_escala_with_a_day_is_still_every_isps_day() -> None:
    reply = answer(REAL, "/escala sex", MONDAY_30_10H)
    assert reply.kind is ReplyKind.ANSWER and reply.provider_id is None
    assert answer(REAL, "/escala banana", MONDAY_30_10H).kind is ReplyKind.NOT_UNDERSTOOD


@pytest.mark.parametrize(
    "question", ["35 dias é da lasernet né? e a netcenter?", "4º dia é netcenter, e na mutum?"]
)
def test_two_isps_named_are_never_answered_with_the_passages_of_one(question: str) -> None:
    """Passages (no keyword) that hold only one named ISP's words: the other ISP named is asked
    about too. It showed LaserNet's passages only, as an answer about LaserNet."""
    reply = answer(REAL, question, NOW)
    assert reply.kind is ReplyKind.CHOICE and reply.provider_id is None
    named = {"lasernet", "netcenter", "mutum"} & set(normalize(question).split())
    assert {b.ask.split()[1] for b in reply.buttons} == named


def test_a_brand_two_isps_write_keeps_its_passages() -> None:
    """ "tplink": Seja Fibra's equipment text and VM NET's table; no ISP is named by name."""
    assert answer(REAL, "tplink é na 8080?", NOW).provider_id == "vmnet"


@pytest.mark.parametrize(
    ("question", "first", "also"),
    [
        ("que planos vcs vendem pro cliente?", "planos", "contratacao"),
        ("cliente trouxe o comprovante, posso liberar?", "desbloqueio", "comprovante"),
    ],
)
def test_no_isp_and_close_topics_ask_which_isp_for_the_one_ahead(
    question: str, first: str, also: str
) -> None:
    # The ISP must be tapped anyway: one tap answers the topic ahead; a close one is a button.
    reply = answer(REAL, question, NOW)
    assert reply.kind is ReplyKind.MISSING_PROVIDER and reply.provider_id is None
    asks = [b.ask for b in reply.buttons]
    assert asks[: len(REAL.providers)] == [f"/{first} {pid}" for pid in REAL.providers]
    assert f"/{also}" in asks[len(REAL.providers) :]
    assert "últimos botões" in to_plain(reply)


def test_no_isp_and_close_topics_with_a_sixth_isp_offer_all_six(tmp_path: Path) -> None:
    six = real_kb_with(
        tmp_path, novarede=(Path(__file__).parent / "data" / "novarede.yaml").read_text()
    )
    reply = answer(six, "que planos vcs vendem pro cliente?", NOW)
    isps = [b.ask.split()[1] for b in reply.buttons if len(b.ask.split()) > 1]
    assert reply.kind is ReplyKind.MISSING_PROVIDER and sorted(isps) == sorted(six.providers)


@pytest.mark.parametrize(
    "question",
    [
        "o comercial ja fechou?",
        "ate que horas fica aberto o financeiro?",
        "financeiro abre sabado?",
    ],
)
def test_a_sectors_state_asked_with_no_isp_is_the_sectors_topic(question: str) -> None:
    # "Financeiro", "Comercial" are sectors and /financeiro's commands: their hours or state
    # asked is where and when to transfer (/setores), not the financial rules.
    reply = answer(REAL, question, NOW)
    assert reply.kind is ReplyKind.MISSING_PROVIDER
    assert {b.ask.split()[0] for b in reply.buttons} == {"/setores"}


def test_a_sectors_rules_asked_with_no_isp_stay_its_topic() -> None:
    reply = answer(REAL, "quais as regras do comercial pra desconto?", NOW)
    assert "/setores" not in {b.ask.split()[0] for b in reply.buttons}


def test_a_schedule_topic_named_by_its_sector_keeps_its_topic() -> None:
    # "Plantão de manutenções" is a sector and /plantao's command, but /plantao's answers give
    # the sectors' hours: it is the schedule asked.
    reply = answer(REAL, "o plantao abre domingo?", NOW)
    assert "/setores" not in {b.ask.split()[0] for b in reply.buttons}


def test_a_verb_form_after_a_preposition_is_the_isps_name() -> None:
    """ "da seja pra ...": a verb never follows a preposition; "pra" after it made it the verb
    ("não dá mais pra" is the word "mais"), and the question asked which ISP."""
    reply = answer(REAL, "qual o prazo da seja pra resolver sem conexao", NOW)
    assert (reply.kind, reply.provider_id, reply.topic_id) == (
        ReplyKind.ANSWER,
        "sejafibra",
        "prazo",
    )


def test_the_deadline_a_question_word_asks_for_leads_over_the_situation_told() -> None:
    reply = answer(REAL, "seja onu piscando los, qual prazo?", NOW)
    assert (reply.provider_id, reply.topic_id) == ("sejafibra", "prazo")


def test_commands_meant_are_remembered_per_kb_bounded_and_never_shared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first word of each question is tried as a misspelt command (session 11, latency):
    remembered per KB, the memo starts over when full, and each caller gets its own list."""
    from bot.answers import core

    kb = load_kb(ROOT / "knowledge")
    first = core.meant_commands(kb, "bloqeuio")
    first.append("changed")
    assert core.meant_commands(kb, "bloqeuio") == ["bloqueio"]
    monkeypatch.setattr(core, "MEMO_LIMIT", 2)
    for typed in ("dnss", "senah", "plnaos", "bloqeuio"):
        core.meant_commands(kb, typed)
        assert len(core._meant(kb)) <= 2
