"""Every refusal of a score bundle, each with its own message, nothing written;
every single-bit flip of a bundle and of its sealed file refused."""

from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import text

from app.bundles import envelopes, policy
from app.bundles.card import EnrollmentCard
from app.bundles.errors import BadPayloadError, BundleError
from app.bundles.policy import SequenceGap
from app.bundles.receipt import Receipt
from app.bundles.score_bundle import ScoreBundle
from app.crypto import dsse
from app.crypto.errors import CryptoError
from app.crypto.keys import KeyPair
from app.errors import VaglioError
from app.models.audit_head import AuditHead
from app.services.bundle_content import BundleRefusedError
from app.services.intake import accept_score_bundle
from app.services.publication import publish_call
from app.services.roster import enroll_member
from app.services.workspace import own_identity
from tests.support.bundle_factory import (
    ADMISSIBLE,
    NOW,
    Parties,
    honest_bundle,
    payload_of,
    seal_envelope,
    sign_and_seal,
)
from tests.support.workspaces import CALL_ID


@pytest.fixture
def office(secretariat):  # type: ignore[no-untyped-def]
    """The fixture secretariat, with one enrolled member whose keys the test holds."""
    member = KeyPair.generate()
    enroll_member(secretariat, CALL_ID, name="Elena Colombo", email="", public_keys=member.public)
    publish_call(secretariat, CALL_ID)
    with secretariat.session() as session:
        identity = own_identity(session)
        keys = KeyPair(identity.signing_private_key, identity.sealing_private_key)
        from app.services.calls import get_call

        grid_hash = get_call(session, CALL_ID).grid_hash
    return secretariat, Parties(keys, member, CALL_ID, grid_hash)


def counts(ws) -> dict[str, list[tuple[object, ...]]]:  # type: ignore[no-untyped-def]
    """Every row of every table: what "nothing was written" compares."""
    with ws.session() as session:
        tables = session.scalars(
            text("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ).all()
        return {
            table: [tuple(row) for row in session.execute(text(f'SELECT * FROM "{table}"'))]
            for table in tables
        }


def refused(ws, data: bytes, error: type, words: str) -> None:  # type: ignore[no-untyped-def]
    before = counts(ws)
    with pytest.raises(error) as caught:
        accept_score_bundle(ws, data)
    assert words in str(caught.value), str(caught.value)
    assert counts(ws) == before


def test_an_honest_bundle_is_accepted_once(office) -> None:  # type: ignore[no-untyped-def]
    ws, parties = office
    _bundle, sealed = honest_bundle(parties)
    result = accept_score_bundle(ws, sealed)
    assert result.outcome == "accepted" and result.member == "Elena Colombo"
    again = counts(ws)
    assert accept_score_bundle(ws, sealed).outcome == "duplicate"
    assert counts(ws) == again


def _payload(parties: Parties, **changes: object) -> bytes:
    bundle, _sealed = honest_bundle(parties)
    document = payload_of(bundle)
    document.update(changes)
    return json.dumps(document).encode()


def test_malformed_bundles_have_their_own_messages(office) -> None:  # type: ignore[no-untyped-def]
    from app.crypto.errors import MalformedError, OversizeError

    ws, parties = office
    bundle, _sealed = honest_bundle(parties)
    good = json.loads(bundle.envelope.raw)
    # Non-canonical base64: a valid string with stray bits in the last character.
    payload_b64 = good["payload"]
    assert payload_b64.endswith("=")
    stem = payload_b64.rstrip("=")
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    tweaked = stem[:-1] + last[(last.index(stem[-1]) + 1) % 64] + payload_b64[len(stem) :]
    noncanonical = dict(good, payload=tweaked)
    refused(
        ws,
        seal_envelope(parties, json.dumps(noncanonical).encode()),
        MalformedError,
        "non-canonical base64",
    )
    # Two signatures.
    doubled = dict(good, signatures=good["signatures"] * 2)
    refused(
        ws, seal_envelope(parties, json.dumps(doubled).encode()), MalformedError, "2 signatures"
    )
    # Duplicate JSON keys inside the signed payload.
    text = bundle.envelope.payload.decode()
    duplicated = text.replace('"version": 2,', '"version": 2, "version": 2,', 1).encode()
    assert duplicated != bundle.envelope.payload
    refused(ws, sign_and_seal(parties, duplicated), BundleError, "duplicate key")
    # An unknown field.
    refused(
        ws,
        sign_and_seal(parties, _payload(parties, colour="blue")),
        BundleError,
        "unknown field colour",
    )
    # Oversize input, refused before anything is parsed.
    refused(
        ws, b"{" + b" " * (envelopes.MAX_SEALED_BUNDLE + 1) + b"}", OversizeError, "troppo grande"
    )


def test_the_wrong_kind_of_file(office) -> None:  # type: ignore[no-untyped-def]
    from app.bundles.errors import WrongKindError

    ws, parties = office
    receipt = Receipt.build(
        call_id=CALL_ID,
        member_key_id=parties.member.public.key_id,
        sequence=1,
        bundle_hash="0" * 64,
        received_at=NOW,
        office=parties.office,
        audit_head=AuditHead(1, "0" * 64),
    )
    card = EnrollmentCard.build(name="Elena", email="", role="member", keys=parties.member)
    for artefact, words in ((receipt.raw, "una ricevuta"), (card.raw, "una tessera di iscrizione")):
        from app.services.intake import import_file

        before = counts(ws)
        with pytest.raises(WrongKindError, match=words):
            import_file(ws, artefact)
        assert counts(ws) == before
        # Even signed and sealed like a bundle, its payload type gives it away.
        refused(
            ws, seal_envelope(parties, artefact), WrongKindError, "non un pacchetto di punteggi"
        )


def test_another_call_another_office_another_signer(office) -> None:  # type: ignore[no-untyped-def]
    from app.bundles.errors import (
        UnknownCallError,
        UnknownSignerError,
        WrongCallError,
        WrongOfficeError,
    )

    ws, parties = office
    other_call = Parties(parties.office, parties.member, "MI-CC-2015", parties.grid_hash)
    refused(ws, honest_bundle(other_call)[1], UnknownCallError, "MI-CC-2015")
    # The seal says one call, the signed payload another: mix-and-match.
    bundle, _sealed = honest_bundle(other_call)
    refused(ws, seal_envelope(parties, bundle.envelope.raw), WrongCallError, "MI-CC-2015")
    elsewhere = KeyPair.generate()
    to_elsewhere = sign_and_seal(
        parties, honest_bundle(parties)[0].envelope.payload, recipient=elsewhere
    )
    refused(ws, to_elsewhere, WrongOfficeError, "altra chiave")
    stranger = Parties(parties.office, KeyPair.generate(), CALL_ID, parties.grid_hash)
    refused(ws, honest_bundle(stranger)[1], UnknownSignerError, "non fa parte della commissione")
    # The payload names the member, but someone else signed it.
    from app.crypto.errors import BadSignatureError

    payload = honest_bundle(parties)[0].envelope.payload
    forged = sign_and_seal(parties, payload, signer=stranger.member)
    refused(ws, forged, UnknownSignerError, "non fa parte")  # the hint names the stranger
    envelope = json.loads(dsse.sign(envelopes.SCORE_BUNDLE, payload, stranger.member))
    envelope["signatures"][0]["keyid"] = parties.member.public.key_id  # and now a lying hint
    refused(ws, seal_envelope(parties, json.dumps(envelope).encode()), BadSignatureError, "firma")


def test_replay_rollback_gap_and_chain(office) -> None:  # type: ignore[no-untyped-def]
    from app.bundles.errors import ChainBrokenError, ReplayError, RollbackError
    from app.services.status import call_status

    ws, parties = office
    first, sealed1 = honest_bundle(parties, 1)
    accept_score_bundle(ws, sealed1)
    # Another bundle numbered 1: a replay.
    refused(ws, honest_bundle(parties, 1, value="0.2")[1], ReplayError, "ripetizione")
    # Bundle 3 arrives before 2: accepted, and 2 reported missing.
    third, sealed3 = honest_bundle(parties, 3, previous="f" * 64)
    result = accept_score_bundle(ws, sealed3)
    assert result.gap == SequenceGap(2, 2)
    assert "2" in result.describe() and "non sono mai arrivati" in result.describe()
    status = call_status(ws, CALL_ID)
    assert status.members[0].missing == (SequenceGap(2, 2),)
    assert status.members[0].bundle_sequence == 3
    # Then 2 shows up late: older than the last accepted, a rollback.
    refused(
        ws,
        honest_bundle(parties, 2, previous=first.payload_hash)[1],
        RollbackError,
        "ritorno indietro",
    )
    # Bundle 4 must link to bundle 3.
    refused(
        ws,
        honest_bundle(parties, 4, previous=first.payload_hash)[1],
        ChainBrokenError,
        "collegamento",
    )
    accept_score_bundle(ws, honest_bundle(parties, 4, previous=third.payload_hash)[1])


def test_a_sequence_number_far_ahead_is_refused(office) -> None:  # type: ignore[no-untyped-def]
    # Review finding 3: sequence 5,000,001 grew the database from 8 to 90 MB and
    # 2^62 ended in a MemoryError traceback.
    from app.bundles.errors import SequenceTooFarError
    from app.services.status import call_status

    ws, parties = office
    for sequence in (17, 5_000_001, 2**53 - 1):
        refused(
            ws,
            honest_bundle(parties, sequence, previous="a" * 64)[1],
            SequenceTooFarError,
            f"numero {sequence} supera di più di 16 l'ultimo accettato (0)",
        )
    for sequence, words in (
        (str(2**53), "sequence: whole number up to 2^53"),
        (str(2**62), "more than 16 digits"),
        ("1" + "0" * 5000, "more than 16 digits"),
    ):
        document = payload_of(honest_bundle(parties, 2, previous="a" * 64)[0])
        refused(ws, sign_and_seal(parties, _big_json(document, sequence)), BadPayloadError, words)
    first, sealed = honest_bundle(parties, 16, previous="a" * 64)  # a gap of 15 is still a gap
    assert accept_score_bundle(ws, sealed).gap == SequenceGap(1, 15)
    refused(
        ws, honest_bundle(parties, 33, previous=first.payload_hash)[1], SequenceTooFarError, "(16)"
    )
    accept_score_bundle(ws, honest_bundle(parties, 32, previous="a" * 64)[1])
    status = call_status(ws, CALL_ID)
    assert status.members[0].missing == (SequenceGap(1, 15), SequenceGap(17, 31))
    assert status.members[0].missing_text == "1–15, 17–31"


def _big_json(document: dict[str, object], sequence: str) -> bytes:
    """The document with ``sequence`` as a literal of any size (Python stops at 4,300 digits)."""
    del document["sequence"]
    return (json.dumps(document)[:-1] + f', "sequence": {sequence}}}').encode()


def test_a_bundle_sealed_to_a_second_reader_is_refused(office) -> None:  # type: ignore[no-untyped-def]
    # Review finding 7: a bundle sealed to the office and a third key was accepted.
    from app.bundles.errors import ExtraRecipientsError
    from app.crypto import seal

    ws, parties = office
    bundle, _sealed = honest_bundle(parties)
    third = KeyPair.generate()
    sealed = seal.seal(
        bundle.envelope.raw,
        call_id=CALL_ID,
        purpose="score-bundle",
        recipients=[
            seal.Recipient(parties.office.public.key_id, parties.office.public.sealing),
            seal.Recipient(third.public.key_id, third.public.sealing),
        ],
    )
    refused(ws, sealed, ExtraRecipientsError, "sigillato a 2 chiavi")


def test_grid_and_content_must_fit_the_call(office) -> None:  # type: ignore[no-untyped-def]
    from app.bundles.errors import GridMismatchError

    ws, parties = office
    other_grid = Parties(parties.office, parties.member, CALL_ID, "e" * 64)
    refused(ws, honest_bundle(other_grid)[1], GridMismatchError, "griglia")
    refused(
        ws,
        honest_bundle(parties, value="0.5")[1],
        BundleRefusedError,
        "Il pacchetto 1 di Elena Colombo è stato rifiutato: il valore 0.5 su «Carattere "
        "innovativo della proposta» di P001 non è ammesso.",
    )
    refused(
        ws,
        honest_bundle(parties, proposals=(*ADMISSIBLE, "P006"))[1],
        BundleRefusedError,
        "assegna punteggi a P006 senza averla dichiarata libera da conflitti",
    )
    refused(
        ws,
        honest_bundle(parties, proposals=(*ADMISSIBLE, "P999"))[1],
        BundleRefusedError,
        "dichiara su P999, che non è tra le sue proposte",
    )


def _bundle_with(parties: Parties, **changes: object) -> bytes:
    """An honest bundle's payload with ``changes``, signed by the member and sealed."""
    return sign_and_seal(parties, _payload(parties, **changes))


def test_a_member_cannot_drop_a_proposal_by_leaving_it_out(office) -> None:  # type: ignore[no-untyped-def]
    # Review finding 1: a bundle that simply left a competitor's scores out was
    # accepted, and the proposal fell to "no quorum".
    ws, parties = office
    refused(
        ws,
        honest_bundle(parties, proposals=("P001", "P002", "P003", "P005"))[1],
        BundleRefusedError,
        "non ha una dichiarazione su P004",
    )
    document = payload_of(honest_bundle(parties)[0])
    document["scores"] = [s for s in document["scores"] if s["proposal"] != "P004"]
    refused(
        ws,
        sign_and_seal(parties, json.dumps(document).encode()),
        BundleRefusedError,
        "non ha un punteggio su «Carattere innovativo della proposta» di P004",
    )


def test_the_office_enforces_the_call_on_every_field(office) -> None:  # type: ignore[no-untyped-def]
    # Review finding 2: all of these were accepted, signed by a real member key.
    ws, parties = office
    document = payload_of(honest_bundle(parties)[0])
    for score in document["scores"]:
        score["justification"] = ""
    refused(
        ws,
        sign_and_seal(parties, json.dumps(document).encode()),
        BundleRefusedError,
        "la motivazione su «Carattere innovativo della proposta» di P001 è più corta dei 20 "
        "caratteri richiesti dall'avviso",
    )
    refused(
        ws,
        _bundle_with(parties, package_sequence=999),
        BundleRefusedError,
        "risponde al pacchetto dell'avviso 999, che non è mai stato pubblicato (l'ultimo è il 1)",
    )
    for year in ("9999", "1900"):
        refused(
            ws,
            _bundle_with(parties, created_at=f"{year}-01-01T00:00:00Z"),
            BundleRefusedError,
            f"porta la data {year}-01-01T00:00+00:00, fuori dalla vita dell'avviso",
        )
    general = dict(payload_of(honest_bundle(parties)[0])["general_declaration"])
    general["text_version"] = "none"
    refused(
        ws,
        _bundle_with(parties, general_declaration=general),
        BundleRefusedError,
        "di un testo che la segreteria non ha mai emesso (none)",
    )
    document = payload_of(honest_bundle(parties)[0])
    document["declarations"].append(dict(document["declarations"][0]))
    refused(
        ws,
        sign_and_seal(parties, json.dumps(document).encode()),
        BadPayloadError,
        "a proposal declared twice",
    )


def _flips(data: bytes) -> list[bytes]:
    out = []
    for index in range(len(data)):
        for bit in range(8):
            flipped = bytearray(data)
            flipped[index] ^= 1 << bit
            out.append(bytes(flipped))
    return out


def test_every_single_bit_flip_of_a_bundle_and_its_seal_is_refused() -> None:
    office, member = KeyPair.generate(), KeyPair.generate()
    parties = Parties(office, member, CALL_ID, "a" * 64)
    bundle, sealed = honest_bundle(parties)
    roster = {member.public.key_id: member.public.signing}

    def accept(envelope_bytes: bytes, sealed_call: str | None = None) -> None:
        parsed = ScoreBundle.parse(envelope_bytes, sealed_call_id=sealed_call)
        policy.check_bundle(
            parsed,
            call_id=CALL_ID,
            grid_hash="a" * 64,
            office_key_id=office.public.key_id,
            roster_signing_keys=roster,
            last=None,
            accepted_hashes={},
        )

    accept(bundle.envelope.raw)  # the unflipped one passes
    envelope_flips = _flips(bundle.envelope.raw)
    for flipped in envelope_flips:
        with pytest.raises(CryptoError):
            accept(flipped)
    sealed_flips = _flips(sealed)
    for flipped in sealed_flips:
        with pytest.raises(CryptoError):
            call, inner = ScoreBundle.unseal(
                flipped,
                office_key_id=office.public.key_id,
                office_sealing_private=office.sealing_private,
            )
            accept(inner, call)
    print(f"{len(envelope_flips)} envelope flips and {len(sealed_flips)} sealed-file flips refused")


def test_flipped_bundles_write_nothing_through_the_use_case(office) -> None:  # type: ignore[no-untyped-def]
    ws, parties = office
    _bundle, sealed = honest_bundle(parties)
    before = counts(ws)
    for flipped in random.Random(4).sample(_flips(sealed), 300):
        with pytest.raises(VaglioError):
            accept_score_bundle(ws, flipped)
    assert counts(ws) == before


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.update(version=1.0), "1 or 2 expected"),
        (lambda d: d.update(version=2.0), "1 or 2 expected"),
        (lambda d: d.update(created_at="2020-09-01 09:00:00+00:00"), "date and time"),
        (lambda d: d.update(created_at="20200901T090000Z"), "date and time"),
        (lambda d: d.update(grid_hash="a" * 64 + "\n"), "64 hex"),
        (lambda d: d.update(sequence=True), "whole number"),
        (lambda d: d["scores"][0].update(value="١٠"), "decimal"),
    ],
)
def test_one_way_to_write_each_value(change, words) -> None:  # type: ignore[no-untyped-def]

    parties = Parties(KeyPair.generate(), KeyPair.generate(), CALL_ID, "a" * 64)
    document = payload_of(honest_bundle(parties)[0])
    change(document)
    envelope = dsse.sign(envelopes.SCORE_BUNDLE, json.dumps(document).encode(), parties.member)
    with pytest.raises(BadPayloadError, match=words):
        ScoreBundle.parse(envelope)


def test_a_lone_surrogate_is_refused() -> None:
    from app.crypto.encoding import strict_json
    from app.crypto.errors import MalformedError

    assert strict_json(b'{"a": "\\ud83d\\ude00"}', "x") == {"a": "\U0001f600"}  # a proper pair
    for data in (b'{"a": "\\ud800"}', b'{"a": "x\\udc00y"}', b'{"a": "\\ud800\\ud800"}'):
        with pytest.raises(MalformedError, match="lone surrogate"):
            strict_json(data, "x")
