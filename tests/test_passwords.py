"""Passwords outside the secret topics: a new one written after "senha:" in a public topic, a
template or a note is refused at load with its line; what a KB text says *about* a password is
not; a password a secret topic writes is masked in what the bot stores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import KB_DIR

from bot.answers.core import answer
from bot.knowledge.kb import KB, KBError, load_kb
from bot.knowledge.passwords import known_secrets, mask

NOW = dt.datetime(2026, 12, 6, 3, 0, tzinfo=dt.UTC)
DNS = '  dns: "Primário 143.202.80.56 e secundário 143.202.80.57."\n'


def edit_mutum(kb_dir: Path, old: str, new: str) -> None:
    path = kb_dir / "providers" / "mutum.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def refused(kb_dir: Path) -> list[str]:
    with pytest.raises(KBError) as caught:
        load_kb(kb_dir)
    return [str(p) for p in caught.value.problems]


def line_of(kb_dir: Path, needle: str) -> int:
    lines = (kb_dir / "providers" / "mutum.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


def test_a_password_written_into_a_public_topic_is_refused_at_its_line(kb_dir: Path) -> None:
    # The QA's input A: a login and password added to /dns, which any allowed chat and inline
    # mode are shown.
    edit_mutum(
        kb_dir,
        DNS,
        "  dns:\n    text: |\n      Primário 143.202.80.56 e secundário 143.202.80.57.\n"
        "      Servidor DNS: Login: root / Senha: Xk9!pQz2\n",
    )
    found = refused(kb_dir)
    assert found == [
        f"knowledge/providers/mutum.yaml:{line_of(kb_dir, 'Xk9!pQz2')}: dns: contém uma senha "
        "escrita (senha: ...) fora dos tópicos secretos (marque o tópico com secret: true ou "
        "tire a senha)"
    ]
    assert "Xk9!pQz2" not in found[0]


def test_a_password_written_into_a_note_is_refused_at_its_line(kb_dir: Path) -> None:
    # The QA's input B: a provider note, shown on /provedor's card.
    edit_mutum(
        kb_dir,
        "notes:\n",
        'notes:\n  - "Acesso ao painel da OLT: usuário upcall, senha: Olt#2026x"\n',
    )
    assert refused(kb_dir) == [
        "knowledge/providers/mutum.yaml:11: notes: contém uma senha escrita (senha: ...) fora "
        "dos tópicos secretos (tire a senha daqui: leve-a a um tópico secreto ou ao arquivo de "
        "segredos)"
    ]


@pytest.mark.parametrize(
    "written",
    [
        "Senha do painel: Olt#2026x",  # words between the label and the password
        "a senha de acesso é upcall2025",
        "senha: 12345678",
    ],
)
def test_a_template_with_a_password_is_refused(kb_dir: Path, written: str) -> None:
    edit_mutum(
        kb_dir,
        DNS,
        f'  dns:\n    text: "Primário 1.1.1.1"\n    templates:\n      - text: "{written}"\n',
    )
    assert any("dns: contém uma senha escrita" in p for p in refused(kb_dir))


@pytest.mark.parametrize(
    "said",
    [
        "senha do wifi: informar ao cliente",
        "login e senha da central = CPF",
        "Senha: 4 primeiros dígitos do CPF",
        "Senha: CPF/CNPJ do titular",
        "a senha é o ID do contrato do cliente",
        "senha padrão: ver /senha",
        "Senha: admin",  # a short plain word: not refused (nor masked) anywhere
        "troca de senha: R$ 30,00",
    ],
)
def test_what_a_text_says_about_a_password_is_not_one(kb_dir: Path, said: str) -> None:
    edit_mutum(kb_dir, DNS, f'  dns: "Primário 1.1.1.1. {said}"\n')
    assert said in load_kb(kb_dir).providers["mutum"].topics["dns"].text


def test_marked_secret_the_password_is_served_as_a_credential_and_masked(kb_dir: Path) -> None:
    edit_mutum(
        kb_dir,
        DNS,
        "  dns:\n    text: |\n      Primário 143.202.80.56.\n"
        "      A senha do painel da OLT é Olt#2026x\n    secret: true\n",
    )
    kb: KB = load_kb(kb_dir)
    assert "Olt#2026x" in known_secrets(kb)
    assert answer(kb, "/dns mutum", NOW).credentials
    # What the gaps and audit logs store: the password the KB now knows, typed bare.
    assert mask(kb, "/dns mutum Olt#2026x") == "/dns mutum •••"
    assert mask(kb, "o cliente passou Olt#2026x e não entra") == "o cliente passou ••• e não entra"


def test_a_secret_topics_prose_ending_a_sentence_is_no_password(kb_dir: Path) -> None:
    # "a troca de senha é cobrada." in a secret topic: the word after the label, stripped of its
    # full stop, is a plain word, not a password; it must not become a secret the other ISPs'
    # public texts ("será cobrada.") then leak.
    edit_mutum(
        kb_dir,
        DNS,
        "  dns:\n    text: |\n      Primário 143.202.80.56.\n"
        "      A troca de senha é cobrada.\n    secret: true\n",
    )
    kb: KB = load_kb(kb_dir)
    assert not any(s.strip(".") == "cobrada" for s in known_secrets(kb))


@pytest.mark.parametrize(
    "typed",
    [
        "Servidor DNS: Login: root / Senha: Xk9!pQz2",
        "Acesso ao painel da OLT: usuário upcall, senha: Olt#2026x",
        "a senha do painel da olt é Olt#2026x",
    ],
)
def test_a_password_typed_with_its_label_is_masked_in_what_is_stored(typed: str) -> None:
    kb = load_kb(KB_DIR)
    masked = mask(kb, typed)
    assert "Xk9!pQz2" not in masked and "Olt#2026x" not in masked and "•••" in masked
