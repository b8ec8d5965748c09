"""Parsing the KB's YAML: the loader's own functions, and a second process that runs them.

PyYAML is most of a KB load (500 ISPs: ~1.1 s of ~1.5 s, ``bench/scale.py``) and holds the GIL,
so a thread would not help. The first load of a large KB hands part of its files to a second
process, ``python -m bot.knowledge.yamlworker``, while the main process parses the rest (see
``bot.knowledge.kb._parse_elsewhere``). That process imports only PyYAML and the standard library,
so it
starts in ~0.1 s; it is a fresh interpreter, not a fork, which would be unsafe in a bot that runs
threads.

The protocol: a pickled list of file paths on stdin; on stdout, a pickled list of
:data:`Parsed` for the files that were read and parsed. A file that was not (unreadable, broken
YAML, empty) is left out: the loader parses it itself and reports what is wrong, as always.
"""

from __future__ import annotations

import gc
import hashlib
import pickle
import sys
from typing import Any

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 20x faster

Parsed = tuple[str, bytes, bytes, list[tuple[int, str]]]
"""(path, digest of the text, the data pickled, duplicate keys as (line, key))."""


def parse(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for line numbers) and the data built from it."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def duplicate_keys(node: yaml.Node) -> list[tuple[int, str]]:
    """(line, key) of every key repeated in its mapping: PyYAML silently keeps the last one."""
    found: list[tuple[int, str]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        found.append((key.start_mark.line + 1, key.value))
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(found)


def digest(text: str) -> bytes:
    """What identifies a file's text in the parse cache."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def parse_files(paths: list[str]) -> list[Parsed]:
    results: list[Parsed] = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            node, data = parse(text)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # the loader will say what is wrong with it
        if node is None or data is None:
            continue
        results.append(
            (path, digest(text), pickle.dumps(data, pickle.HIGHEST_PROTOCOL), duplicate_keys(node))
        )
    return results


def main() -> None:
    gc.disable()  # short-lived, and everything it builds survives until it is sent
    paths = pickle.load(sys.stdin.buffer)
    pickle.dump(parse_files(paths), sys.stdout.buffer, pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    main()
