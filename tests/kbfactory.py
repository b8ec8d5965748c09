"""Tiny knowledge bases written into ``tmp_path`` for unit tests."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

TOPICS = """\
topics:
  - id: senha
    title: Senha padrão
    commands: [senha]
    secret: true
    keywords: [senha, senha do roteador]
  - id: dns
    title: DNS padrão
    commands: [dns]
    keywords: [dns]
  - id: bloqueio
    title: Bloqueio
    commands: [bloqueio]
    keywords: [bloqueio, bloquear, dias de atraso]
  - id: sistemas
    title: Sistemas
    commands: [sistemas]
    secret: true
    keywords: [sistemas, flashman]
"""

ALFA = """\
id: alfa
name: Alfa Net
aliases: [Alfanet, Velha Alfa]
lookalikes: [{name: ZETA, note: "Clientes da ZETA ligam por engano."}]
timezone: America/Sao_Paulo
state: SP
reviewed: 2026-01-01
notes: ["O documento pergunta o bloqueio, mas não traz resposta."]
topics:
  dns: "Primário 10.0.0.1 / Secundário 10.0.0.2 <b>"
  senha:
    text: Não informar ao cliente.
    templates:
      - text: "Olá, vou abrir um chamado."
equipment:
  - model: "W5-1200G"
    aliases: [W5]
    login: admin
    passwords: ["Segredo1@", "Segredo2@"]
    port: "9020"
  - model: "MERCUSYS AC12G"
    passwords: ["m1"]
  - model: "MERCUSYS MR30"
    passwords: ["m2"]
"""

BETA = """\
id: beta
name: Beta Fibra
timezone: America/Cuiaba
state: MT
reviewed: 2026-01-01
topics:
  dns: "Primário 20.0.0.1"
  bloqueio: "Bloqueio com 10 dias."
  sistemas: {text: "Flashman: login x / senha y", secret: true}
"""


def write_kb(root: Path, providers: dict[str, str] | None = None, topics: str = TOPICS) -> Path:
    """Write a KB under ``root`` (default: Alfa and Beta) and return its directory."""
    kb_dir = root / "knowledge"
    (kb_dir / "providers").mkdir(parents=True, exist_ok=True)
    (kb_dir / "topics.yaml").write_text(dedent(topics), encoding="utf-8")
    for pid, text in ({"alfa": ALFA, "beta": BETA} if providers is None else providers).items():
        (kb_dir / "providers" / f"{pid}.yaml").write_text(dedent(text), encoding="utf-8")
    return kb_dir
