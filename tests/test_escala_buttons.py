"""/escala's buttons: the pressed text becomes the other day (or week) and the picture above it
is replaced in place (editMessageMedia); whatever goes wrong with the picture, the text is edited
and nothing reaches the error handler or the chat. Also the fake Bot API's editMessageMedia, over
HTTP through the bot's own transport, refusing what Telegram refuses."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from harness import Harness, running
from PIL import Image
from telegram import Bot, InputMediaPhoto
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.answers.messages import SCHEDULE_WEEK_AFTER
from bot.app.settings import Settings
from bot.coverage import picture as picture_module
from bot.knowledge.kb import KB
from fake_bot_api import (
    AGENT,
    GROUP,
    TOKEN,
    ApiCall,
    FakeBotApiServer,
    FakeTelegram,
    Updates,
    Upload,
    button_data,
    plain_text,
    private_chat,
    serving,
)
from handlers.telegram.state import PHOTOS_KEY, TimelinePhotos
from handlers.telegram.transport import AiohttpRequest


@pytest.fixture
async def tg(settings: Settings, real_kb: KB) -> AsyncIterator[Harness]:
    async for harness in running(settings, real_kb):
        yield harness


@dataclass
class Escala:
    """An /escala answer as the chat got it: the photo, then the text with the buttons."""

    chat_id: int
    photo: dict[str, Any]
    text: dict[str, Any]

    @property
    def photo_id(self) -> int:
        return int(self.photo["message_id"])

    def data(self, label: str) -> str:
        return dict(button_data(self.text))[label]

    def next_day(self) -> str:
        return next_day(self.text)


def next_day(message: dict[str, Any]) -> str:
    """The callback data of a day's "dd/mm ▶" button."""
    [data] = [data for label, data in button_data(message) if label.endswith("▶")]
    return data


async def escala(tg: Harness, text: str = "/escala", chat: dict[str, Any] = GROUP) -> Escala:
    calls = await tg.say(chat, AGENT, text)
    assert [c.method for c in calls] == ["sendPhoto", "sendMessage"]
    assert all(c.error is None for c in calls)
    return Escala(chat["id"], calls[0].result, calls[1].result)


async def press(tg: Harness, message: dict[str, Any], data: str) -> dict[str, ApiCall]:
    """The calls a press on ``message`` caused, by method (each at most once)."""
    calls = await tg.feed(tg.updates.callback(AGENT, message, data))
    methods = [c.method for c in calls]
    assert len(set(methods)) == len(methods), methods
    assert methods[:2] == ["answerCallbackQuery", "editMessageText"], methods
    return {c.method: c for c in calls}


def shown(call: ApiCall, key: str = "text") -> str:
    return plain_text(call[key], call.get("parse_mode"))


def uploaded(call: ApiCall) -> Upload:
    """The photo an editMessageMedia call uploaded (``attach://<name>``, the part ``<name>``)."""
    media = call["media"]
    assert media["type"] == "photo" and media["media"].startswith("attach://")
    upload = call[media["media"].removeprefix("attach://")]
    assert isinstance(upload, Upload) and upload.mime_type == "image/png"
    return upload


def caption_of(call: ApiCall) -> str:
    media = call["media"]
    return plain_text(media["caption"], media.get("parse_mode"))


# --------------------------------------------------------------------------- the picture follows


async def test_the_next_day_button_edits_the_text_and_replaces_the_picture(tg: Harness) -> None:
    first = await escala(tg)
    before = tg.api.photo_data(first.chat_id, first.photo_id)
    assert before is not None
    calls = await press(tg, first.text, first.next_day())
    assert list(calls) == ["answerCallbackQuery", "editMessageText", "editMessageMedia"]
    text, media = calls["editMessageText"], calls["editMessageMedia"]
    assert text.error is None and media.error is None
    assert (media["chat_id"], media["message_id"]) == (first.chat_id, first.photo_id)
    # The picture now shows the day the text shows: its caption is the text's title.
    caption = caption_of(media)
    assert caption.startswith("Escala da UPCALL — ")
    assert caption != plain_text(first.photo["caption"], "HTML")
    assert f"{caption} (horário de Brasília)" in shown(text)
    after = tg.api.photo_data(first.chat_id, first.photo_id)
    assert after == uploaded(media).data != before
    assert Image.open(io.BytesIO(after)).width == 1200
    stored = tg.api.message(first.chat_id, first.photo_id)
    assert stored is not None and plain_text(stored["caption"], "HTML") == caption
    # The edited text keeps its buttons: pressing on goes on replacing the same picture.
    edited = text.result
    again = await press(tg, edited, next_day(edited))
    assert again["editMessageMedia"]["message_id"] == first.photo_id
    assert again["editMessageMedia"].error is None
    assert caption_of(again["editMessageMedia"]) not in (caption, first.photo["caption"])
    assert len(tg.api.calls_to("sendPhoto")) == 1  # replaced, never sent again


async def test_the_week_buttons_replace_the_week_picture(tg: Harness) -> None:
    week = await escala(tg, "/escala semana", private_chat(AGENT))
    calls = await press(tg, week.text, week.data(SCHEDULE_WEEK_AFTER))
    media = calls["editMessageMedia"]
    assert media.error is None and media["message_id"] == week.photo_id
    image = Image.open(io.BytesIO(uploaded(media).data))
    assert image.height > image.width  # seven rows per ISP
    assert f"{caption_of(media)} (horário de Brasília)" in shown(calls["editMessageText"])
    assert caption_of(media) != plain_text(week.photo["caption"], "HTML")


async def test_the_same_button_twice_is_no_error(tg: Harness) -> None:
    first = await escala(tg)
    data = first.next_day()
    once = await press(tg, first.text, data)
    twice = await press(tg, first.text, data)  # a second tap before the first edit showed
    assert "not modified" in (twice["editMessageText"].error or "")
    assert list(twice) == ["answerCallbackQuery", "editMessageText", "editMessageMedia"]
    assert twice["editMessageMedia"].error is None
    assert caption_of(twice["editMessageMedia"]) == caption_of(once["editMessageMedia"])
    assert len(tg.api.calls_to("sendMessage")) == 1  # no apology in the chat


# --------------------------------------------------------------------------- when it cannot


@pytest.mark.parametrize(
    "description",
    [
        "Bad Request: message to edit not found",
        "Bad Request: message can't be edited",
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message",
    ],
)
async def test_a_picture_telegram_will_not_replace_still_gets_the_text_edited(
    tg: Harness, description: str, caplog: pytest.LogCaptureFixture
) -> None:
    first = await escala(tg)
    before = tg.api.photo_data(first.chat_id, first.photo_id)
    tg.api.fail_next("editMessageMedia", 400, description)
    calls = await press(tg, first.text, first.next_day())  # and the error handler saw nothing
    assert list(calls) == ["answerCallbackQuery", "editMessageText", "editMessageMedia"]
    assert calls["editMessageText"].error is None
    assert calls["editMessageMedia"].error == description
    assert "Escala da UPCALL" in shown(calls["editMessageText"])
    assert tg.api.photo_data(first.chat_id, first.photo_id) == before
    assert len(tg.api.calls_to("sendMessage")) == 1  # no apology in the chat
    if "not modified" not in description:
        assert "could not replace the timeline picture" in caplog.text


async def test_a_picture_deleted_meanwhile_still_gets_the_text_edited(tg: Harness) -> None:
    first = await escala(tg)
    status, _ = tg.api.handle(
        "deleteMessage", {"chat_id": first.chat_id, "message_id": first.photo_id}
    )
    assert status == 200
    calls = await press(tg, first.text, first.next_day())
    assert calls["editMessageText"].error is None
    assert calls["editMessageMedia"].error == "Bad Request: message to edit not found"
    assert len(tg.api.calls_to("sendMessage")) == 1
    # Forgotten: the next press edits the text and no longer tries the picture.
    calls = await press(tg, first.text, first.next_day())
    assert list(calls) == ["answerCallbackQuery", "editMessageText"]


async def test_a_picture_that_cannot_be_drawn_leaves_the_old_one(
    tg: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    first = await escala(tg)

    def broken(timeline: object) -> bytes:
        raise OSError("no font")

    monkeypatch.setattr(picture_module, "render_png", broken)
    calls = await press(tg, first.text, first.next_day())
    assert list(calls) == ["answerCallbackQuery", "editMessageText"]
    assert calls["editMessageText"].error is None
    assert "could not draw the timeline" in caplog.text


async def test_an_unknown_picture_edits_the_text_only(tg: Harness) -> None:
    first = await escala(tg)
    tg.app.bot_data[PHOTOS_KEY] = TimelinePhotos()  # what a restart leaves
    calls = await press(tg, first.text, first.next_day())
    assert list(calls) == ["answerCallbackQuery", "editMessageText"]
    assert "Escala da UPCALL" in shown(calls["editMessageText"])


async def test_the_oldest_pairs_are_forgotten_first(tg: Harness) -> None:
    old, recent = await escala(tg), await escala(tg)
    photos = tg.app.bot_data[PHOTOS_KEY]
    for message_id in range(1, 999):  # with the two /escala answers: 1,000 pairs
        photos.remember(-1, message_id, message_id)
    assert len(photos) == 1000
    assert list(await press(tg, old.text, old.next_day()))[-1] == "editMessageMedia"
    photos.remember(-1, 999, 999)  # 1,001st: the least recently used goes, the recent one
    assert list(await press(tg, recent.text, recent.next_day()))[-1] == "editMessageText"
    assert list(await press(tg, old.text, old.next_day()))[-1] == "editMessageMedia"


async def test_an_answer_without_a_timeline_leaves_the_picture_alone(tg: Harness) -> None:
    first = await escala(tg)
    before = tg.api.photo_data(first.chat_id, first.photo_id)
    # A forged button is answered as if typed: here an answer without a picture.
    calls = await press(tg, first.text, "?/agora")
    assert list(calls) == ["answerCallbackQuery", "editMessageText"]
    assert tg.api.photo_data(first.chat_id, first.photo_id) == before
    # The pair is kept: back to a timeline, the picture follows again.
    calls = await press(tg, first.text, first.next_day())
    assert calls["editMessageMedia"].error is None


# --------------------------------------------------------------------------- the fake Bot API


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (46, 125, 50)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBotApiServer]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    api = FakeTelegram()
    api.push(Updates().message(GROUP, AGENT, "oi"))  # the group is known
    with serving(api) as running_server:
        yield running_server


async def test_the_fake_api_edits_a_photo_as_telegram_does(server: FakeBotApiServer) -> None:
    api = server.api
    # Through the bot's own transport: the upload goes as multipart/form-data.
    async with Bot(TOKEN, base_url=server.base_url, request=AiohttpRequest()) as bot:
        photo = await bot.send_photo(GROUP["id"], png(300, 200), caption="Escala <b>x</b>")
        text = await bot.send_message(GROUP["id"], "Escala x")
        chat, photo_id = GROUP["id"], photo.message_id

        def edit(media: InputMediaPhoto, message_id: int = photo_id) -> Any:
            return bot.edit_message_media(media, chat_id=chat, message_id=message_id)

        new = png(400, 100)
        edited = await edit(
            InputMediaPhoto(new, caption="Escala <b>y</b>", parse_mode="HTML", filename="y.png")
        )
        assert (edited.photo[-1].width, edited.photo[-1].height) == (400, 100)
        assert edited.caption == "Escala <b>y</b>"  # kept as sent; the fake makes no entities
        call = api.calls_to("editMessageMedia")[-1]
        assert call["media"]["parse_mode"] == ParseMode.HTML
        assert uploaded(call).data == new  # multipart: the JSON "media" and its file part
        assert api.photo_data(chat, photo_id) == new
        stored = api.message(chat, photo_id)
        assert stored is not None and stored["caption"] == "Escala <b>y</b>"

        refusals = [
            (InputMediaPhoto(new), photo_id + 1000, "message to edit not found"),
            (InputMediaPhoto(new), text.message_id, "there is no media in the message to edit"),
            (InputMediaPhoto(new, caption="<b>x", parse_mode="HTML"), photo_id, "parse entities"),
            (InputMediaPhoto(new, caption="x&y", parse_mode="HTML"), photo_id, "parse entities"),
            (InputMediaPhoto(new, caption="é" * 1025), photo_id, "caption is too long"),
            (InputMediaPhoto(b"GIF89a not a png"), photo_id, "image_process_failed"),
            (InputMediaPhoto(png(2000, 50)), photo_id, "photo_invalid_dimensions"),
        ]
        for media, message_id, error in refusals:
            with pytest.raises(BadRequest, match=re.compile(re.escape(error), re.IGNORECASE)):
                await edit(media, message_id)
        assert api.photo_data(chat, photo_id) == new  # nothing refused changed it

        # A file already on Telegram's servers, same caption: "not modified", as Telegram says.
        file_id = edited.photo[-1].file_id
        await edit(InputMediaPhoto(file_id, caption="Escala z"))
        with pytest.raises(BadRequest, match="not modified"):
            await edit(InputMediaPhoto(file_id, caption="Escala z"))
        stored = api.message(chat, photo_id)
        assert stored is not None and stored["photo"][-1]["file_id"] == file_id
        assert api.photo_data(chat, photo_id) is None  # no longer the bytes uploaded
