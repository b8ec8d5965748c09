"""The credential policy (core) and the audit log store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import make_settings

from bot.answers.core import answer
from bot.answers.render import to_plain
from bot.answers.render.telegram import to_html
from bot.knowledge.kb import KB
from bot.policy.audit import AuditLog
from bot.policy.credentials import (
    Asker,
    audit_entry,
    audit_reply,
    decide,
    gate,
    withheld_reply,
)

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)


def test_answers_without_credentials_are_not_touched(real_kb: KB) -> None:
    decision = decide(answer(real_kb, "/dns mutum", NOW), "supergroup", make_settings())
    assert decision.deliver and decision.delete_after is None and not decision.audit


def test_default_policy_sends_in_groups_and_audits(real_kb: KB) -> None:
    reply = answer(real_kb, "/senha lasernet W5-1200G", NOW)
    decision = decide(reply, "supergroup", make_settings())
    assert decision.deliver and decision.audit and decision.delete_after is None


def test_groups_can_be_closed_to_credentials(real_kb: KB) -> None:
    settings = make_settings(credentials_in_groups=False, credentials_delete_after_seconds=60)
    reply = answer(real_kb, "/senha lasernet W5-1200G", NOW)
    in_group = decide(reply, "group", settings)
    assert not in_group.deliver and in_group.audit and in_group.delete_after is None
    private = decide(reply, "private", settings)
    assert private.deliver and private.delete_after == 60
    withheld = to_html(withheld_reply(reply, "/senha lasernet W5-1200G", real_kb))
    assert "Lnt12345@" not in withheld and "admin" not in withheld
    assert "/senha lasernet W5-1200G" in withheld


GROUP_ASKER = Asker(user_id=7, user_name="Ana", chat_id=-100, chat_type="supergroup")
PRIVATE_ASKER = Asker(user_id=7, user_name="Ana", chat_id=7, chat_type="private")


def test_a_menu_of_credential_answers_is_refused_up_front_in_a_closed_group(real_kb: KB) -> None:
    """QA 7 #11: every option of "/senha vmnet huawei" is withheld in a group closed to
    credentials: one line with the private command, no menu whose taps all say "not here"."""
    closed = make_settings(credentials_in_groups=False)
    asked = "/senha vmnet huawei"
    menu = answer(real_kb, asked, NOW)
    assert len(menu.buttons) == 2
    reply, decision = gate(menu, GROUP_ASKER, asked, kb=real_kb, now=NOW, settings=closed)
    assert not decision.deliver and reply.buttons == ()
    assert to_plain(reply) == (
        "Esta resposta contém senhas ou logins e não é enviada em grupos. "
        "Peça no privado do bot: /senha vmnet huawei"
    )
    assert decision.entry is not None and decision.entry.allowed is False
    # In private, or in a group open to credentials, the menu is the menu (no audit, no timer).
    for asker, settings in ((PRIVATE_ASKER, closed), (GROUP_ASKER, make_settings())):
        shown, decision = gate(menu, asker, asked, kb=real_kb, now=NOW, settings=settings)
        assert shown == menu and decision.deliver and not decision.audit


def test_a_menu_with_an_option_allowed_in_the_group_stays_a_menu(real_kb: KB) -> None:
    closed = make_settings(credentials_in_groups=False)
    for asked in ("/dns", "/sistemas"):  # /sistemas: one ISP's answer carries a login
        menu = answer(real_kb, asked, NOW)
        assert menu.buttons
        reply, decision = gate(menu, GROUP_ASKER, asked, kb=real_kb, now=NOW, settings=closed)
        assert reply == menu and decision.deliver and not decision.audit


def test_the_private_command_suggested_carries_no_mention(real_kb: KB) -> None:
    reply = answer(real_kb, "/senha lasernet W5-1200G", NOW)
    for asked in ("@UpcallBot /senha lasernet W5-1200G", "/senha@UpcallBot lasernet W5-1200G"):
        withheld = to_plain(withheld_reply(reply, asked, real_kb))
        assert "@" not in withheld and withheld.endswith(": /senha lasernet W5-1200G"), withheld


def test_audit_log_round_trip_never_holds_the_secret(tmp_path: Path, real_kb: KB) -> None:
    log = AuditLog(tmp_path / "state" / "audit.jsonl")
    assert log.latest() == []
    for ask in ("/senha lasernet W5-1200G", "/sistemas mutum", "/senha vmnet stavix"):
        reply = answer(real_kb, ask, NOW)
        log.append(
            audit_entry(
                reply,
                kb=real_kb,
                asked=ask,
                now=NOW,
                user_id=7,
                user_name="Ana",
                chat_id=-100,
                chat_type="supergroup",
                allowed=True,
            )
        )
    raw = log.path.read_text(encoding="utf-8")
    for secret in ("Lnt12345@", "!Mutum2025@", "@MFibra$0125", "Changeme_123"):
        assert secret not in raw
    rows = [json.loads(line) for line in raw.splitlines()]
    assert [r["provider"] for r in rows] == ["lasernet", "mutum", "vmnet"]
    assert rows[0]["equipment"] == "W5-1200G" and rows[0]["user_id"] == 7
    assert [e.provider for e in log.latest(2)] == ["vmnet", "mutum"]
    assert [e.provider for e in log.latest(provider="lasernet")] == ["lasernet"]


def test_audit_log_survives_a_torn_line(tmp_path: Path, real_kb: KB) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    reply = answer(real_kb, "/senha lasernet", NOW)
    log.append(
        audit_entry(
            reply,
            kb=real_kb,
            asked="/senha lasernet",
            now=NOW,
            user_id=1,
            user_name="x",
            chat_id=1,
            chat_type="private",
            allowed=True,
        )
    )
    with log.path.open("a", encoding="utf-8") as handle:
        handle.write('{"at": "2026-11-22T03:00')  # a crash mid-write
    assert len(log.latest()) == 1


def test_audit_report(real_kb: KB) -> None:
    reply = answer(real_kb, "/senha lasernet W5-1200G", NOW)
    entry = audit_entry(
        reply,
        kb=real_kb,
        asked="/senha lasernet W5-1200G",
        now=NOW,
        user_id=7,
        user_name="Ana",
        chat_id=-100,
        chat_type="supergroup",
        allowed=False,
    )
    out = to_html(audit_reply([entry], "lasernet", dt.UTC))
    assert "Auditoria de credenciais — lasernet" in out
    assert "22/11 03:00 · Ana (7) · -100 · lasernet › senha › W5-1200G · retida (grupo)" in out
    assert "Nenhuma credencial" in to_html(audit_reply([], None, dt.UTC))


def test_auditoria_survives_damaged_lines_and_never_stores_a_typed_password(
    tmp_path: Path, real_kb: KB
) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    asked = "/senha lasernet W5-1200G Lnt12345@ \x1b[0m"
    entry = audit_entry(
        answer(real_kb, asked, NOW),
        kb=real_kb,
        asked=asked,
        now=NOW,
        user_id=7,
        user_name="Ana",
        chat_id=-100,
        chat_type="supergroup",
        allowed=True,
    )
    log.append(entry)
    with log.path.open("ab") as handle:
        handle.write(b'{"at": "2026-11-22T03:00:00+00:00", "user_name": "Jo' + b"\xc3\n")
        handle.write(b'{"at": "ontem", "user_id": 1}\n')
        row = json.loads(log.path.read_bytes().splitlines()[0])
        handle.write(json.dumps({**row, "at": "ontem"}).encode() + b"\n")
        handle.write(json.dumps({**row, "user_name": None}).encode() + b"\n")
        handle.write(json.dumps({**row, "allowed": "sim"}).encode() + b"\n")
    log.append(entry)
    raw = log.path.read_text(encoding="utf-8", errors="replace")
    assert "Lnt12345@" not in raw and "\x1b" not in raw
    assert "/senha lasernet W5-1200G •••" in raw
    assert log.latest() == [entry, entry]
    assert "Ana (7)" in to_html(audit_reply(log.latest(), None, dt.UTC))


def test_the_audit_log_never_holds_a_password_the_kb_does_not_know(
    tmp_path: Path, real_kb: KB
) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    for ask in ("/senha lasernet W5-1200G MinhaSenha#2024", "a senha é Xy7-8899! da lasernet"):
        entry = audit_entry(
            answer(real_kb, ask, NOW),
            kb=real_kb,
            asked=ask,
            now=NOW,
            user_id=7,
            user_name="Ana",
            chat_id=-100,
            chat_type="supergroup",
            allowed=True,
        )
        log.append(entry)
    raw = log.path.read_text(encoding="utf-8")
    assert "MinhaSenha#2024" not in raw and "Xy7-8899!" not in raw
    assert "/senha lasernet W5-1200G •••" in raw
