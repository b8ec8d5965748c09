"""The knowledge base's YAML schema: what a supervisor may write, validated by pydantic.

Two kinds of file live under ``knowledge/``:

* ``topics.yaml`` -- the topic catalogue (:class:`Catalogue`): which topics exist, the slash
  commands that ask for them and the words that point to them in free text.
* ``providers/<id>.yaml`` -- one ISP (:class:`Provider`): identity, aliases, systems, and one
  entry per topic, transcribed from the ISP's seed document.

Every model forbids unknown keys so that a typo in a key is an error, not a silently ignored line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

_ID_RE = r"^[a-z][a-z0-9_]*$"
_UFS = frozenset(
    [
        "AC",
        "AL",
        "AP",
        "AM",
        "BA",
        "CE",
        "DF",
        "ES",
        "GO",
        "MA",
        "MT",
        "MS",
        "MG",
        "PA",
        "PB",
        "PR",
        "PE",
        "PI",
        "RJ",
        "RN",
        "RS",
        "RO",
        "RR",
        "SC",
        "SP",
        "SE",
        "TO",
    ]
)

Id = Annotated[str, StringConstraints(pattern=_ID_RE, max_length=32)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _as_list(value: Any) -> Any:
    """Let a supervisor write a single string where a list is expected."""
    if isinstance(value, str):
        return [value]
    return value


StrList = Annotated[list[NonEmpty], BeforeValidator(_as_list)]


def _check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"fuso horário IANA desconhecido: {name!r}") from exc
    return name


def _check_uf(uf: str) -> str:
    if uf not in _UFS:
        raise ValueError(f"UF desconhecida: {uf!r}")
    return uf


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


# --------------------------------------------------------------------------- topics.yaml


class Topic(_Model):
    """One entry of the topic catalogue."""

    id: Id
    title: NonEmpty
    commands: Annotated[
        list[Annotated[str, StringConstraints(pattern=_ID_RE)]], Field(min_length=1)
    ]
    keywords: StrList = Field(default_factory=list)
    description: str = ""
    secret: bool = False
    """Default for the provider entries of this topic: does the answer carry credentials?"""

    @field_validator("commands")
    @classmethod
    def _no_repeats(cls, commands: list[str]) -> list[str]:
        if len(set(commands)) != len(commands):
            raise ValueError("comando repetido")
        return commands


class Catalogue(_Model):
    topics: Annotated[list[Topic], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        seen_ids: set[str] = set()
        seen_cmds: dict[str, str] = {}
        for topic in self.topics:
            if topic.id in seen_ids:
                raise ValueError(f"tópico repetido: {topic.id}")
            seen_ids.add(topic.id)
            for cmd in topic.commands:
                if cmd in seen_cmds:
                    raise ValueError(
                        f"comando /{cmd} está em dois tópicos: {seen_cmds[cmd]} e {topic.id}"
                    )
                seen_cmds[cmd] = topic.id
        return self


# --------------------------------------------------------------------------- providers/<id>.yaml


class Template(_Model):
    """A suggested message ("Mensagem sugestiva"): copied verbatim by the agent."""

    title: str = "Mensagem sugestiva"
    text: NonEmpty


class TopicEntry(_Model):
    """What one ISP's document says about one topic."""

    text: NonEmpty
    templates: list[Template] = Field(default_factory=list)
    notes: StrList = Field(default_factory=list)
    """Supervisors' notes: ambiguities of the seed and the reading chosen. Shown to agents."""
    secret: bool | None = None
    """Does the text carry a password or system login? ``None``: the catalogue's default."""


def _entry_shorthand(value: Any) -> Any:
    """``dns: "text"`` is short for ``dns: {text: "text"}``."""
    if isinstance(value, str):
        return {"text": value}
    return value


Entry = Annotated[TopicEntry, BeforeValidator(_entry_shorthand)]


class Equipment(_Model):
    """One row of an ISP's default credentials table."""

    model: NonEmpty
    aliases: StrList = Field(default_factory=list)
    kind: str = ""
    """Free words: "roteador", "ONU", ... (helps matching "onu huawei")."""
    login: str | None = None
    """``None`` when the seed has "-" or nothing: the equipment asks for a password only."""
    passwords: StrList = Field(default_factory=list)
    port: str | None = None
    notes: StrList = Field(default_factory=list)


class Lookalike(_Model):
    """Another company whose customers reach this ISP by mistake: never an alias."""

    name: NonEmpty
    note: str = ""


class FidelitySkip(_Model):
    """A seed line deliberately not transcribed, and why."""

    line: NonEmpty
    reason: NonEmpty


class Provider(_Model):
    id: Id
    name: NonEmpty
    aliases: StrList = Field(default_factory=list)
    lookalikes: list[Lookalike] = Field(default_factory=list)
    timezone: Annotated[str, AfterValidator(_check_zone)]
    state: Annotated[str, AfterValidator(_check_uf)]
    systems: StrList = Field(default_factory=list)
    channels: StrList = Field(default_factory=list)
    reviewed: dt.date
    seed: str = ""
    notes: StrList = Field(default_factory=list)
    topics: dict[Id, Entry] = Field(default_factory=dict)
    equipment: list[Equipment] = Field(default_factory=list)
    default_port: str | None = None
    """Access port of the equipment rows that give none (the seed's single "porta de acesso")."""
    fidelity_skip: list[FidelitySkip] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_models(self) -> Provider:
        seen: set[str] = set()
        for item in self.equipment:
            key = re.sub(r"\W+", "", item.model.casefold())
            if key in seen:
                raise ValueError(f"equipamento repetido: {item.model}")
            seen.add(key)
        return self
