"""``X-Foundry-Signature``: what a receiver accepts and what it must refuse."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from foundry.notifications import InvalidSignatureError, sign, verify_signature

SECRET = "s3cret-" + "x" * 25
BODY = b'{"event":"order.paid","order_id":7}'
T = 1_767_225_600


def test_the_signature_is_the_hmac_of_timestamp_dot_body() -> None:
    header = sign(BODY, SECRET, T)
    expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert header == f"t={T},v1={expected}"
    assert verify_signature(BODY, header, SECRET, now=T + 10) == T


def test_a_tampered_body_is_rejected() -> None:
    header = sign(BODY, SECRET, T)
    with pytest.raises(InvalidSignatureError, match="does not match"):
        verify_signature(BODY.replace(b"7", b"8"), header, SECRET, now=T)


def test_a_changed_timestamp_is_rejected() -> None:
    header = sign(BODY, SECRET, T).replace(f"t={T}", f"t={T + 60}")
    with pytest.raises(InvalidSignatureError, match="does not match"):
        verify_signature(BODY, header, SECRET, now=T + 60)


def test_an_expired_timestamp_is_rejected_at_the_edge_of_the_tolerance() -> None:
    header = sign(BODY, SECRET, T)
    assert verify_signature(BODY, header, SECRET, tolerance=300, now=T + 300) == T
    with pytest.raises(InvalidSignatureError, match="301 s away from now"):
        verify_signature(BODY, header, SECRET, tolerance=300, now=T + 301)
    with pytest.raises(InvalidSignatureError, match="away from now"):
        verify_signature(BODY, header, SECRET, tolerance=300, now=T - 301)  # from the future
    assert verify_signature(BODY, header, SECRET, tolerance=None, now=T + 10**6) == T


def test_the_wrong_secret_is_rejected_and_rotation_accepts_either() -> None:
    header = sign(BODY, SECRET, T)
    with pytest.raises(InvalidSignatureError):
        verify_signature(BODY, header, "other-secret", now=T)
    assert verify_signature(BODY, header, ["new-secret", SECRET], now=T) == T
    both = f"{header},v1={sign(BODY, 'new-secret', T).split('v1=')[1]}"
    assert verify_signature(BODY, both, "new-secret", now=T) == T


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (None, "has no X-Foundry-Signature"),
        ("", "has no X-Foundry-Signature"),
        ("v1=abcd", "malformed"),
        ("t=abc,v1=abcd", "malformed"),
        (f"t={T},t={T},v1=abcd", "malformed"),
        (f"t={T}", "no v1 signature"),
    ],
)
def test_malformed_headers_are_rejected_with_the_reason(header: str | None, reason: str) -> None:
    with pytest.raises(InvalidSignatureError, match=reason):
        verify_signature(BODY, header, SECRET, now=T)


def test_a_text_body_is_verified_as_its_utf8_bytes() -> None:
    text = '{"note":"déjà vu"}'
    assert verify_signature(text, sign(text.encode(), SECRET, T), SECRET, now=T) == T


def test_signing_and_verifying_need_a_secret() -> None:
    with pytest.raises(ValueError, match="secret"):
        sign(BODY, "")
    with pytest.raises(ValueError, match="secret"):
        verify_signature(BODY, sign(BODY, SECRET), "")
