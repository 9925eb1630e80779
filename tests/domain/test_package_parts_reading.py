"""Reading a call package whose attachments travel as parts: the ZIP holds
the envelope alone, the listed sizes are bounded before anything is fetched,
and the marker has one value; a package without it keeps its meaning."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from decimal import Decimal

import pytest

from app.bundles import container, parts
from app.bundles.envelopes import CALL_PACKAGE
from app.bundles.errors import BadPayloadError, ContainerError
from app.bundles.package import (
    ENVELOPE_NAME,
    CallPackage,
    PackageAttachment,
    PackageMember,
    PackageProposal,
)
from app.crypto import dsse, seal
from app.crypto.keys import KeyPair
from tests.support.package_attacks import CALL_ID, PDF

SHA = hashlib.sha256(PDF).hexdigest()


def build(office: KeyPair, member: KeyPair, size: int = len(PDF), **kwargs: object) -> bytes:
    proposal = PackageProposal(
        id="P001", title="Orti condivisi", applicant="Associazione Cortili Aperti",
        applicant_tax_code="12345678901", legal_representative="Anna Colombo", partners=(),
        neighbourhood="Niguarda", thematic_area="ambiente", total_cost=Decimal("12500.00"),
        requested_contribution=Decimal("5000.00"), summary="", admissible=True,
        inadmissible_reasons=(),
        attachments=(PackageAttachment("P001-progetto.pdf", SHA, None, size),),
    )  # fmt: skip
    return CallPackage.build(
        call_id=CALL_ID, sequence=1, grid_hash="a" * 64, definition="[call]\n",
        roster=[PackageMember(member.public.key_id, "Sara Esposito", "", "president",
                              member.public)],
        proposals=[proposal], office=office, attachments_in=parts.PARTS, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def open_as(member: KeyPair, office: KeyPair, sealed: bytes) -> CallPackage:
    return CallPackage.open(
        sealed,
        my_key_id=member.public.key_id,
        my_sealing_private=member.sealing_private,
        trusted_offices={office.public.key_id: office.public.signing},
    )


def envelope_of(member: KeyPair, sealed: bytes) -> bytes:
    archive = seal.parse(sealed, max_size=len(sealed)).open(
        member.public.key_id, member.sealing_private
    )
    return container.read(archive, container.Limits(1 << 20, 10, 1 << 20, 1 << 20))[ENVELOPE_NAME]


def resign(office: KeyPair, member: KeyPair, sealed: bytes, change: object) -> bytes:
    """The package's payload changed by ``change`` (a function), signed again
    by the office and sealed to the member with nothing but the envelope."""
    payload = json.loads(dsse.parse(envelope_of(member, sealed), max_size=1 << 20).payload)
    change(payload)  # type: ignore[operator]
    envelope = dsse.sign(CALL_PACKAGE, json.dumps(payload).encode(), office)
    return seal.seal(
        container.write({ENVELOPE_NAME: envelope}),
        call_id=CALL_ID,
        purpose="call-package",
        recipients=[seal.Recipient(member.public.key_id, member.public.sealing)],
    )


def test_a_parts_package_lists_its_attachments_and_carries_none() -> None:
    office, member = KeyPair.generate(), KeyPair.generate()
    sealed = build(office, member)
    package = open_as(member, office, sealed)
    assert package.attachments_in == "parts"
    assert package.listed() == {SHA: len(PDF)}
    assert package.sealed_to == (member.public.key_id,)
    assert [a.content for p in package.proposals for a in p.attachments] == [None]


def test_an_attachment_listed_above_32_mib_is_refused_before_any_part_is_fetched() -> None:
    office, member = KeyPair.generate(), KeyPair.generate()
    with pytest.raises(BadPayloadError, match="size"):
        open_as(member, office, build(office, member, size=parts.MAX_ATTACHMENT + 1))


def test_a_parts_package_whose_zip_carries_a_pdf_is_refused() -> None:
    office, member = KeyPair.generate(), KeyPair.generate()
    envelope = envelope_of(member, build(office, member))
    archive = container.write({ENVELOPE_NAME: envelope, f"attachments/{SHA}.pdf": PDF})
    sealed = seal.seal(archive, call_id=CALL_ID, purpose="call-package",
                       recipients=[seal.Recipient(member.public.key_id, member.public.sealing)])  # fmt: skip
    with pytest.raises(ContainerError, match="unexpected member"):
        open_as(member, office, sealed)


def test_the_marker_has_one_value() -> None:
    office, member = KeyPair.generate(), KeyPair.generate()
    sealed = resign(office, member, build(office, member),
                    lambda p: p.__setitem__("attachments_in", "archive"))  # fmt: skip
    with pytest.raises(BadPayloadError, match="attachments_in"):
        open_as(member, office, sealed)


def test_without_the_marker_the_attachments_must_be_in_the_zip() -> None:
    """Old files keep their meaning: a package without ``attachments_in``
    whose ZIP lacks the PDFs is refused as before, never read as parts."""
    office, member = KeyPair.generate(), KeyPair.generate()
    sealed = resign(office, member, build(office, member), lambda p: p.pop("attachments_in"))
    with pytest.raises(BadPayloadError, match="attachment missing or altered"):
        open_as(member, office, sealed)


def test_a_part_opens_only_as_the_attachment_the_package_lists() -> None:
    member = KeyPair.generate()
    me = seal.Recipient(member.public.key_id, member.public.sealing)
    sealed = parts.seal_part(PDF, call_id=CALL_ID, recipients=[me])
    opened = dict(call_id=CALL_ID, my_key_id=member.public.key_id,
                  my_sealing_private=member.sealing_private)  # fmt: skip
    assert parts.open_part(sealed, listed={SHA: len(PDF)}, expected=SHA, **opened) == (SHA, PDF)
    with pytest.raises(parts.BadPartError, match="hash"):
        parts.open_part(sealed, listed={"b" * 64: len(PDF)}, **opened)
    with pytest.raises(parts.BadPartError, match="appartiene all'avviso MI-CC-2020"):
        parts.open_part(sealed, listed={SHA: len(PDF)}, **(opened | {"call_id": "ALTRO"}))
    # Larger than its listed size allows: refused before it is parsed.
    from app.crypto.errors import OversizeError

    with pytest.raises(OversizeError):
        parts.open_part(sealed + b" " * (parts.HEADER_ALLOWANCE * 2), listed={SHA: len(PDF)},
                        expected=SHA, **opened)  # fmt: skip


def test_the_recipients_tag_depends_on_the_set_not_its_order() -> None:
    a, b = "a" * 64, "b" * 64
    assert parts.recipients_tag([a, b]) == parts.recipients_tag([b, a])
    assert parts.recipients_tag([a, b]) == hashlib.sha256(f"{a},{b}".encode()).hexdigest()[:16]
    assert parts.recipients_tag([a]) != parts.recipients_tag([a, b])
    assert parts.part_path(CALL_ID, [b, a], SHA) == (
        f"{CALL_ID}/package/parts/{parts.recipients_tag([a, b])}/{SHA}.vaglio"
    )


def test_the_size_of_a_package_no_longer_depends_on_its_attachments() -> None:
    office, member = KeyPair.generate(), KeyPair.generate()
    small = build(office, member, size=10)
    large = build(office, member, size=parts.MAX_ATTACHMENT)
    assert abs(len(small) - len(large)) < 64
    assert dataclasses.is_dataclass(open_as(member, office, large))


def test_more_distinct_attachments_than_the_limit_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    office, member = KeyPair.generate(), KeyPair.generate()
    sealed = resign(
        office,
        member,
        build(office, member),
        lambda p: p["proposals"][0].__setitem__(
            "attachments",
            [{"filename": f"f{n}.pdf", "sha256": f"{n:x}" * 64, "size": 10} for n in range(1, 4)],
        ),
    )
    monkeypatch.setattr(parts, "MAX_PARTS", 2)
    with pytest.raises(BadPayloadError, match="more than 2 attachments"):
        open_as(member, office, sealed)
    monkeypatch.setattr(parts, "MAX_PARTS", 3)
    assert len(open_as(member, office, sealed).listed()) == 3
    monkeypatch.setattr(parts, "MAX_PARTS_TOTAL", 29)  # 3 × 10 bytes listed
    with pytest.raises(BadPayloadError, match="larger than the limit in all"):
        open_as(member, office, sealed)
