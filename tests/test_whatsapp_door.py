"""The WhatsApp door against the fake Evolution API, in this process: posts to the audiences,
deletion, pacing, retries, 4xx, and the supervisor's commands (``upcall-bot whatsapp ...``)."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import time
from collections.abc import Iterator, Sequence

import pytest
from conftest import PASSWORD, make_settings

from bot.answers import messages as msg
from bot.answers.reply import Reply, ReplyKind, Timeline, heading, text
from bot.app.doors import Audience, DeliveryError, Door, Posted
from bot.app.settings import Settings
from bot.knowledge.kb import KB, KBHolder, load_kb
from bot.policy.audit import AuditLog
from fake_evolution_api import (
    AGENT,
    API_KEY,
    BOT,
    GROUP_JID,
    INSTANCE,
    JWT_KEY,
    OTHER_GROUP_JID,
    SUPERVISOR,
    FakeEvolution,
    free_port,
)
from handlers.whatsapp import build_channel, cli
from handlers.whatsapp.conversation import LaterDeletions
from handlers.whatsapp.door import WhatsAppDoor, text_parts, text_parts_sent
from handlers.whatsapp.evolution import (
    EvolutionClient,
    GatewayDown,
    GatewayRejected,
    GatewayStopping,
    SentMessage,
)
from handlers.whatsapp.inbound import Incoming, read_upsert
from handlers.whatsapp.outbox import Outbox
from kbfactory import ALFA, BETA, write_kb

NOTICE = Reply(ReplyKind.ANSWER, (heading("Troca de turno"), text("a UPCALL assume a *Mutum*")))


@pytest.fixture
def evolution() -> Iterator[FakeEvolution]:
    with FakeEvolution() as fake:
        yield fake


def settings_for(evolution: FakeEvolution, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "whatsapp_api_url": evolution.base_url,
        "whatsapp_api_key": API_KEY,
        "whatsapp_instance": INSTANCE,
        "whatsapp_webhook_secret": JWT_KEY,
        "whatsapp_webhook_url": "http://127.0.0.1:8081/whatsapp",
        "whatsapp_group_ids": [GROUP_JID],
        "whatsapp_notice_group_id": GROUP_JID,
        "whatsapp_supervisors": [SUPERVISOR.phone],
        "whatsapp_send_interval_seconds": 0.0,
    }
    values.update(overrides)
    return make_settings(**values)


async def with_door(
    settings: Settings, interval: float = 0.0
) -> tuple[WhatsAppDoor, EvolutionClient]:
    client = EvolutionClient(
        settings.whatsapp_api_url, settings.whatsapp_api_key, settings.whatsapp_instance
    )
    door = WhatsAppDoor(settings, client, Outbox(interval, retry_for=3.0), post_retry_for=1.0)
    return door, client


def test_the_door_fulfils_the_contract(evolution: FakeEvolution) -> None:
    async def main() -> None:
        door, client = await with_door(settings_for(evolution))
        contract: Door = door
        try:
            assert contract.name == "whatsapp"
            [notice] = await contract.post(Audience.NOTICES, NOTICE, provider="mutum")
            assert notice.door == "whatsapp" and notice.chat == GROUP_JID and notice.message_id
            [alert] = await contract.post(Audience.SUPERVISORS, NOTICE)
            assert alert.chat == SUPERVISOR.pn_jid
            assert await contract.delete(notice) is True
        finally:
            await client.close()

    asyncio.run(main())
    [to_group] = evolution.sent_texts(GROUP_JID)
    assert to_group == "*Troca de turno*\n\na UPCALL assume a ```*Mutum*```"
    assert len(evolution.sent_texts(SUPERVISOR.pn_jid)) == 1
    [deleted] = evolution.deleted
    assert deleted["remoteJid"] == GROUP_JID and deleted["fromMe"] is True


def test_no_chat_for_an_audience_posts_nothing(evolution: FakeEvolution) -> None:
    async def main() -> list[Posted]:
        settings = settings_for(evolution, whatsapp_notice_group_id="", whatsapp_supervisors=[])
        door, client = await with_door(settings)
        try:
            return [*await door.post(Audience.NOTICES, NOTICE)]
        finally:
            await client.close()

    assert asyncio.run(main()) == []
    assert evolution.sent == []


def test_gateway_down_is_a_delivery_error_and_a_4xx_is_not_retried(
    evolution: FakeEvolution,
) -> None:
    async def main() -> None:
        settings = settings_for(evolution, whatsapp_notice_group_id=OTHER_GROUP_JID)
        door, client = await with_door(settings)
        try:
            assert await door.post(Audience.NOTICES, NOTICE) == []  # 400: the bot left it
            evolution.down()
            with pytest.raises(DeliveryError) as raised:
                await door.post(Audience.SUPERVISORS, NOTICE)
            assert API_KEY not in str(raised.value)
        finally:
            evolution.up()
            await client.close()

    asyncio.run(main())
    assert len(evolution.calls_to("sendText")) == 1  # the 400, once


def test_5xx_and_refused_are_retried_until_they_work(evolution: FakeEvolution) -> None:
    evolution.fail_next("sendText", 503, times=2)

    async def main() -> None:
        door, client = await with_door(settings_for(evolution))
        try:
            [posted] = await door.post(Audience.NOTICES, NOTICE)
            assert posted.message_id
        finally:
            await client.close()

    asyncio.run(main())
    assert [c.status for c in evolution.calls_to("sendText")] == [503, 503, 201]


def test_messages_to_one_chat_are_paced(evolution: FakeEvolution) -> None:
    async def main() -> float:
        door, client = await with_door(settings_for(evolution), interval=0.2)
        try:
            start = time.monotonic()
            await asyncio.gather(*(door.send(GROUP_JID, NOTICE) for _ in range(4)))
            return time.monotonic() - start
        finally:
            await client.close()

    elapsed = asyncio.run(main())
    assert elapsed >= 0.6  # three waits between four messages
    sent = evolution.sent_messages(GROUP_JID)
    gaps = [b.at - a.at for a, b in itertools.pairwise(sent)]
    assert min(gaps) >= 0.15


def test_the_client_sorts_errors(evolution: FakeEvolution) -> None:
    async def main() -> None:
        wrong = EvolutionClient(evolution.base_url, "wrong-key", INSTANCE)
        unknown = EvolutionClient(evolution.base_url, API_KEY, "nobody")
        nowhere = EvolutionClient(f"http://127.0.0.1:{free_port()}", API_KEY, INSTANCE)
        try:
            with pytest.raises(GatewayRejected) as refused:
                await wrong.groups()
            assert refused.value.status == 401 and "wrong-key" not in str(refused.value)
            with pytest.raises(GatewayRejected) as missing:
                await unknown.groups()
            assert missing.value.status == 404
            with pytest.raises(GatewayDown):
                await nowhere.owner_jid()
        finally:
            for client in (wrong, unknown, nowhere):
                await client.close()

    asyncio.run(main())


# --------------------------------------------------------------------------- the CLI tools


def test_connect_registers_the_signed_webhook(
    evolution: FakeEvolution, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.connect(settings_for(evolution)) == 0
    assert "Webhook registrado" in capsys.readouterr().out
    [call] = evolution.calls_to("webhook/set")
    assert call.apikey == API_KEY
    assert call.body == {
        "webhook": {
            "enabled": True,
            "url": "http://127.0.0.1:8081/whatsapp",
            "headers": {"jwt_key": JWT_KEY},
            "byEvents": False,
            "base64": False,
            "events": ["MESSAGES_UPSERT"],
        }
    }
    assert evolution.jwt_key() == JWT_KEY


def test_groups_lists_ids_and_names(
    evolution: FakeEvolution, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.groups(settings_for(evolution)) == 0
    out = capsys.readouterr().out
    assert f"{GROUP_JID}  UPCALL agentes" in out
    assert OTHER_GROUP_JID not in out  # a group the number is not in
    assert cli.groups(settings_for(evolution), as_json=True) == 0
    assert '"id": "120363025246125486@g.us"' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"whatsapp_api_key": "wrong"}, "recusou a chave"),
        ({"whatsapp_instance": "nobody"}, "instância não encontrada"),
        ({"whatsapp_api_url": "http://127.0.0.1:9"}, "não responde"),
        ({"whatsapp_webhook_url": ""}, "WHATSAPP_WEBHOOK_URL"),
    ],
)
def test_connect_errors_are_one_line(
    evolution: FakeEvolution,
    capsys: pytest.CaptureFixture[str],
    overrides: dict[str, object],
    words: str,
) -> None:
    assert cli.connect(settings_for(evolution, **overrides)) != 0
    captured = capsys.readouterr()
    assert words in captured.err
    assert captured.err.count("\n") == 1
    assert "Traceback" not in captured.err and "wrong" not in captured.err


@pytest.mark.parametrize("command", ["connect", "groups"])
def test_credentials_in_the_gateway_address_are_never_printed(
    evolution: FakeEvolution, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """QA round 7, finding 24: ``user:password@`` in WHATSAPP_API_URL (a gateway behind a
    proxy) is not printed: the address is shown as scheme://host:port."""
    settings = settings_for(
        evolution,
        whatsapp_api_url="http://user:SuperSecretKey123@127.0.0.1:9",
        whatsapp_webhook_url="http://hook:HookPass456@127.0.0.1:8081/whatsapp?k=1",
    )
    assert getattr(cli, command)(settings) != 0
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert "não responde em http://127.0.0.1:9 (WHATSAPP_API_URL)" in printed
    assert "SuperSecretKey123" not in printed and "user:" not in printed


def test_the_registered_webhook_is_printed_without_its_credentials(
    evolution: FakeEvolution, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "http://hook:HookPass456@127.0.0.1:8081/whatsapp"
    assert cli.connect(settings_for(evolution, whatsapp_webhook_url=url)) == 0
    out = capsys.readouterr().out
    assert "Webhook registrado: http://127.0.0.1:8081/whatsapp " in out
    assert "HookPass456" not in out


# --------------------------------------------------------------------------- the channel's start


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"whatsapp_api_key": "wrong-key"}, "recusou a chave (WHATSAPP_API_KEY)"),
        ({"whatsapp_instance": "nobody"}, "instância não encontrada"),
        ({"whatsapp_webhook_secret": ""}, "defina WHATSAPP_WEBHOOK_SECRET"),
    ],
)
def test_a_start_that_cannot_work_is_one_line(
    evolution: FakeEvolution, real_kb: KB, overrides: dict[str, object], words: str
) -> None:
    settings = settings_for(evolution, whatsapp_webhook_port=free_port(), **overrides)

    async def main() -> None:
        channel = build_channel(settings, KBHolder(real_kb))
        await channel.start()
        await channel.stop()

    with pytest.raises(SystemExit) as stopped:
        asyncio.run(main())
    assert words in str(stopped.value)
    assert "\n" not in str(stopped.value) and "wrong-key" not in str(stopped.value)


def test_the_channel_starts_while_evolution_is_down_and_learns_later(
    evolution: FakeEvolution, real_kb: KB
) -> None:
    settings = settings_for(evolution, whatsapp_webhook_port=free_port())
    evolution.down()

    async def main() -> list[str]:
        channel = build_channel(settings, KBHolder(real_kb))
        await channel.start()
        try:
            assert not channel.me.known
            evolution.up()
            for _ in range(100):
                if len(channel.me.jids) == 2:  # the number, then the LID from the groups
                    break
                await asyncio.sleep(0.05)
            return list(channel.me.jids)
        finally:
            await channel.stop()

    assert asyncio.run(main()) == [BOT.pn_jid, BOT.lid_jid]


async def handle_in_channel(
    settings: Settings, kb: KB, message: Incoming, posting: LaterDeletions | None = None
) -> None:
    """``message`` handled by a started WhatsApp channel, as if its webhook had come."""
    channel = build_channel(settings, KBHolder(kb), posting=posting)
    await channel.start()
    try:
        await channel.conversation.handle(message)
    finally:
        await channel.stop()


def test_credential_deletions_go_to_the_posting_service_when_there_is_one(
    evolution: FakeEvolution, real_kb: KB
) -> None:
    settings = settings_for(
        evolution, whatsapp_webhook_port=free_port(), credentials_delete_after_seconds=30
    )
    handed: list[tuple[list[Posted], int]] = []

    class Posting:
        def delete_later(self, posted: Sequence[Posted], seconds: int) -> None:
            handed.append((list(posted), seconds))

    payload = evolution.group_text_payload(GROUP_JID, AGENT, "/senha lasernet W5-1200G")
    message = read_upsert(payload)
    assert message is not None

    asyncio.run(handle_in_channel(settings, real_kb, message, Posting()))
    [sent] = evolution.sent_messages(GROUP_JID)
    assert handed == [([Posted("whatsapp", GROUP_JID, sent.key_id)], 30)]
    assert evolution.deleted == []  # not by a timer of its own


def test_credentials_withheld_from_groups_when_the_policy_says_so(
    evolution: FakeEvolution, real_kb: KB
) -> None:
    settings = settings_for(
        evolution, whatsapp_webhook_port=free_port(), credentials_in_groups=False
    )
    message = read_upsert(
        evolution.group_text_payload(GROUP_JID, AGENT, "/senha lasernet W5-1200G")
    )
    assert message is not None

    asyncio.run(handle_in_channel(settings, real_kb, message))
    [withheld] = evolution.sent_texts(GROUP_JID)
    assert PASSWORD not in withheld and "privado" in withheld
    [entry] = AuditLog(settings.audit_file).latest()
    assert entry.allowed is False and entry.sent is False and entry.chat_id == GROUP_JID
    assert entry.user_id == AGENT.lid_jid and entry.provider == "lasernet"


def test_a_menu_of_credential_answers_is_refused_up_front_in_a_closed_group(
    evolution: FakeEvolution, real_kb: KB
) -> None:
    """QA 7 #11, the WhatsApp door: no numbered list whose every option is withheld."""
    settings = settings_for(
        evolution, whatsapp_webhook_port=free_port(), credentials_in_groups=False
    )
    message = read_upsert(evolution.group_text_payload(GROUP_JID, AGENT, "/senha vmnet huawei"))
    assert message is not None

    asyncio.run(handle_in_channel(settings, real_kb, message))
    [withheld] = evolution.sent_texts(GROUP_JID)
    assert "1." not in withheld and "HUAWEI" not in withheld
    assert "não é enviada em grupos" in withheld and "/senha vmnet huawei" in withheld


def test_a_send_that_may_have_gone_out_is_not_sent_again(evolution: FakeEvolution) -> None:
    evolution.delay_next("sendText", 1.5)

    async def main() -> list[Posted]:
        settings = settings_for(evolution)
        client = EvolutionClient(settings.whatsapp_api_url, API_KEY, INSTANCE, timeout=0.5)
        door = WhatsAppDoor(settings, client, Outbox(0.0, retry_for=3.0), post_retry_for=3.0)
        try:
            return [*await door.post(Audience.NOTICES, NOTICE)]
        finally:
            await client.close()

    assert asyncio.run(main()) == []
    assert len(evolution.calls_to("sendText")) == 1  # never twice


def test_the_client_s_errors_carry_no_aiohttp_error_nor_key(evolution: FakeEvolution) -> None:
    async def main() -> GatewayDown:
        client = EvolutionClient(f"http://127.0.0.1:{free_port()}", API_KEY, INSTANCE)
        try:
            await client.send_text(GROUP_JID, "olá")
        except GatewayDown as exc:
            return exc
        finally:
            await client.close()
        raise AssertionError("sent to nobody")

    error = asyncio.run(main())
    assert error.__cause__ is None and error.__context__ is None
    assert API_KEY not in str(error) and "olá" not in str(error)


def supervisor_commands_over_whatsapp(
    evolution: FakeEvolution, kb: KB, sender: object, texts: Sequence[str]
) -> list[str]:
    """What the bot answers to each of ``texts`` sent in private by ``sender`` (one channel)."""
    settings = settings_for(
        evolution, whatsapp_webhook_port=free_port(), whatsapp_group_ids=[GROUP_JID]
    )

    async def run() -> list[str]:
        channel = build_channel(settings, KBHolder(kb))
        await channel.start()
        answers: list[str] = []
        try:
            for typed in texts:
                before = len(evolution.sent_texts())
                payload = (
                    evolution.dm_text_payload(SUPERVISOR, typed)
                    if sender is SUPERVISOR
                    else evolution.group_text_payload(GROUP_JID, AGENT, typed)
                )
                message = read_upsert(payload)
                assert message is not None
                await channel.conversation.handle(message)
                answers.append("\n".join(evolution.sent_texts()[before:]))
        finally:
            await channel.stop()
        return answers

    return asyncio.run(run())


def test_every_supervisor_command_works_for_a_whatsapp_supervisor(
    evolution: FakeEvolution, real_kb: KB
) -> None:
    """/recarregar, /versao, /lacunas, /auditoria: the same answers as in Telegram and the
    console, for a supervisor of WHATSAPP_SUPERVISORS."""
    reload, version, gaps, audit = supervisor_commands_over_whatsapp(
        evolution, real_kb, SUPERVISOR, ["/recarregar", "/versao", "/lacunas", "/auditoria"]
    )
    assert msg.RELOAD_UNCHANGED in reload
    assert "Carregada em" in version
    assert "Perguntas sem resposta" in gaps
    assert "Auditoria de credenciais" in audit


def test_supervisor_commands_are_refused_to_an_agent_on_whatsapp(
    evolution: FakeEvolution, real_kb: KB
) -> None:
    reload, gaps, audit = supervisor_commands_over_whatsapp(
        evolution, real_kb, AGENT, ["/recarregar", "/lacunas", "/auditoria"]
    )
    assert reload == msg.RELOAD_SUPERVISORS_ONLY
    assert gaps == msg.GAPS_SUPERVISORS_ONLY
    assert audit == msg.AUDIT_SUPERVISORS_ONLY


# --------------------------------------------------------------------------- stopping (issue 14)


def test_a_stopping_client_cuts_a_call_under_way_and_makes_none_after(
    evolution: FakeEvolution,
) -> None:
    """``stop_by``: a call Evolution holds ends at the deadline, not at the 20 s timeout; a call
    after the deadline is not made. Both :class:`GatewayStopping` (not retried)."""
    evolution.fail_next("sendText", 502, delay=30)

    async def main() -> tuple[float, str]:
        settings = settings_for(evolution)
        client = EvolutionClient(settings.whatsapp_api_url, API_KEY, INSTANCE)
        try:
            call = asyncio.create_task(client.send_text(GROUP_JID, "oi"))
            while not evolution.calls_to("sendText"):
                await asyncio.sleep(0.02)
            start = time.monotonic()
            client.stop_by(0.3)
            with pytest.raises(GatewayStopping) as cut:
                await call
            took = time.monotonic() - start
            with pytest.raises(GatewayStopping):
                await client.send_text(GROUP_JID, "depois")
            return took, str(cut.value)
        finally:
            await client.close()

    took, why = asyncio.run(main())
    assert took < 1.5
    assert API_KEY not in why
    assert len(evolution.calls_to("sendText")) == 1  # the one after the deadline was not made


def test_a_call_begun_while_stopping_ends_at_the_deadline(evolution: FakeEvolution) -> None:
    """A call made after ``stop_by`` but before its deadline is held to that deadline too (the
    deadline is a point on the loop's clock, not a delay), not to the 20 s timeout."""
    evolution.fail_next("sendText", 502, delay=30)

    async def main() -> float:
        settings = settings_for(evolution)
        client = EvolutionClient(settings.whatsapp_api_url, API_KEY, INSTANCE)
        try:
            client.stop_by(0.5)
            start = time.monotonic()
            with pytest.raises(GatewayStopping):
                await client.send_text(GROUP_JID, "durante a parada")
            return time.monotonic() - start
        finally:
            await client.close()

    assert asyncio.run(main()) < 1.5
    assert len(evolution.calls_to("sendText")) == 1  # made: the deadline had not passed


def test_a_stopping_outbox_retries_no_more() -> None:
    """A send failing with Evolution down is retried (for up to ``retry_for``) until the outbox
    is told the bot is stopping: the wait for the next attempt ends, no attempt follows, and the
    caller gets :class:`GatewayStopping` (a notice: not marked sent)."""
    attempts: list[float] = []

    async def refused() -> SentMessage:
        attempts.append(time.monotonic())
        raise GatewayDown("message/sendText: sem conexão (ClientConnectorError)")

    async def main() -> float:
        outbox = Outbox(0.0, retry_for=600.0)
        sending = asyncio.create_task(outbox.send(GROUP_JID, [refused]))
        await asyncio.sleep(1.0)  # attempts at 0, 0.5 s; then waiting 1 s for the third
        start = time.monotonic()
        outbox.stopping()
        with pytest.raises(GatewayStopping):
            await sending
        return time.monotonic() - start

    took = asyncio.run(main())
    assert took < 0.2
    assert len(attempts) == 2


def test_a_long_credential_answer_cut_short_is_audited_as_partly_sent(
    evolution: FakeEvolution, tmp_path: pytest.TempPathFactory
) -> None:
    """Two messages; the gateway refuses the second: the audit says 1 of 2 went (it said
    ``sent: true``, as if the whole answer had)."""

    systems = "\n".join(
        f"Sistema {n}: acesso pelo painel {n}, login operador{n} / senha Painel{n}@x"
        for n in range(80)
    )
    beta = BETA.replace(
        'sistemas: {text: "Flashman: login x / senha y", secret: true}',
        "sistemas: {text: " + json.dumps(systems) + ", secret: true}",
    )
    kb = load_kb(write_kb(tmp_path, {"alfa": ALFA, "beta": beta}))
    settings = settings_for(evolution, whatsapp_webhook_port=free_port())
    message = read_upsert(evolution.group_text_payload(GROUP_JID, AGENT, "/sistemas beta"))
    assert message is not None
    evolution.delay_next("sendText", 0)  # the first part goes
    evolution.fail_next("sendText", 400)

    asyncio.run(handle_in_channel(settings, kb, message))
    [first] = evolution.sent_texts(GROUP_JID)
    assert "Painel0@x" in first
    [entry] = AuditLog(settings.audit_file).latest()
    assert entry.allowed is True and entry.sent is False
    assert (entry.parts, entry.parts_sent) == (2, 1)


def test_a_picture_before_the_text_is_not_counted_as_a_text_part(
    evolution: FakeEvolution,
) -> None:
    """A reply with a timeline picture and two text parts whose second part the gateway refuses:
    two messages went (the picture and the first part) but one text part of two (the audit's
    ``parts_sent`` counted every message the gateway confirmed)."""
    day = dt.date(2026, 11, 23)
    timeline = Timeline("Escala", "s", day, day, ())
    long = "\n\n".join(f"linha {n} " + "x" * 60 for n in range(70))
    reply = Reply(ReplyKind.ANSWER, (heading("Escala"), text(long)), timeline=timeline)
    evolution.delay_next("sendText", 0)  # the first text part goes
    evolution.fail_next("sendText", 400)

    async def main() -> list[SentMessage]:
        door, client = await with_door(settings_for(evolution))
        try:
            return await door.send(GROUP_JID, reply)
        except GatewayRejected:
            pytest.fail("a refused later part must not raise: what went is returned")
        finally:
            await client.close()

    sent = asyncio.run(main())
    assert len(evolution.sent_media(GROUP_JID)) == 1
    assert len(evolution.sent_texts(GROUP_JID)) == 1
    assert len(text_parts(reply)) == 2
    assert [m.picture for m in sent] == [True, False]
    assert text_parts_sent(sent) == 1
