"""Invitations: the office writes one for a call; a member joins from it in
one step; a bad invitation is refused with its sentence and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.bundles.invitation import MAX_INVITATION
from app.crypto.keys import KeyPair
from app.errors import VaglioError
from app.services import invitations
from app.services.calls import list_calls
from app.services.cards import export_card
from app.services.exchange_errors import NoRemoteError
from app.services.remotes import remotes
from app.services.unlocking import OpenWorkspace
from app.services.workspace import verify_audit
from tests.support.invitations import envelope_parts, publish_to_folder, resigned, with_payload
from tests.support.workspaces import CALL_ID, make_template


@pytest.fixture
def newcomer(tmp_path: Path) -> Iterator[OpenWorkspace]:
    """A member's brand-new workspace: no office, no call."""
    ws, _code = make_template(tmp_path / "newcomer", "member", "Sara Esposito")
    with ws:
        yield ws


def office_keys(office: OpenWorkspace) -> KeyPair:
    from app.services.workspace import own_identity

    with office.session() as session:
        identity = own_identity(session)
        return KeyPair(identity.signing_private_key, identity.sealing_private_key)


def assert_nothing_written(ws: OpenWorkspace, entries: int) -> None:
    assert verify_audit(ws).entries == entries
    assert remotes(ws) == []
    assert list_calls(ws) == []


def refusal(ws: OpenWorkspace, data: bytes) -> str:
    entries = verify_audit(ws).entries
    with pytest.raises(VaglioError) as caught:
        invitations.join_call(ws, data)
    assert_nothing_written(ws, entries)
    return str(caught.value)


def test_a_member_joins_from_an_invitation_in_one_step(
    secretariat: OpenWorkspace, newcomer: OpenWorkspace, tmp_path: Path
) -> None:
    publish_to_folder(secretariat, export_card(newcomer), tmp_path / "scambio")
    path = tmp_path / "invito.vaglio-invito"
    written = invitations.save_invitation(secretariat, CALL_ID, path)
    assert written.member_key_id is None and written.exchange_kind == "folder"

    view = invitations.read_invitation_file(path)
    assert view.call_id == CALL_ID and view.office_name == "Segreteria"
    assert len(view.office_fingerprint.split()) == 10
    joined = invitations.join_call(newcomer, path.read_bytes())
    assert joined.failures == ()
    assert joined.destination == str((tmp_path / "scambio").resolve())
    assert [c.id for c in list_calls(newcomer)] == [CALL_ID]
    assert [r.call_id for r in remotes(newcomer)] == [CALL_ID]
    # Joining twice is harmless: the office stays pinned once.
    invitations.join_call(newcomer, path.read_bytes())
    assert [c.id for c in list_calls(newcomer)] == [CALL_ID]


def test_an_invitation_for_one_member_refuses_another(
    secretariat: OpenWorkspace, newcomer: OpenWorkspace, tmp_path: Path
) -> None:
    publish_to_folder(secretariat, export_card(newcomer), tmp_path / "scambio")
    other, _code = make_template(tmp_path / "other", "member", "Marco Ferrari")
    with other:
        own_key = invitations.read_invitation(
            invitations.create_invitation(secretariat, CALL_ID, None).raw
        )
        assert own_key.member_key_id is None
        from app.services.workspace import identity

        fingerprint = identity(newcomer).fingerprint
        view = invitations.create_invitation(secretariat, CALL_ID, fingerprint)
        assert view.member_key_id == identity(newcomer).key_id
        message = refusal(other, view.raw)
    assert "indirizzato a un altro commissario" in message
    assert "non è stato cambiato nulla" in message


def test_the_office_needs_an_exchange_and_a_roster_member(
    secretariat: OpenWorkspace, tmp_path: Path
) -> None:
    with pytest.raises(NoRemoteError):
        invitations.create_invitation(secretariat, CALL_ID)
    (tmp_path / "scambio").mkdir()
    from app.services.remotes import set_remote

    set_remote(secretariat, CALL_ID, str(tmp_path / "scambio"))
    with pytest.raises(invitations.UnknownRosterMemberError) as caught:
        invitations.create_invitation(secretariat, CALL_ID, "abcdef0123")
    assert "Nessun membro" in str(caught.value)


@pytest.fixture
def invitation(secretariat: OpenWorkspace, tmp_path: Path) -> bytes:
    from app.services.remotes import set_remote

    (tmp_path / "scambio").mkdir()
    set_remote(secretariat, CALL_ID, str(tmp_path / "scambio"))
    return invitations.create_invitation(secretariat, CALL_ID).raw


def test_a_tampered_invitation_is_refused(newcomer: OpenWorkspace, invitation: bytes) -> None:
    _envelope, payload = envelope_parts(invitation)
    payload["exchange"] = "/tmp/elsewhere"
    message = refusal(newcomer, with_payload(invitation, payload))
    assert (
        message == "La firma non corrisponde al contenuto: il file è stato alterato o contraffatto."
    )


def test_an_oversize_invitation_is_refused_unread(
    newcomer: OpenWorkspace, invitation: bytes, tmp_path: Path
) -> None:
    big = invitation + b" " * MAX_INVITATION
    message = refusal(newcomer, big)
    assert "troppo grande" in message and "non è stato cambiato nulla" in message
    path = tmp_path / "grande.vaglio-invito"
    path.write_bytes(big)
    with pytest.raises(VaglioError, match="troppo grande"):
        invitations.read_invitation_file(path)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("call_id", 2020, "call_id"),
        ("call_id", "../altro", "call_id"),
        ("call_title", ["titolo"], "call_title"),
        ("member_key_id", "zz", "member_key_id"),
        ("exchange_kind", "ftp", "exchange_kind"),
        ("version", 2, "version"),
        ("created_at", "ieri", "created_at"),
    ],
)
def test_fields_of_the_wrong_type_are_refused(
    secretariat: OpenWorkspace,
    newcomer: OpenWorkspace,
    invitation: bytes,
    field: str,
    value: object,
    expected: str,
) -> None:
    _envelope, payload = envelope_parts(invitation)
    payload[field] = value
    message = refusal(newcomer, resigned(payload, office_keys(secretariat)))
    assert message.startswith("Il contenuto di un invito non è valido (" + expected)


@pytest.mark.parametrize(
    ("kind", "address"),
    [
        ("webdav", "ftp://dav.comune.example/avviso"),
        ("webdav", "https://nome:segreto@dav.comune.example/avviso"),
        ("webdav", "https:///senza-host"),
        ("webdav", "javascript:alert(1)"),
        ("folder", "https://dav.comune.example/avviso"),
        ("folder", "/cartella\ncon-a-capo"),
    ],
)
def test_a_bad_exchange_address_is_refused(
    secretariat: OpenWorkspace,
    newcomer: OpenWorkspace,
    invitation: bytes,
    kind: str,
    address: str,
) -> None:
    _envelope, payload = envelope_parts(invitation)
    payload["exchange_kind"], payload["exchange"] = kind, address
    message = refusal(newcomer, resigned(payload, office_keys(secretariat)))
    assert "non è né una cartella né un indirizzo WebDAV" in message


def test_an_invitation_signed_by_another_key_is_refused(
    newcomer: OpenWorkspace, invitation: bytes
) -> None:
    _envelope, payload = envelope_parts(invitation)
    message = refusal(newcomer, resigned(payload, KeyPair.generate()))
    assert (
        message == "La firma non corrisponde al contenuto: il file è stato alterato o contraffatto."
    )


def test_a_member_card_cannot_invite(newcomer: OpenWorkspace, invitation: bytes) -> None:
    from app.crypto.encoding import b64encode

    _envelope, payload = envelope_parts(invitation)
    payload["office_card"] = b64encode(export_card(newcomer))
    message = refusal(newcomer, with_payload(invitation, payload))
    assert "non di una segreteria" in message


def test_a_missing_folder_of_the_member_is_refused_before_writing(
    newcomer: OpenWorkspace, invitation: bytes, tmp_path: Path
) -> None:
    entries = verify_audit(newcomer).entries
    with pytest.raises(VaglioError) as caught:
        invitations.join_call(newcomer, invitation, str(tmp_path / "non-esiste"))
    assert "non è né una cartella esistente" in str(caught.value)
    assert_nothing_written(newcomer, entries)


def test_the_schema_accepts_what_vaglio_writes_and_refuses_a_bad_field(invitation: bytes) -> None:
    import json

    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(
        (Path(__file__).parents[2] / "docs/schemas/invitation.schema.json").read_text()
    )
    _envelope, payload = envelope_parts(invitation)
    jsonschema.validate(payload, schema)
    payload["call_id"] = 2020
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(payload, schema)
