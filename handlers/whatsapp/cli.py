"""``upcall-bot whatsapp connect`` and ``upcall-bot whatsapp groups``: the supervisor's tools.

``connect`` registers the instance's webhook in Evolution (``POST /webhook/set``): the URL
(``WHATSAPP_WEBHOOK_URL``), the one event the bot needs (``MESSAGES_UPSERT``) and the JWT secret
(``headers: {"jwt_key": WHATSAPP_WEBHOOK_SECRET}``). ``groups`` lists the instance's groups, id
and name, to fill ``WHATSAPP_GROUP_IDS``. Every failure is one pt-BR line on stderr.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable

from bot.app.settings import Settings, shown_url
from handlers.whatsapp.channel import rejected_line
from handlers.whatsapp.evolution import (
    EvolutionClient,
    GatewayDown,
    GatewayRejected,
    GatewayUnsure,
)


def _missing(settings: Settings, *names: str) -> list[str]:
    return [n for n in names if not str(getattr(settings, n.lower())).strip()]


def _run(settings: Settings, work: Callable[[EvolutionClient], Awaitable[int]]) -> int:
    async def main() -> int:
        client = EvolutionClient(
            settings.whatsapp_api_url, settings.whatsapp_api_key, settings.whatsapp_instance
        )
        try:
            return await work(client)
        except (GatewayDown, GatewayUnsure):
            print(
                f"WhatsApp: a Evolution API não responde em {shown_url(settings.whatsapp_api_url)} "
                "(WHATSAPP_API_URL).",
                file=sys.stderr,
            )
            return 1
        except GatewayRejected as exc:
            print(rejected_line(exc), file=sys.stderr)
            return 1
        finally:
            await client.close()

    return asyncio.run(main())


def connect(settings: Settings) -> int:
    missing = _missing(
        settings,
        "WHATSAPP_API_URL",
        "WHATSAPP_API_KEY",
        "WHATSAPP_INSTANCE",
        "WHATSAPP_WEBHOOK_SECRET",
        "WHATSAPP_WEBHOOK_URL",
    )
    if missing:
        print(f"WhatsApp: defina {', '.join(missing)} (veja .env.example).", file=sys.stderr)
        return 2

    async def work(client: EvolutionClient) -> int:
        await client.set_webhook(settings.whatsapp_webhook_url, settings.whatsapp_webhook_secret)
        print(
            f"Webhook registrado: {shown_url(settings.whatsapp_webhook_url, path=True)} "
            f"(instância {settings.whatsapp_instance}, evento MESSAGES_UPSERT, assinado com JWT)."
        )
        return 0

    return _run(settings, work)


def groups(settings: Settings, as_json: bool = False) -> int:
    missing = _missing(settings, "WHATSAPP_API_URL", "WHATSAPP_API_KEY", "WHATSAPP_INSTANCE")
    if missing:
        print(f"WhatsApp: defina {', '.join(missing)} (veja .env.example).", file=sys.stderr)
        return 2

    async def work(client: EvolutionClient) -> int:
        found = sorted(
            ((str(g.get("id", "")), str(g.get("subject") or "")) for g in await client.groups()),
            key=lambda pair: pair[1].casefold(),
        )
        if as_json:
            print(json.dumps([{"id": i, "name": n} for i, n in found], ensure_ascii=False))
            return 0
        for group_id, name in found:
            print(f"{group_id}  {name}")
        if not found:
            print("Nenhum grupo: adicione o número do bot a um grupo e rode de novo.")
        return 0

    return _run(settings, work)
