"""The call package by parts: publishing a 1,000-proposal call with a
distinct PDF each, a member's first sync over a shared folder, and a
republication after one PDF changed (issue 16, item 3).

``python -m tests.bench.package_bench`` prints the figures alone, with the
sizes; ``VAGLIO_BENCH_PACKAGE_PROPOSALS`` sets the count (1,000 by default),
``VAGLIO_BENCH_PDF_KIB`` the size of each PDF (200 by default).
"""

from __future__ import annotations

import csv
import hashlib
import os
import time
from pathlib import Path

from tests.bench.harness import Figure, print_table

PASSPHRASE = "bench passphrase 2020"
ROOT = Path(__file__).resolve().parents[2]
CALL_ID = "MI-CC-2020"


def _pdf(n: int, size: int) -> bytes:
    """A distinct, incompressible PDF-looking file of ``size`` bytes."""
    head = f"%PDF-1.4\n% proposta {n}\n".encode()
    body = b"".join(hashlib.sha256(f"{n}/{k}".encode()).digest() for k in range(size // 32 + 1))
    return (head + body)[: size - 6] + b"\n%%EOF"


def _call(work: Path, proposals: int, pdf_size: int) -> Path:
    pdfs = work / "allegati"
    pdfs.mkdir()
    with (work / "p.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "applicant", "applicant_tax_code", "legal_representative",
                         "neighbourhood", "thematic_area", "total_cost", "requested_contribution",
                         "attachments"])  # fmt: skip
        for n in range(proposals):
            name = f"B{n:05d}.pdf"
            (pdfs / name).write_bytes(_pdf(n, pdf_size))
            writer.writerow([f"B{n:05d}", f"Progetto {n}", f"Associazione {n}", "01234560157",
                             "Maria Rossi", "Corvetto", "servizi educativi", "50000.00",
                             "30000.00", name])  # fmt: skip
    return pdfs


def _seconds(action: object) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()  # type: ignore[operator]
    return (time.perf_counter() - start) * 1000, result


def parts_figures(work: Path, proposals: int = 1000, pdf_kib: int = 200) -> list[Figure]:
    from sqlalchemy import select, update

    from app.crypto import seal
    from app.models import Attachment, Proposal
    from app.services import exchange, publication, remotes
    from app.services.calls import create_call
    from app.services.cards import enroll_cards, export_card, trust_office
    from app.services.proposal_import import import_proposals
    from app.services.workspace import create_workspace, own_identity

    def workspace(name: str, role: str):  # type: ignore[no-untyped-def]
        return create_workspace(work / name, role=role, name=name, passphrase=PASSPHRASE,
                                use_keyring=False).workspace  # fmt: skip

    office, member, fellow = workspace("office", "secretariat"), workspace("sara", "member"), \
        workspace("marco", "member")  # fmt: skip
    pdfs = _call(work, proposals, pdf_kib * 1024)
    create_call(office, (ROOT / "tests" / "fixtures" / "call.toml").read_text(encoding="utf-8"))
    import_proposals(office, CALL_ID, work / "p.csv", pdfs)
    enroll_cards(office, CALL_ID, [(export_card(ws), "member") for ws in (member, fellow)])
    trust_office(member, export_card(office))
    share = work / "share"
    share.mkdir()
    for ws in (office, member):
        remotes.set_remote(ws, CALL_ID, str(share))

    publish_ms, published = _seconds(lambda: publication.publish_call(office, CALL_ID))
    push_ms, _pushed = _seconds(lambda: exchange.sync(office))
    # Floor of publishing: sealing the same bytes to the same two keys.
    recipients = []
    for ws in (member, fellow):
        with ws.session() as session:
            me = own_identity(session)
            from app.crypto.keys import KeyPair

            public = KeyPair(me.signing_private_key, me.sealing_private_key).public
            recipients.append(seal.Recipient(public.key_id, public.sealing))
    contents = [p.read_bytes() for p in sorted(pdfs.iterdir())]
    seal_ms, sealed = _seconds(
        lambda: [
            seal.seal(c, call_id=CALL_ID, purpose="call-attachment", recipients=recipients)
            for c in contents
        ]
    )
    sync_ms, first = _seconds(lambda: exchange.sync(member))
    with member.session() as session:
        me = own_identity(session)
        key_id, private = me.key_id, me.sealing_private_key
    open_ms, _opened = _seconds(
        lambda: [seal.parse(s, max_size=1 << 26).open(key_id, private) for s in sealed]  # type: ignore[attr-defined]
    )
    package_bytes = published.copy.stat().st_size  # type: ignore[attr-defined]
    part_bytes = sum(p.stat().st_size for p in published.parts_folder.iterdir())  # type: ignore[attr-defined]

    with office.session() as session:
        first_pdf = session.scalars(
            select(Attachment.id).join(Proposal).where(Proposal.code == "B00000")
        ).one()
        new = b"%PDF-1.4\n% B00000, versione corretta\n%%EOF\n"
        session.execute(update(Attachment).where(Attachment.id == first_pdf).values(
            content=new, sha256=hashlib.sha256(new).hexdigest(), size=len(new)))  # fmt: skip
    republish_ms, again = _seconds(lambda: publication.publish_call(office, CALL_ID))
    exchange.sync(office)
    resync_ms, second = _seconds(lambda: exchange.sync(member))
    for ws in (office, member, fellow):
        ws.close()
    label = (
        f"{proposals:,} proposals × {pdf_kib} KiB PDFs: package {package_bytes / 1024:.0f} KiB"
        f" + {published.parts} parts, {part_bytes / 2**20:.0f} MiB"  # type: ignore[attr-defined]
    )
    print(label)
    print(
        f"first sync fetched {first.parts_fetched} parts; after one PDF changed the office "  # type: ignore[attr-defined]
        f"sealed {again.parts} part and the member fetched {second.parts_fetched}"  # type: ignore[attr-defined]
    )
    return [
        Figure(f"publish ({label})", publish_ms, "sealing the same PDFs to the same keys", seal_ms),
        Figure(
            "upload of the package and its parts to a shared folder",
            push_ms,
            "sealing the same PDFs",
            seal_ms,
        ),
        Figure(
            "a member's first sync: package, every part, install",
            sync_ms,
            "opening the same parts (HPKE + ChaCha20)",
            open_ms,
        ),
        Figure(
            f"republish after one PDF changed ({again.parts} part sealed)",
            republish_ms,  # type: ignore[attr-defined]
            "—",
            0.0,
        ),
        Figure(
            f"the member's next sync ({second.parts_fetched} part fetched)",
            resync_ms,  # type: ignore[attr-defined]
            "—",
            0.0,
        ),
    ]


def main() -> None:
    import tempfile

    proposals = int(os.environ.get("VAGLIO_BENCH_PACKAGE_PROPOSALS", "1000"))
    pdf_kib = int(os.environ.get("VAGLIO_BENCH_PDF_KIB", "200"))
    with tempfile.TemporaryDirectory(prefix="vaglio-parts-") as folder:
        os.environ["VAGLIO_CONFIG_DIR"] = folder
        print_table(parts_figures(Path(folder), proposals, pdf_kib))


if __name__ == "__main__":
    main()
