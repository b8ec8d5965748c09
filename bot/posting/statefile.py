"""Small JSON state files that survive a crash mid-write, a damaged byte and an empty file.

Every save writes the file through a temporary file beside it, ``fsync``, ``os.replace`` and an
``fsync`` of the directory (the rename itself made durable), then does the same for a backup copy
(``<name>.bak``). Reading tries the file, then the backup; :class:`Loaded` says which one answered,
or that neither could (``damaged``), so that the caller can choose the safe side (for notices:
treat the window already due as posted, never post twice).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class Source(StrEnum):
    FILE = "file"
    """The file itself was read."""
    BACKUP = "backup"
    """The file was damaged or missing; its backup copy was read."""
    FRESH = "fresh"
    """Neither exists: a first start."""
    DAMAGED = "damaged"
    """Something was there, but neither the file nor its backup could be read."""


@dataclass(frozen=True)
class Loaded:
    data: dict[str, Any]
    source: Source


def backup_of(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def _read(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """(data, None) when good; (None, None) when missing; (None, why) when damaged."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"unreadable ({exc.strerror or exc.__class__.__name__})"
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, "not UTF-8"
    except ValueError:
        return None, "empty or not JSON" if raw.strip() else "empty"
    if not isinstance(data, dict):
        return None, "not a JSON object"
    return data, None


def load_state(path: Path) -> Loaded:
    """The state in ``path`` or its backup; never raises."""
    data, why = _read(path)
    if data is not None:
        return Loaded(data, Source.FILE)
    backup, backup_why = _read(backup_of(path))
    if backup is not None:
        log.warning("state %s is %s: using its backup copy", path, why or "missing")
        return Loaded(backup, Source.BACKUP)
    if why is None and backup_why is None:
        return Loaded({}, Source.FRESH)
    log.error(
        "state %s is %s and its backup is %s", path, why or "missing", backup_why or "missing"
    )
    return Loaded({}, Source.DAMAGED)


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (POSIX; a no-op where directories cannot be
    opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomically(path: Path, content: str) -> None:
    """Write ``content`` to a temporary file beside ``path``, fsync it, rename it over ``path``
    and fsync the directory. A failure leaves the old file whole (and no temporary file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def save_state(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` to ``path``, then to its backup copy. Raises ``OSError`` (the old file
    kept) when the first write fails."""
    content = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    write_atomically(path, content)
    try:
        write_atomically(backup_of(path), content)
    except OSError as exc:
        log.warning("backup of state %s not written: %s", path, exc)
