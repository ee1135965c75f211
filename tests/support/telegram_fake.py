"""A fake Bot API at the HTTP boundary: the real PTB Bot talks to it instead of Telegram.

It records every call, answers with realistic JSON, and refuses what Telegram refuses
(../shared/TELEGRAM_LIMITS.md). A refusal is answered like Telegram does (400 + description) and
is also added to `violations`, which the `telegram_api` fixture checks after every test, so a
message Telegram would refuse fails the test that sent it even if the bot swallowed the error.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from PIL import Image
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

BOT_ID = 123456789
BOT_USERNAME = "BrugTestBot"

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_BYTES = 64
MAX_BUTTONS = 100
MAX_BUTTONS_PER_ROW = 8
MAX_CALLBACK_ANSWER = 200
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_SIDES = 10_000
MAX_PHOTO_RATIO = 20
MAX_COMMANDS = 100

ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "tg-emoji", "code", "pre", "blockquote",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_PLAIN_RUN = re.compile(r"[^<>&]+")

# Methods whose `text` / `caption` is user-visible and parsed.
_TEXT_METHODS = {"sendMessage", "editMessageText"}
_CAPTION_METHODS = {"sendPhoto", "sendDocument", "editMessageCaption"}


class HtmlProblem(ValueError):
    pass


def html_to_plain(text: str) -> str:
    """Check Telegram's HTML rules and return the text as the user sees it (tags removed)."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "<":
            match = _TAG.match(text, pos)
            if match is None:
                raise HtmlProblem(f"Can't parse entities: unexpected '<' at offset {pos}")
            closing, name = match.group(1) == "/", match.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise HtmlProblem(f"Can't parse entities: unsupported start tag \"{name}\"")
            if closing:
                if not stack or stack[-1] != name:
                    raise HtmlProblem(f"Can't parse entities: unmatched end tag \"{name}\"")
                stack.pop()
            else:
                stack.append(name)
            pos = match.end()
        elif char == ">":
            raise HtmlProblem(f"Can't parse entities: unexpected '>' at offset {pos}")
        elif char == "&":
            match = _ENTITY.match(text, pos)
            if match is None:
                raise HtmlProblem(f"Can't parse entities: bare '&' at offset {pos}")
            out.append({"lt": "<", "gt": ">", "amp": "&", "quot": '"'}.get(match.group(1), "?"))
            pos = match.end()
        else:
            # A run of ordinary characters at once (the same text as one at a time, faster).
            run = _PLAIN_RUN.match(text, pos)
            assert run is not None
            out.append(run.group())
            pos = run.end()
    if stack:
        raise HtmlProblem(f"Can't parse entities: can't find end tag \"{stack[-1]}\"")
    return "".join(out)


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    refused: str | None = None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline buttons of this call's reply_markup, row after row."""
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


@dataclass
class StoredMessage:
    chat_id: int
    message_id: int
    text: str
    reply_markup: Any
    kind: str = "text"


class FakeBotAPI(BaseRequest):
    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self.violations: list[str] = []
        self.messages: dict[tuple[int, int], StoredMessage] = {}
        self.blocked_chats: set[int] = set()
        self.pending_callbacks: set[str] = set()
        # Scripted failures: method -> list of (status, description, parameters) used in order.
        self._failures: dict[str, list[tuple[int, str, dict[str, Any] | None]]] = {}
        # Scripted transport faults: method -> exceptions raised instead of answering, in order
        # (what PTB's HTTPXRequest raises on a timeout or a reset connection).
        self._raises: dict[str, list[BaseException]] = {}
        self._next_message_id = 1000
        self._photo_sizes: dict[str, tuple[int, int]] = {}
        self._date = 1_770_000_000
        # A slow Telegram: seconds each call takes (real time; the fake clock is not moved).
        self.latency = 0.0
        # An outage: every call fails as if the connection was refused, nothing is delivered.
        self.outage = False

    # --- BaseRequest ---------------------------------------------------------------------
    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None,
        read_timeout: Any = None, write_timeout: Any = None, connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.outage:
            raise NetworkError("fake outage: connection refused")
        params = dict(request_data.parameters) if request_data else {}
        files = _files(request_data)
        call = ApiCall(api_method, params, files)
        self.calls.append(call)
        faults = self._raises.get(api_method)
        if faults:
            call.refused = "transport fault"
            raise faults.pop(0)
        scripted = self._failures.get(api_method)
        if scripted:
            status, description, parameters = scripted.pop(0)
            return _error(status, description, parameters)
        chat_id = params.get("chat_id")
        if chat_id is not None and int(chat_id) in self.blocked_chats:
            return _error(403, "Forbidden: bot was blocked by the user")
        problem = self._check(api_method, params, files)
        if problem:
            call.refused = problem
            self.violations.append(f"{api_method}: {problem}")
            return _error(400, f"Bad Request: {problem}")
        return 200, json.dumps({"ok": True, "result": self._result(api_method, params, files)}
                               ).encode()

    # --- what tests use --------------------------------------------------------------------
    def clear(self) -> None:
        self.calls.clear()

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method and c.refused is None]

    def last(self, method: str) -> ApiCall:
        calls = self.calls_to(method)
        if not calls:
            made = ", ".join(c.method for c in self.calls) or "none"
            raise AssertionError(f"no {method} call; calls made: {made}")
        return calls[-1]

    def sent_to(self, chat_id: int, methods: Iterable[str] = ("sendMessage", "sendPhoto")
                ) -> list[ApiCall]:
        wanted = set(methods)
        return [c for c in self.calls if c.method in wanted and c.refused is None
                and int(c.params.get("chat_id", 0)) == chat_id]

    def last_message(self, chat_id: int) -> StoredMessage:
        """The newest message the bot sent to (or edited in) a chat, as the user sees it now."""
        mine = [m for m in self.messages.values() if m.chat_id == chat_id]
        if not mine:
            raise AssertionError(f"the bot sent nothing to chat {chat_id}")
        return max(mine, key=lambda m: m.message_id)

    def fail_next(self, method: str, status: int, description: str,
                  parameters: dict[str, Any] | None = None) -> None:
        self._failures.setdefault(method, []).append((status, description, parameters))

    def raise_next(self, method: str, error: BaseException) -> None:
        """The next call of `method` fails in transport (timeout, reset connection)."""
        self._raises.setdefault(method, []).append(error)

    def callback_pressed(self, query_id: str) -> None:
        self.pending_callbacks.add(query_id)

    def finish(self) -> None:
        """End-of-test checks: every button press was answered (else the client spins)."""
        for query_id in sorted(self.pending_callbacks):
            self.violations.append(f"callback query {query_id} was never answered")

    # --- the rules -------------------------------------------------------------------------
    def _check(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> str | None:
        if method in _TEXT_METHODS:
            problem = _check_text(params.get("text"), params.get("parse_mode"), 1, MAX_TEXT,
                                  "message text")
            if problem:
                return problem
        if method in _CAPTION_METHODS:
            problem = _check_text(params.get("caption"), params.get("parse_mode"), 0,
                                  MAX_CAPTION, "caption")
            if problem:
                return problem
        if "reply_markup" in params:
            problem = _check_markup(params["reply_markup"])
            if problem:
                return problem
        if method == "answerCallbackQuery":
            if len(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER:
                return "MESSAGE_TOO_LONG"
            query_id = str(params.get("callback_query_id"))
            if query_id not in self.pending_callbacks:
                return "query is too old and response timeout expired or query ID is invalid"
            self.pending_callbacks.discard(query_id)
        if method == "sendPhoto":
            photo = params.get("photo")
            if isinstance(photo, str) and not photo.startswith("attach://") and (
                photo not in self._photo_sizes
            ):
                return "wrong file identifier/HTTP URL specified"
            return _check_photo(params, files)
        if method == "setMyCommands":
            return _check_commands(params.get("commands") or [])
        if method in ("editMessageText", "editMessageReplyMarkup", "editMessageCaption"):
            return self._check_edit(method, params)
        return None

    def _check_edit(self, method: str, params: dict[str, Any]) -> str | None:
        key = (int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        stored = self.messages.get(key)
        if stored is None:
            return "message to edit not found"
        if method == "editMessageText" and stored.kind != "text":
            return "there is no text in the message to edit"
        new_text = params.get("text", stored.text) if method == "editMessageText" else (
            params.get("caption", stored.text) if method == "editMessageCaption" else stored.text
        )
        if new_text == stored.text and params.get("reply_markup") == stored.reply_markup:
            return ("message is not modified: specified new message content and reply markup "
                    "are exactly the same as a current content and reply markup of the message")
        return None

    def _result(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if method == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "Brug", "username": BOT_USERNAME,
                    "can_join_groups": False, "can_read_all_group_messages": False,
                    "supports_inline_queries": False}
        if method == "getUpdates":
            return []
        if method in ("sendMessage", "sendPhoto", "sendDocument"):
            return self._new_message(method, params, files)
        if method in ("editMessageText", "editMessageReplyMarkup", "editMessageCaption"):
            key = (int(params["chat_id"]), int(params["message_id"]))
            stored = self.messages[key]
            if method == "editMessageText":
                stored.text = str(params["text"])
            if method == "editMessageCaption":
                stored.text = str(params.get("caption") or "")
            stored.reply_markup = params.get("reply_markup")
            return self._message_json(stored)
        if method == "deleteMessage":
            self.messages.pop((int(params["chat_id"]), int(params["message_id"])), None)
            return True
        return True

    def _new_message(self, method: str, params: dict[str, Any], files: dict[str, bytes]
                     ) -> dict[str, Any]:
        self._next_message_id += 1
        kind = {"sendPhoto": "photo", "sendDocument": "document"}.get(method, "text")
        text = str(params.get("text") if kind == "text" else params.get("caption") or "")
        stored = StoredMessage(int(params["chat_id"]), self._next_message_id, text,
                               params.get("reply_markup"), kind)
        self.messages[(stored.chat_id, stored.message_id)] = stored
        result = self._message_json(stored)
        if kind == "photo":
            photo = params.get("photo")
            if isinstance(photo, str) and not photo.startswith("attach://"):
                # Sent again by file_id: Telegram answers with the same file.
                file_id = photo
                width, height = self._photo_sizes.get(photo, (0, 0))
            else:
                file_id = f"photo{stored.message_id}"
                width, height = _image_size(next(iter(files.values()), b""))
                self._photo_sizes[file_id] = (width, height)
            result["photo"] = [{"file_id": file_id, "file_unique_id": f"u{file_id}",
                                "width": width, "height": height}]
        return result

    def _message_json(self, stored: StoredMessage) -> dict[str, Any]:
        self._date += 1
        message: dict[str, Any] = {
            "message_id": stored.message_id, "date": self._date,
            "chat": {"id": stored.chat_id, "type": "private", "first_name": "User"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Brug",
                     "username": BOT_USERNAME},
        }
        if stored.kind == "text":
            message["text"] = _plain_or_raw(stored.text)
        elif stored.text:
            message["caption"] = _plain_or_raw(stored.text)
        if isinstance(stored.reply_markup, dict) and "inline_keyboard" in stored.reply_markup:
            message["reply_markup"] = stored.reply_markup
        return message


def _plain_or_raw(text: str) -> str:
    try:
        return html_to_plain(text)
    except HtmlProblem:
        return text


def _error(status: int, description: str, parameters: dict[str, Any] | None = None
           ) -> tuple[int, bytes]:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return status, json.dumps(body).encode()


def _files(request_data: RequestData | None) -> dict[str, bytes]:
    if request_data is None or not request_data.contains_files:
        return {}
    files: dict[str, bytes] = {}
    for name, part in request_data.multipart_data.items():
        content = part[1] if isinstance(part, tuple) else part
        if hasattr(content, "read"):
            content = content.read()
        files[name] = bytes(content)  # type: ignore[arg-type]
    return files


def _check_text(text: Any, parse_mode: Any, low: int, high: int, what: str) -> str | None:
    if text is None:
        return f"{what} is empty" if low > 0 else None
    text = str(text)
    if parse_mode == "HTML":
        try:
            text = html_to_plain(text)
        except HtmlProblem as problem:
            return str(problem)
    if low and not text.strip():
        return f"{what} is empty"
    if len(text) > high:
        return f"{what} is too long ({len(text)} > {high})"
    return None


def _check_markup(markup: Any) -> str | None:
    if isinstance(markup, str):
        markup = json.loads(markup)
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        count = sum(len(row) for row in rows)
        if count > MAX_BUTTONS:
            return f"too many inline buttons ({count})"
        for row in rows:
            if len(row) > MAX_BUTTONS_PER_ROW:
                return f"too many buttons in a row ({len(row)})"
            for button in row:
                if not str(button.get("text", "")).strip():
                    return "BUTTON_TEXT_EMPTY"
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) \
                        <= MAX_CALLBACK_BYTES:
                    return f"BUTTON_DATA_INVALID ({data!r})"
    if "keyboard" in markup:
        for row in markup["keyboard"]:
            for button in row:
                text = button if isinstance(button, str) else button.get("text", "")
                if not str(text).strip():
                    return "BUTTON_TEXT_EMPTY"
    return None


def _image_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def _check_photo(params: dict[str, Any], files: dict[str, bytes]) -> str | None:
    photo = params.get("photo")
    if isinstance(photo, str) and not photo.startswith("attach://"):
        return None  # a file_id of a photo sent before
    data = next(iter(files.values()), b"")
    if not data:
        return "photo is empty"
    if len(data) > MAX_PHOTO_BYTES:
        return "PHOTO_TOO_BIG"
    try:
        width, height = _image_size(data)
    except Exception:
        return "IMAGE_PROCESS_FAILED"
    if width + height > MAX_PHOTO_SIDES:
        return "PHOTO_INVALID_DIMENSIONS"
    if max(width, height) / max(1, min(width, height)) > MAX_PHOTO_RATIO:
        return "PHOTO_INVALID_DIMENSIONS"
    return None


def _check_commands(commands: list[Any]) -> str | None:
    if isinstance(commands, str):
        commands = json.loads(commands)
    if len(commands) > MAX_COMMANDS:
        return "too many commands"
    for command in commands:
        if not _COMMAND.fullmatch(str(command.get("command", ""))):
            return f"BOT_COMMAND_INVALID ({command.get('command')!r})"
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            return "BOT_COMMAND_DESCRIPTION_INVALID"
    return None
