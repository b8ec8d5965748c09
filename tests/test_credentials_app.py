"""The credential policy through the real Application: audit, groups closed, deletion, /auditoria."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from conftest import PASSWORD, make_settings
from harness import Harness, running, shown

from bot.knowledge.kb import KB
from fake_bot_api import (
    AGENT,
    GROUP,
    SUPERVISOR,
    button_data,
    plain_text,
    private_chat,
)

Bot = Harness


def audit_rows(bot: Harness) -> list[dict[str, Any]]:
    path = bot.settings.audit_file
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@pytest.fixture
def make_bot(tmp_path: Path, real_kb: KB) -> Any:
    async def make(**overrides: Any) -> AsyncIterator[Bot]:
        settings = make_settings(audit_file=tmp_path / "audit.jsonl", **overrides)
        async for bot in running(settings, real_kb):
            yield bot

    return make


async def test_default_policy_delivers_in_groups_and_audits(make_bot: Any) -> None:
    async for bot in make_bot():
        out = shown(await bot.say(GROUP, AGENT, "/senha lasernet W5-1200G"))
        assert PASSWORD in out
        [row] = audit_rows(bot)
        assert row["user_id"] == AGENT["id"] and row["user_name"] == AGENT["first_name"]
        assert row["chat_id"] == GROUP["id"] and row["provider"] == "lasernet"
        assert row["equipment"] == "W5-1200G" and row["allowed"] is row["sent"] is True
        assert PASSWORD not in bot.settings.audit_file.read_text("utf-8")
        await bot.say(GROUP, AGENT, "/dns mutum")  # no credentials: not audited
        assert len(audit_rows(bot)) == 1


async def test_groups_closed_to_credentials(make_bot: Any) -> None:
    async for bot in make_bot(credentials_in_groups=False):
        out = shown(await bot.say(GROUP, AGENT, "/senha lasernet W5-1200G"))
        assert PASSWORD not in out
        assert "não é enviada em grupos" in out and "/senha lasernet W5-1200G" in out
        assert "143.202.80.56" in shown(await bot.say(GROUP, AGENT, "/dns mutum"))
        private = shown(await bot.say(private_chat(AGENT), AGENT, "/senha lasernet W5-1200G"))
        assert PASSWORD in private
        assert [(r["allowed"], r["sent"]) for r in audit_rows(bot)] == [
            (False, False),
            (True, True),
        ]


async def test_a_menu_of_credential_answers_is_refused_up_front_in_a_closed_group(
    make_bot: Any,
) -> None:
    """QA 7 #11: no equipment menu whose every button says "not in groups" (and replaces the
    menu): one line with the private command, without the @mention; in private, the menu."""
    async for bot in make_bot(credentials_in_groups=False):
        for typed in ("/senha vmnet huawei", "/senha@UpcallBot vmnet huawei"):
            calls = await bot.say(GROUP, AGENT, typed)
            [sent] = [c for c in calls if c.method == "sendMessage"]
            assert not sent.get("reply_markup")
            assert plain_text(sent["text"], "HTML") == (
                "Esta resposta contém senhas ou logins e não é enviada em grupos. "
                "Peça no privado do bot: /senha vmnet huawei"
            )
        assert [r["allowed"] for r in audit_rows(bot)] == [False, False]
        calls = await bot.say(private_chat(AGENT), AGENT, "/senha vmnet huawei")
        [menu] = [c for c in calls if c.method == "sendMessage"]
        assert [label for label, _ in button_data(menu.result)] == [
            "ONU HUAWEI V5",
            "ONU HUAWEI V2 (Preta)",
        ]


async def test_a_button_that_leads_to_credentials_is_gated_too(make_bot: Any) -> None:
    """In a closed group, a menu with some options allowed stays a menu (/sistemas: only
    Mutum's answer carries logins); its credential button is answered through the policy."""
    async for bot in make_bot(credentials_in_groups=False):
        calls = await bot.say(GROUP, AGENT, "/sistemas")
        [choice] = [c for c in calls if c.method == "sendMessage"]
        message = {**choice.result, "chat": GROUP}
        data = dict(button_data(choice.result))["Mutum Fibra"]
        pressed = await bot.feed(bot.updates.callback(AGENT, message, data))
        edits = [c for c in pressed if c.method == "editMessageText"]
        assert edits and "!Mutum2025@" not in plain_text(edits[0]["text"], "HTML")
        assert "não é enviada em grupos" in plain_text(edits[0]["text"], "HTML")
        assert audit_rows(bot)[-1]["provider"] == "mutum"


async def test_credentials_deleted_later_whatever_telegram_says(make_bot: Any) -> None:
    async for bot in make_bot(credentials_delete_after_seconds=30):
        calls = await bot.say(GROUP, AGENT, "/senha lasernet W5-1200G")
        [sent] = [c for c in calls if c.method == "sendMessage"]
        assert "será apagada em 30 s" in plain_text(sent["text"], "HTML")
        assert bot.app.job_queue is not None
        jobs = bot.app.job_queue.jobs("^delete:")
        assert len(jobs) == 1
        mark = bot.api.mark()
        await jobs[0].run(bot.app)
        [deleted] = bot.api.calls_since(mark)
        assert deleted.method == "deleteMessage"
        assert int(deleted["message_id"]) == sent.result["message_id"]
        # Deleting again (already gone): Telegram says 400, the bot shrugs.
        bot.api.fail_next("deleteMessage", 400, "Bad Request: message to delete not found")
        await jobs[0].run(bot.app)
        assert bot.errors == []
        no_secret = await bot.say(GROUP, AGENT, "/dns mutum")
        assert "será apagada" not in shown(no_secret)
        assert len(bot.app.job_queue.jobs("^delete:")) == 1


async def test_auditoria_is_for_supervisors(make_bot: Any) -> None:
    async for bot in make_bot():
        await bot.say(GROUP, AGENT, "/senha lasernet W5-1200G")
        await bot.say(GROUP, AGENT, "/sistemas mutum")
        refused = shown(await bot.say(GROUP, AGENT, "/auditoria"))
        assert "Só supervisores podem usar /auditoria." in refused
        report = shown(await bot.say(private_chat(SUPERVISOR), SUPERVISOR, "/auditoria"))
        assert "Auditoria de credenciais" in report
        assert "lasernet › senha › W5-1200G" in report and "mutum › sistemas" in report
        assert PASSWORD not in report
        only = shown(await bot.say(private_chat(SUPERVISOR), SUPERVISOR, "/auditoria laser net"))
        assert "lasernet › senha" in only and "mutum" not in only.split("\n", 1)[1]
        unknown = shown(await bot.say(private_chat(SUPERVISOR), SUPERVISOR, "/auditoria xyzzy"))
        assert "Provedor “xyzzy” não encontrado" in unknown and "Nenhuma credencial" not in unknown


@pytest.mark.parametrize(
    ("typed", "secret"),
    [
        ("@UpcallBot usuario joao senha 998877 lasernet nao entra no roteador", "998877"),
        ("@UpcallBot o wifi dele tá com a senha joaozinho, vmnet, como troca?", "joaozinho"),
        ("@UpcallBot senha do wifi: minha casa 2020 netcenter nao conecta", "minha casa 2020"),
        ("@UpcallBot pppoe do cliente: joao123 senha 998877 mutum", "998877"),
    ],
)
async def test_the_audit_line_of_a_group_message_masks_the_typed_password(
    make_bot: Any, typed: str, secret: str
) -> None:
    """QA round 7, finding 13: a password typed in everyday wording in a group is not in the
    audit line; the bot's @mention is (it is no password)."""
    async for bot in make_bot():
        await bot.say(GROUP, AGENT, typed)
        [row] = audit_rows(bot)
        assert row["query"].startswith("@UpcallBot ")
        assert "•••" in row["query"]
        stored = bot.settings.audit_file.read_text("utf-8")
        assert secret not in stored and "joao123" not in stored, stored


async def test_a_changed_password_is_neither_audited_nor_a_reason(make_bot: Any) -> None:
    """Session 9's QA, finding 1: "trocou a senha do wifi para ubatuba" -- the password after
    "para" was stored whole and read as a place (Ubatuba → Seja Fibra)."""
    async for bot in make_bot():
        typed = (
            "@UpcallBot sejafibra: cliente trocou a senha do wifi para ubatuba, qual a do roteador?"
        )
        out = shown(await bot.say(GROUP, AGENT, typed))
        assert "Seja Fibra" in out and "Ubatuba" not in out
        [row] = audit_rows(bot)
        assert "•••" in row["query"]
        assert "ubatuba" not in bot.settings.audit_file.read_text("utf-8").casefold()
        alone = shown(await bot.say(GROUP, AGENT, "@UpcallBot trocou a senha do wifi pra ubatuba"))
        assert "Ubatuba" not in alone and "→ Seja Fibra" not in alone


@pytest.mark.parametrize(
    ("code", "description"),
    [(403, "Forbidden: bot was blocked by the user"), (400, "Bad Request: can't parse entities")],
)
async def test_the_audit_says_when_telegram_refused_the_credentials(
    make_bot: Any, code: int, description: str
) -> None:
    """QA round 7, finding 15: ``allowed`` is the policy's decision, ``sent`` the outcome; a
    refused answer is not recorded as given, and /auditoria says so."""
    async for bot in make_bot():
        bot.api.fail_next("sendMessage", code, description)
        await bot.feed(
            bot.updates.message(private_chat(AGENT), AGENT, "/senha lasernet W5-1200G"),
            expect_error=True,
        )
        [row] = audit_rows(bot)
        assert (row["allowed"], row["sent"]) == (True, False)
        bot.errors.clear()  # the error handler apologised
        await bot.say(private_chat(AGENT), AGENT, "/senha lasernet W5-1200G")
        assert [(r["allowed"], r["sent"]) for r in audit_rows(bot)] == [(True, False), (True, True)]
        report = shown(await bot.say(private_chat(SUPERVISOR), SUPERVISOR, "/auditoria"))
        lines = [line for line in report.splitlines() if "W5-1200G" in line]
        assert len(lines) == 2 and "não entregue" in lines[1] and "não entregue" not in lines[0]


def test_an_audit_line_written_before_sent_existed_is_still_read(tmp_path: Path) -> None:
    """Lines of the old format ("delivered": the policy's decision) read as allowed, sent
    unknown: /auditoria keeps showing them."""
    from bot.policy.audit import AuditLog

    old = {
        "at": "2026-11-22T03:00:00+00:00",
        "user_id": 7,
        "user_name": "Ana",
        "chat_id": -100,
        "chat_type": "supergroup",
        "provider": "lasernet",
        "topic": "senha",
        "equipment": "W5-1200G",
        "query": "/senha lasernet W5-1200G",
        "delivered": False,
    }
    path = tmp_path / "audit.jsonl"
    path.write_text(json.dumps(old) + "\n", "utf-8")
    [entry] = AuditLog(path).latest()
    assert entry.allowed is False and entry.sent is None


async def test_a_reset_asked_in_a_closed_group_is_the_reset_rule_not_withheld(
    make_bot: Any,
) -> None:
    # No password asked: the reset rule (its R$50 fee), not the equipment table withheld with
    # "peça no privado", and no audit line for a credential nobody asked for.
    async for bot in make_bot(credentials_in_groups=False):
        said = "@UpcallBot o roteador do cliente vm net foi resetado, e agora?"
        out = await bot.ask(GROUP, AGENT, said)
        assert "Reset do equipamento" in out and "R$50" in out
        assert "não é enviada em grupos" not in out
        assert audit_rows(bot) == []


LONG_SYSTEMS = "\n".join(
    f"Sistema {n}: acesso pelo painel {n}, login operador{n} / senha Painel{n}@x" for n in range(80)
)
"""A secret topic too long for one Telegram message (4,096 characters): two parts."""


async def test_a_long_credential_answer_whose_second_part_fails_is_audited_as_partly_sent(
    tmp_path: Path,
) -> None:
    """The first part (with credentials) reached the group, the second was refused: the audit
    says 1 of 2 went (not "sent: false" as if nothing had), /auditoria says so, and the part
    that went is deleted later like a whole answer (review 7, finding 9)."""
    from bot.knowledge.kb import load_kb
    from kbfactory import ALFA, BETA, write_kb

    beta = BETA.replace(
        'sistemas: {text: "Flashman: login x / senha y", secret: true}',
        "sistemas: {text: " + json.dumps(LONG_SYSTEMS) + ", secret: true}",
    )
    kb = load_kb(write_kb(tmp_path, {"alfa": ALFA, "beta": beta}))
    settings = make_settings(
        audit_file=tmp_path / "audit.jsonl", credentials_delete_after_seconds=30
    )
    async for bot in running(settings, kb):
        bot.api.delay_next("sendMessage", 0)  # the first part goes
        bot.api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
        calls = await bot.feed(
            bot.updates.message(GROUP, AGENT, "/sistemas beta"), expect_error=True
        )
        first = next(c for c in calls if c.method == "sendMessage")
        assert "Painel0@x" in plain_text(first["text"], "HTML")  # it reached the chat
        [row] = audit_rows(bot)
        assert (row["allowed"], row["sent"]) == (True, False)
        assert (row["parts"], row["parts_sent"]) == (2, 1)
        assert "Painel0@x" not in bot.settings.audit_file.read_text("utf-8")
        assert bot.app.job_queue is not None
        [job] = bot.app.job_queue.jobs("^delete:")
        mark = bot.api.mark()
        await job.run(bot.app)
        [deleted] = bot.api.calls_since(mark)
        assert deleted.method == "deleteMessage"
        assert int(deleted["message_id"]) == first.result["message_id"]
        bot.errors.clear()  # the error handler apologised
        await bot.say(GROUP, AGENT, "/sistemas beta")
        whole = audit_rows(bot)[-1]
        assert (whole["sent"], whole["parts"], whole["parts_sent"]) == (True, 2, 2)
        report = shown(await bot.say(private_chat(SUPERVISOR), SUPERVISOR, "/auditoria"))
        lines = [line for line in report.splitlines() if "beta" in line]
        assert len(lines) == 2
        assert "entregue em parte (1 de 2 mensagens" in lines[1]
        assert "entregue em parte" not in lines[0] and "não entregue" not in lines[0]


async def test_an_answer_whose_isp_a_typed_kb_password_gave_is_a_credential_answer(
    make_bot: Any,
) -> None:
    """The ports are public, but an answer for the ISP whose password the agent typed tells
    whose password it is: a closed group gets the one line (no ISP, no password, no port), the
    private chat the answer with its reason, and the audit log both, the password masked."""
    asked = "senha Lnt12345@ nao entrou, qual a porta de acesso msm?"
    async for bot in make_bot(credentials_in_groups=False):
        out = shown(await bot.say(GROUP, AGENT, f"@UpcallBot {asked}"))
        assert "não é enviada em grupos" in out
        for hidden in ("LaserNet", "lasernet", "9020", "Lnt12345@", "senha digitada"):
            assert hidden not in out
        private = shown(await bot.say(private_chat(AGENT), AGENT, asked))
        assert "senha digitada → LaserNet" in private and "9020" in private
        assert "Lnt12345@" not in private
        rows = audit_rows(bot)
        assert [(r["provider"], r["topic"], r["allowed"], r["sent"]) for r in rows] == [
            ("lasernet", "porta", False, False),
            ("lasernet", "porta", True, True),
        ]
        assert rows[1]["query"] == "senha ••• nao entrou, qual a porta de acesso msm?"
        assert "Lnt12345@" not in bot.settings.audit_file.read_text("utf-8")
        assert bot.errors == []


async def test_a_customers_own_password_is_no_credential_answer(make_bot: Any) -> None:
    async for bot in make_bot(credentials_in_groups=False):
        out = shown(await bot.say(GROUP, AGENT, "@UpcallBot a senha do wifi dele é fortaleza"))
        assert "senha digitada" not in out and "fortaleza" not in out.casefold()
        # "Which ISP?" for /senha (every button a credential answer: refused up front), for none.
        assert [r["provider"] for r in audit_rows(bot)] == [None]


async def test_buscar_in_a_group_never_repeats_a_typed_password(make_bot: Any) -> None:
    """/buscar's title quoted the question as typed, to the group ("citam “senha: Xk9pq22w
    prazo de atendimento”"): quoted masked (session 10 QA)."""
    async for bot in make_bot():
        out = shown(await bot.say(GROUP, AGENT, "/buscar senha: Xk9pq22w prazo de atendimento"))
        assert "Trechos" in out and "Xk9pq22w" not in out
