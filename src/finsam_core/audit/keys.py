"""The Ed25519 key that signs checkpoints, and the public key a verifier needs.

The private key lives in a PEM file: ``$FINSAM_SIGNING_KEY`` if set, otherwise
``signing-key.pem`` in the user's data directory (``~/.local/share/finsam`` on Linux), created
with mode 0600 the first time it is needed. Only the process that records events needs it.
Auditors get the public key (``finsam verify --print-public-key``), 64 hex digits.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from finsam_core.errors import InvalidInput

__all__ = [
    "default_key_path",
    "is_valid_signature",
    "key_id",
    "load_or_create_signing_key",
    "load_public_key",
    "public_key_hex",
]


def default_key_path() -> Path:
    """``$FINSAM_SIGNING_KEY`` or ``signing-key.pem`` in the user data directory."""
    configured = os.environ.get("FINSAM_SIGNING_KEY", "").strip()
    if configured:
        return Path(configured)
    return Path(platformdirs.user_data_dir("finsam", appauthor=False)) / "signing-key.pem"


def load_or_create_signing_key(path: Path | str | None = None) -> Ed25519PrivateKey:
    """The private key in ``path`` (default :func:`default_key_path`), generated if absent."""
    key_path = Path(path) if path else default_key_path()
    if key_path.exists():
        loaded = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise InvalidInput(f"Nyckelfilen {key_path} innehåller ingen Ed25519-nyckel.")
        return loaded
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    key_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, pem)
    finally:
        os.close(fd)
    return key


def public_key_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The raw public key as 64 hex digits."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def key_id(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """A short name for a key: the first 16 hex digits of the SHA-256 of its public bytes."""
    return hashlib.sha256(bytes.fromhex(public_key_hex(key))).hexdigest()[:16]


def load_public_key(text_or_path: str) -> Ed25519PublicKey:
    """A public key from 64 hex digits, a PEM public key file, or a private key file."""
    candidate = text_or_path.strip()
    if len(candidate) == 64:
        try:
            return Ed25519PublicKey.from_public_bytes(bytes.fromhex(candidate))
        except ValueError:
            pass
    path = Path(candidate)
    if not path.exists():
        raise InvalidInput(
            f"Den publika nyckeln {candidate!r} är varken 64 hexadecimala tecken eller en fil som finns."
        )
    data = path.read_bytes()
    if b"PRIVATE KEY" in data:
        return load_or_create_signing_key(path).public_key()
    if b"PUBLIC KEY" in data:
        loaded = serialization.load_pem_public_key(data)
        if isinstance(loaded, Ed25519PublicKey):
            return loaded
    return load_public_key(data.decode().strip()) if len(data.strip()) == 64 else _bad_key(path)


def _bad_key(path: Path) -> Ed25519PublicKey:
    raise InvalidInput(f"Filen {path} innehåller ingen publik Ed25519-nyckel.")


def is_valid_signature(public: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        public.verify(signature, message)
    except InvalidSignature:
        return False
    return True
