"""The bot's JSON-lines logs (audit, unanswered questions): each line readable at once, the file
kept open between lines, and a log rotated, deleted or unwritable never lost nor fatal."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.storage.jsonl import JsonLines


def lines(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as handle:  # not Path.open, which one test counts
        return handle.read().splitlines()


def test_each_line_is_readable_at_once_and_the_file_opened_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real_open = Path.open

    def counting(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", counting)
    log = JsonLines(tmp_path / "state" / "audit.jsonl")
    for n in range(3):
        log.append({"n": n, "quem": "Ana"})
        assert len(lines(log.path)) == n + 1  # flushed: a reader sees it now
    assert [r["n"] for r in log.records()] == [0, 1, 2]
    assert opened.count(str(log.path)) == 1 + 1  # one for appending, one for reading
    log.close()


def test_a_rotated_log_is_continued_in_a_new_file(tmp_path: Path) -> None:
    log = JsonLines(tmp_path / "audit.jsonl")
    log.append({"n": 1})
    log.path.rename(tmp_path / "audit.jsonl.1")  # logrotate
    log.append({"n": 2})
    assert lines(tmp_path / "audit.jsonl.1") == ['{"n": 1}']
    assert lines(log.path) == ['{"n": 2}']
    log.path.unlink()  # deleted
    log.append({"n": 3})
    assert lines(log.path) == ['{"n": 3}']
    log.close()


def test_a_deleted_folder_is_made_again(tmp_path: Path) -> None:
    log = JsonLines(tmp_path / "state" / "gaps.jsonl")
    log.append({"n": 1})
    shutil.rmtree(tmp_path / "state")
    log.append({"n": 2})
    assert lines(log.path) == ['{"n": 2}']
    log.close()


def test_an_unwritable_log_is_reported_and_the_next_line_still_tried(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    log = JsonLines(tmp_path / "audit.jsonl")
    log.path.mkdir()  # a directory where the file should be
    with caplog.at_level(logging.ERROR, logger="bot.storage.jsonl"):
        log.append({"n": 1})  # no exception
    assert "could not write" in caplog.text
    log.path.rmdir()
    log.append({"n": 2})
    assert lines(log.path) == ['{"n": 2}']
    log.close()
    log.append({"n": 3})  # closed: opened again
    assert lines(log.path) == ['{"n": 2}', '{"n": 3}']
    log.close()
