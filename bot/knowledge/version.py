"""Which version of the knowledge is loaded: git commit (when in git) and a content fingerprint."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.knowledge.derive import prepared

if TYPE_CHECKING:
    from bot.knowledge.kb import KB


@dataclass(frozen=True)
class Version:
    """The last commit that touched the KB directory."""

    commit: str
    short: str
    author: str
    date: str
    subject: str
    local: bool = False
    """The directory's files differ from that commit (an edit not committed yet): what is
    loaded is nobody's commit, and the commit's subject says nothing about it."""


def git_version(directory: Path) -> Version | None:
    """The last commit touching ``directory`` (and whether its files differ from it), or None
    outside git. Never raises."""
    done = _git(directory, "log", "-1", "--format=%H%x1f%h%x1f%an%x1f%cI%x1f%s", "--", ".")
    parts = done.stdout.strip().split("\x1f") if done else []
    if done is None or done.returncode != 0 or len(parts) != 5:
        return None
    # Modified, deleted or new files under the directory (ignored ones, the secrets, not).
    status = _git(directory, "status", "--porcelain", "--untracked-files=all", "--", ".")
    local = status is not None and status.returncode == 0 and bool(status.stdout.strip())
    commit, short, author, date, subject = parts
    return Version(commit, short, author, date, subject, local=local)


@dataclass(frozen=True)
class _Repository:
    git_dir: Path
    common_dir: Path
    """Where the refs are (a worktree's ``git_dir`` holds only its HEAD and index)."""
    top: Path


_repositories: dict[Path, _Repository] = {}
_versions: dict[Path, tuple[tuple[object, ...], Version | None]] = {}


def current_version(directory: Path) -> Version | None:
    """:func:`git_version`, run again only when something it reads may have changed: the
    repository's HEAD, index, refs or ignore rules, or a file under ``directory`` (added, removed,
    written). ``/versao`` asks on every call; two ``git`` processes took 0.1-0.15 s of it."""
    key = Path(os.path.abspath(directory))
    repository = _repositories.get(key) or _repository(key)
    if repository is None:
        return None  # not in git (yet): asked again next time
    _repositories[key] = repository
    before = _stamp(key, repository)
    known = _versions.get(key)
    if before is not None and known is not None and known[0] == before:
        return known[1]
    found = git_version(directory)
    if before is not None and _stamp(key, repository) == before:
        _versions[key] = (before, found)  # else git refreshed its index, or someone wrote
    return found


@prepared
def _version_of(kb: KB) -> None:
    """The KB's version read as it is loaded, so that the first ``/versao`` finds it."""
    current_version(kb.root)


def _repository(directory: Path) -> _Repository | None:
    done = _git(directory, "rev-parse", "--absolute-git-dir", "--git-common-dir", "--show-toplevel")
    lines = done.stdout.splitlines() if done is not None and done.returncode == 0 else []
    if len(lines) != 3:
        return None
    git_dir = Path(lines[0])
    return _Repository(git_dir, (directory / lines[1]).resolve(), Path(lines[2]))


def _stamp(directory: Path, repository: _Repository) -> tuple[object, ...] | None:
    """What ``git log`` and ``git status`` of ``directory`` depend on, as file identities (inode,
    size, modification time): git writes HEAD, refs and the index by renaming a new file. None
    when the directory cannot be read."""
    head = repository.git_dir / "HEAD"
    try:
        branch = head.read_text(encoding="utf-8").strip()
    except OSError:
        branch = ""
    paths = [
        head,
        repository.git_dir / "index",
        repository.common_dir / "packed-refs",
        repository.common_dir / "info" / "exclude",
    ]
    if branch.startswith("ref: "):
        paths.append(repository.common_dir / branch[5:])
    above = directory
    while above != repository.top and above.parent != above:
        above = above.parent
        paths.append(above / ".gitignore")
    try:
        for folder, subfolders, files in os.walk(directory, onerror=_unreadable):
            subfolders[:] = sorted(d for d in subfolders if d != ".git")
            paths += (Path(folder) / name for name in sorted(files))
    except OSError:
        return None
    return (branch, *(_identity(path) for path in paths))


def _unreadable(error: OSError) -> None:
    raise error


def _identity(path: Path) -> tuple[str, int, int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return (str(path), found.st_ino, found.st_size, found.st_mtime_ns)


def _git(directory: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None


def fingerprint(directory: Path, also: Iterable[Path] = ()) -> str:
    """A hash of every YAML file's path and bytes under ``directory``, and of the files ``also``
    names wherever they are (a secrets file outside the directory): equal fingerprints, same
    knowledge. A file of ``also`` that is missing counts as such. "" when the directory cannot be
    listed. Compared in memory only, never shown: it hashes credentials too."""
    digest = hashlib.sha256()
    try:
        files = sorted(p for p in directory.rglob("*.yaml") if p.is_file())
    except OSError:
        return ""
    for path in files:
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(_content(path))
    for path in also:
        digest.update(b"\0also\0" + str(path).encode())
        digest.update(_content(path))
    return digest.hexdigest()[:16]


def _content(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b"\0missing"
    except OSError:
        return b"\0unreadable"
