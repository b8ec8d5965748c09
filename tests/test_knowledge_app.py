"""Knowledge by commit through the real Application: a KB directory edited while the bot runs.

A good edit is answered within seconds and announced once to the group; a broken edit keeps the old
answers and alerts the supervisors once; the fix is announced. The watcher is the real one
(watchfiles on ``tmp_path``); Bot API calls go to the recording fake of ``fake_bot_api``.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from conftest import KB_DIR, make_settings
from telegram import Update

from bot.knowledge.kb import KBHolder, load_kb
from fake_bot_api import (
    AGENT,
    GROUP,
    SUPERVISOR,
    FakeTelegram,
    RecordingRequest,
    Updates,
    plain_text,
    private_chat,
)
from handlers.telegram import knowledge
from handlers.telegram.app import build_application
from handlers.telegram.state import BotApplication

WAIT = 15.0
"""Seconds a reload may take to show up (debounce included) before the test fails."""


class Live:
    def __init__(self, app: BotApplication, api: FakeTelegram, kb_dir: Path) -> None:
        self.app, self.api, self.kb_dir = app, api, kb_dir
        self.updates = Updates()
        self.errors: list[BaseException] = []

    async def record_error(self, update: object, context: Any) -> None:
        self.errors.append(context.error)

    async def say(self, chat: dict[str, Any], user: dict[str, Any], text: str) -> str:
        mark = self.api.mark()
        data = self.api.push(self.updates.message(chat, user, text))
        await self.app.process_update(Update.de_json(data, self.app.bot))
        sent = [c for c in self.api.calls_since(mark) if c.method == "sendMessage"]
        assert self.errors == []
        return "\n".join(plain_text(c["text"], c.get("parse_mode")) for c in sent)

    def posts_to(self, chat_id: int, since: int) -> list[str]:
        return [
            plain_text(c["text"], c.get("parse_mode"))
            for c in self.api.calls_since(since)
            if c.method == "sendMessage" and int(c["chat_id"]) == chat_id
        ]

    async def wait_post(self, chat_id: int, since: int, containing: str) -> list[str]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT
        while loop.time() < deadline:
            posts = self.posts_to(chat_id, since)
            if any(containing in p for p in posts):
                await asyncio.sleep(0.3)  # anything else it would (wrongly) post
                return self.posts_to(chat_id, since)
            await asyncio.sleep(0.05)
        raise AssertionError(
            f"no post with {containing!r} to {chat_id}: {self.api.calls_since(since)}"
        )

    def edit(self, isp: str, old: str, new: str) -> None:
        path = self.kb_dir / "providers" / f"{isp}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    kb_dir = tmp_path / "knowledge"
    shutil.copytree(KB_DIR, kb_dir)
    api = FakeTelegram()
    settings = make_settings(kb_dir=kb_dir)
    app = build_application(
        settings,
        KBHolder(load_kb(kb_dir)),
        request=RecordingRequest(api),
        get_updates_request=RecordingRequest(api),
    )
    harness = Live(app, api, kb_dir)
    app.add_error_handler(harness.record_error)
    async with app:
        await knowledge.start(app)
        await asyncio.sleep(0.3)  # the watcher is up
        yield harness
        await knowledge.stop(app)


async def test_good_edit_answered_and_announced_once(live: Live) -> None:
    assert "143.202.80.56" in await live.say(GROUP, AGENT, "/dns mutum")
    mark = live.api.mark()
    live.edit("mutum", "143.202.80.56", "143.202.80.99")
    posts = await live.wait_post(GROUP["id"], mark, "Base de conhecimento atualizada")
    assert len(posts) == 1
    assert "Mutum Fibra › tópico /dns alterado" in posts[0]
    assert "143.202.80.99" not in posts[0]  # a summary, not the content
    assert "143.202.80.99" in await live.say(GROUP, AGENT, "/dns mutum")
    assert live.posts_to(SUPERVISOR["id"], mark) == []


async def test_credentials_never_in_the_changelog(live: Live) -> None:
    mark = live.api.mark()
    live.edit("lasernet", '"Lnt12345@"', '"Novo#Segredo1"')
    posts = await live.wait_post(GROUP["id"], mark, "Base de conhecimento atualizada")
    joined = "\n".join(posts)
    assert "LaserNet › senha: modelo" in joined and "credenciais alteradas" in joined
    assert "Novo#Segredo1" not in joined and "Lnt12345@" not in joined


async def test_broken_edit_keeps_answers_alerts_once_then_fix_is_announced(live: Live) -> None:
    mark = live.api.mark()
    live.edit("vmnet", "id: vmnet", "id: vmnet\nid: vmnet2")
    alerts = await live.wait_post(SUPERVISOR["id"], mark, "Base de conhecimento com erro")
    assert len(alerts) == 1
    assert "knowledge/providers/vmnet.yaml:2: chave repetida: 'id'" in alerts[0]
    assert "10 dias após o vencimento" in await live.say(GROUP, AGENT, "/bloqueio vmnet")
    assert not any("atualizada" in p for p in live.posts_to(GROUP["id"], mark))

    # The same bad version touched again: nobody is alerted twice.
    again = live.api.mark()
    path = live.kb_dir / "providers" / "vmnet.yaml"
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    await asyncio.sleep(3)
    assert live.posts_to(SUPERVISOR["id"], again) == []

    assert "knowledge/providers/vmnet.yaml:2: id 'vmnet2' difere do nome" in alerts[0]

    # QA7 #23: the recovery goes to whom the error went, not to the agents, who never saw it.
    fixed = live.api.mark()
    live.edit("vmnet", "id: vmnet\nid: vmnet2", "id: vmnet")
    posts = await live.wait_post(SUPERVISOR["id"], fixed, "A base voltou a carregar sem erros")
    assert len(posts) == 1
    await asyncio.sleep(0.5)
    assert live.posts_to(GROUP["id"], fixed) == []  # the same knowledge as before: no changelog


async def test_a_file_cut_short_keeps_the_answers_and_tells_the_supervisors(live: Live) -> None:
    """The QA's torn file: mutum.yaml cut to its first bytes while the bot runs (an interrupted
    save, a full disk). Mutum keeps its answers and its coverage; no changelog; supervisors told
    where; restoring the file is announced."""
    path = live.kb_dir / "providers" / "mutum.yaml"
    full = path.read_text(encoding="utf-8")
    mark = live.api.mark()
    path.write_bytes(full.encode("utf-8")[:2950])  # ends mid-line, inside a text block
    alerts = await live.wait_post(SUPERVISOR["id"], mark, "Base de conhecimento com erro")
    assert len(alerts) == 1
    assert "knowledge/providers/mutum.yaml:63: o arquivo termina no meio de uma linha" in alerts[0]
    assert "143.202.80.56" in await live.say(GROUP, AGENT, "/dns mutum")
    assert "19:30" in await live.say(GROUP, AGENT, "/horario mutum")
    assert not any("atualizada" in p for p in live.posts_to(GROUP["id"], mark))

    # The same cut at a line end parses: the loss of most of Mutum at once refuses it.
    cut = live.api.mark()
    path.write_text(full[: full.rindex("\n", 0, 2950) + 1], encoding="utf-8")
    alerts = await live.wait_post(SUPERVISOR["id"], cut, "Base de conhecimento com erro")
    assert "Mutum Fibra perderia a cobertura da UPCALL" in alerts[0]
    assert "143.202.80.56" in await live.say(GROUP, AGENT, "/dns mutum")

    fixed = live.api.mark()
    path.write_text(full, encoding="utf-8")
    posts = await live.wait_post(SUPERVISOR["id"], fixed, "A base voltou a carregar sem erros")
    assert len(posts) == 1
    await asyncio.sleep(0.5)
    assert live.posts_to(GROUP["id"], fixed) == []  # nothing removed, nothing changed


async def test_a_deleted_isp_file_is_held_until_a_supervisor_confirms(live: Live) -> None:
    """QA7 #23: deleting providers/netcenter.yaml was a good reload ("provedor removido" to the
    group, /dns netcenter "não encontrado"). Now the last good KB keeps answering until a
    supervisor confirms with /recarregar."""
    path = live.kb_dir / "providers" / "netcenter.yaml"
    mark = live.api.mark()
    path.unlink()
    alerts = await live.wait_post(SUPERVISOR["id"], mark, "Base de conhecimento com erro")
    assert "knowledge/providers/netcenter.yaml: NETCENTER sairia da base" in alerts[0]
    assert "confirma com /recarregar" in alerts[0]
    assert "não encontrado" not in await live.say(GROUP, AGENT, "/dns netcenter")
    assert not any("removido" in p for p in live.posts_to(GROUP["id"], mark))
    confirmed = live.api.mark()
    done = await live.say(private_chat(SUPERVISOR), SUPERVISOR, "/recarregar")
    assert "Base recarregada: 1 alteração(ões)." in done
    posts = await live.wait_post(GROUP["id"], confirmed, "provedor removido")
    assert len(posts) == 1 and "voltou a carregar" not in posts[0]
    assert "não encontrado" in await live.say(GROUP, AGENT, "/dns netcenter")


async def test_recarregar_is_for_supervisors(live: Live) -> None:
    refused = await live.say(GROUP, AGENT, "/recarregar")
    assert "Só supervisores podem usar /recarregar." in refused
    done = await live.say(private_chat(SUPERVISOR), SUPERVISOR, "/recarregar")
    assert "Base recarregada: nada mudou." in done
    await knowledge.stop(live.app)  # no watcher: only /recarregar can see the edit
    live.edit("mutum", "143.202.80.57", "143.202.80.58")
    mark = live.api.mark()
    done = await live.say(private_chat(SUPERVISOR), SUPERVISOR, "/recarregar")
    assert "Base recarregada: 1 alteração(ões)." in done
    assert "143.202.80.58" in await live.say(GROUP, AGENT, "/dns mutum")
    assert any("Mutum Fibra › tópico /dns alterado" in p for p in live.posts_to(GROUP["id"], mark))


async def test_versao(live: Live) -> None:
    out = await live.say(GROUP, AGENT, "/versao")
    assert "Versão da base de conhecimento" in out
    assert "5 provedores" in out


async def test_a_coverage_change_reschedules_the_notices(tmp_path: Path) -> None:
    """After a good reload the boundary timers follow the new windows (no restart needed)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from handlers.telegram import notices

    sp = ZoneInfo("America/Sao_Paulo")
    kb_dir = tmp_path / "knowledge"
    shutil.copytree(KB_DIR, kb_dir)
    api = FakeTelegram()
    settings = make_settings(
        kb_dir=kb_dir, notice_chat_id=-1002000000002, notice_state_file=tmp_path / "notices.json"
    )
    app = build_application(
        settings,
        KBHolder(load_kb(kb_dir)),
        request=RecordingRequest(api),
        get_updates_request=RecordingRequest(api),
    )
    monday = dt.datetime(2026, 11, 23, 12, 0, tzinfo=sp)
    app.bot_data[notices.CLOCK_KEY] = lambda: monday
    async with app:
        assert app.job_queue is not None

        def instants() -> set[dt.datetime]:
            return {j.data for j in app.job_queue.jobs(f"^{notices.AT_PREFIX}")}  # type: ignore[union-attr]

        await notices.start(app)
        notices.schedule_upcoming(app)
        mutum_open = dt.datetime(2026, 11, 23, 19, 30, tzinfo=sp)
        assert mutum_open in {i.astimezone(sp) for i in instants()}
        path = kb_dir / "providers" / "mutum.yaml"
        text = path.read_text(encoding="utf-8")
        assert 'start: "19:30"' in text
        path.write_text(text.replace('start: "19:30"', 'start: "19:45"'), encoding="utf-8")
        result = await knowledge.reloader_of(app).reload()
        assert result.changes == ("Mutum Fibra › horário da UPCALL alterado",)
        for job in app.job_queue.get_jobs_by_name(notices.PLAN_JOB):
            await job.run(app)  # the plan job reschedule() queued, run as PTB would
        moved = {i.astimezone(sp) for i in instants()}
        assert mutum_open not in moved
        assert dt.datetime(2026, 11, 23, 19, 45, tzinfo=sp) in moved
