"""The bot's JSON-lines logs (audit, unanswered questions): each line readable at once, the file
kept open between lines, and a log rotated, deleted or unwritable never lost nor fatal."""

from __future__ import annotations

import errno
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.storage.jsonl import JsonLines, typed


def lines(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as handle:  # not Path.open, which one test counts
        return handle.read().splitlines()


def test_each_line_is_readable_at_once_and_the_file_opened_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real_open = os.open

    def counting(path: Any, *args: Any, **kwargs: Any) -> int:
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", counting)
    log = JsonLines(tmp_path / "state" / "audit.jsonl")
    for n in range(3):
        log.append({"n": n, "quem": "Ana"})
        assert len(lines(log.path)) == n + 1  # written: a reader sees it now
    assert [r["n"] for r in log.records()] == [0, 1, 2]
    assert opened.count(str(log.path)) == 1  # for appending, once
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


class DiskFull:
    """``os.write`` failing with ENOSPC while ``full``, as a full disk does; the first failure
    writes part of the line, as a disk filling up mid-line does."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.full = False
        self._write = os.write
        self._torn = False
        monkeypatch.setattr(os, "write", self.write)

    def write(self, fd: int, data: bytes) -> int:
        if not self.full:
            return self._write(fd, data)
        if not self._torn:
            self._torn = True
            return self._write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_loses_the_lines_of_the_moment_and_the_log_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    disk = DiskFull(monkeypatch)
    log = JsonLines(tmp_path / "audit.jsonl")
    log.append({"n": 1, "texto": "ação"})
    disk.full = True
    with caplog.at_level(logging.ERROR, logger="bot.storage.jsonl"):
        log.append({"n": 2, "texto": "ação"})  # cut mid-line: no exception
        log.append({"n": 3})  # ENOSPC: no exception
    assert caplog.text.count("could not write") == 2
    disk.full = False  # space is back
    log.append({"n": 4})
    log.append({"n": 5})
    assert [r["n"] for r in log.records()] == [1, 4, 5]  # the cut line costs only itself
    log.close()


def test_torn_lines_invalid_utf8_and_other_json_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "gaps.jsonl"
    good = '{"n": 1, "t": "ação"}\n'.encode()
    path.write_bytes(
        good
        + '{"n": 2, "t": "aç'.encode()[:-1]  # cut inside "ç"
        + b'\n\xff\xfe garbage\n[1, 2]\nnull\n"text"\n'
        + good
    )
    assert [r["n"] for r in JsonLines(path).records()] == [1, 1]


@dataclass(frozen=True)
class Row:
    at: str
    chat_id: int
    text: str
    topic: str | None
    delivered: bool


def test_a_record_with_a_field_of_the_wrong_type_is_refused() -> None:
    good = {"at": "x", "chat_id": 5, "text": "a", "topic": None, "delivered": True, "new": 1}
    assert typed(good, Row) == Row("x", 5, "a", None, True)
    for field, bad in [
        ("text", None),
        ("chat_id", "5"),
        ("chat_id", True),
        ("chat_id", 1.5),
        ("delivered", 1),
        ("topic", 3),
        ("at", ["ontem"]),
    ]:
        assert typed({**good, field: bad}, Row) is None, field
    assert typed({k: v for k, v in good.items() if k != "at"}, Row) is None


def test_a_log_is_rotated_by_size_and_read_across_its_files(tmp_path: Path) -> None:
    log = JsonLines(tmp_path / "audit.jsonl", max_bytes=30, keep=2)
    for n in range(10):
        log.append({"n": n, "pad": "xxxxxxxxxx"})  # 30 bytes: one line a file
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "audit.jsonl.1",
        "audit.jsonl.2",
    ]  # the current file was rotated by the last line; older ones dropped
    assert [r["n"] for r in log.records()] == [8, 9]
    log.append({"n": 10})
    assert [r["n"] for r in log.records()] == [8, 9, 10]
    log.close()
