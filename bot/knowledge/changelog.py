"""What changed between two KBs, as short pt-BR lines for the group.

    VM NET › tópico /bloqueio alterado
    LaserNet › senha: modelo RF1200 adicionado

A topic is named as "tópico /cmd", the word the verb agrees with ("senha alterado", "cidades
removido" would not agree with the topic's own gender and number). Credential values never
appear: an equipment row is named by its model, and a changed password is reported as
"credenciais alteradas".
"""

from __future__ import annotations

from bot.knowledge.kb import KB
from bot.knowledge.schema import Equipment, Provider

_PROVIDER_FIELDS = {
    "name": "nome alterado",
    "aliases": "apelidos alterados",
    "lookalikes": "empresas que ligam por engano alteradas",
    "timezone": "fuso horário alterado",
    "state": "UF alterada",
    "systems": "sistemas alterados",
    "channels": "canais alterados",
    "notes": "observações alteradas",
    "default_port": "porta padrão alterada",
    "coverage": "horário da UPCALL alterado",
    "sectors": "horários dos setores alterados",
    "reviewed": "data de revisão alterada",
}


def diff(old: KB, new: KB) -> list[str]:
    """One line per change, ISPs in the new KB's order, topics in catalogue order."""
    lines: list[str] = []
    for pid in old.providers.keys() - new.providers.keys():
        lines.append(f"{old.providers[pid].name} › provedor removido")
    for pid, provider in new.providers.items():
        before = old.providers.get(pid)
        if before is None:
            lines.append(f"{provider.name} › provedor adicionado")
            continue
        lines += _provider_changes(new, before, provider)
    old_topics = {t.id: t for t in old.catalogue.topics}
    for topic in new.catalogue.topics:
        if topic.id not in old_topics:
            lines.append(f"Catálogo › tópico /{topic.commands[0]} adicionado")
        elif topic != old_topics[topic.id]:
            lines.append(f"Catálogo › tópico /{topic.commands[0]} alterado")
    new_ids = {t.id for t in new.catalogue.topics}
    lines += [f"Catálogo › tópico {t} removido" for t in old_topics if t not in new_ids]
    if old.catalogue.vocabulary != new.catalogue.vocabulary:
        lines.append("Catálogo › vocabulário alterado")
    return lines


def _provider_changes(kb: KB, old: Provider, new: Provider) -> list[str]:
    name = new.name
    lines = [
        f"{name} › {phrase}"
        for field, phrase in _PROVIDER_FIELDS.items()
        if getattr(old, field) != getattr(new, field)
    ]
    for topic in kb.catalogue.topics:
        a, b = old.topics.get(topic.id), new.topics.get(topic.id)
        if a == b:
            continue
        verb = "adicionado" if a is None else "removido" if b is None else "alterado"
        lines.append(f"{name} › tópico /{topic.commands[0]} {verb}")
    lines += _equipment_changes(name, old.equipment, new.equipment)
    extra = [k for k in {**old.topics, **new.topics} if k not in kb.topics]
    lines += [
        f"{name} › tópico {k} alterado" for k in extra if old.topics.get(k) != new.topics.get(k)
    ]
    return lines


def _equipment_changes(name: str, old: list[Equipment], new: list[Equipment]) -> list[str]:
    before = {e.model: e for e in old}
    after = {e.model: e for e in new}
    lines = [f"{name} › senha: modelo {m} adicionado" for m in after if m not in before]
    lines += [f"{name} › senha: modelo {m} removido" for m in before if m not in after]
    for model, item in after.items():
        prior = before.get(model)
        if prior is None or prior == item:
            continue
        what = []
        if prior.passwords != item.passwords or prior.login != item.login:
            what.append("credenciais alteradas")
        if prior.port != item.port:
            what.append("porta alterada")
        if prior.aliases != item.aliases or prior.notes != item.notes or prior.kind != item.kind:
            what.append("dados alterados")
        lines.append(f"{name} › senha: modelo {model}: {', '.join(what)}")
    return lines
