"""A secrets file outside the KB directory (``KB_SECRETS_FILE``, say a vault's output): its edits
reload like the KB's own, by the real watcher; it may be replaced by rename, deleted (the last good
KB keeps answering, supervisors are told) and restored; the changelog never shows a credential."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from conftest import make_settings
from harness import Harness, running

from bot.answers.core import answer
from bot.answers.render.plain import to_plain
from bot.knowledge import reload as reload_module
from bot.knowledge.kb import KBHolder, load_kb
from bot.knowledge.reload import Reloader, ReloadEvent, ReloadResult
from fake_bot_api import AGENT, GROUP, SUPERVISOR, plain_text
from handlers.telegram import knowledge
from kbfactory import ALFA, BETA, write_kb

WAIT = 15.0
"""Seconds a reload may take to show up before the test fails."""

PUBLIC_ALFA = ALFA.replace('    passwords: ["Segredo1@", "Segredo2@"]\n', "")
"""Alfa with its W5-1200G row but no password: that comes from the secrets file."""
CHANGED = ("Alfa Net › senha: modelo W5-1200G: credenciais alteradas",)


def secrets(password: str) -> str:
    return (
        "providers:\n  alfa:\n    equipment:\n"
        f"      - {{model: W5-1200G, passwords: ['{password}']}}\n"
    )


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """The secrets file, in a directory of its own beside (not inside) the KB directory."""
    path = tmp_path / "vault" / "secrets.yaml"
    path.parent.mkdir()
    path.write_text(secrets("Cofre#Um1"), encoding="utf-8")
    return path


@pytest.fixture
def reloader(tmp_path: Path, vault: Path) -> Reloader:
    kb_dir = write_kb(tmp_path, {"alfa": PUBLIC_ALFA, "beta": BETA})
    assert PUBLIC_ALFA != ALFA and not vault.is_relative_to(kb_dir)
    return Reloader(KBHolder(load_kb(kb_dir, secrets_file=vault)), kb_dir, secrets_file=vault)


def senha(reloader: Reloader) -> str:
    """What an agent is told for ``/senha alfa w5`` by the KB answering now."""
    return to_plain(answer(reloader.holder.kb, "/senha alfa w5"))


def shown(result: ReloadResult) -> str:
    """Everything a reload result would put in a chat: its changes and its problems."""
    return "\n".join([*result.changes, *(str(p) for p in result.problems)])


class Watching:
    """The real watcher running; the results it hands its listeners, in order."""

    def __init__(self) -> None:
        self.results: asyncio.Queue[ReloadResult] = asyncio.Queue()

    async def listener(self, result: ReloadResult) -> None:
        await self.results.put(result)

    async def next(self) -> ReloadResult:
        return await asyncio.wait_for(self.results.get(), timeout=WAIT)


@asynccontextmanager
async def watching(reloader: Reloader) -> AsyncIterator[Watching]:
    seen = Watching()
    reloader.listeners.append(seen.listener)
    stop = asyncio.Event()
    task = asyncio.create_task(reloader.watch(stop))
    await asyncio.sleep(0.5)  # let the watcher start
    try:
        yield seen
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)


def replace(path: Path, text: str) -> None:
    """As editors and vault agents write: a new file beside it, renamed over it."""
    fresh = path.with_name(f".{path.name}.tmp")
    fresh.write_text(text, encoding="utf-8")
    os.replace(fresh, path)


def test_reload_now_sees_an_edit_of_the_outside_secrets_file(
    reloader: Reloader, vault: Path
) -> None:
    """/recarregar after an edit of the secrets file alone: it used to be "unchanged" (the
    fingerprint looked at the KB directory only) and the old password kept being answered."""
    assert reloader.reload_now().event is ReloadEvent.UNCHANGED
    vault.write_text(secrets("Cofre#Dois2"), encoding="utf-8")
    result = reloader.reload_now()
    assert result.event is ReloadEvent.LOADED
    assert result.changes == CHANGED
    assert "Cofre#Dois2" in senha(reloader)
    assert reloader.reload_now().event is ReloadEvent.UNCHANGED


async def test_an_edit_in_place_is_reloaded(reloader: Reloader, vault: Path) -> None:
    assert "Cofre#Um1" in senha(reloader)
    async with watching(reloader) as seen:
        vault.write_text(secrets("Cofre#Dois2"), encoding="utf-8")
        result = await seen.next()
    assert result.event is ReloadEvent.LOADED and result.changes == CHANGED
    assert "Cofre#Dois2" in senha(reloader)
    assert "Cofre" not in shown(result)


async def test_a_file_replaced_by_rename_is_reloaded_every_time(
    reloader: Reloader, vault: Path
) -> None:
    """A watch on the file itself would stay on the first file replaced and miss the second."""
    async with watching(reloader) as seen:
        replace(vault, secrets("Cofre#Dois2"))
        first = await seen.next()
        assert "Cofre#Dois2" in senha(reloader)
        replace(vault, secrets("Cofre#Tres3"))
        second = await seen.next()
    assert [r.event for r in (first, second)] == [ReloadEvent.LOADED] * 2
    assert first.changes == second.changes == CHANGED
    assert "Cofre#Tres3" in senha(reloader)


async def test_a_deleted_file_keeps_the_last_good_kb_until_it_is_back(
    reloader: Reloader, vault: Path
) -> None:
    good = reloader.holder.kb
    async with watching(reloader) as seen:
        vault.unlink()
        broken = await seen.next()
        assert broken.event is ReloadEvent.BROKEN
        assert [(p.file, p.message) for p in broken.problems] == [
            (vault, "arquivo de segredos (KB_SECRETS_FILE) não encontrado")
        ]
        assert reloader.holder.kb is good and "Cofre#Um1" in senha(reloader)
        vault.write_text(secrets("Cofre#Dois2"), encoding="utf-8")
        fixed = await seen.next()
    assert fixed.event is ReloadEvent.LOADED and fixed.fixed
    assert fixed.changes == CHANGED
    assert "Cofre#Dois2" in senha(reloader)
    assert "Cofre" not in shown(broken) + shown(fixed)


async def test_a_vanished_directory_keeps_the_last_good_kb_and_is_watched_again(
    reloader: Reloader, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vault's directory unmounted and mounted again: one alert, however many retries, the
    fix announced, and the new directory watched (an edit in it reloads)."""
    monkeypatch.setattr(reload_module, "RETRY_SECONDS", 0.3)
    monkeypatch.setattr(reload_module, "CHECK_MS", 500)
    good = reloader.holder.kb
    async with watching(reloader) as seen:
        shutil.rmtree(vault.parent)
        broken = await seen.next()
        assert broken.event is ReloadEvent.BROKEN
        assert [p.message for p in broken.problems] == [
            "arquivo de segredos (KB_SECRETS_FILE) não encontrado"
        ]
        await asyncio.sleep(1)  # several failed watch attempts
        assert seen.results.empty()  # told once
        assert reloader.holder.kb is good and "Cofre#Um1" in senha(reloader)
        vault.parent.mkdir()
        vault.write_text(secrets("Cofre#Dois2"), encoding="utf-8")
        fixed = await seen.next()
        assert fixed.event is ReloadEvent.LOADED and fixed.fixed
        assert "Cofre#Dois2" in senha(reloader)
        vault.write_text(secrets("Cofre#Tres3"), encoding="utf-8")
        again = await seen.next()
    assert again.event is ReloadEvent.LOADED and again.changes == CHANGED
    assert "Cofre#Tres3" in senha(reloader)


async def test_a_switched_symlink_is_reloaded(tmp_path: Path) -> None:
    """A Kubernetes secret volume: ``secrets.yaml -> ..data/secrets.yaml``, ``..data`` a symlink
    to a dated directory; an update writes a new dated directory, renames a new ``..data`` over
    the old and deletes the old directory."""
    volume = tmp_path / "volume"
    volume.mkdir()

    def publish(version: str, password: str) -> None:
        (volume / version).mkdir()
        (volume / version / "secrets.yaml").write_text(secrets(password), encoding="utf-8")
        (volume / "..data_tmp").symlink_to(version)
        os.replace(volume / "..data_tmp", volume / "..data")

    publish("..v1", "Cofre#Um1")
    vault = volume / "secrets.yaml"
    vault.symlink_to(Path("..data") / "secrets.yaml")
    kb_dir = write_kb(tmp_path, {"alfa": PUBLIC_ALFA, "beta": BETA})
    reloader = Reloader(KBHolder(load_kb(kb_dir, secrets_file=vault)), kb_dir, secrets_file=vault)
    async with watching(reloader) as seen:
        for old, new, password in (("..v1", "..v2", "Cofre#Dois2"), ("..v2", "..v3", "Cofre#3")):
            publish(new, password)
            shutil.rmtree(volume / old)
            result = await seen.next()
            assert result.event is ReloadEvent.LOADED and result.changes == CHANGED
            assert password in senha(reloader)


# --------------------------------------------------------------------------- the bot posting


@pytest.fixture
async def bot(kb_dir: Path, vault: Path) -> AsyncIterator[Harness]:
    """The Application with LaserNet's W5-1200G password in the outside secrets file, watching."""
    vault.write_text(
        "providers:\n  lasernet:\n    equipment:\n"
        "      - {model: W5-1200G, passwords: ['Cofre#Um1']}\n",
        encoding="utf-8",
    )
    settings = make_settings(kb_dir=kb_dir, kb_secrets_file=vault)
    async for harness in running(settings, load_kb(kb_dir, secrets_file=vault)):
        await knowledge.start(harness.app)
        await asyncio.sleep(0.5)  # the watcher is up
        try:
            yield harness
        finally:
            await knowledge.stop(harness.app)


def posts_to(harness: Harness, chat_id: int, since: int) -> list[str]:
    return [
        plain_text(c["text"], c.get("parse_mode"))
        for c in harness.api.calls_since(since)
        if c.method == "sendMessage" and int(c["chat_id"]) == chat_id
    ]


async def wait_posts(harness: Harness, chat_id: int, since: int) -> list[str]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while not posts_to(harness, chat_id, since):
        assert loop.time() < deadline, f"nothing posted to {chat_id}"
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # anything else it would (wrongly) post
    return posts_to(harness, chat_id, since)


async def test_the_changelog_posted_never_shows_the_new_password(bot: Harness, vault: Path) -> None:
    assert "Cofre#Um1" in await bot.ask(GROUP, AGENT, "/senha lasernet W5-1200G")
    mark = bot.api.mark()
    vault.write_text(vault.read_text(encoding="utf-8").replace("Um1", "Dois2"), encoding="utf-8")
    posts = await wait_posts(bot, GROUP["id"], mark)
    assert len(posts) == 1
    assert "LaserNet › senha: modelo W5-1200G: credenciais alteradas" in posts[0]
    assert all("Cofre#" not in p for p in posts)
    assert posts_to(bot, SUPERVISOR["id"], mark) == []
    assert "Cofre#Dois2" in await bot.ask(GROUP, AGENT, "/senha lasernet W5-1200G")
