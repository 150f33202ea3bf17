"""How text from the event store becomes text that the views' ``text`` and ``jsonb`` columns can hold.

The store keeps an event's payload as bytes, so it holds any string the transcoder can encode,
NUL (U+0000) included. PostgreSQL cannot: a ``text`` value refuses the NUL byte and ``jsonb``
refuses the ``\\u0000`` escape. The views therefore show a NUL as U+FFFD REPLACEMENT CHARACTER;
the event store keeps the original, so the audit trail, exports and replays are unchanged.

Every other string reaches the views exactly as recorded: control characters, emoji, RTL marks,
U+FFFD itself, a backslash followed by ``u0000`` (JSON writes it ``\\\\u0000``, which ``jsonb``
accepts) and long strings. A lone surrogate cannot be encoded by the transcoder (nor decoded from
a stored event), so it never comes from the store; should one reach a view anyway it is shown as
U+FFFD too. Two view keys that
differ only by NUL against U+FFFD (a meeting reference, say) name the same view row.

Two entry points keep this in one place: :func:`view_json` for the JSON the projection sends to
``jsonb`` (and to ``jsonb_populate_recordset``), and :func:`adapt_view_text`, which makes a
connection send every ``str`` parameter through :func:`view_text`.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
import psycopg
from psycopg.types.string import StrBinaryDumper, StrDumperUnknown

__all__ = ["REPLACEMENT", "adapt_view_text", "view_json", "view_text"]

REPLACEMENT = "\ufffd"
"""What a view shows in place of a character PostgreSQL cannot hold."""

_json = msgspec.json.Encoder()
# A ``\u0000`` escape, not a literal backslash followed by "u0000": the backslash before it must
# not itself be escaped, so it is preceded by an even number of backslashes (none included).
_NUL_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u0000")


def view_text(text: str) -> str:
    """``text`` as a view column holds it: NUL and lone surrogates replaced by U+FFFD."""
    if "\x00" in text:
        text = text.replace("\x00", REPLACEMENT)
    try:
        text.encode()
    except UnicodeEncodeError:  # Lone surrogates: UTF-16 round trip replaces each by U+FFFD.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def view_json(value: Any) -> str:
    """``value`` as JSON text that ``jsonb`` accepts: every ``\\u0000`` escape becomes ``\\ufffd``."""
    try:
        text = _json.encode(value).decode()
    except UnicodeEncodeError:  # A lone surrogate somewhere in ``value``.
        text = _json.encode(_texts_replaced(msgspec.to_builtins(value))).decode()
    if "\\u0000" in text:  # The common case costs one substring search.
        text = _NUL_ESCAPE.sub(r"\1\\ufffd", text)
    return text


def _texts_replaced(value: Any) -> Any:
    if isinstance(value, str):
        return view_text(value)
    if isinstance(value, dict):
        return {_texts_replaced(k): _texts_replaced(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_texts_replaced(v) for v in value]
    return value


class _ViewTextDumper(StrDumperUnknown):
    def dump(self, obj: str) -> Any:
        return super().dump(view_text(obj))


class _ViewTextBinaryDumper(StrBinaryDumper):
    def dump(self, obj: str) -> Any:
        return super().dump(view_text(obj))


def adapt_view_text(connection: psycopg.Connection[Any]) -> None:
    """Make ``connection`` send every ``str`` parameter as :func:`view_text` shows it."""
    connection.adapters.register_dumper(str, _ViewTextBinaryDumper)
    connection.adapters.register_dumper(str, _ViewTextDumper)
