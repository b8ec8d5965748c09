"""Loading and validating the KB: all or nothing, with file:line errors a supervisor can read."""

from __future__ import annotations

import datetime as dt
import gc
import weakref
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers.core import answer
from bot.answers.reply import ReplyKind
from bot.knowledge import passwords
from bot.knowledge.kb import KB, KBError, KBHolder, ParseCache, derived, load_kb
from bot.knowledge.passwords import known_secrets
from kbfactory import ALFA, BETA, TOPICS, write_kb


def problems_of(kb_dir: Path) -> list[str]:
    with pytest.raises(KBError) as caught:
        load_kb(kb_dir)
    return [str(p) for p in caught.value.problems]


def test_tiny_kb_loads(tmp_path: Path) -> None:
    kb = load_kb(write_kb(tmp_path))
    assert sorted(kb.providers) == ["alfa", "beta"]
    assert kb.command_topics["dns"].id == "dns"
    assert kb.providers["alfa"].equipment[0].passwords == ["Segredo1@", "Segredo2@"]


def test_hidden_files_beside_the_providers_are_no_providers(tmp_path: Path) -> None:
    """An editor's lock (Emacs writes ``.#alfa.yaml``, a link to nowhere, while the file is being
    edited) and the ``._alfa.yaml`` a Mac leaves on a copied folder are no provider files: the
    KB loads (it was refused -- "não foi possível ler o arquivo: [Errno 2] ..." -- so a start or
    a reload failed while a supervisor had the file open)."""
    kb_dir = write_kb(tmp_path)
    providers = kb_dir / "providers"
    (providers / ".#alfa.yaml").symlink_to("qa@host.1234:1700000000")
    (providers / "._alfa.yaml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    (providers / ".beta.yaml.swp").write_bytes(b"b0VIM 9.0")
    kb = load_kb(kb_dir)
    assert sorted(kb.providers) == ["alfa", "beta"]


def test_a_file_saved_in_latin_1_is_one_pt_br_line_with_its_line(tmp_path: Path) -> None:
    """A provider file an editor saved as Windows-1252/Latin-1: the problem in pt-BR with the
    line of the first such accent (it was Python's "'utf-8' codec can't decode byte 0xe7 in
    position 154: invalid continuation byte")."""
    kb_dir = write_kb(tmp_path)
    alfa = kb_dir / "providers" / "alfa.yaml"
    text = alfa.read_text(encoding="utf-8").replace("dns:", "# configuração\n  dns:", 1)
    alfa.write_bytes(text.encode("latin-1", errors="replace"))
    [problem] = problems_of(kb_dir)
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if not ln.isascii())
    assert (
        problem
        == f"{alfa.relative_to(tmp_path)}:{line}: o arquivo não está em UTF-8 (acentos de outra codificação): salve-o como UTF-8"
    )
    assert "codec" not in problem and "byte" not in problem


def test_kb_is_immutable(tmp_path: Path) -> None:
    kb = load_kb(write_kb(tmp_path))
    with pytest.raises(TypeError):
        kb.providers["gama"] = kb.providers["alfa"]  # type: ignore[index]
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen error
        kb.providers["alfa"].name = "X"  # type: ignore[misc]


def test_holder_swaps_whole_kb(tmp_path: Path) -> None:
    first = load_kb(write_kb(tmp_path))
    second = load_kb(write_kb(tmp_path))
    holder = KBHolder(first)
    assert holder.swap(second) is first
    assert holder.kb is second


def test_broken_yaml_reports_file_and_line(tmp_path: Path) -> None:
    kb_dir = write_kb(tmp_path, {"alfa": ALFA, "beta": BETA + "topics: [unclosed\n"})
    found = problems_of(kb_dir)
    assert len(found) == 1
    assert found[0].startswith("knowledge/providers/beta.yaml:")
    assert "YAML inválido" in found[0]


def test_schema_errors_are_one_readable_line_each(tmp_path: Path) -> None:
    broken = BETA.replace("state: MT", "state: XX").replace("name: Beta Fibra", "nome: Beta")
    found = problems_of(write_kb(tmp_path, {"beta": broken}))
    assert "knowledge/providers/beta.yaml:1: name: campo obrigatório ausente" in found
    assert "knowledge/providers/beta.yaml:2: nome: chave desconhecida (erro de digitação?)" in found
    assert any(p.endswith("state: UF desconhecida: 'XX'") and ":4:" in p for p in found)
    assert all("\n" not in p and "pydantic" not in p for p in found)


def test_unknown_topic_id_and_timezone(tmp_path: Path) -> None:
    text = BETA.replace("America/Cuiaba", "Mars/Base") + "  cafe: x\n"
    found = problems_of(write_kb(tmp_path, {"beta": text}))
    assert any("fuso horário IANA desconhecido: 'Mars/Base'" in p for p in found)
    text = BETA + "  cafe: x\n"
    found = problems_of(write_kb(tmp_path, {"beta": text}))
    assert found == ["knowledge/providers/beta.yaml:10: tópico desconhecido: cafe"]


def test_duplicate_keys_are_errors(tmp_path: Path) -> None:
    text = BETA + "  dns: outra coisa\n"
    found = problems_of(write_kb(tmp_path, {"beta": text}))
    assert found == ["knowledge/providers/beta.yaml:10: chave repetida: 'dns'"]


def test_file_name_must_match_id(tmp_path: Path) -> None:
    found = problems_of(write_kb(tmp_path, {"gama": BETA}))
    assert found == ["knowledge/providers/gama.yaml:1: id 'beta' difere do nome do arquivo 'gama'"]


def test_alias_shared_by_two_isps(tmp_path: Path) -> None:
    text = BETA.replace("name: Beta Fibra", "name: Beta Fibra\naliases: [Alfanet]")
    found = problems_of(write_kb(tmp_path, {"alfa": ALFA, "beta": text}))
    assert any("apelido 'alfanet' também pertence a alfa" in p for p in found)


def test_missing_pieces(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nada") == [
        f"{tmp_path / 'nada'}: diretório da base de conhecimento não encontrado"
    ]
    kb_dir = write_kb(tmp_path, {})
    (kb_dir / "topics.yaml").unlink()
    found = problems_of(kb_dir)
    assert "knowledge/topics.yaml: arquivo não encontrado" in found
    assert "knowledge/providers: nenhum provedor (*.yaml)" in found


def test_empty_and_undecodable_files(tmp_path: Path) -> None:
    kb_dir = write_kb(tmp_path)
    (kb_dir / "providers" / "beta.yaml").write_text("", encoding="utf-8")
    (kb_dir / "providers" / "alfa.yaml").write_bytes(b"\xff\xfe\x00bad")
    found = problems_of(kb_dir)
    assert "knowledge/providers/beta.yaml: arquivo vazio" in found
    assert any(
        p.startswith("knowledge/providers/alfa.yaml:1: o arquivo não está em UTF-8") for p in found
    )


def test_duplicate_command_in_catalogue(tmp_path: Path) -> None:
    topics = "topics:\n  - {id: a, title: A, commands: [x]}\n  - {id: b, title: B, commands: [x]}\n"
    found = problems_of(write_kb(tmp_path, {"beta": BETA.split("topics:")[0]}, topics=topics))
    assert any("comando /x está em dois tópicos: a e b" in p for p in found)


def test_companies_not_served_are_checked(tmp_path: Path) -> None:
    """The catalogue's ``not_served``: never an ISP's name or alias, never repeated (a
    supervisor's slip would make the bot say an ISP is not served). A company one ISP's
    document lists as calling by mistake may be there too."""
    clash = TOPICS + "not_served: [Claro, Velha Alfa, zeta]\n"
    found = problems_of(write_kb(tmp_path / "a", topics=clash))
    assert found == ["knowledge/topics.yaml:20: not_served: 'Velha Alfa' também é nome de alfa"]
    twice = problems_of(write_kb(tmp_path / "b", topics=TOPICS + "not_served: [Vivo, VIVO]\n"))
    assert any("not_served: 'VIVO' repetido" in p for p in twice)
    kb = load_kb(write_kb(tmp_path / "c", topics=TOPICS + "not_served: [Claro]\n"))
    assert kb.catalogue.not_served == ["Claro"]


# --------------------------------------------------------------------------- secrets overlay

PUBLIC_ALFA = ALFA.replace('    passwords: ["Segredo1@", "Segredo2@"]\n', "")


def test_secrets_overlay_is_merged(tmp_path: Path) -> None:
    kb_dir = write_kb(tmp_path, {"alfa": PUBLIC_ALFA, "beta": BETA})
    assert load_kb(kb_dir).providers["alfa"].equipment[0].passwords == []
    (kb_dir / "secrets.yaml").write_text(
        "providers:\n"
        "  alfa:\n"
        "    equipment:\n"
        "      - {model: w5 1200g, passwords: ['Segredo1@']}\n"
        "  beta:\n"
        "    topics:\n"
        "      sistemas: {text: 'Flashman: login real / senha real', secret: true}\n",
        encoding="utf-8",
    )
    kb = load_kb(kb_dir)
    assert kb.providers["alfa"].equipment[0].passwords == ["Segredo1@"]
    assert kb.providers["alfa"].equipment[0].login == "admin"  # kept from the public file
    assert kb.providers["beta"].topics["sistemas"].text == "Flashman: login real / senha real"


def test_secrets_file_from_elsewhere_and_its_errors(tmp_path: Path) -> None:
    kb_dir = write_kb(tmp_path, {"alfa": PUBLIC_ALFA, "beta": BETA})
    vault = tmp_path / "vault.yaml"
    vault.write_text(
        "providers:\n  alfa:\n    equipment:\n      - {model: RF9999, passwords: [x]}\n"
        "  gama:\n    equipment: []\n",
        encoding="utf-8",
    )
    with pytest.raises(KBError) as caught:
        load_kb(kb_dir, secrets_file=vault)
    found = [str(p) for p in caught.value.problems]
    # Named as the secrets file, with the line of the entry to fix.
    assert (
        "vault.yaml:4: arquivo de segredos: equipamento 'RF9999' de alfa não existe em "
        "providers/alfa.yaml" in found
    )
    assert (
        "vault.yaml:5: arquivo de segredos: provedor desconhecido: gama "
        "(não há providers/gama.yaml)" in found
    )
    assert all("'x'" not in p for p in found)  # a secret value is never echoed
    with pytest.raises(KBError) as missing:
        load_kb(kb_dir, secrets_file=tmp_path / "nope.yaml")
    assert "arquivo de segredos (KB_SECRETS_FILE) não encontrado" in str(missing.value)
    vault.write_text("providers:\n  alfa:\n    equipment: {model: x}\n", encoding="utf-8")
    with pytest.raises(KBError) as invalid:
        load_kb(kb_dir, secrets_file=vault)
    assert [str(p) for p in invalid.value.problems] == [
        "vault.yaml:3: arquivo de segredos: providers.alfa.equipment: deve ser uma lista"
    ]


def test_secrets_file_is_ignored_by_git() -> None:
    root = Path(__file__).resolve().parent.parent
    assert "knowledge/secrets*.yaml" in (root / ".gitignore").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- parse cache


def test_a_reload_parses_only_the_files_that_changed(tmp_path: Path, parses: list[str]) -> None:
    kb_dir = write_kb(tmp_path)
    cache = ParseCache()
    load_kb(kb_dir, cache=cache)
    assert len(parses) == 3  # topics, alfa, beta
    assert len(load_kb(kb_dir, cache=cache).providers) == 2
    assert len(parses) == 3  # nothing changed: nothing parsed
    beta = kb_dir / "providers" / "beta.yaml"
    beta.write_text(BETA.replace("20.0.0.1", "20.0.0.9"), encoding="utf-8")
    kb = load_kb(kb_dir, cache=cache)
    assert len(parses) == 4 and "20.0.0.9" in parses[-1]  # beta only
    assert kb.providers["beta"].topics["dns"].text == "Primário 20.0.0.9"
    beta.unlink()
    assert sorted(load_kb(kb_dir, cache=cache).providers) == ["alfa"]
    assert len(cache) == 2  # beta forgotten


def test_a_cached_file_is_not_changed_by_the_secrets_merged_into_it(tmp_path: Path) -> None:
    """Secrets are merged into each load's own copy: removing them from the overlay removes them
    from the next KB, though the public file, unchanged, comes from the cache."""
    kb_dir = write_kb(tmp_path, {"alfa": PUBLIC_ALFA, "beta": BETA})
    secrets = kb_dir / "secrets.yaml"
    secrets.write_text(
        "providers:\n  alfa:\n    equipment:\n      - {model: W5-1200G, passwords: ['Cofre1@']}\n",
        encoding="utf-8",
    )
    cache = ParseCache()
    assert load_kb(kb_dir, cache=cache).providers["alfa"].equipment[0].passwords == ["Cofre1@"]
    secrets.unlink()
    assert load_kb(kb_dir, cache=cache).providers["alfa"].equipment[0].passwords == []


def test_errors_in_a_cached_file_are_reported_as_without_the_cache(
    tmp_path: Path, parses: list[str]
) -> None:
    """A broken file stays broken while another is fixed: from the cache, its errors keep their
    lines (the file is parsed again for them, and only then)."""
    broken = BETA.replace("state: MT", "state: XX").replace("name: Beta Fibra", "nome: Beta")
    kb_dir = write_kb(tmp_path, {"alfa": ALFA + "bad: [", "beta": broken})
    cache = ParseCache()
    with pytest.raises(KBError) as first:
        load_kb(kb_dir, cache=cache)
    (kb_dir / "providers" / "alfa.yaml").write_text(ALFA, encoding="utf-8")  # alfa fixed
    before = len(parses)
    with pytest.raises(KBError) as cached:
        load_kb(kb_dir, cache=cache)
    assert len(parses) == before + 2  # alfa (changed) and beta again, for its lines
    beta_problems = [str(p) for p in cached.value.problems]
    assert beta_problems == [str(p) for p in first.value.problems if "beta" in str(p.file)]
    assert "knowledge/providers/beta.yaml:2: nome: chave desconhecida (erro de digitação?)" in (
        beta_problems
    )
    assert problems_of(kb_dir) == beta_problems  # as without a cache


def test_duplicate_keys_are_reported_from_the_cache_too(tmp_path: Path) -> None:
    kb_dir = write_kb(tmp_path, {"beta": BETA + "  dns: outra coisa\n"})
    cache = ParseCache()
    for _ in range(2):
        with pytest.raises(KBError) as caught:
            load_kb(kb_dir, cache=cache)
        assert [str(p) for p in caught.value.problems] == [
            "knowledge/providers/beta.yaml:10: chave repetida: 'dns'"
        ]


# --------------------------------------------------------------------------- derived data


def test_a_replaced_kb_is_freed_with_everything_built_from_it(tmp_path: Path) -> None:
    """Indexes, lexicons and cards built from a KB are kept in that KB (``derived``): after a
    reload nothing keeps the old one alive (an ``lru_cache`` keyed on KBs kept the last eight)."""
    kb_dir = write_kb(tmp_path)
    holder = KBHolder(load_kb(kb_dir))
    now = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)
    for question in ("/provedor alfa", "/senha alfa w5", "qual o dns da beta?", "/buscar flashman"):
        assert answer(holder.kb, question, now).kind is not ReplyKind.UNKNOWN_COMMAND
    assert known_secrets(holder.kb)
    old = weakref.ref(holder.kb)
    holder.swap(load_kb(kb_dir))
    gc.collect()
    assert old() is None


def test_derived_data_is_built_once_per_kb(tmp_path: Path) -> None:
    built: list[KB] = []

    @derived
    def names(kb: KB) -> list[str]:
        built.append(kb)
        return sorted(kb.providers)

    first, second = load_kb(write_kb(tmp_path)), load_kb(write_kb(tmp_path))
    assert names(first) == names(first) == names(second) == ["alfa", "beta"]
    assert names(first) is names(first)
    assert built == [first, second]


def test_the_holder_keeps_the_cache_it_is_given_even_empty(tmp_path: Path) -> None:
    cache = ParseCache()
    holder = KBHolder(load_kb(write_kb(tmp_path)), cache)
    assert holder.cache is cache


SECRET_WORDS = st.text(alphabet="ab1@_-. é", min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(
    secrets=st.lists(SECRET_WORDS, max_size=4),
    text=st.lists(st.sampled_from(["ab", "1@", "_", "-", " ", ".", "é", "a", "b1"]), max_size=8),
)
def test_one_pattern_finds_a_secret_where_one_pattern_per_secret_would(
    secrets: list[str], text: list[str]
) -> None:
    """The leak check and the inline filter search all the KB's passwords at once: the same
    answer as a whole-word search for each."""
    typed = "".join(text)
    pattern = passwords._any_secret(secrets)
    each = any(passwords._whole_word(s).search(typed) for s in secrets)
    assert (pattern is not None and pattern.search(typed) is not None) == each


def test_a_topic_in_the_secrets_file_is_secret_unless_it_says_otherwise(tmp_path: Path) -> None:
    """QA round 7, finding 10: whoever writes a topic in the secrets file means it as secret."""
    kb_dir = write_kb(tmp_path, {"alfa": PUBLIC_ALFA, "beta": BETA})
    (kb_dir / "secrets.yaml").write_text(
        "providers:\n"
        "  beta:\n"
        "    topics:\n"
        "      dns: {text: 'Primário 20.0.0.1. Painel: login upcall Senha: S3gr3d0!X'}\n"
        "      sistemas: {text: 'Portal público', secret: false}\n",
        encoding="utf-8",
    )
    kb = load_kb(kb_dir)
    beta = kb.providers["beta"]
    assert kb.is_secret(beta, "dns") and not kb.is_secret(beta, "sistemas")
    reply = answer(kb, "/dns beta", dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC))
    assert reply.credentials
    assert "S3gr3d0!X" in known_secrets(kb)


def test_a_model_repeated_in_the_secrets_file_is_refused(tmp_path: Path) -> None:
    kb_dir = write_kb(tmp_path, {"alfa": PUBLIC_ALFA, "beta": BETA})
    (kb_dir / "secrets.yaml").write_text(
        "providers:\n"
        "  alfa:\n"
        "    equipment:\n"
        "      - {model: W5-1200G, login: admin, passwords: ['S3gr3d0!X']}\n"
        "      - {model: w5 1200g, login: root, passwords: ['S3gr3d0!Y']}\n",
        encoding="utf-8",
    )
    with pytest.raises(KBError) as caught:
        load_kb(kb_dir)
    found = [str(p) for p in caught.value.problems]
    assert any("arquivo de segredos" in p and "equipamento repetido: w5 1200g" in p for p in found)
    assert not any("S3gr3d0" in p for p in found), found


def test_a_known_password_in_a_port_is_refused(tmp_path: Path) -> None:
    kb_dir = write_kb(tmp_path, {"alfa": PUBLIC_ALFA, "beta": BETA})
    (kb_dir / "secrets.yaml").write_text(
        "providers:\n"
        "  alfa:\n"
        "    equipment:\n"
        "      - {model: W5-1200G, passwords: ['S3gr3d0!X'], port: 'S3gr3d0!X'}\n",
        encoding="utf-8",
    )
    with pytest.raises(KBError) as caught:
        load_kb(kb_dir)
    found = [str(p) for p in caught.value.problems]
    assert any("port" in p and "senha conhecida" in p for p in found), found
    assert not any("S3gr3d0" in p for p in found), found
