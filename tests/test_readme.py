"""The README is the supervisors' guide: short, with the two commands, and every link in it (and in
docs/) leads somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
BEING_WRITTEN = {"docs/whatsapp.md"}
"""Pages the README already links to, written in another branch of the same issue."""


def test_the_readme_is_at_most_12_kb() -> None:
    assert len(README.read_bytes()) <= 12 * 1024


def test_the_readme_gives_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "`./uvw run --locked --no-dev upcall-bot`" in text  # production: no dev tools
    assert "`./uvw run --locked pytest`" in text
    assert "`./uvw sync --locked --no-dev`" in text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_local_link_resolves(page: Path) -> None:
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
        if "://" in target:
            continue
        resolved = (page.parent / target).resolve()
        if str(resolved.relative_to(ROOT)) in BEING_WRITTEN:
            continue
        assert resolved.exists(), f"{page.name}: {target}"


def test_every_supervisor_command_in_the_readme_is_the_production_install() -> None:
    """``./uvw run --locked upcall-bot ...`` without ``--no-dev`` installs the dev tools on a
    production clone: every bot command in the README says ``--no-dev``."""
    text = README.read_text(encoding="utf-8")
    commands = re.findall(r"\./uvw run[^`]*?upcall-bot", text)
    assert commands
    assert [c for c in commands if "--locked --no-dev" not in c] == []


def test_the_env_example_names_the_readme_s_run_command() -> None:
    """The first thing a supervisor reads in ``.env`` (copied from ``.env.example``) says how to
    open the console: the same production command as the README."""
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    commands = re.findall(r"`(\./uvw run[^`]*?upcall-bot)`", example)
    assert commands == ["./uvw run --locked --no-dev upcall-bot"]


def test_every_message_of_the_troubleshooting_table_is_one_the_program_says() -> None:
    """A supervisor looks up what the screen shows: each message quoted in the first column of
    "Problemas comuns" (its ``...`` parts left out) is written somewhere in the program. Found
    trying it as a new supervisor: "Nenhum canal configurado" was no message of the bot."""
    text = README.read_text(encoding="utf-8")
    table = text.split("## Problemas comuns", 1)[1].split("\n\n", 2)[1]
    sources = "\n".join(
        p.read_text(encoding="utf-8")
        for p in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")]
    )
    quoted = [
        m
        for row in table.splitlines()[2:]
        for m in re.findall(r"`([^`]+)`", row.split(" | ")[0])
        if not m.startswith("uvw:")  # the shell script's, built from variables: test_uvw.py
    ]
    assert len(quoted) >= 6
    for message in quoted:
        for fragment in message.replace("VARIÁVEL", "...").split("..."):  # placeholders
            # Words in order, maybe across the pieces of a string literal split over lines.
            words = [re.escape(w) for w in fragment.strip(" :").split()]
            pattern = r"(?:\s|[\"']\s*f?[\"'])+".join(words)
            assert re.search(pattern, sources), f"{message!r}: {fragment!r} is not in the program"


def test_the_docker_recipe_says_what_a_mounted_knowledge_folder_lacks(tmp_path: Path) -> None:
    """The README's `docker run` mounts `knowledge/` alone: no git in the container. /versao
    then has no commit to show (and KB_GIT_PULL_SECONDS nothing to pull): the README says so
    rather than promise "/versao mostra o commit carregado" everywhere."""
    from bot.answers import messages as msg
    from bot.answers.reload import version_reply
    from bot.answers.render import to_plain
    from bot.knowledge.kb import load_kb
    from kbfactory import write_kb

    text = README.read_text(encoding="utf-8")
    [docker_run] = re.findall(r"docker run [^\n]*\n[^\n]*", text)
    assert '-v "$PWD/knowledge:/app/knowledge"' in docker_run and "/.git" not in docker_run
    assert msg.VERSION_NO_GIT in to_plain(version_reply(load_kb(write_kb(tmp_path / "kb"))))
    docker = text.split("**Docker**", 1)[1].split("**systemd**", 1)[0]
    assert "`/versao` diz que a base não está num repositório git" in " ".join(docker.split())


def test_what_the_import_step_leaves_out_of_git_git_ignores() -> None:
    """The "Adicionar um provedor" step commits the draft and the seed and leaves the report out: git
    ignores the report (a fresh clone's `git status` showed it untracked) and not the others."""
    import subprocess

    text = " ".join(README.read_text(encoding="utf-8").split())
    step = text.split("## Adicionar um provedor", 1)[1].split("## ", 1)[0]
    assert "`--name" in step  # a copied document keeps the other ISP's name: refused
    paths = re.findall(r"`((?:knowledge|seeds)/[^`]*novoprov[^`]*)`", step)
    assert sorted(set(paths)) == [
        "knowledge/providers/novoprov.import.txt",
        "knowledge/providers/novoprov.yaml",
        "seeds/novoprov.txt",
    ]
    for path in paths:
        check = subprocess.run(
            ["git", "-C", str(ROOT), "check-ignore", "-q", "--no-index", path], check=False
        )
        assert check.returncode == (0 if path.endswith(".import.txt") else 1), path


def test_the_update_step_says_a_push_alone_does_not_reach_the_server() -> None:
    """The step "Commit e push" then "o bot observa KB_DIR" read as if a push reached the running bot; by
    default (KB_GIT_PULL_SECONDS=0) nothing pulls: the step says who does."""
    from bot.app.settings import Settings

    assert Settings.model_fields["kb_git_pull_seconds"].default == 0
    text = " ".join(README.read_text(encoding="utf-8").split())
    step = text.split("## Atualizar o conhecimento", 1)[1].split("## ", 1)[0]
    push = step.split("Commit e push", 1)[1]
    assert "não muda o servidor" in push and "`git pull`" in push
    assert "`KB_GIT_PULL_SECONDS=300`" in push and "padrão, 0, não puxa" in push


def test_the_troubleshooting_table_has_the_start_messages_of_the_telegram_door() -> None:
    """A fresh start without network says "Sem conexão com o Telegram (api.telegram.org): …":
    the table a supervisor looks it up in had no row for it."""
    from handlers.telegram.channel import NO_NETWORK

    table = README.read_text(encoding="utf-8").split("## Problemas comuns", 1)[1].split("\n\n")[1]
    first_column = [row.split(" | ")[0] for row in table.splitlines()[2:]]
    shown = NO_NETWORK.split("{host}")[0]  # "Sem conexão com o Telegram ("
    assert any(shown in cell for cell in first_column), shown
