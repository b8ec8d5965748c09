"""Handler-level tests: the real Application, every Bot API call answered in process.

As PTB's own suite does, the bot's request object is a recording fake (``RecordingRequest``); each
update is built as Telegram sends it, fed to ``application.process_update``, and a test error
handler must have seen nothing (a raising handler does not fail ``process_update`` by itself).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import MUTUM_DNS, PASSWORD, kb_facts, make_settings
from harness import Harness, running
from PIL import Image
from telegram import Bot
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter

from bot.answers import followup as followup_module
from bot.app.settings import Settings
from bot.coverage import picture as picture_module
from bot.knowledge.kb import KB, load_kb
from fake_bot_api import (
    AGENT,
    BOT_USER,
    GROUP,
    MEMBER,
    OTHER_GROUP,
    STRANGER,
    SUPERVISOR,
    TOKEN,
    ApiCall,
    FakeTelegram,
    Upload,
    button_data,
    plain_text,
    private_chat,
    serving,
)
from handlers.telegram.app import publish_command_menus
from handlers.telegram.commands import MAX_MENU_COMMANDS, menu_commands
from handlers.telegram.errors import APOLOGY
from handlers.telegram.keyboard import AskStore, decode_ask, encode_ask
from handlers.telegram.state import ASKS_KEY


def only(calls: list[ApiCall], method: str) -> ApiCall:
    assert [c.method for c in calls] == [method], [c.method for c in calls]
    return calls[0]


def shown(call: ApiCall, key: str = "text") -> str:
    return plain_text(call[key], call.get("parse_mode"))


@pytest.fixture
def api() -> FakeTelegram:
    api = FakeTelegram()
    api.members[(GROUP["id"], MEMBER["id"])] = "member"
    return api


SAO_PAULO = ZoneInfo("America/Sao_Paulo")
MONDAY_NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=SAO_PAULO)

AnswerAt = Callable[[dt.datetime | None], list[dt.datetime | None]]


@pytest.fixture
def answer_at(monkeypatch: pytest.MonkeyPatch) -> AnswerAt:
    """``answer_at(moment)``: the handlers answer as at ``moment`` (None: at the clock they pass);
    returns the list of the moments they pass, filled as they answer."""
    real_answer = followup_module.answer

    def fix(moment: dt.datetime | None) -> list[dt.datetime | None]:
        seen: list[dt.datetime | None] = []

        def at(kb: KB, text: str, now: dt.datetime | None = None) -> Any:
            seen.append(now)
            return real_answer(kb, text, now if moment is None else moment)

        monkeypatch.setattr(followup_module, "answer", at)
        return seen

    return fix


@pytest.fixture
async def tg(api: FakeTelegram, settings: Settings, real_kb: KB) -> AsyncIterator[Harness]:
    async for harness in running(settings, real_kb, api):
        yield harness


# --------------------------------------------------------------------------- the application


async def test_application_is_assembled_as_specified(tg: Harness, settings: Settings) -> None:
    app = tg.app
    defaults = app.bot.defaults
    assert defaults is not None
    assert defaults.parse_mode == ParseMode.HTML
    assert defaults.tzinfo == ZoneInfo(settings.timezone)
    assert isinstance(app.bot.rate_limiter, AIORateLimiter)
    assert app.bot.rate_limiter._max_retries == 3
    assert app.job_queue is not None
    assert app.bot.base_url == f"{settings.telegram_api_url}{settings.telegram_bot_token}"
    assert app.bot.username == BOT_USER["username"]  # getMe answered at initialize
    assert [c.method for c in tg.api.calls] == ["getMe"]


META_COMMANDS = ["provedor", "provedores", "buscar", "agora", "escala", "ajuda"]
"""The menu's last entries, after the topics: the commands that are not topics."""


async def test_menus_are_published_per_scope_from_the_catalogue(tg: Harness, real_kb: KB) -> None:
    await publish_command_menus(tg.app)
    calls = tg.api.calls_to("setMyCommands")
    assert [c["scope"]["type"] for c in calls] == ["all_group_chats", "all_private_chats"]
    assert all(c.error is None for c in calls)  # the fake checks names and description lengths
    names = [c["command"] for c in calls[0]["commands"]]
    assert names == [t.commands[0] for t in real_kb.catalogue.topics] + META_COMMANDS


def _tiny_kb(root: Path, topic_count: int) -> KB:
    (root / "providers").mkdir(parents=True)
    topics = "".join(
        f"  - id: t{i}\n    title: Tópico {i}\n    commands: [t{i}]\n    description: d{i}\n"
        for i in range(topic_count)
    )
    (root / "topics.yaml").write_text(
        "topics:\n  - id: wifi\n    title: Wi-Fi\n    commands: [wifi, rede]\n" + topics,
        encoding="utf-8",
    )
    (root / "providers" / "acme.yaml").write_text(
        "id: acme\nname: Acme Net\ntimezone: America/Sao_Paulo\nstate: SP\n"
        "reviewed: 2026-01-01\ntopics:\n  wifi: Senha do wi-fi na etiqueta.\n",
        encoding="utf-8",
    )
    return load_kb(root)


def test_a_new_yaml_topic_appears_in_the_menu(tmp_path: Path) -> None:
    menu = menu_commands(_tiny_kb(tmp_path, 0))
    assert menu[0].command == "wifi"
    assert menu[0].description == "Wi-Fi"  # no description: the title, at least 3 characters
    assert "rede" not in [c.command for c in menu]  # aliases answer, the menu shows one name


def test_the_menu_respects_telegram_limits(tmp_path: Path) -> None:
    menu = menu_commands(_tiny_kb(tmp_path, 150))
    assert len(menu) == MAX_MENU_COMMANDS
    assert [c.command for c in menu[-6:]] == META_COMMANDS
    assert all(3 <= len(c.description) <= 256 for c in menu)  # "d0" is padded


# --------------------------------------------------------------------------- commands


@pytest.mark.parametrize(
    "text", ["/senha lasernet W5-1200G", "/senha@UpcallBot lasernet W5-1200G", "/senhas laser w5"]
)
async def test_a_command_in_the_allowed_group_gets_the_answer(tg: Harness, text: str) -> None:
    update = tg.updates.message(GROUP, AGENT, text)
    sent = only(await tg.feed(update), "sendMessage")
    assert sent["chat_id"] == GROUP["id"]
    assert sent["parse_mode"] == "HTML"
    assert PASSWORD in shown(sent)
    assert "<code>Lnt12345@</code>" in sent["text"]  # one tap copies it
    assert sent["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert sent["link_preview_options"] == {"is_disabled": True}


async def test_a_command_for_another_bot_is_left_alone(tg: Harness) -> None:
    assert await tg.say(GROUP, AGENT, "/senha@OtherBot lasernet W5-1200G") == []
    assert await tg.say(GROUP, AGENT, "/qualquer@OtherBot coisa") == []


async def test_an_unknown_command_gets_the_core_suggestion_with_a_button(tg: Harness) -> None:
    # Two slips from /dns in a short word: not understood, suggested, with a button.
    sent = only(await tg.say(GROUP, AGENT, "/dnsxx mutum"), "sendMessage")
    assert "O comando /dnsxx não existe." in shown(sent)
    [(label, data)] = list(button_data(sent.result))
    assert label == "/dns mutum" and data == f"?{label}"


async def test_a_command_several_commands_start_asks_which_and_a_tap_answers(
    tg: Harness,
) -> None:
    """In the group, with the bot's name: "/pla" starts /planos and /plantao (a real tie)."""
    sent = only(await tg.say(GROUP, AGENT, "/pla@UpcallBot seja"), "sendMessage")
    assert "/pla pode ser mais de um comando. Qual deles?" in shown(sent)
    buttons = dict(button_data(sent.result))
    assert sorted(buttons) == ["/planos · Planos", "/plantao · Plantão (fins de semana e feriados)"]
    press = tg.updates.callback(MEMBER, sent.result, buttons["/planos · Planos"])
    calls = await tg.feed(press)
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert "Seja Fibra › Planos" in shown(calls[1])


@pytest.mark.parametrize(
    "text",
    [
        "/desbl@UpcallBot da vm",  # a prefix, the bot's name, "da" and a short form
        "/DESBLOQEUIO@UpcallBot VM",  # a slip in capitals
        "/vm@UpcallBot desbl",  # the ISP first
        "/desbloqueiovm@UpcallBot",  # no space
        "/desbloqueio? vm",
        "/religar@UpcallBot vm",  # a topic's word as the command
        "/desblq@UpcallBot vm",  # a prefix with a letter wrong
    ],
)
async def test_a_hurried_command_with_the_bots_name_in_the_group_is_answered(
    tg: Harness, text: str
) -> None:
    sent = only(await tg.say(GROUP, AGENT, text), "sendMessage")
    assert "VM NET › Desbloqueio de confiança" in shown(sent)


async def test_a_command_with_a_space_after_the_slash_is_answered_in_private(tg: Harness) -> None:
    """No bot_command entity ("/ dns", "//dns"): the text handler, in a private chat."""
    for text in ("/ dns mutum", "//dns mutum"):
        sent = only(await tg.say(private_chat(AGENT), AGENT, text), "sendMessage")
        assert MUTUM_DNS in shown(sent)


async def test_a_command_typed_in_a_hurry_is_answered_saying_what_was_understood(
    tg: Harness,
) -> None:
    sent = only(await tg.say(GROUP, AGENT, "/dsn mutum"), "sendMessage")
    assert "Entendi /dsn como /dns." in shown(sent)
    assert MUTUM_DNS in shown(sent)
    prefix = only(await tg.say(GROUP, AGENT, "/desbl vm"), "sendMessage")
    assert "VM NET › Desbloqueio de confiança" in shown(prefix)


async def test_templates_are_sent_as_code_blocks_to_copy(tg: Harness) -> None:
    sent = only(await tg.say(GROUP, AGENT, "/contratacao netcenter"), "sendMessage")
    assert re.search(r"<pre>Fico feliz em saber que deseja adquirir.*?</pre>", sent["text"], re.S)


async def test_a_long_answer_is_split_with_the_question_quoted_once(tg: Harness) -> None:
    calls = await tg.say(GROUP, SUPERVISOR, "/provedor mutum")
    assert [c.method for c in calls] == ["sendMessage"] * 4
    assert "reply_parameters" in calls[0].params
    assert all("reply_parameters" not in c.params for c in calls[1:])
    assert all(len(shown(c)) <= 4096 for c in calls)


async def test_a_choice_keyboard_rides_on_the_last_part(tg: Harness) -> None:
    calls = await tg.say(private_chat(AGENT), AGENT, "/dns")
    sent = only(calls, "sendMessage")
    labels = [label for label, _ in button_data(sent.result)]
    # LaserNet's document has no DNS: its button says so before the tap (QA 7 #19).
    assert labels == [
        "LaserNet (documento não traz)",
        "Mutum Fibra",
        "NETCENTER",
        "Seja Fibra",
        "VM NET",
    ]
    assert "reply_parameters" not in sent.params  # no quoting in a private chat


async def test_an_edited_message_is_not_answered_again(tg: Harness) -> None:
    update = tg.updates.message(GROUP, AGENT, "/dns mutum", edited=True)
    assert await tg.feed(update) == []


# --------------------------------------------------------------------------- access


@pytest.mark.parametrize("text", ["/senha lasernet W5-1200G", "/ajuda", "@UpcallBot dns mutum"])
async def test_an_unknown_group_gets_one_short_refusal_without_kb_content(
    tg: Harness, real_kb: KB, text: str
) -> None:
    sent = only(await tg.say(OTHER_GROUP, SUPERVISOR, text), "sendMessage")
    assert sent["chat_id"] == OTHER_GROUP["id"]
    assert f"<code>{OTHER_GROUP['id']}</code>" in sent["text"]
    assert "reply_markup" not in sent.params
    plain = shown(sent)
    for fact in kb_facts(real_kb):
        assert fact not in plain
    assert "/" not in plain  # not even the list of commands


async def test_a_stranger_in_private_is_refused_after_asking_telegram(
    tg: Harness, real_kb: KB
) -> None:
    calls = await tg.say(private_chat(STRANGER), STRANGER, "qual o dns da mutum?")
    assert [c.method for c in calls] == ["getChatMember", "sendMessage"]
    assert calls[0].params == {"chat_id": GROUP["id"], "user_id": STRANGER["id"]}
    assert f"<code>{STRANGER['id']}</code>" in calls[1]["text"]
    assert all(fact not in shown(calls[1]) for fact in kb_facts(real_kb))


@pytest.mark.parametrize("user", [SUPERVISOR, AGENT])
async def test_supervisors_and_agents_ask_in_private_without_a_membership_check(
    tg: Harness, user: dict[str, Any]
) -> None:
    sent = only(await tg.say(private_chat(user), user, "qual o dns da mutum?"), "sendMessage")
    assert MUTUM_DNS in shown(sent)


async def test_a_group_member_asks_in_private_and_the_membership_is_cached(tg: Harness) -> None:
    calls = await tg.say(private_chat(MEMBER), MEMBER, "qual o dns da mutum?")
    assert [c.method for c in calls] == ["getChatMember", "sendMessage"]
    assert MUTUM_DNS in shown(calls[1])
    calls = await tg.say(private_chat(MEMBER), MEMBER, "/senha lasernet W5-1200G")
    assert PASSWORD in shown(only(calls, "sendMessage"))


async def test_a_failing_membership_check_means_no_access_not_an_error(tg: Harness) -> None:
    tg.api.member_errors[GROUP["id"]] = "Bad Request: chat not found"
    calls = await tg.say(private_chat(MEMBER), MEMBER, "/dns mutum")
    assert [c.method for c in calls] == ["getChatMember", "sendMessage"]
    assert MUTUM_DNS not in shown(calls[1])


async def test_a_group_admin_asks_in_private(tg: Harness, api: FakeTelegram) -> None:
    api.members[(GROUP["id"], STRANGER["id"])] = "administrator"
    calls = await tg.say(private_chat(STRANGER), STRANGER, "/dns mutum")
    assert MUTUM_DNS in shown(calls[-1])


# --------------------------------------------------------------------------- free text


async def test_group_chatter_is_ignored(tg: Harness) -> None:
    assert await tg.say(GROUP, AGENT, "qual o dns da mutum?") == []
    assert await tg.say(GROUP, AGENT, "@fulano qual o dns da mutum?") == []
    assert await tg.say(OTHER_GROUP, AGENT, "qual o dns da mutum?") == []  # no refusal either


async def test_a_mention_in_the_group_is_a_question(tg: Harness) -> None:
    sent = only(await tg.say(GROUP, AGENT, "@UpcallBot qual o dns da mutum?"), "sendMessage")
    assert MUTUM_DNS in shown(sent)
    sent = only(await tg.say(GROUP, AGENT, "qual o dns da @upcallbot mutum"), "sendMessage")
    assert MUTUM_DNS in shown(sent)


async def test_a_reply_to_the_bot_in_the_group_is_a_question(tg: Harness) -> None:
    first = only(await tg.say(GROUP, AGENT, "/ajuda"), "sendMessage")
    update = tg.updates.message(GROUP, AGENT, "dns da mutum", reply_to=first.result)
    sent = only(await tg.feed(update), "sendMessage")
    assert MUTUM_DNS in shown(sent)


async def test_a_clue_beside_a_topic_named_shows_the_clues_topic_too(tg: Harness) -> None:
    # "SeAC" found the ISP and is written under its TV answer; "plano" names the plans.
    text = "@UpcallBot cli com plano seac diz q a net nao funciona"
    sent = only(await tg.say(GROUP, AGENT, text), "sendMessage")
    body = shown(sent)
    assert "SeAC → Seja Fibra" in body
    assert "R$89" in body and "Plano: SeAC" in body  # both sections on screen
    labels = [label for label, _data in button_data(sent.result)]
    assert labels == ["Planos (completo)", "TV e aplicativos (completo)"]


async def test_an_answer_posted_through_inline_mode_is_not_a_question(tg: Harness) -> None:
    update = tg.updates.message(
        private_chat(AGENT), AGENT, "Mutum Fibra › DNS padrão ...", via_bot=BOT_USER
    )
    assert await tg.feed(update) == []


# --------------------------------------------------------------------------- buttons


async def _choice(tg: Harness, chat: dict[str, Any]) -> dict[str, Any]:
    sent = only(await tg.say(chat, AGENT, "/dns"), "sendMessage")
    return sent.result  # type: ignore[no-any-return]


def _data(message: dict[str, Any], label: str) -> str:
    return dict(button_data(message))[label]


async def test_a_button_press_edits_the_message_into_the_answer(tg: Harness) -> None:
    message = await _choice(tg, GROUP)
    press = tg.updates.callback(MEMBER, message, _data(message, "Mutum Fibra"))
    calls = await tg.feed(press)
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert calls[0]["callback_query_id"] == press["callback_query"]["id"]
    edit = calls[1]
    assert (edit["chat_id"], edit["message_id"]) == (GROUP["id"], message["message_id"])
    assert MUTUM_DNS in shown(edit)
    assert "reply_markup" not in edit.params  # the choice is made: no more buttons
    # Pressing it again (a second tap before the edit showed) changes nothing and is no error.
    again = await tg.feed(tg.updates.callback(MEMBER, message, _data(message, "Mutum Fibra")))
    assert [c.method for c in again] == ["answerCallbackQuery", "editMessageText"]
    assert again[1].error is not None and "not modified" in again[1].error


async def test_a_long_answer_chosen_by_button_continues_in_new_messages(tg: Harness) -> None:
    message = await tg.say(GROUP, AGENT, "/provedor")
    sent = only(message, "sendMessage").result
    calls = await tg.feed(tg.updates.callback(AGENT, sent, _data(sent, "VM NET")))
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"] + [
        "sendMessage"
    ] * 3
    assert all(c["chat_id"] == GROUP["id"] for c in calls[1:])


async def test_a_long_ask_travels_under_a_short_key(tg: Harness) -> None:
    store = tg.app.bot_data[ASKS_KEY]
    ask = "/senha lasernet " + "W5-1200G " * 10
    data = encode_ask(ask, store)
    assert data.startswith("#") and len(data.encode()) <= 64
    assert decode_ask(data, store) == ask
    message = await _choice(tg, GROUP)
    calls = await tg.feed(tg.updates.callback(AGENT, message, data))
    assert PASSWORD in shown(calls[-1])


async def test_a_forgotten_button_asks_to_ask_again(tg: Harness) -> None:
    message = await _choice(tg, GROUP)
    calls = await tg.feed(tg.updates.callback(AGENT, message, "#0123456789abcdef0123"))
    call = only(calls, "answerCallbackQuery")
    assert call["show_alert"] is True and "expirou" in call["text"]
    calls = await tg.feed(tg.updates.callback(AGENT, message, "not-ours"))
    assert only(calls, "answerCallbackQuery")["show_alert"] is True


async def test_a_button_in_a_chat_that_is_not_allowed_edits_nothing(
    tg: Harness, real_kb: KB
) -> None:
    message = {**(await _choice(tg, GROUP)), "chat": OTHER_GROUP}
    calls = await tg.feed(tg.updates.callback(AGENT, message, "?/dns mutum"))
    call = only(calls, "answerCallbackQuery")
    assert call["show_alert"] is True
    assert str(OTHER_GROUP["id"]) in call["text"]
    assert all(fact not in call["text"] for fact in kb_facts(real_kb))


def test_callback_data_fits_telegram() -> None:
    store = AskStore(size=2)
    assert encode_ask("/dns mutum", store) == "?/dns mutum"
    keys = [encode_ask("/x " + "y" * 80 + str(i), store) for i in range(3)]
    assert len(store) == 2
    assert decode_ask(keys[0], store) is None  # the oldest is forgotten
    assert decode_ask(keys[2], store) is not None
    assert encode_ask("/ação " + "é" * 28, store).startswith("#")  # 64 *bytes*, not characters


# --------------------------------------------------------------------------- inline mode


def _results(calls: list[ApiCall]) -> list[dict[str, Any]]:
    return only(calls, "answerInlineQuery")["results"]  # type: ignore[no-any-return]


async def test_inline_query_offers_the_answer(tg: Harness) -> None:
    query = tg.updates.inline_query(AGENT, "dns mutum")
    calls = await tg.feed(query)
    call = only(calls, "answerInlineQuery")
    assert call["inline_query_id"] == query["inline_query"]["id"]
    assert call["is_personal"] is True
    [result] = call["results"]
    assert result["type"] == "article"
    assert result["title"] == "Mutum Fibra › DNS padrão"
    content = result["input_message_content"]
    assert MUTUM_DNS in plain_text(content["message_text"], content["parse_mode"])


async def test_inline_choice_becomes_one_result_per_option(tg: Harness) -> None:
    results = _results(await tg.feed(tg.updates.inline_query(AGENT, "dns")))
    assert len(results) == 5
    names = ["LaserNet", "Mutum Fibra", "NETCENTER", "Seja Fibra", "VM NET"]
    assert all(name in r["title"] for name, r in zip(names, results, strict=True))
    # LaserNet's document has no DNS: the article says so rather than borrowing another's.
    assert "não traz" in results[0]["title"]
    assert results[1]["title"] == "Mutum Fibra › DNS padrão"


async def test_inline_never_offers_credentials(tg: Harness) -> None:
    calls = await tg.feed(tg.updates.inline_query(SUPERVISOR, "senha lasernet W5-1200G"))
    call = only(calls, "answerInlineQuery")
    assert call["results"] == []
    assert call["button"]["start_parameter"] == "ajuda"
    assert PASSWORD not in str(call.params)


async def test_inline_query_from_a_stranger_gets_no_results(tg: Harness) -> None:
    calls = await tg.feed(tg.updates.inline_query(STRANGER, "dns mutum"))
    assert [c.method for c in calls] == ["getChatMember", "answerInlineQuery"]
    assert calls[1]["results"] == []
    assert calls[1]["cache_time"] == 0 and calls[1]["is_personal"] is True


async def test_an_empty_inline_query_gets_no_results(tg: Harness) -> None:
    call = only(await tg.feed(tg.updates.inline_query(AGENT, "  ")), "answerInlineQuery")
    assert call["results"] == []


async def test_inline_query_from_a_group_member(tg: Harness) -> None:
    calls = await tg.feed(tg.updates.inline_query(MEMBER, "dns mutum", chat_type="private"))
    assert [c.method for c in calls] == ["getChatMember", "answerInlineQuery"]
    assert len(calls[-1]["results"]) == 1


# --------------------------------------------------------------------------- membership, errors


async def test_added_to_an_unknown_group_the_bot_shows_its_id(tg: Harness) -> None:
    sent = only(await tg.feed(tg.updates.bot_added(OTHER_GROUP, SUPERVISOR)), "sendMessage")
    assert f"<code>{OTHER_GROUP['id']}</code>" in sent["text"]
    assert await tg.feed(tg.updates.bot_added(GROUP, SUPERVISOR)) == []


async def test_an_error_is_logged_and_the_chat_gets_an_apology(
    tg: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    tg.api.fail_next("sendMessage", 400, "Bad Request: chat not found")
    calls = await tg.feed(tg.updates.message(GROUP, AGENT, "/dns mutum"), expect_error=True)
    assert [c.method for c in calls] == ["sendMessage", "sendMessage"]
    assert calls[0].error is not None
    assert calls[1]["text"] == APOLOGY
    assert len(tg.errors) == 1
    assert "Traceback" in caplog.text and "chat not found" in caplog.text.lower()
    assert "dns mutum" not in caplog.text  # the log says which update, not what it said


async def test_answers_use_upcall_s_clock(tg: Harness, answer_at: AnswerAt) -> None:
    seen = answer_at(None)
    await tg.say(GROUP, AGENT, "/dns mutum")
    [now] = seen
    assert now is not None and now.tzinfo == ZoneInfo("America/Sao_Paulo")
    assert abs((now - dt.datetime.now(dt.UTC)).total_seconds()) < 60


async def test_settings_reach_the_handlers(api: FakeTelegram, real_kb: KB) -> None:
    # No allowed group: a stranger is refused without any membership check.
    async for tg in running(make_settings(allowed_chat_ids=[]), real_kb, api):
        calls = await tg.say(private_chat(STRANGER), STRANGER, "/dns mutum")
        assert [c.method for c in calls] == ["sendMessage"]
        sent = only(await tg.say(GROUP, AGENT, "/dns mutum"), "sendMessage")
        assert MUTUM_DNS not in shown(sent)


async def test_polling_troubles_are_logged_without_a_traceback(
    tg: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    from telegram.error import Conflict, TimedOut

    await tg.app.process_error(None, TimedOut())
    await tg.app.process_error(None, Conflict("terminated by other getUpdates request"))
    assert "Traceback" not in caplog.text
    assert "another process is polling" in caplog.text
    assert tg.api.calls_to("sendMessage") == []


# --------------------------------------------------------------------------- /escala picture


def _png(call: ApiCall) -> Image.Image:
    upload = call["photo"]
    assert isinstance(upload, Upload) and upload.mime_type == "image/png"
    image = Image.open(io.BytesIO(upload.data))
    assert image.format == "PNG"
    return image


async def test_escala_sends_the_picture_then_the_text(tg: Harness) -> None:
    update = tg.updates.message(GROUP, AGENT, "/escala")
    calls = await tg.feed(update)
    assert [c.method for c in calls] == ["sendPhoto", "sendMessage"]
    photo, sent = calls
    assert photo.error is None and sent.error is None
    assert photo["chat_id"] == sent["chat_id"] == GROUP["id"]
    assert _png(photo).width == 1200
    assert photo.result["photo"][0]["width"] == 1200
    assert shown(photo, "caption").startswith("Escala da UPCALL — ")
    # The picture answers the question; the text follows it, with the day buttons.
    assert photo["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert "reply_parameters" not in sent.params
    assert "Escala da UPCALL" in shown(sent) and "• LaserNet:" in shown(sent)
    assert [label for label, _ in button_data(sent.result)][-1].endswith("▶")


async def test_escala_semana_sends_the_week_picture(tg: Harness) -> None:
    calls = await tg.say(private_chat(AGENT), AGENT, "/escala semana")
    assert [c.method for c in calls] == ["sendPhoto", "sendMessage"]
    image = _png(calls[0])
    assert image.height > image.width  # seven rows per ISP
    assert shown(calls[1]).count("• VM NET:") == 7


async def test_a_failing_picture_still_gives_the_text(
    tg: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    tg.api.fail_next("sendPhoto", 400, "Bad Request: IMAGE_PROCESS_FAILED")
    update = tg.updates.message(GROUP, AGENT, "/escala amanhã")
    calls = await tg.feed(update)  # and the error handler saw nothing
    assert [c.method for c in calls] == ["sendPhoto", "sendMessage"]
    assert calls[0].error is not None
    text = calls[1]
    assert text.error is None and "Escala da UPCALL" in shown(text)
    assert text["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert "image_process_failed" in caplog.text.lower()


async def test_a_picture_that_cannot_be_drawn_still_gives_the_text(
    tg: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(timeline: object) -> bytes:
        raise OSError("no font")

    monkeypatch.setattr(picture_module, "render_png", broken)
    calls = await tg.say(GROUP, AGENT, "/escala")
    assert [c.method for c in calls] == ["sendMessage"]
    assert "could not draw the timeline" in caplog.text


async def test_other_answers_and_button_presses_send_no_picture(tg: Harness) -> None:
    assert only(await tg.say(GROUP, AGENT, "/agora"), "sendMessage")
    calls = await tg.say(GROUP, AGENT, "/escala")
    text = calls[-1].result
    _, ask = list(button_data(text))[-1]
    calls = await tg.feed(tg.updates.callback(AGENT, text, ask))
    # A text message cannot become a photo: the next day arrives as text, in place, and the
    # picture above it is replaced, never sent again (see tests/test_escala_buttons.py).
    methods = [c.method for c in calls]
    assert methods == ["answerCallbackQuery", "editMessageText", "editMessageMedia"]
    assert "Escala da UPCALL" in shown(calls[1])


async def test_inline_escala_stays_text(tg: Harness) -> None:
    calls = await tg.feed(tg.updates.inline_query(AGENT, "/escala"))
    [result] = only(calls, "answerInlineQuery")["results"]
    assert result["type"] == "article"


async def test_the_fake_api_takes_a_photo_uploaded_over_http() -> None:
    png = io.BytesIO()
    Image.new("RGB", (300, 200), (46, 125, 50)).save(png, format="PNG")
    with serving() as server:
        async with Bot(TOKEN, base_url=server.base_url) as bot:
            message = await bot.send_photo(GROUP["id"], png.getvalue(), caption="Escala <b>x</b>")
        call = server.api.calls_to("sendPhoto")[0]
    assert isinstance(call["photo"], Upload) and call["photo"].data == png.getvalue()
    assert call["caption"] == "Escala <b>x</b>"
    assert (message.photo[0].width, message.photo[0].height) == (300, 200)


# --------------------------------------------------------------------------- issue 12


async def test_the_isp_named_by_context_is_answered_with_the_reason(tg: Harness) -> None:
    sent = only(
        await tg.say(GROUP, AGENT, "@UpcallBot cliente de ubatuba qual o dns?"), "sendMessage"
    )
    text = shown(sent)
    assert "Ubatuba → Seja Fibra" in text and "1.1.1.1" in text
    shared = only(await tg.say(GROUP, AGENT, "@UpcallBot leveduca não funciona"), "sendMessage")
    labels = [label for label, _ in button_data(shared.result)]
    assert labels == ["NETCENTER", "Seja Fibra"]


async def test_a_pasted_message_is_answered_for_the_place_the_customer_tells(
    tg: Harness,
) -> None:
    """A pasted customer's message telling the place and, in passing, another ISP's price and
    a brand another ISP lists: the place's ISP, saying why; the agent's line under the paste
    is the question read."""
    pasted = (
        "@UpcallBot cliente mandou: boa tarde, moro em sertania e pago 49,90 todo mes. comprei "
        "um roteador tp-link e as cameras da loja sao intelbras, ja reiniciei tudo e a internet "
        "continua caindo, o tecnico pode vir amanha?\ncom quantos dias de atraso bloqueia?"
    )
    text = shown(only(await tg.say(GROUP, AGENT, pasted), "sendMessage"))
    assert "VM NET › Bloqueio" in text and "→ VM NET" in text  # why: the place or the brand
    assert "com quantos dias de atraso bloqueia?" in text  # the question read: the agent's line
    assert "LaserNet" not in text


async def test_money_questions_reach_the_rule_through_telegram(tg: Harness) -> None:
    """Two dates tell the days late (the blocking rule); a picture of a payment sent is a
    receipt; a rule two financial texts share shows both."""
    late = only(
        await tg.say(
            GROUP, AGENT, "@UpcallBot netcenter o boleto venceu dia 3, hoje é dia 8, cortou?"
        ),
        "sendMessage",
    )
    assert "NETCENTER › Bloqueio" in shown(late) and "4º dia de atraso" in shown(late)
    picture = only(
        await tg.say(private_chat(AGENT), AGENT, "vm net cliente mandou print do pix, e agora?"),
        "sendMessage",
    )
    assert "VM NET › Comprovante de pagamento" in shown(picture)
    shared = only(
        await tg.say(
            private_chat(AGENT),
            AGENT,
            "netcenter cliente não entende porque o boleto de vencimento 25 é do mês que vem",
        ),
        "sendMessage",
    )
    assert "Envio de fatura" in shown(shared) and "Outras regras do financeiro" in shown(shared)
    assert shown(shared).count("Cobrança é pré-paga") == 2


async def test_a_rare_word_of_one_or_two_isps_names_them_through_telegram(tg: Harness) -> None:
    sent = only(
        await tg.say(private_chat(AGENT), AGENT, "posso mandar o carne pro cliente?"), "sendMessage"
    )
    assert "LaserNet › Envio de fatura" in shown(sent) and "carnê → LaserNet" in shown(sent)
    shared = only(
        await tg.say(private_chat(AGENT), AGENT, "o paramount do cliente travou, e agora?"),
        "sendMessage",
    )
    assert [label for label, _ in button_data(shared.result)] == ["Seja Fibra", "VM NET"]
    plain = only(await tg.say(private_chat(AGENT), AGENT, "qual o dns?"), "sendMessage")
    assert len(list(button_data(plain.result))) == 5


async def test_a_phrase_one_isp_writes_names_it_through_telegram(tg: Harness) -> None:
    phrase = only(
        await tg.say(private_chat(AGENT), AGENT, "o bloqueio parcial dura quantos dias?"),
        "sendMessage",
    )
    assert "LaserNet › Bloqueio" in shown(phrase)
    assert "Bloqueio Parcial → LaserNet" in shown(phrase)
    # A catalogue keyword at the core of its topic is anyone's wording: five ISPs.
    neutral = only(
        await tg.say(private_chat(AGENT), AGENT, "cliente pediu a segunda via"),
        "sendMessage",
    )
    assert len(list(button_data(neutral.result))) == 5


async def test_a_price_the_topics_answer_charges_names_its_isp_through_telegram(
    tg: Harness,
) -> None:
    # "R$ 50": LaserNet's 49,90 rounded and VM NET's fees; only VM NET's reset answer charges it.
    reset = only(
        await tg.say(private_chat(AGENT), AGENT, "cliente resetou o roteador, a taxa é R$ 50?"),
        "sendMessage",
    )
    assert "VM NET › Reset" in shown(reset) and "R$ 50 → VM NET" in shown(reset)
    # A sum alone names no one.
    alone = only(
        await tg.say(private_chat(AGENT), AGENT, "cliente quer pagar 20 reais"), "sendMessage"
    )
    assert len(list(button_data(alone.result))) == 5


async def test_two_words_of_one_isps_line_and_a_shared_brand_through_telegram(
    tg: Harness,
) -> None:
    pair = only(
        await tg.say(private_chat(AGENT), AGENT, "a triagem do n1 interno demora quanto?"),
        "sendMessage",
    )
    assert "Mutum Fibra › " in shown(pair) and "triagem → Mutum Fibra" in shown(pair)
    brand = only(await tg.say(private_chat(AGENT), AGENT, "qual a porta do tplink?"), "sendMessage")
    assert [label for label, _ in button_data(brand.result)] == ["Seja Fibra", "VM NET"]


async def test_short_forms_ports_and_plans_name_the_isp_through_telegram(tg: Harness) -> None:
    seja = only(await tg.say(private_chat(AGENT), AGENT, "seja: qual o dns?"), "sendMessage")
    assert "Seja Fibra › DNS" in shown(seja) and "1.1.1.1" in shown(seja)
    laser = only(
        await tg.say(private_chat(AGENT), AGENT, "laser cliente quer cancelar"), "sendMessage"
    )
    assert "LaserNet › Cancelamento" in shown(laser)
    port = only(
        await tg.say(private_chat(AGENT), AGENT, "qual login na porta 8010?"), "sendMessage"
    )
    assert "porta 8010 → Mutum Fibra" in shown(port)


async def test_numbers_and_codes_name_the_isp_through_telegram(tg: Harness) -> None:
    port = only(
        await tg.say(private_chat(AGENT), AGENT, "pela 2389 o roteador não responde"),
        "sendMessage",
    )
    assert "porta 2389 → Seja Fibra" in shown(port) and "Porta de acesso" in shown(port)
    clock = only(
        await tg.say(private_chat(AGENT), AGENT, "o provedor é gmt-4 né? qual o dns"),
        "sendMessage",
    )
    assert "GMT-4 → Mutum Fibra" in shown(clock) and "Mutum Fibra › DNS" in shown(clock)
    # A KB password typed names its ISP in private (a credential answer) and is never quoted
    # back as the reason.
    typed = only(await tg.say(private_chat(AGENT), AGENT, "@MFibra$0125 não entrou"), "sendMessage")
    [why] = [line for line in shown(typed).splitlines() if "→" in line]
    assert why == "senha digitada → Mutum Fibra"


async def test_a_lookalike_beside_an_isp_is_said_through_telegram(tg: Harness) -> None:
    sent = only(
        await tg.say(private_chat(AGENT), AGENT, "diz que é da trix, é da seja?"), "sendMessage"
    )
    assert "TRIX não é um provedor atendido pela UPCALL" in shown(sent)


async def test_a_company_not_served_is_said_through_telegram(tg: Harness) -> None:
    sent = only(await tg.say(private_chat(AGENT), AGENT, "qual o dns da claro?"), "sendMessage")
    assert "Claro não é um provedor atendido pela UPCALL" in shown(sent)
    assert not list(button_data(sent.result))  # no "which ISP?" menu
    greeting = only(await tg.say(private_chat(AGENT), AGENT, "oi, qual o dns?"), "sendMessage")
    assert "não é um provedor atendido" not in shown(greeting)
    assert len(list(button_data(greeting.result))) == 5  # which ISP?


async def test_who_serves_a_place_through_telegram(tg: Harness) -> None:
    sent = only(await tg.say(private_chat(AGENT), AGENT, "quem atende itabatã?"), "sendMessage")
    assert "• NETCENTER:" in shown(sent)
    assert "Seja Fibra" not in shown(sent)


async def test_a_long_pasted_message_is_read_not_refused(tg: Harness) -> None:
    filler = "Sempre paguei tudo certinho e a internet sempre foi ótima, sem reclamação. " * 16
    text = (
        "Cliente da Mutum Fibra escreveu: " + filler + "Hoje estou com 12 dias de atraso. "
        "Vocês conseguem liberar a internet em confiança até sexta?"
    )
    assert len(text) > 1000
    sent = only(await tg.say(private_chat(AGENT), AGENT, text), "sendMessage")
    assert "Mutum Fibra › Desbloqueio de confiança" in shown(sent)
    assert "longa demais" not in shown(sent)


async def test_a_pasted_transcripts_agent_line_is_not_the_question_through_telegram(
    tg: Harness,
) -> None:
    """Session 9's review, finding 3: the last "Agente:" line of a pasted chat transcript was
    read as the agent's own question to the bot."""
    transcript = (
        "Cliente: boa noite, sou cliente da vmnet, a internet caiu ontem e ja reiniciei tudo\n"
        "Agente: boa noite! pode me passar o cpf do titular?\n"
        "Cliente: passo sim. a fatura desse mes eu posso pagar no cartao de credito?\n"
        "Agente: obrigado. qual o melhor horario para a visita tecnica?"
    )
    sent = only(await tg.say(private_chat(AGENT), AGENT, transcript), "sendMessage")
    assert "VM NET › Formas de pagamento" in shown(sent)
    assert "melhor horario" not in shown(sent)


async def test_an_isps_initials_name_it_through_telegram(tg: Harness) -> None:
    """Session 9's QA, finding 7: "nc cliente gamer quer ip fixo" answered VM NET (its
    "Gamers"); "nc" is NETCENTER's initials, in free text and in a command."""
    sent = only(
        await tg.say(private_chat(AGENT), AGENT, "nc cliente gamer quer ip fixo"), "sendMessage"
    )
    assert "NETCENTER › IP fixo" in shown(sent) and "VM NET" not in shown(sent)
    dns = only(await tg.say(private_chat(AGENT), AGENT, "/dns nc"), "sendMessage")
    assert "NETCENTER › DNS" in shown(dns)


async def test_a_pasted_customers_hours_and_a_hurried_who_serves_through_telegram(
    tg: Harness,
) -> None:
    pasted = (
        "cliente escreveu: oi, boa tarde! sou da netcenter aqui de porto seguro. preciso "
        "resolver umas pendências da minha conta e prefiro ir até aí. qual o horário de "
        "atendimento de vocês no sábado? obrigado desde já"
    )
    sent = only(await tg.say(private_chat(AGENT), AGENT, pasted), "sendMessage")
    assert "NETCENTER › Contatos, endereços e horários da loja" in shown(sent)
    assert "Horário de atendimento da UPCALL" not in shown(sent)
    whois = only(await tg.say(private_chat(AGENT), AGENT, "caragua eh de quem?"), "sendMessage")
    assert "• Seja Fibra:" in shown(whois) and "NETCENTER" not in shown(whois)


async def test_an_answer_routed_to_a_sector_says_its_state_now(tg: Harness) -> None:
    sent = only(await tg.say(private_chat(AGENT), AGENT, "/fatura vmnet"), "sendMessage")
    assert re.search(r"⏱ Financeiro: (aberto, fecha|fechado, abre) ", shown(sent))


async def test_two_topics_asked_together_come_in_one_message_with_a_button_each(
    tg: Harness,
) -> None:
    sent = only(await tg.say(private_chat(AGENT), AGENT, "dns e bloqueio da mutum"), "sendMessage")
    out = shown(sent)
    assert MUTUM_DNS in out
    assert "<b>DNS padrão</b>" in sent["text"]
    assert "<b>Bloqueio e redução de velocidade</b>" in sent["text"]
    labels = [label for label, _ in button_data(sent.result)]
    assert labels == ["DNS padrão (completo)", "Bloqueio e redução de velocidade (completo)"]


async def test_agora_at_night_shows_the_closed_sector_rule(
    tg: Harness, answer_at: AnswerAt
) -> None:
    answer_at(dt.datetime(2026, 11, 23, 21, 0, tzinfo=SAO_PAULO))
    sent = only(await tg.say(GROUP, AGENT, "/agora sejafibra"), "sendMessage")
    assert "Regra do documento para setor fechado:" in shown(sent)
    assert "abrir OS de Outras Demandas fora dele" in shown(sent)  # the document's whole rule


async def test_a_question_stating_a_day_and_hour_is_answered_at_that_moment(
    tg: Harness, answer_at: AnswerAt
) -> None:
    answer_at(MONDAY_NOON)
    question = "@UpcallBot netcenter, quinta às 23h55 ainda tá com o provedor?"
    sent = only(await tg.say(GROUP, AGENT, question), "sendMessage")
    said = shown(sent)
    assert "No momento informado, qui 26/11 às 23:55: UPCALL cobertura total" in said
    # QA7 #6: the verdict, not the week (2,100+ characters); the schedule is a tap away.
    assert "Janelas da UPCALL" not in said and len(said) < 700
    assert "(veja /agora netcenter 26/11/2026 23h55)" in said  # that moment, not now
    assert list(button_data(sent.result)) == [
        ("/horario", "?/horario netcenter"),
        ("/escala", "?/escala 26/11/2026"),
        ("/agora", "?/agora netcenter 26/11/2026 23h55"),
    ]
    calls = await tg.feed(tg.updates.callback(AGENT, sent.result, "?/horario netcenter"))
    assert "Janelas da UPCALL" in shown(calls[-1])


async def test_agora_with_a_moment_and_an_isp_button_keep_the_moment(
    tg: Harness, answer_at: AnswerAt
) -> None:
    answer_at(MONDAY_NOON)
    sent = only(await tg.say(GROUP, AGENT, "/agora vmnet domingo 10h"), "sendMessage")
    assert "VM NET — no momento informado, dom 29/11 10:00" in shown(sent)
    # No ISP named: each ISP's button carries the moment (in the callback data itself).
    message = only(
        await tg.say(private_chat(AGENT), AGENT, "domingo 22h é com a gente?"), "sendMessage"
    )
    data = _data(message.result, "Mutum Fibra")
    assert data == "?/agora mutum 29/11/2026 21h00"  # 22h in Brasília (a coverage question)
    calls = await tg.feed(tg.updates.callback(AGENT, message.result, data))
    assert "Mutum Fibra — no momento informado, dom 29/11 22:00" in shown(calls[-1])
    # /agora with a moment and no ISP: its first word is no misspelt ISP; the buttons keep it.
    message = only(await tg.say(private_chat(AGENT), AGENT, "/agora domingo 10h"), "sendMessage")
    assert "não encontrado" not in shown(message)
    data = _data(message.result, "Mutum Fibra")
    assert data == "?/agora mutum 29/11/2026 10h00"
    calls = await tg.feed(tg.updates.callback(AGENT, message.result, data))
    assert "Mutum Fibra — no momento informado, dom 29/11 11:00" in shown(calls[-1])


async def test_an_hour_heading_the_question_after_the_isp_is_the_moment_asked(
    tg: Harness, answer_at: AnswerAt
) -> None:
    answer_at(MONDAY_NOON)
    said = shown(
        only(
            await tg.say(private_chat(AGENT), AGENT, "lasernet 20h transfiro ou abro ocorrencia?"),
            "sendMessage",
        )
    )
    assert "LaserNet — no momento informado, seg 23/11 20:00" in said
    said = shown(
        only(
            await tg.say(private_chat(AGENT), AGENT, "lasernet 20h cliente quer cancelar"),
            "sendMessage",
        )
    )
    assert "LaserNet › Cancelamento" in said and "No momento informado, seg 23/11 às 20:00" in said


async def test_a_login_described_beside_the_tv_app_gets_the_tv_answer_in_the_group(
    tg: Harness,
) -> None:
    """A described situation ("the TV app asks for a user and password") is the TV app's login,
    a public answer, not the routers' default passwords (which a group never sees)."""
    question = "@UpcallBot netcenter: o aplicativo de tv pede usuario e senha, qual e?"
    sent = only(await tg.say(GROUP, AGENT, question), "sendMessage")
    text = shown(sent)
    assert "TV e aplicativos" in text
    assert "Login/Senha App Netcenter TV" in text
    assert "Senha padrão" not in text
    assert list(button_data(sent.result)) == []  # the answer, no menu to tap


async def test_a_greeting_in_private_is_greeted_back_with_a_hint(tg: Harness) -> None:
    sent = only(await tg.say(private_chat(AGENT), AGENT, "boa noite"), "sendMessage")
    said = shown(sent)
    assert said.startswith("Boa noite!") and "/ajuda" in said
    assert "Não entendi" not in said
    assert sent.get("reply_markup") is None  # no ISP buttons


async def test_whether_a_place_is_open_at_a_stated_moment_is_its_state_then(
    tg: Harness, answer_at: AnswerAt
) -> None:
    answer_at(MONDAY_NOON)
    question = "@UpcallBot netcenter, a loja abre sábado 9h?"
    said = shown(only(await tg.say(GROUP, AGENT, question), "sendMessage"))
    # The contacts (the store's hours as written) with its state at that moment.
    assert "No momento informado, sáb 28/11 às 09:00: Loja: aberto, fecha às 13:00" in said
    assert "Horário Loja" in said


@pytest.mark.parametrize(
    ("said", "back"),
    [
        ("@UpcallBot boa noite equipe", "Boa noite!"),
        ("@UpcallBot ok", "Certo!"),
        ("obg", "De nada!"),
    ],
)
async def test_a_courtesy_is_answered_in_kind_never_a_menu(
    tg: Harness, said: str, back: str
) -> None:
    """QA: "boa noite equipe" got the /equipamentos menu, "ok" the /sistemas one ("UPSOFT - OK")."""
    chat = GROUP if said.startswith("@") else private_chat(AGENT)
    sent = only(await tg.say(chat, AGENT, said), "sendMessage")
    assert shown(sent).startswith(back) and "/ajuda" in shown(sent)
    assert sent.get("reply_markup") is None


async def test_a_command_naming_two_isps_asks_which_in_the_group(tg: Harness) -> None:
    """QA: "/dns mutum vmnet" answered Mutum's DNS alone."""
    sent = only(await tg.say(GROUP, AGENT, "/dns mutum vmnet"), "sendMessage")
    assert shown(sent).startswith("Qual provedor?")
    assert "143.202.80.56" not in shown(sent)
    assert [label for label, _ in button_data(sent.result)] == ["Mutum Fibra", "VM NET"]


async def test_a_command_typed_after_the_isp_in_the_group_gets_the_answer(tg: Harness) -> None:
    """ "mutum /dsn": the command (one slip) typed after the ISP's name is answered as
    "/dsn mutum" is, saying what was understood, not as free text with a menu."""
    sent = only(await tg.say(GROUP, AGENT, "@UpcallBot mutum /dsn"), "sendMessage")
    assert "Entendi /dsn como /dns." in shown(sent)
    assert MUTUM_DNS in shown(sent)
    assert list(button_data(sent.result)) == []


async def test_a_financial_matter_and_where_it_goes_get_both_rules_in_the_group(
    tg: Harness,
) -> None:
    """A situation told in everyday words with the ISP named ("pagou o mês seguinte e deixou o
    anterior, mando no grupo?"): the payment rule and the financial sector's, as sections."""
    question = (
        "@UpcallBot lasernet cliente pagou o mes seguinte e deixou o anterior, mando no grupo?"
    )
    sent = only(await tg.say(GROUP, AGENT, question), "sendMessage")
    text = shown(sent)
    assert "Enviar caso no grupo dentro do horário comercial" in text
    assert "não devemos transferir atendimento" in text
    labels = [label for label, _data in button_data(sent.result)]
    assert labels == [
        "Outras regras do financeiro e comercial (completo)",
        "Formas de pagamento (completo)",
    ]


async def test_a_blocked_customer_wanting_a_technician_gets_the_escalation_rule(
    tg: Harness,
) -> None:
    question = "@UpcallBot sejafibra cliente bloqueado pede pra eu mandar tecnico"
    text = shown(only(await tg.say(GROUP, AGENT, question), "sendMessage"))
    assert "Não abrem O.S. para clientes bloqueados" in text


async def test_a_topic_commands_isp_buttons_keep_a_stated_moment(
    tg: Harness, answer_at: AnswerAt
) -> None:
    answer_at(MONDAY_NOON)
    message = only(
        await tg.say(private_chat(AGENT), AGENT, "/financeiro domingo 10h"), "sendMessage"
    )
    assert "não encontrado" not in shown(message)
    data = _data(message.result, "VM NET")
    assert data == "?/financeiro vmnet 29/11/2026 10h00"
    # Tapped days later: still Sunday 10:00, not the time of the tap.
    answer_at(MONDAY_NOON + dt.timedelta(days=3))
    calls = await tg.feed(tg.updates.callback(AGENT, message.result, data))
    said = shown(calls[-1])
    assert "No momento informado, dom 29/11 às 10:00: Financeiro: aberto, fecha às 12:00" in said


async def test_a_rule_quoted_names_its_isp_through_telegram(tg: Harness) -> None:
    quoted = only(
        await tg.say(private_chat(AGENT), AGENT, "bloqueia no 4º dia de atraso, né?"),
        "sendMessage",
    )
    assert "NETCENTER › Bloqueio" in shown(quoted) and "4º dia → NETCENTER" in shown(quoted)
    # A matter only one ISP's answer names ("Suspensão temporária:" is NETCENTER's rule):
    # answered for it, saying why.
    matter = only(
        await tg.say(private_chat(AGENT), AGENT, "cliente pediu suspensão temporária, pode?"),
        "sendMessage",
    )
    assert "NETCENTER › Outras regras do financeiro" in shown(matter)
    assert "Suspensão temporária → NETCENTER" in shown(matter)
    # An ordinary matter one answer happens to word ("data de vencimento"): which ISP?
    ordinary = only(
        await tg.say(private_chat(AGENT), AGENT, "cliente quer trocar a data de vencimento"),
        "sendMessage",
    )
    assert len(list(button_data(ordinary.result))) == 5
    # The customer's own figure is no rule: which ISP?
    situation = only(
        await tg.say(private_chat(AGENT), AGENT, "cliente com 4 dias de atraso, bloqueia?"),
        "sendMessage",
    )
    assert len(list(button_data(situation.result))) == 5


async def test_a_quoted_wording_or_a_labelled_reading_names_its_isp_through_telegram(
    tg: Harness,
) -> None:
    # NETCENTER's answer quotes the wording not to use: typed whole, it is NETCENTER's rule.
    quoted = only(
        await tg.say(private_chat(AGENT), AGENT, "pode falar abrir ordem de servico pro cliente?"),
        "sendMessage",
    )
    assert "NETCENTER ›" in shown(quoted)
    assert "abrir ordem de serviço → NETCENTER" in shown(quoted)
    # A reading typed with the label NETCENTER writes before it ("Tx: -27.00 dBm").
    reading = only(await tg.say(private_chat(AGENT), AGENT, "tx ta -27 ta bom?"), "sendMessage")
    assert "NETCENTER › Nível de sinal" in shown(reading) and "tx -27 → NETCENTER" in shown(reading)
    # Everyday wording and a bare reading: which ISP?
    for question in ("abro os?", "sinal -27, abre N2?"):
        ask = only(await tg.say(private_chat(AGENT), AGENT, question), "sendMessage")
        assert len(list(button_data(ask.result))) == 5, question


async def test_a_rule_framed_a_run_or_a_shared_label_through_telegram(tg: Harness) -> None:
    # A figure typed between the words its answer writes it between: that ISP, saying why.
    fee = only(
        await tg.say(private_chat(AGENT), AGENT, "cliente resetou o roteador, cobra a taxa de 50?"),
        "sendMessage",
    )
    assert "VM NET › Reset do equipamento" in shown(fee)
    assert "taxa … 50 → VM NET" in shown(fee)
    hours = only(
        await tg.say(private_chat(AGENT), AGENT, "cliente insistindo, posso falar 24 horas uteis?"),
        "sendMessage",
    )
    assert "Mutum Fibra › Prazo" in shown(hours) and "24 horas uteis → Mutum Fibra" in shown(hours)
    # Four words one after the other as one answer alone writes them.
    run = only(
        await tg.say(
            private_chat(AGENT),
            AGENT,
            "camera: so passo os dados do wifi pros tecnicos que instalaram?",
        ),
        "sendMessage",
    )
    assert "Mutum Fibra › Repetidores" in shown(run)
    assert "dados do wifi pros tecnicos que instalaram → Mutum Fibra" in shown(run)
    # A label two ISPs alone write: a choice between those two.
    shared = only(
        await tg.say(
            private_chat(AGENT), AGENT, "abro os de outras demandas pra mudança de endereço?"
        ),
        "sendMessage",
    )
    assert len(list(button_data(shared.result))) == 2
    assert "Seja Fibra" in shown(shared) and "VM NET" in shown(shared)
    # The customer's own days, and a day of the month: which ISP?
    late = only(
        await tg.say(private_chat(AGENT), AGENT, "ta 35 dias em atraso, libera em confiança?"),
        "sendMessage",
    )
    assert len(list(button_data(late.result))) == 5


async def test_a_matter_handed_over_and_an_insisting_customer_through_telegram(
    tg: Harness,
) -> None:
    # The inverted payment's rule hands the case over ("Enviar caso no grupo ... ou abrir
    # Ocorrência"): asked what to do, the financial sector's rules are shown beside it.
    paid = only(
        await tg.say(
            private_chat(AGENT),
            AGENT,
            "lasernet: pagou o mês seguinte e deixou o anterior em aberto, como faz?",
        ),
        "sendMessage",
    )
    assert "LaserNet › Formas de pagamento + Outras regras do financeiro" in shown(paid)
    assert "Enviar caso no grupo" in shown(paid)
    # A customer demanding a technician whatever the tests say: the escalation (N3), not the
    # visit's cost.
    insists = only(
        await tg.say(
            private_chat(AGENT), AGENT, "seja fibra: o cliente exige um técnico, aqui tá tudo ok"
        ),
        "sendMessage",
    )
    assert "Seja Fibra › Suporte N2 / N3" in shown(insists)


async def test_the_word_cabo_names_no_isp_through_telegram(tg: Harness) -> None:
    """ "cabo" is the cable, not Seja Fibra's alias "Cabo Imagem": beside a named ISP no second
    button, alone no Seja Fibra answer without a why-line."""
    named = only(
        await tg.say(private_chat(AGENT), AGENT, "vmnet mudança de ponto precisa passar cabo?"),
        "sendMessage",
    )
    assert "VM NET › Mudança" in shown(named)
    assert "Seja Fibra" not in shown(named)
    alone = only(
        await tg.say(private_chat(AGENT), AGENT, "o repetidor é ligado por cabo?"), "sendMessage"
    )
    assert "Seja Fibra ›" not in shown(alone)


async def test_a_signal_unit_names_no_isp_through_telegram(tg: Harness) -> None:
    """ "dBm" is every reading's unit (NETCENTER writes "-26.00 dBm", VM NET "-26dBm"): the ISPs
    are asked for, not NETCENTER's signal answer."""
    reply = only(
        await tg.say(private_chat(AGENT), AGENT, "leitura de -28 dbm, abro os?"), "sendMessage"
    )
    assert "NETCENTER ›" not in shown(reply) and "dBm →" not in shown(reply)
    assert len(list(button_data(reply.result))) == 5


async def test_an_isp_found_by_its_equipment_says_why_through_telegram(tg: Harness) -> None:
    reply = only(
        await tg.say(private_chat(AGENT), AGENT, "roteador intelbras do cliente não conecta"),
        "sendMessage",
    )
    assert "LaserNet › Senha" in shown(reply) and "INTELBRAS → LaserNet" in shown(reply)


async def test_a_common_place_name_names_no_isp_through_telegram(tg: Harness) -> None:
    """ "rua Barroso" is a street any city has (LaserNet writes the neighbourhood "Barroso -
    Fortaleza"); "São Paulo" is VM NET's city and Seja Fibra's state: both asked."""
    street = only(
        await tg.say(private_chat(AGENT), AGENT, "endereço av. barroso 300, atende?"),
        "sendMessage",
    )
    assert "LaserNet ›" not in shown(street) and "Barroso → LaserNet" not in shown(street)
    state = only(
        await tg.say(private_chat(AGENT), AGENT, "cliente de são paulo, qual o dns?"),
        "sendMessage",
    )
    assert "VM NET ›" not in shown(state)
    labels = [label for label, _data in button_data(state.result)]
    assert labels == ["Seja Fibra", "VM NET"]


async def test_a_routers_rating_names_no_isp_through_telegram(tg: Harness) -> None:
    """VM NET's equipment answer writes "TPLINK 300MBPS": a router's rating, no plan; VM NET is
    not picked, the ISPs are asked for."""
    reply = only(
        await tg.say(private_chat(AGENT), AGENT, "o roteador suporta 300 mega?"), "sendMessage"
    )
    assert "VM NET ›" not in shown(reply) and "→ VM NET" not in shown(reply)
    assert len(list(button_data(reply.result))) == 5


async def test_a_customer_going_over_to_another_company_is_the_cancellation_in_the_group(
    tg: Harness,
) -> None:
    """A situation told with another verb ("tá pensando em sair", "vai pra outra operadora"):
    the ISP's cancellation rule, not "não entendi"."""
    question = "@UpcallBot mutum a cliente tá pensando em sair, disse que vai pra outra operadora"
    text = shown(only(await tg.say(GROUP, AGENT, question), "sendMessage"))
    assert "Mutum Fibra › Cancelamento" in text
    assert "Tentar reter" in text


async def test_no_isp_and_close_topics_a_tap_on_the_isp_answers_the_topic_ahead(
    tg: Harness,
) -> None:
    """No ISP named, two topics close: which ISP for the one ahead, the other as a button."""
    asked = "cliente trouxe o comprovante, posso liberar?"
    message = only(await tg.say(private_chat(AGENT), AGENT, asked), "sendMessage").result
    labels = [label for label, _data in button_data(message)]
    assert labels[:2] == ["LaserNet", "Mutum Fibra"] and "Comprovante de pagamento" in labels
    press = tg.updates.callback(AGENT, message, _data(message, "Mutum Fibra"))
    edit = (await tg.feed(press))[1]
    assert "Mutum Fibra › Desbloqueio de confiança" in shown(edit)
    other = tg.updates.callback(AGENT, message, _data(message, "Comprovante de pagamento"))
    edit = (await tg.feed(other))[1]
    assert "Informe o provedor: /comprovante" in shown(edit)
