"""The secrets overlay: credentials kept out of the public KB and merged in at load time.

A repository that must not hold passwords keeps the provider files with the equipment rows but no
``passwords`` (or topics without their logins), and the values in a file that git ignores —
``knowledge/secrets.yaml`` by default, or ``KB_SECRETS_FILE`` (e.g. a path outside the checkout,
mounted from a vault)::

    providers:
      lasernet:
        equipment:
          - model: W5-1200G          # matched to the row of providers/lasernet.yaml by model
            login: admin
            passwords: ["Lnt12345@"]
        topics:
          sistemas:                   # replaces that topic entry as a whole
            text: "Anlix: login upcall / senha ..."
            secret: true

The overlay is validated like the KB (file:line errors) and merged before the provider file is
validated, so the result is checked as one provider. Two rows of one ISP for the same model are
refused, as the provider files refuse them (the last would silently win). A topic written here is
secret (``secret: true``) unless it says ``secret: false``: whoever puts it in the secrets file
means it to be treated as one (withheld from groups when so configured, audited, deleted, never
offered inline).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from bot.knowledge.schema import Entry, Id, NonEmpty, StrList, _Model
from bot.reading.text import compact

SECRETS_FILE = "secrets.yaml"


class EquipmentSecret(_Model):
    model: NonEmpty
    login: str | None = None
    passwords: StrList | None = None
    port: str | None = None


class ProviderSecrets(_Model):
    equipment: list[EquipmentSecret] = Field(default_factory=list)
    topics: dict[Id, Entry] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_models(self) -> ProviderSecrets:
        seen: set[str] = set()
        for item in self.equipment:
            key = compact(item.model)
            if key in seen:
                raise ValueError(f"equipamento repetido: {item.model}")
            seen.add(key)
        return self


class SecretsOverlay(_Model):
    providers: dict[Id, ProviderSecrets] = Field(default_factory=dict)


def merge(data: dict[str, Any], secrets: ProviderSecrets) -> list[str]:
    """Merge one ISP's secrets into its raw YAML data, in place; return the equipment models of
    the secrets that match no row of the provider file (the loader reports them in the secrets
    file)."""
    unplaced: list[str] = []
    rows = data.get("equipment")
    rows = rows if isinstance(rows, list) else []
    by_model = {compact(str(r.get("model", ""))): r for r in rows if isinstance(r, dict)}
    for item in secrets.equipment:
        row = by_model.get(compact(item.model))
        if row is None:
            unplaced.append(item.model)
            continue
        for key in ("login", "passwords", "port"):
            value = getattr(item, key)
            if value is not None:
                row[key] = value
    topics = data.setdefault("topics", {})
    if isinstance(topics, dict):
        for topic_id, entry in secrets.topics.items():
            written = entry.model_dump(exclude_defaults=True)
            written["secret"] = entry.secret is not False  # secret unless it says otherwise
            topics[topic_id] = written
    return unplaced
