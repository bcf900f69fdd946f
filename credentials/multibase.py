"""Multibase and multicodec encodings used by Data Integrity and Multikey (base58btc 'z', base64url 'u')."""
from __future__ import annotations

import base64

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_PUB = b"\xed\x01"   # multicodec ed25519-pub
ED25519_PRIV = b"\x80\x26"  # multicodec ed25519-priv


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(ALPHABET[remainder])
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + "".join(reversed(digits))


def from_base58btc(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + ALPHABET.index(char)
    leading_zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * leading_zeros + body


def encode_z(data: bytes) -> str:
    """Multibase base58btc ('z' prefix)."""
    return "z" + base58btc(data)


def decode_z(text: str) -> bytes:
    if not text.startswith("z"):
        raise ValueError("Expected a multibase base58btc value (starting with 'z').")
    return from_base58btc(text[1:])


def encode_u(data: bytes) -> str:
    """Multibase base64url without padding ('u' prefix)."""
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_u(text: str) -> bytes:
    if not text.startswith("u"):
        raise ValueError("Expected a multibase base64url value (starting with 'u').")
    body = text[1:]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def public_key_multibase(raw_public_key: bytes) -> str:
    """An Ed25519 public key as a Multikey `publicKeyMultibase` ('z6Mk...')."""
    return encode_z(ED25519_PUB + raw_public_key)


def raw_public_key(multibase_value: str) -> bytes:
    decoded = decode_z(multibase_value)
    if not decoded.startswith(ED25519_PUB) or len(decoded) != 34:
        raise ValueError("Not an Ed25519 Multikey public key.")
    return decoded[2:]
