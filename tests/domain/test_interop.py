"""Our artefacts open with independent implementations: DSSE envelopes verify
with securesystemslib, HPKE seals open with pyhpke."""

from __future__ import annotations

import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from pyhpke import AEADId, CipherSuite, KDFId, KEMId, KEMKey
from securesystemslib.dsse import Envelope
from securesystemslib.signer import SSlibKey

from app.bundles.envelopes import SCORE_BUNDLE
from app.crypto import dsse, seal
from app.crypto.keys import KeyPair

CALL_ID = "MI-CC-2020"


def test_securesystemslib_verifies_our_envelopes() -> None:
    keys = KeyPair.generate()
    payload = json.dumps({"type": "score-bundle", "hello": "commissione"}).encode()
    raw = dsse.sign(SCORE_BUNDLE, payload, keys)
    envelope = Envelope.from_dict(json.loads(raw))
    key = SSlibKey.from_crypto(
        Ed25519PublicKey.from_public_bytes(keys.public.signing), keyid=keys.public.key_id
    )
    verified = envelope.verify([key], threshold=1)
    assert list(verified) == [keys.public.key_id]
    assert envelope.payload == payload and envelope.payload_type == SCORE_BUNDLE
    # And a signature by someone else does not verify there either.
    other = SSlibKey.from_crypto(
        Ed25519PublicKey.from_public_bytes(KeyPair.generate().public.signing),
        keyid=keys.public.key_id,
    )
    try:
        envelope.verify([other], threshold=1)
    except Exception as exc:  # securesystemslib raises its own VerificationError
        assert "verif" in type(exc).__name__.lower() or "threshold" in str(exc).lower()
    else:
        raise AssertionError("a foreign key verified the envelope")


def _open_with_pyhpke(sealed: bytes, recipient: KeyPair) -> bytes:
    """Open a sealed file following docs/formats.md, with pyhpke for the HPKE part."""
    document = json.loads(sealed)
    import base64
    import struct

    suite = CipherSuite.new(
        KEMId.DHKEM_X25519_HKDF_SHA256, KDFId.HKDF_SHA256, AEADId.CHACHA20_POLY1305
    )
    private = KEMKey.from_pyca_cryptography_key(recipient.sealing_key())
    entry = next(r for r in document["recipients"] if r["key_id"] == recipient.public.key_id)
    enc_and_ct = base64.b64decode(entry["enc"])
    info = b"vaglio-seal-v1\x00" + document["call_id"].encode() + b"\x00" + entry["key_id"].encode()
    context = suite.create_recipient_context(enc_and_ct[:32], private, info=info)
    content_key = context.open(enc_and_ct[32:])
    fields = [b"vaglio-sealed", b"1", document["call_id"].encode(), document["purpose"].encode()]
    for r in document["recipients"]:
        fields += [r["key_id"].encode(), base64.b64decode(r["enc"])]
    aad = b"VAGLIO-SEAL-V1" + b"".join(struct.pack(">Q", len(f)) + f for f in fields)
    return ChaCha20Poly1305(content_key).decrypt(
        base64.b64decode(document["nonce"]), base64.b64decode(document["ciphertext"]), aad
    )


def test_pyhpke_opens_our_seals_for_every_recipient() -> None:
    alice, bob, carol = KeyPair.generate(), KeyPair.generate(), KeyPair.generate()
    content = "il verbale è riservato fino all'approvazione".encode()
    sealed = seal.seal(
        content,
        call_id=CALL_ID,
        purpose="call-package",
        recipients=[seal.Recipient(k.public.key_id, k.public.sealing) for k in (alice, bob, carol)],
    )
    for recipient in (alice, bob, carol):
        assert _open_with_pyhpke(sealed, recipient) == content


def test_pyhpke_seals_open_with_our_code() -> None:
    # The other direction: an HPKE seal made by pyhpke for a content key opens
    # with cryptography's HPKE as our seal module uses it.
    recipient = KeyPair.generate()
    suite = CipherSuite.new(
        KEMId.DHKEM_X25519_HKDF_SHA256, KDFId.HKDF_SHA256, AEADId.CHACHA20_POLY1305
    )
    public = KEMKey.from_pyca_cryptography_key(recipient.sealing_key().public_key())
    info = seal.hpke_info(CALL_ID, recipient.public.key_id)
    enc, sender = suite.create_sender_context(public, info=info)
    sealed_key = sender.seal(b"k" * 32)
    opened = seal.SUITE.decrypt(enc + sealed_key, recipient.sealing_key(), info=info)
    assert opened == b"k" * 32
