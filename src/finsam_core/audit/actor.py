"""Who recorded a write, and through which channel: metadata the hash chain covers.

An :class:`Actor` travels with a write, never into a domain event: the application's unit of
work hands it to the recorder (``save(..., actor=...)``), which stores its bytes once per write
beside the chain (``<events>_audit_actors``) and mixes their hash into the leaf of every event of
that write (:func:`finsam_core.audit.chain.leaf_hash`). A rule never sees it, so it can
never change what a rule decides; the chain covers it, so it cannot be changed afterwards.

Channels: ``http`` (the token's id, role and label, and the request id), ``import`` (the file's
name and SHA-256, and the operating-system user or ``--actor``), ``python`` (whoever the caller
names; by default the operating-system user). Events recorded before actors existed have none:
they are shown as :data:`UNKNOWN`.
"""

from __future__ import annotations

import getpass
from functools import cache

import msgspec

__all__ = ["UNKNOWN", "Actor", "decode_actor", "encode_actor", "os_user"]


class Actor(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """Who recorded a write: ``name`` for people, the rest for the auditor's follow-up."""

    channel: str
    name: str
    role: str | None = None
    token_id: str | None = None
    request_id: str | None = None
    file_name: str | None = None
    file_sha256: str | None = None
    os_user: str | None = None

    @classmethod
    def http(cls, *, token_id: str, role: str, label: str, request_id: str | None) -> Actor:
        """A write over the HTTP API, by the holder of a token."""
        return cls(
            channel="http", name=label or f"nyckel {token_id}", role=role, token_id=token_id, request_id=request_id
        )

    @classmethod
    def file_import(cls, *, file_name: str, file_sha256: str, user: str | None = None) -> Actor:
        """A write by ``finsam import``: the file, and the person (``--actor``) or the OS user."""
        account = os_user()
        return cls(
            channel="import", name=user or account, file_name=file_name, file_sha256=file_sha256, os_user=account
        )

    @classmethod
    def python(cls, name: str | None = None) -> Actor:
        """A write from Python: the name the caller gives, or the OS user."""
        account = os_user()
        return cls(channel="python", name=name or account, os_user=account)

    def describe(self) -> str:
        """One line in Swedish: who, how, and the details an auditor follows up."""
        details = [
            f"{label} {value}"
            for label, value in (
                ("roll", self.role),
                ("nyckel", self.token_id),
                ("begäran", self.request_id),
                ("fil", self.file_name),
                ("sha256", self.file_sha256),
                ("användare", self.os_user if self.os_user != self.name else None),
            )
            if value
        ]
        return f"{self.name} via {self.channel}" + (f" ({', '.join(details)})" if details else "")


UNKNOWN = Actor(channel="okänd", name="okänd")
"""Shown for events recorded before the trail kept actors."""


def encode_actor(actor: Actor) -> bytes:
    """The bytes stored (and hashed) for ``actor``."""
    return msgspec.json.encode(actor)


_decoder = msgspec.json.Decoder(Actor)


def decode_actor(data: bytes | None) -> Actor | None:
    """The actor stored as ``data``; None when there is none or it does not decode."""
    if data is None:
        return None
    try:
        return _decoder.decode(data)
    except msgspec.DecodeError:
        return None


@cache
def os_user() -> str:
    """The operating-system user running this process (``okänd`` if it cannot be told)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "okänd"
