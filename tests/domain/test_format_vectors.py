"""The test vectors and JSON Schemas of docs/formats.md.

Three kinds of check on the committed files in docs/vectors/ (written once by
``python -m tests.fixtures.make_vectors``; sealed files are random, so they are
opened here, never regenerated):

1. the project's own code parses, verifies and opens every vector, and the
   hashes, PAE bytes and intermediate values in vectors.json are right;
2. every payload, envelope and sealed file matches its schema in
   docs/schemas/ (with ``jsonschema`` when it is installed, and always with
   the small draft 2020-12 checker below, for the keywords the schemas use);
   mutations that Vaglio refuses are refused by the schemas too;
3. an independent verifier that knows only docs/formats.md (hashlib,
   ``cryptography``'s Ed25519 and ChaCha20-Poly1305, pyhpke) recomputes the
   key ids, the PAE, verifies the signatures and opens the sealed files.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import io
import json
import re
import struct
import tomllib
import zipfile
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyhpke import AEADId, CipherSuite, KDFId, KEMId, KEMKey, OpenError

from app.bundles import container, policy
from app.bundles.card import EnrollmentCard
from app.bundles.close_notice import CALL_CLOSED, CloseNotice, notice_path
from app.bundles.envelopes import CALL_PACKAGE, ENROLLMENT, RECEIPT, SCORE_BUNDLE
from app.bundles.errors import (
    ChainBrokenError,
    GridMismatchError,
    ReplayError,
    RollbackError,
    UnknownSignerError,
    UntrustedOfficeError,
    WrongOfficeError,
)
from app.bundles.package import LIMITS, CallPackage
from app.bundles.receipt import Receipt
from app.bundles.score_bundle import ScoreBundle
from app.crypto import dsse, seal
from app.crypto.errors import CryptoError, NotForThisKeyError
from app.crypto.keys import KeyPair
from app.services import outbox

try:  # optional: the suite does not depend on it
    import jsonschema
except ImportError:  # pragma: no cover - depends on the environment
    jsonschema = None

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
VECTORS = DOCS / "vectors"
SCHEMAS = DOCS / "schemas"
SPEC = DOCS / "formats.md"
MANIFEST: dict[str, Any] = json.loads((VECTORS / "vectors.json").read_text(encoding="utf-8"))
KEYS: dict[str, dict[str, Any]] = MANIFEST["keys"]
ARTEFACTS: dict[str, dict[str, Any]] = MANIFEST["artefacts"]
SEALED = [name for name, entry in ARTEFACTS.items() if "sealed" in entry]
CALL_ID = MANIFEST["call_id"]
GRID_HASH = MANIFEST["grid_hash"]
PAYLOAD_SCHEMAS = {
    ENROLLMENT: "enrollment.schema.json",
    CALL_PACKAGE: "call-package.schema.json",
    SCORE_BUNDLE: "score-bundle.schema.json",
    RECEIPT: "receipt.schema.json",
    CALL_CLOSED: "call-closed.schema.json",
}
SCHEMA_FILES = sorted(p.name for p in SCHEMAS.glob("*.schema.json"))


def data(name: str) -> bytes:
    return (VECTORS / name).read_bytes()


def keypair(who: str) -> KeyPair:
    entry = KEYS[who]
    return KeyPair(
        bytes.fromhex(entry["signing_private_hex"]), bytes.fromhex(entry["sealing_private_hex"])
    )


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _value in pairs]
    assert len(keys) == len(set(keys)), f"duplicate key in {keys}"
    return dict(pairs)


def strict_load(raw: bytes) -> Any:
    return json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)


# -- 1. the project's code opens and verifies every vector ----------------------


def test_every_vector_file_is_listed_and_present() -> None:
    listed = {"vectors.json"}
    for entry in ARTEFACTS.values():
        listed |= {entry["envelope_file"], entry["payload_file"]}
        if "sealed" in entry:
            listed |= {entry["sealed"]["sealed_file"], entry["sealed"]["content_file"]}
        for member in entry.get("zip_members", {}).values():
            listed.add(member["file"])
    on_disk = {p.name for p in VECTORS.iterdir() if p.name not in ("README.md", ".gitattributes")}
    assert listed == on_disk
    assert {entry["payload_type"] for entry in ARTEFACTS.values()} == set(PAYLOAD_SCHEMAS)


@pytest.mark.parametrize("who", sorted(KEYS))
def test_keys_follow_their_derivation(who: str) -> None:
    entry = KEYS[who]
    for use in ("signing", "sealing"):
        label = entry[f"{use}_private_label"]
        assert label == f"vaglio-test-vector-v1/{who}/{use}"
        assert hashlib.sha256(label.encode()).hexdigest() == entry[f"{use}_private_hex"]
    public = keypair(who).public
    assert public.signing.hex() == entry["signing_public_hex"]
    assert public.sealing.hex() == entry["sealing_public_hex"]
    assert public.key_id == entry["key_id"]
    assert public.fingerprint == entry["fingerprint"]


@pytest.mark.parametrize("name", sorted(ARTEFACTS))
def test_envelope_payload_hash_and_pae(name: str) -> None:
    entry = ARTEFACTS[name]
    raw = data(entry["envelope_file"])
    envelope = dsse.parse(raw, max_size=len(raw))
    signer = KEYS[entry["signer"]]
    assert envelope.payload_type == entry["payload_type"]
    assert envelope.payload == data(entry["payload_file"])
    assert hashlib.sha256(raw).hexdigest() == entry["envelope_sha256"]
    assert hashlib.sha256(envelope.payload).hexdigest() == entry["payload_sha256"]
    assert dsse.pae(envelope.payload_type, envelope.payload).hex() == entry["pae_hex"]
    assert envelope.keyid == signer["key_id"] == entry["signer_key_id"]
    assert envelope.signature.hex() == entry["signature_hex"]
    envelope.verify(bytes.fromhex(signer["signing_public_hex"]))


@pytest.mark.parametrize("name", sorted(ARTEFACTS))
def test_signatures_are_deterministic(name: str) -> None:
    # Ed25519 is deterministic: signing the committed payload again with the
    # fixed key gives the committed envelope, byte for byte.
    entry = ARTEFACTS[name]
    payload = data(entry["payload_file"])
    assert dsse.sign(entry["payload_type"], payload, keypair(entry["signer"])) == data(
        entry["envelope_file"]
    )


def test_enrollment_card_vector() -> None:
    card = EnrollmentCard.parse(data("enrollment-card.envelope.json"))
    member = KEYS["member-a"]
    assert (card.name, card.role) == (member["name"], "member")
    assert card.key_id == member["key_id"]
    assert card.fingerprint == member["fingerprint"]
    assert card.created_at.isoformat() == "2020-07-20T10:00:00+00:00"


@pytest.mark.parametrize("name", ["receipt-000001", "receipt-000002", "receipt-v1-000002"])
def test_receipt_vector(name: str) -> None:
    entry = ARTEFACTS[name]
    office, member = KEYS["office"], KEYS["member-a"]
    receipt = Receipt.parse(
        data(entry["envelope_file"]),
        office_signing_key=bytes.fromhex(office["signing_public_hex"]),
        call_id=CALL_ID,
    )
    sequence = int(name[-1])
    bundle = name.replace("receipt", "score-bundle")[:-6] + f"{sequence:06d}"
    assert receipt.member_key_id == member["key_id"]
    assert receipt.office_key_id == office["key_id"]
    assert receipt.sequence == sequence
    assert receipt.bundle_hash == ARTEFACTS[bundle]["payload_sha256"]
    assert entry["remote_path"] == outbox.receipt_path(CALL_ID, member["key_id"], sequence)
    # Version 1 (still read) has no head; version 2 has the office's.
    assert (receipt.audit_head is None) == ("-v1-" in name)
    assert Receipt.read_audit_head(receipt.raw) == receipt.audit_head
    with pytest.raises(CryptoError):  # a member's key did not sign it
        Receipt.parse(
            data(entry["envelope_file"]),
            office_signing_key=bytes.fromhex(member["signing_public_hex"]),
        )


def test_close_notice_vector() -> None:
    entry = ARTEFACTS["call-closed"]
    office = KEYS["office"]
    notice = CloseNotice.parse(
        data(entry["envelope_file"]),
        office_signing_key=bytes.fromhex(office["signing_public_hex"]),
    )
    assert (notice.call_id, notice.office_key_id) == (CALL_ID, office["key_id"])
    assert notice.approved_at.isoformat() == "2020-09-21T10:15:00+00:00"
    assert notice.ranking_sha256 == hashlib.sha256(b"vaglio-test-vector-v1/ranking").hexdigest()
    assert notice.payload_hash == entry["payload_sha256"]
    assert entry["remote_path"] == notice_path(CALL_ID) == "MI-CC-2020/closed.vaglio"
    with pytest.raises(CryptoError):  # a member's key did not sign it
        CloseNotice.parse(
            data(entry["envelope_file"]),
            office_signing_key=bytes.fromhex(KEYS["member-a"]["signing_public_hex"]),
        )


def _bundle(sequence: int, prefix: str = "score-bundle") -> ScoreBundle:
    entry = ARTEFACTS[f"{prefix}-{sequence:06d}"]
    office = keypair("office")
    call_id, envelope = ScoreBundle.unseal(
        data(entry["sealed"]["sealed_file"]),
        office_key_id=office.public.key_id,
        office_sealing_private=office.sealing_private,
    )
    assert envelope == data(entry["envelope_file"])
    return ScoreBundle.parse(envelope, sealed_call_id=call_id)


@pytest.mark.parametrize("prefix", ["score-bundle", "score-bundle-v1"])
@pytest.mark.parametrize("sequence", [1, 2])
def test_score_bundle_vectors(sequence: int, prefix: str) -> None:
    entry = ARTEFACTS[f"{prefix}-{sequence:06d}"]
    bundle = _bundle(sequence, prefix)
    member, office = KEYS["member-a"], KEYS["office"]
    bundle.envelope.verify(bytes.fromhex(member["signing_public_hex"]))
    assert (bundle.call_id, bundle.grid_hash, bundle.sequence) == (CALL_ID, GRID_HASH, sequence)
    assert bundle.author_key_id == member["key_id"]
    assert bundle.recipient_key_id == office["key_id"]
    assert bundle.payload_hash == entry["payload_sha256"]
    expected_previous = (
        None if sequence == 1 else ARTEFACTS[f"{prefix}-{sequence - 1:06d}"]["payload_sha256"]
    )
    assert bundle.previous == expected_previous
    assert bundle.version == (1 if prefix.endswith("v1") else 2)
    assert ScoreBundle.read_anchors(bundle.envelope.raw) == bundle.anchors
    assert entry["remote_path"] == outbox.bundle_path(
        CALL_ID, member["key_id"], sequence, bundle.payload_hash
    )
    # Sealed to the office only: a member's key does not open it.
    sealed = seal.parse(data(entry["sealed"]["sealed_file"]), max_size=1 << 30)
    with pytest.raises(NotForThisKeyError):
        sealed.open(member["key_id"], bytes.fromhex(member["sealing_private_hex"]))


def test_score_bundle_acceptance_policy() -> None:
    first, second = _bundle(1), _bundle(2)
    member = KEYS["member-a"]
    h1, h2 = first.payload_hash, second.payload_hash

    def check(bundle: ScoreBundle, accepted: dict[int, str], **changes: Any) -> policy.Verdict:
        last = max(accepted.items(), default=None)
        arguments: dict[str, Any] = {
            "call_id": CALL_ID,
            "grid_hash": GRID_HASH,
            "office_key_id": KEYS["office"]["key_id"],
            "roster_signing_keys": {member["key_id"]: bytes.fromhex(member["signing_public_hex"])},
            "last": None if last is None else policy.LastAccepted(*last),
            "accepted_hashes": accepted,
        }
        return policy.check_bundle(bundle, **(arguments | changes))

    assert check(first, {}) == policy.Verdict(False, None)
    assert check(second, {1: h1}) == policy.Verdict(False, None)
    # Bundle 1 withheld: reported.
    assert check(second, {}) == policy.Verdict(False, policy.SequenceGap(1, 1))
    assert check(second, {1: h1, 2: h2}) == policy.Verdict(True, None)  # re-import: no-op
    assert check(first, {1: h1, 2: h2}) == policy.Verdict(True, None)
    with pytest.raises(ChainBrokenError):
        check(second, {1: "0" * 64})
    with pytest.raises(RollbackError):
        check(first, {2: h2})
    with pytest.raises(ReplayError):
        check(second, {1: h1, 2: "0" * 64})
    with pytest.raises(WrongOfficeError):
        check(first, {}, office_key_id=member["key_id"])
    with pytest.raises(GridMismatchError):
        check(first, {}, grid_hash="0" * 64)
    with pytest.raises(UnknownSignerError):
        check(first, {}, roster_signing_keys={})


@pytest.mark.parametrize("who", ["member-a", "member-b"])
def test_call_package_vector(who: str) -> None:
    entry = ARTEFACTS["call-package-000001"]
    office, me = KEYS["office"], keypair(who)
    raw = data(entry["sealed"]["sealed_file"])
    package = CallPackage.open(
        raw,
        my_key_id=me.public.key_id,
        my_sealing_private=me.sealing_private,
        trusted_offices={office["key_id"]: bytes.fromhex(office["signing_public_hex"])},
    )
    assert package.envelope.raw == data(entry["envelope_file"])
    assert (package.call_id, package.sequence, package.grid_hash) == (CALL_ID, 1, GRID_HASH)
    assert package.author_key_id == office["key_id"]
    assert [m.key_id for m in package.roster] == [
        KEYS["member-a"]["key_id"],
        KEYS["member-b"]["key_id"],
    ]
    (attachment,) = package.proposals[0].attachments
    assert attachment.content == data("attachment-P001.pdf")
    assert attachment.content.startswith(b"%PDF-")
    assert not package.proposals[1].admissible
    assert entry["remote_path"] == outbox.package_path(CALL_ID, 1)
    # The ZIP inside is the committed one and passes the container rules.
    archive = seal.parse(raw, max_size=len(raw)).open(me.public.key_id, me.sealing_private)
    assert archive == data(entry["sealed"]["content_file"])
    members = container.read(archive, LIMITS)
    assert {name: hashlib.sha256(body).hexdigest() for name, body in members.items()} == {
        name: member["sha256"] for name, member in entry["zip_members"].items()
    }
    with pytest.raises(UntrustedOfficeError):
        CallPackage.open(
            raw,
            my_key_id=me.public.key_id,
            my_sealing_private=me.sealing_private,
            trusted_offices={},
        )


def test_the_office_cannot_open_the_call_package() -> None:
    office = keypair("office")
    sealed = seal.parse(data("call-package-000001.vaglio"), max_size=1 << 30)
    with pytest.raises(NotForThisKeyError):
        sealed.open(office.public.key_id, office.sealing_private)


@pytest.mark.parametrize("name", SEALED)
def test_sealed_intermediate_values(name: str) -> None:
    entry = ARTEFACTS[name]["sealed"]
    raw = data(entry["sealed_file"])
    sealed = seal.parse(raw, max_size=len(raw))
    assert hashlib.sha256(raw).hexdigest() == entry["sealed_sha256"]
    assert (sealed.call_id, sealed.purpose) == (entry["call_id"], entry["purpose"])
    assert sealed.nonce.hex() == entry["nonce_hex"]
    assert [(key_id, enc.hex()) for key_id, enc in sealed.recipients] == [
        (r["key_id"], r["hpke_enc_hex"] + r["hpke_ciphertext_hex"]) for r in entry["recipients"]
    ]
    for recipient in entry["recipients"]:
        assert recipient["key_id"] == KEYS[recipient["identity"]]["key_id"]
        info = seal.hpke_info(sealed.call_id, recipient["key_id"])
        assert info.hex() == recipient["hpke_info_hex"]
        keys = keypair(recipient["identity"])
        enc = dict(sealed.recipients)[recipient["key_id"]]
        assert (
            seal.SUITE.decrypt(enc, keys.sealing_key(), info=info).hex()
            == (entry["content_key_hex"])
        )
        content = sealed.open(recipient["key_id"], keys.sealing_private)
        assert hashlib.sha256(content).hexdigest() == entry["content_sha256"]
    assert data(entry["content_file"]) == sealed.open(
        entry["open_with"]["key_id"], bytes.fromhex(entry["open_with"]["sealing_private_hex"])
    )


# -- 2. JSON Schema (draft 2020-12) ----------------------------------------------
#
# A small checker for the keywords the schemas use; it refuses a schema with any
# other keyword, so it never silently ignores a rule.

KEYWORDS = {
    "$schema", "$id", "$defs", "$ref", "$comment", "title", "description", "format", "type",
    "enum", "const", "properties", "required", "additionalProperties", "pattern", "minLength",
    "maxLength", "items", "minItems", "maxItems", "minimum", "maximum", "anyOf", "if", "then",
    "else",
}  # fmt: skip
TYPES: dict[str, Callable[[Any], bool]] = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _same(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1, 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if TYPES["number"](a) and TYPES["number"](b):
        return bool(a == b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    # ECMA-262 "$" (no multiline flag) matches only at the very end; Python's
    # also matches before a final newline, hence \Z.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def check_schema(
    instance: Any, schema: dict[str, Any], root: dict[str, Any], at: str = "$"
) -> list[str]:
    unknown = set(schema) - KEYWORDS
    if unknown:
        raise ValueError(f"schema keyword(s) the checker does not know: {sorted(unknown)}")
    errors: list[str] = []
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"only local $defs references are supported: {ref}")
        errors += check_schema(instance, root["$defs"][ref.removeprefix("#/$defs/")], root, at)
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[n](instance) for n in names):
            return [*errors, f"{at}: not of type {names}"]
    if "const" in schema and not _same(instance, schema["const"]):
        errors.append(f"{at}: not {schema['const']!r}")
    if "enum" in schema and not any(_same(instance, v) for v in schema["enum"]):
        errors.append(f"{at}: not one of {schema['enum']}")
    if isinstance(instance, str):
        if len(instance) < schema.get("minLength", 0):
            errors.append(f"{at}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(instance) > schema["maxLength"]:
            errors.append(f"{at}: longer than {schema['maxLength']}")
        if "pattern" in schema and not _regex(schema["pattern"]).search(instance):
            errors.append(f"{at}: does not match {schema['pattern']}")
    if TYPES["number"](instance) and "minimum" in schema and instance < schema["minimum"]:
        errors.append(f"{at}: below {schema['minimum']}")
    if TYPES["number"](instance) and "maximum" in schema and instance > schema["maximum"]:
        errors.append(f"{at}: above {schema['maximum']}")
    if isinstance(instance, list):
        if len(instance) < schema.get("minItems", 0):
            errors.append(f"{at}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(instance) > schema["maxItems"]:
            errors.append(f"{at}: more than {schema['maxItems']} items")
        if "items" in schema:
            for index, item in enumerate(instance):
                errors += check_schema(item, schema["items"], root, f"{at}[{index}]")
    if isinstance(instance, dict):
        for key in schema.get("required", []):
            if key not in instance:
                errors.append(f"{at}: missing {key}")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, value in instance.items():
            if key in properties:
                errors += check_schema(value, properties[key], root, f"{at}.{key}")
            elif extra is False:
                errors.append(f"{at}: unknown field {key}")
            elif isinstance(extra, dict):
                errors += check_schema(value, extra, root, f"{at}.{key}")
    if "anyOf" in schema and all(check_schema(instance, s, root, at) for s in schema["anyOf"]):
        errors.append(f"{at}: matches none of anyOf")
    if "if" in schema:
        branch = "else" if check_schema(instance, schema["if"], root, at) else "then"
        if branch in schema:
            errors += check_schema(instance, schema[branch], root, at)
    return errors


@cache
def schema(file: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / file).read_text(encoding="utf-8"))
    return loaded


def validation_errors(instance: Any, file: str) -> list[str]:
    """Errors from the small checker and, if installed, from ``jsonschema``."""
    document = schema(file)
    errors = check_schema(instance, document, document)
    if jsonschema is not None:
        validator = jsonschema.Draft202012Validator(
            document, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        library = [f"jsonschema: {e.message}" for e in validator.iter_errors(instance)]
        assert bool(errors) == bool(library), (errors, library)
        errors += library
    return errors


def _walk(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node]
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for sub in value.values():
                    found += _walk(sub)
            elif key in ("items", "if", "then", "else", "additionalProperties"):
                found += _walk(value)
            elif key == "anyOf":
                for sub in value:
                    found += _walk(sub)
        return found
    return []


@pytest.mark.parametrize("file", SCHEMA_FILES)
def test_schemas_are_draft_2020_12(file: str) -> None:
    document = schema(file)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"] == f"urn:vaglio:schema:{file.removesuffix('.schema.json')}:v1"
    for node in _walk(document):
        assert set(node) <= KEYWORDS, sorted(set(node) - KEYWORDS)
        if "pattern" in node:
            assert node["pattern"].startswith("^") and node["pattern"].endswith("$")
        if node.get("type") == "object":
            assert node.get("additionalProperties") is not None, node
            assert set(node.get("required", [])) == set(node.get("properties", {}))
    if jsonschema is not None:
        jsonschema.Draft202012Validator.check_schema(document)


def _documents() -> list[tuple[str, str, str]]:
    """(vector file, what it is, schema file) for every JSON vector."""
    found = []
    for entry in ARTEFACTS.values():
        found.append((entry["envelope_file"], "envelope", "envelope.schema.json"))
        found.append((entry["payload_file"], "payload", PAYLOAD_SCHEMAS[entry["payload_type"]]))
        if "sealed" in entry:
            found.append((entry["sealed"]["sealed_file"], "sealed", "sealed.schema.json"))
    return found


@pytest.mark.parametrize(("file", "what", "schema_file"), _documents())
def test_vectors_match_their_schema(file: str, what: str, schema_file: str) -> None:
    assert validation_errors(strict_load(data(file)), schema_file) == []


def _non_canonical(text: str) -> str:
    """The same bytes in base64 with a spare bit set (what a lax decoder accepts)."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    body = text.rstrip("=")
    assert len(body) < len(text), "needs padding, hence spare bits"
    last = alphabet[alphabet.index(body[-1]) | 1]
    return body[:-1] + last + text[len(body) :]


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(document: dict[str, Any]) -> None:
        document[field] = value

    return mutate


def _drop(field: str) -> Callable[[dict[str, Any]], None]:
    return lambda document: document.pop(field)


def _in_first(field: str, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(document: dict[str, Any]) -> None:
        document[field][0][key] = value

    return mutate


def _conflict_without_category(document: dict[str, Any]) -> None:
    document["declarations"][0]["conflict"] = True


def _second_signature(document: dict[str, Any]) -> None:
    document["signatures"].append(dict(document["signatures"][0]))


def _unpadded(document: dict[str, Any]) -> None:
    assert document["payload"].endswith("=")
    document["payload"] = document["payload"].rstrip("=")


# (name, vector, mutation): Vaglio's parser refuses each, and so must the schema.
MUTATIONS: list[tuple[str, str, Callable[[dict[str, Any]], None]]] = [
    ("receipt-unknown-field", "receipt-000002", _set("note", "x")),
    ("receipt-missing-field", "receipt-000002", _drop("office_key_id")),
    ("receipt-upper-case-key-id", "receipt-000002", lambda d: d.update(
        member_key_id=d["member_key_id"].upper())),
    ("receipt-sequence-0", "receipt-000002", _set("sequence", 0)),
    ("receipt-sequence-as-text", "receipt-000002", _set("sequence", "2")),
    ("receipt-version-3", "receipt-000002", _set("version", 3)),
    ("receipt-version-as-text", "receipt-000002", _set("version", "2")),
    ("receipt-without-head", "receipt-000002", _drop("audit_head")),
    ("receipt-v1-with-head", "receipt-v1-000002", _set("audit_head", {"seq": 1, "hash": "0" * 64})),
    ("receipt-head-negative", "receipt-000002", lambda d: d["audit_head"].update(seq=-1)),
    ("receipt-head-as-text", "receipt-000002", lambda d: d["audit_head"].update(seq="27")),
    ("receipt-time-without-zone", "receipt-000002", _set("received_at", "2020-09-08T12:02:07")),
    ("receipt-time-not-a-time", "receipt-000002", _set("received_at", "8 settembre 2020")),
    ("closed-unknown-field", "call-closed", _set("ranking", "x")),
    ("closed-missing-field", "call-closed", _drop("ranking_sha256")),
    ("closed-short-hash", "call-closed", _set("ranking_sha256", "ab" * 16)),
    ("closed-version-2", "call-closed", _set("version", 2)),
    ("closed-wrong-type", "call-closed", _set("type", "receipt")),
    ("closed-time-without-zone", "call-closed", _set("approved_at", "2020-09-21T10:15:00")),
    ("closed-empty-call", "call-closed", _set("call_id", "")),
    ("card-non-canonical-key", "enrollment-card", lambda d: d.update(
        signing_key=_non_canonical(d["signing_key"]))),
    ("card-unknown-role", "enrollment-card", _set("role", "admin")),
    ("card-short-key", "enrollment-card", _set("sealing_key", "AAAA")),
    ("card-wrong-type", "enrollment-card", _set("type", "receipt")),
    ("bundle-value-as-number", "score-bundle-000002", _in_first("scores", "value", 0.8)),
    ("bundle-value-with-comma", "score-bundle-000002", _in_first("scores", "value", "0,8")),
    ("bundle-second-without-previous", "score-bundle-000002", _set("previous", None)),
    ("bundle-first-with-previous", "score-bundle-000001", _set("previous", "0" * 64)),
    ("bundle-conflict-without-category", "score-bundle-000002", _conflict_without_category),
    ("bundle-category-without-conflict", "score-bundle-000002",
        _in_first("declarations", "category", "kinship")),
    ("bundle-unknown-score-field", "score-bundle-000001", _in_first("scores", "weight", "1")),
    ("bundle-long-text-version", "score-bundle-000001", lambda d: d["general_declaration"].update(
        text_version="v" * 33)),
    ("bundle-version-3", "score-bundle-000002", _set("version", 3)),
    ("bundle-without-head", "score-bundle-000002", _drop("audit_head")),
    ("bundle-null-head", "score-bundle-000002", _set("audit_head", None)),
    ("bundle-without-office-head", "score-bundle-000002", _drop("office_audit_head")),
    ("bundle-first-with-link", "score-bundle-000001", _set("audit_link", {"seq": 3,
        "hash": "a" * 64})),
    ("bundle-head-extra-field", "score-bundle-000002", lambda d: d["audit_head"].update(at="x")),
    ("bundle-head-upper-hash", "score-bundle-000002", lambda d: d["audit_link"].update(
        hash=d["audit_link"]["hash"].upper())),
    ("bundle-empty-chain-with-a-hash", "score-bundle-000001", _set("audit_head", {"seq": 0,
        "hash": "a" * 64})),
    ("bundle-v1-with-anchors", "score-bundle-v1-000002", _set("office_audit_head", None)),
    ("bundle-v2-as-v1", "score-bundle-000002", _set("version", 1)),
]  # fmt: skip

ENVELOPE_MUTATIONS: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("two-signatures", _second_signature),
    ("no-signature", _set("signatures", [])),
    ("unpadded-payload", _unpadded),
    ("unknown-field", _set("payloadEncoding", "base64")),
    ("non-canonical-signature", lambda d: d["signatures"][0].update(
        sig=_non_canonical(d["signatures"][0]["sig"]))),
    ("short-signature", lambda d: d["signatures"][0].update(sig="AAAA")),
]  # fmt: skip

SEALED_MUTATIONS: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("no-recipients", _set("recipients", [])),
    ("version-as-text", _set("version", "1")),
    ("other-format", _set("format", "vaglio-zip")),
    ("unknown-purpose", _set("purpose", "receipt")),
    ("short-nonce", _set("nonce", "AAAAAAAAAAA=")),
    ("unknown-field", _set("sender", "x")),
    ("short-key-id", _in_first("recipients", "key_id", "abc")),
    ("recipient-extra-field", _in_first("recipients", "name", "x")),
    ("non-canonical-enc", lambda d: d["recipients"][0].update(
        enc=_non_canonical(d["recipients"][0]["enc"]))),
]  # fmt: skip


def _parse_signed(entry: dict[str, Any], envelope: bytes) -> None:
    """Run the project's parser for this kind of envelope."""
    payload_type = entry["payload_type"]
    if payload_type == ENROLLMENT:
        EnrollmentCard.parse(envelope)
    elif payload_type == RECEIPT:
        office = bytes.fromhex(KEYS["office"]["signing_public_hex"])
        Receipt.parse(envelope, office_signing_key=office)
    elif payload_type == CALL_CLOSED:
        office = bytes.fromhex(KEYS["office"]["signing_public_hex"])
        CloseNotice.parse(envelope, office_signing_key=office)
    else:
        ScoreBundle.parse(envelope).envelope.verify(keypair(entry["signer"]).public.signing)


@pytest.mark.parametrize(("label", "name", "mutate"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_schemas_refuse_payloads_that_vaglio_refuses(
    label: str, name: str, mutate: Callable[[dict[str, Any]], None]
) -> None:
    entry = ARTEFACTS[name]
    document = copy.deepcopy(strict_load(data(entry["payload_file"])))
    mutate(document)
    assert validation_errors(document, PAYLOAD_SCHEMAS[entry["payload_type"]]), label
    # Signed by the right key, so that only the content is at fault.
    resigned = dsse.sign(
        entry["payload_type"], json.dumps(document).encode(), keypair(entry["signer"])
    )
    with pytest.raises(CryptoError):
        _parse_signed(entry, resigned)


@pytest.mark.parametrize(
    ("label", "mutate"), ENVELOPE_MUTATIONS, ids=[m[0] for m in ENVELOPE_MUTATIONS]
)
def test_schemas_refuse_envelopes_that_vaglio_refuses(
    label: str, mutate: Callable[[dict[str, Any]], None]
) -> None:
    # The version 1 receipt: its payload's base64 ends with padding.
    document = strict_load(data("receipt-v1-000002.envelope.json"))
    mutate(document)
    assert validation_errors(document, "envelope.schema.json"), label
    with pytest.raises(CryptoError):
        dsse.parse(json.dumps(document).encode(), max_size=1 << 20)


@pytest.mark.parametrize(
    ("label", "mutate"), SEALED_MUTATIONS, ids=[m[0] for m in SEALED_MUTATIONS]
)
def test_schemas_refuse_sealed_files_that_vaglio_refuses(
    label: str, mutate: Callable[[dict[str, Any]], None]
) -> None:
    document = strict_load(data("score-bundle-000001.vaglio"))
    mutate(document)
    assert validation_errors(document, "sealed.schema.json"), label
    with pytest.raises(CryptoError):
        seal.parse(json.dumps(document).encode(), max_size=1 << 20)


def test_the_spec_links_every_schema_and_vector() -> None:
    text = SPEC.read_text(encoding="utf-8")
    for file in SCHEMA_FILES:
        assert f"schemas/{file}" in text, file
    for name in ("vectors.json", "vectors/README.md"):
        assert name in text
    # Any schema the spec shows inline is the one in docs/schemas/.
    shown = [
        json.loads(block)
        for block in re.findall(r"```json\n(.*?)```", text, flags=re.DOTALL)
        if '"$id"' in block
    ]
    assert shown, "formats.md shows at least one schema"
    by_id = {schema(file)["$id"]: schema(file) for file in SCHEMA_FILES}
    for document in shown:
        assert document == by_id[document["$id"]]


# -- 3. an independent verifier that follows only docs/formats.md ---------------
#
# No project code below: hashlib, base64, zipfile, cryptography and pyhpke.

KEY_ID_LABEL = b"vaglio-key-id-v1\x00"
HPKE_INFO_LABEL = b"vaglio-seal-v1\x00"
AAD_LABEL = b"VAGLIO-SEAL-V1"
SUITE = CipherSuite.new(KEMId.DHKEM_X25519_HKDF_SHA256, KDFId.HKDF_SHA256, AEADId.CHACHA20_POLY1305)
ZIP_NAME = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}(/[A-Za-z0-9][A-Za-z0-9._-]{0,127}){0,3}\Z"
)
SPEC_WORDS = [
    "vaglio-key-id-v1",
    "vaglio-seal-v1",
    "VAGLIO-SEAL-V1",
    "DSSEv1",
    "vaglio-sealed",
    "DHKEM(X25519, HKDF-SHA256)",
    "HKDF-SHA256",
    "ChaCha20-Poly1305",
    "big-endian",
    "envelope.json",
    "attachments/",
]


def test_the_spec_states_what_the_independent_verifier_uses() -> None:
    text = SPEC.read_text(encoding="utf-8")
    for word in SPEC_WORDS:
        assert word in text, word


def b64(text: str) -> bytes:
    """Canonical standard base64 only (formats.md, section 2)."""
    raw = base64.b64decode(text, validate=True)
    if base64.b64encode(raw).decode() != text:
        raise binascii.Error("non-canonical base64")
    return raw


def independent_key_id(signing_public: bytes, sealing_public: bytes) -> str:
    return hashlib.sha256(KEY_ID_LABEL + signing_public + sealing_public).hexdigest()


def independent_pae(payload_type: str, payload: bytes) -> bytes:
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 " + b" ".join(
        [str(len(kind)).encode(), kind, str(len(payload)).encode(), payload]
    )


def independent_verify(raw: bytes) -> tuple[str, bytes, str]:
    """(payloadType, payload, signer key id) of a verified envelope."""
    assert sum(raw.count(c) for c in (b"{", b"[", b",")) <= 64  # no JSON bomb (section 4)
    document = strict_load(raw)
    assert set(document) == {"payloadType", "payload", "signatures"}
    (signature,) = document["signatures"]
    # The keyid is only a hint: the key is taken from our own table, and the
    # key id is recomputed from the key.
    signer = next(k for k in KEYS.values() if k["key_id"] == signature["keyid"])
    signing_public = bytes.fromhex(signer["signing_public_hex"])
    sealing_public = bytes.fromhex(signer["sealing_public_hex"])
    assert independent_key_id(signing_public, sealing_public) == signature["keyid"]
    payload = b64(document["payload"])
    message = independent_pae(document["payloadType"], payload)
    Ed25519PublicKey.from_public_bytes(signing_public).verify(b64(signature["sig"]), message)
    return document["payloadType"], payload, signature["keyid"]


@pytest.mark.parametrize("who", sorted(KEYS))
def test_independent_key_id_and_fingerprint(who: str) -> None:
    entry = KEYS[who]
    signing = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(entry["signing_private_hex"]))
    sealing = X25519PrivateKey.from_private_bytes(bytes.fromhex(entry["sealing_private_hex"]))
    signing_public = signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    sealing_public = sealing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert signing_public.hex() == entry["signing_public_hex"]
    assert sealing_public.hex() == entry["sealing_public_hex"]
    key_id = independent_key_id(signing_public, sealing_public)
    assert key_id == entry["key_id"]
    head = key_id[:40].upper()
    assert " ".join(head[i : i + 4] for i in range(0, 40, 4)) == entry["fingerprint"]


@pytest.mark.parametrize("name", sorted(ARTEFACTS))
def test_independent_dsse_verification(name: str) -> None:
    entry = ARTEFACTS[name]
    raw = data(entry["envelope_file"])
    payload_type, payload, signer = independent_verify(raw)
    assert payload_type == entry["payload_type"]
    assert signer == KEYS[entry["signer"]]["key_id"]
    assert independent_pae(payload_type, payload).hex() == entry["pae_hex"]
    assert hashlib.sha256(payload).hexdigest() == entry["payload_sha256"]
    # One flipped bit anywhere in the signed bytes and the signature fails.
    document = strict_load(raw)
    tampered = bytearray(payload)
    tampered[len(tampered) // 2] ^= 0x01
    with pytest.raises(InvalidSignature):
        Ed25519PublicKey.from_public_bytes(
            bytes.fromhex(KEYS[entry["signer"]]["signing_public_hex"])
        ).verify(
            b64(document["signatures"][0]["sig"]), independent_pae(payload_type, bytes(tampered))
        )


def independent_open(raw: bytes, key_id: str, sealing_private: bytes) -> tuple[bytes, bytes, bytes]:
    """(content, content key, AAD) of a sealed file, per formats.md section 4."""
    assert sum(raw.count(c) for c in (b"{", b"[", b",")) <= 664  # no JSON bomb (section 5)
    document = strict_load(raw)
    assert document["format"] == "vaglio-sealed" and document["version"] == 1
    call_id, purpose = document["call_id"], document["purpose"]
    entries = [(r["key_id"], b64(r["enc"])) for r in document["recipients"]]
    mine = dict(entries)[key_id]
    assert len(mine) == 80
    info = HPKE_INFO_LABEL + call_id.encode("utf-8") + b"\x00" + key_id.encode("ascii")
    recipient_key = KEMKey.from_pyca_cryptography_key(
        X25519PrivateKey.from_private_bytes(sealing_private)
    )
    context = SUITE.create_recipient_context(mine[:32], recipient_key, info=info)
    content_key = context.open(mine[32:], aad=b"")
    fields = [b"vaglio-sealed", b"1", call_id.encode("utf-8"), purpose.encode("ascii")]
    for recipient_id, enc in entries:
        fields += [recipient_id.encode("ascii"), enc]
    aad = AAD_LABEL + b"".join(struct.pack(">Q", len(f)) + f for f in fields)
    content = ChaCha20Poly1305(content_key).decrypt(
        b64(document["nonce"]), b64(document["ciphertext"]), aad
    )
    return content, content_key, aad


@pytest.mark.parametrize("name", SEALED)
def test_independent_opening_of_sealed_files(name: str) -> None:
    entry = ARTEFACTS[name]
    sealed = entry["sealed"]
    raw = data(sealed["sealed_file"])
    opener = sealed["open_with"]
    content, content_key, aad = independent_open(
        raw, opener["key_id"], bytes.fromhex(opener["sealing_private_hex"])
    )
    assert content == data(sealed["content_file"])
    assert hashlib.sha256(content).hexdigest() == sealed["content_sha256"]
    assert content_key.hex() == sealed["content_key_hex"]
    assert aad.hex() == sealed["aad_hex"]
    if sealed["purpose"] == "score-bundle":
        payload_type, payload, signer = independent_verify(content)
        document = strict_load(payload)
        assert payload_type == SCORE_BUNDLE
        assert document["call_id"] == strict_load(raw)["call_id"]
        assert signer == document["author_key_id"]
        assert document["recipient_key_id"] == opener["key_id"]
        if document["sequence"] > 1:
            previous = ARTEFACTS[f"{name[:-6]}{document['sequence'] - 1:06d}"]
            assert (
                document["previous"] == hashlib.sha256(data(previous["payload_file"])).hexdigest()
            )
        return
    # A call package: a ZIP read in memory, with envelope.json and the attachments.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        assert len(names) == len(set(names))
        for info in infos:
            assert ZIP_NAME.match(info.filename) and not info.is_dir()
            assert info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
            assert not info.flag_bits & 0x1
        members = {info.filename: archive.read(info) for info in infos}
    payload_type, payload, signer = independent_verify(members["envelope.json"])
    document = strict_load(payload)
    assert payload_type == CALL_PACKAGE
    assert signer == document["author_key_id"] == KEYS["office"]["key_id"]
    assert document["call_id"] == strict_load(raw)["call_id"]
    expected = {"envelope.json"}
    for proposal in document["proposals"]:
        for attachment in proposal["attachments"]:
            body = members[f"attachments/{attachment['sha256']}.pdf"]
            assert hashlib.sha256(body).hexdigest() == attachment["sha256"]
            assert len(body) == attachment["size"]
            assert body.startswith(b"%PDF-")
            expected.add(f"attachments/{attachment['sha256']}.pdf")
    assert set(members) == expected
    assert opener["key_id"] in {m["key_id"] for m in document["roster"]}


@pytest.mark.parametrize("name", SEALED)
def test_independent_opening_refuses_tampering(name: str) -> None:
    sealed = ARTEFACTS[name]["sealed"]
    opener = sealed["open_with"]
    private = bytes.fromhex(opener["sealing_private_hex"])
    document = strict_load(data(sealed["sealed_file"]))
    # The header is bound by the AAD: another call id or purpose does not open.
    other_purpose = "score-bundle" if document["purpose"] == "call-package" else "call-package"
    for field, value in (("purpose", other_purpose), ("call_id", "MI-CC-2021")):
        changed = dict(document, **{field: value})
        with pytest.raises((OpenError, InvalidTag)):  # HPKE (info) or content (AAD) fails
            independent_open(json.dumps(changed).encode(), opener["key_id"], private)


def test_independent_grid_hash() -> None:
    # Section 7.2: the grid hash is recomputed from the signed definition.
    payload = strict_load(data(ARTEFACTS["call-package-000001"]["payload_file"]))
    definition = tomllib.loads(payload["definition"])
    scoring = definition["scoring"]

    def fixed(value: Any) -> str | None:
        return None if value is None else format(Decimal(str(value)), "f")

    document = {
        "method": scoring["method"],
        "levels": [fixed(level) for level in scoring["levels"]],
        "threshold": fixed(scoring["threshold"]),
        "rescale": scoring["rescale"],
        "min_evaluators": scoring["min_evaluators"],
        "decimals": scoring["decimals"],
        "justification_min_chars": scoring["justification_min_chars"],
        "criteria": [
            {
                "key": c["key"],
                "max_points": fixed(c["max_points"]),
                "min_points": fixed(c.get("min_points")),
            }
            for c in definition["criteria"]
        ],
    }
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":")).encode("ascii")
    assert hashlib.sha256(canonical).hexdigest() == payload["grid_hash"] == GRID_HASH
    for name in ("score-bundle-000001", "score-bundle-000002"):
        assert strict_load(data(ARTEFACTS[name]["payload_file"]))["grid_hash"] == GRID_HASH


def test_independent_audit_anchors() -> None:
    # Section 8.4, from the payloads alone: bundle 2 links to the head bundle 1
    # carried and returns the office's head from receipt 1; the office's head
    # goes forward from receipt 1 to receipt 2; version 1 carries none.
    def payload(name: str) -> dict[str, Any]:
        loaded: dict[str, Any] = strict_load(data(ARTEFACTS[name]["payload_file"]))
        return loaded

    first, second = payload("score-bundle-000001"), payload("score-bundle-000002")
    receipts = [payload("receipt-000001"), payload("receipt-000002")]
    assert first["version"] == second["version"] == 2
    assert first["audit_link"] is None and first["office_audit_head"] is None
    assert second["audit_link"] == first["audit_head"]
    assert second["audit_head"]["seq"] > first["audit_head"]["seq"]
    assert second["office_audit_head"] == receipts[0]["audit_head"]
    assert receipts[1]["audit_head"]["seq"] > receipts[0]["audit_head"]["seq"]
    for name in ("score-bundle-v1-000001", "score-bundle-v1-000002", "receipt-v1-000002"):
        document = payload(name)
        assert document["version"] == 1
        assert not {"audit_head", "audit_link", "office_audit_head"} & set(document)


def test_a_parts_package_payload_matches_the_schema_and_only_with_its_marker() -> None:
    """What Vaglio writes now (``"attachments_in": "parts"``, the ZIP with the
    envelope alone) is the schema's first shape; the marker has one value and
    an attachment at most 32 MiB (docs/formats.md 7.2)."""
    from app.bundles import parts
    from app.bundles.package import PackageAttachment, PackageMember, PackageProposal
    from app.crypto.keys import KeyPair

    office, member = KeyPair.generate(), KeyPair.generate()
    proposal = PackageProposal(
        id="P001", title="Orti condivisi", applicant="Associazione Cortili Aperti",
        applicant_tax_code="12345678901", legal_representative="Anna Colombo", partners=(),
        neighbourhood="Niguarda", thematic_area="ambiente", total_cost=Decimal("12500.00"),
        requested_contribution=Decimal("5000.00"), summary="", admissible=True,
        inadmissible_reasons=(),
        attachments=(PackageAttachment("P001-progetto.pdf", "c" * 64, None, 2048),),
    )  # fmt: skip
    sealed = CallPackage.build(
        call_id="MI-CC-2020", sequence=1, grid_hash="a" * 64, definition="[call]\n",
        roster=[PackageMember(member.public.key_id, "Sara Esposito", "", "president",
                              member.public)],
        proposals=[proposal], office=office, attachments_in=parts.PARTS,
    )  # fmt: skip
    from app.crypto import seal as sealing

    content = sealing.parse(sealed, max_size=len(sealed)).open(
        member.public.key_id, member.sealing_private
    )
    with container.Archive(content, LIMITS) as archive:
        assert archive.names == ("envelope.json",)
        envelope = archive.read("envelope.json").content
    payload = json.loads(base64.b64decode(json.loads(envelope)["payload"]))
    assert list(payload)[:3] == ["type", "version", "attachments_in"]
    assert validation_errors(payload, "call-package.schema.json") == []
    oversize = copy.deepcopy(payload)
    oversize["proposals"][0]["attachments"][0]["size"] = parts.MAX_ATTACHMENT + 1
    assert validation_errors(oversize, "call-package.schema.json")
    assert validation_errors(payload | {"attachments_in": "archive"}, "call-package.schema.json")
