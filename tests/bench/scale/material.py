"""The scale bench's input: a call of 8 criteria, ``count`` proposals in a CSV,
one ~200 KB PDF each (distinct bytes, so every hash differs), and the
campaign results of the ranked projects.

The PDFs are written by hand, not by reportlab (10,000 of them in seconds):
one A4 page saying which proposal it is, and an unreferenced stream of
incompressible bytes that pads the file to ~200 KB, as the scanned annexes of
a real proposal do. Each file is a valid PDF (``pdftotext`` reads its page).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CALL_ID = "MI-CC-2020"
PDF_BYTES = 200 * 1024
CRITERIA = (
    ("innovation", "15"),
    ("impact", "20"),
    ("coherence", "10"),
    ("sustainability", "15"),
    ("community", "10"),
    ("partnership", "10"),
    ("accessibility", "10"),
    ("environment", "10"),
)
KEYS = tuple(key for key, _points in CRITERIA)
NEIGHBOURHOODS = ("Adriano", "Corvetto", "Giambellino-Lorenteggio", "Niguarda", "Padova",
                  "Qt8-Gallaratese", "Quarto Oggiaro", "San Siro")  # fmt: skip
AREAS = ("servizi di cura e assistenza", "orientamento al lavoro e formazione",
         "animazione culturale e tecnologica", "servizi educativi",
         "valorizzazione di risorse ambientali e culturali")  # fmt: skip
WORDS = ("orti", "doposcuola", "portineria", "laboratorio", "teatro", "cucina", "biblioteca",
         "ciclofficina", "sportello", "mercato", "radio", "cortile")  # fmt: skip
WHY = "Valutazione motivata: rete di quartiere credibile, piano dei costi da precisare meglio."


def code(n: int) -> str:
    return f"B{n:05d}"


def call_text() -> str:
    """The fixture call (acts and commission included) with 8 criteria summing to 100,
    a fund and a cap sized for thousands of proposals."""
    text = (ROOT / "tests" / "fixtures" / "call.toml").read_text(encoding="utf-8")
    head = text[: text.index("[[criteria]]")]
    tail = text[text.index("[matchfunding]") :]
    blocks = []
    for key, points in CRITERIA:
        minimum = '\nmin_points = "8"' if key == "impact" else ""
        blocks.append(
            f'[[criteria]]\nkey = "{key}"\ntitle = "Criterio {key}"\n'
            f'description = "Descrizione del criterio {key}."\nmax_points = "{points}"{minimum}\n'
        )
    tail = tail.replace('fund = "550000.00"', 'fund = "55000000.00"')
    head = head.replace('programmed_amount = "550000.00"', 'programmed_amount = "55000000.00"')
    return head + "\n".join(blocks) + "\n" + tail


def pdf(n: int, rng: random.Random, size: int = PDF_BYTES) -> bytes:
    """A one-page PDF for proposal ``n`` padded to about ``size`` bytes."""
    text = f"BT /F1 18 Tf 72 760 Td (Proposta {code(n)} - modulo di domanda) Tj ET".encode()
    padding = rng.randbytes(max(0, size - 900))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(padding) + padding + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def write_proposals(folder: Path, count: int, pdf_bytes: int = PDF_BYTES) -> Path:
    """``folder/proposals.csv`` and ``folder/pdf/<code>.pdf``; the CSV's path."""
    rng = random.Random(2026)
    pdfs = folder / "pdf"
    pdfs.mkdir(parents=True, exist_ok=True)
    path = folder / "proposals.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "applicant", "applicant_tax_code", "legal_representative",
                         "partners", "neighbourhood", "thematic_area", "total_cost",
                         "requested_contribution", "summary", "attachments"])  # fmt: skip
        for n in range(count):
            cost = 20000 + (n * 37) % 70000
            word = WORDS[n % len(WORDS)]
            place = NEIGHBOURHOODS[n % len(NEIGHBOURHOODS)]
            writer.writerow([
                code(n), f"{word.capitalize()} di {place} {n}", f"Associazione {word} {n}",
                "01234560157", "Maria Rossi", "Scuola;Parrocchia", place, AREAS[n % len(AREAS)],
                f"{cost}.00", f"{cost * 6 // 10}.00",
                "Servizi di prossimità per gli abitanti del quartiere, con volontari e scuole.",
                f"{code(n)}.pdf",
            ])  # fmt: skip
            (pdfs / f"{code(n)}.pdf").write_bytes(pdf(n, rng, pdf_bytes))
    return path


def level(member: int, n: int, key_index: int) -> str:
    """A member's coefficient on one criterion: most proposals pass the threshold."""
    return ("0.6", "0.8", "1")[(member + n + key_index) % 3]


def write_member_scores(path: Path, numbers: range) -> Path:
    """The real member's sheet for proposals ``numbers``: a declaration (no
    conflict) and 8 scores per proposal, in the columns of ``vaglio score import``."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["proposal", "criterion", "value", "justification", "conflict",
                         "category", "reason"])  # fmt: skip
        for n in numbers:
            for index, key in enumerate(KEYS):
                writer.writerow([code(n), key, level(0, n, index), f"{WHY} ({key})",
                                 "no" if index == 0 else "", "", ""])  # fmt: skip
    return path


def write_campaigns(path: Path, ranked: list[tuple[str, str]], closed_on: str) -> Path:
    """Campaign results for every ranked project: ``(code, total_cost)``; one in
    five falls short of the crowd's 40 %."""
    from decimal import Decimal

    lines = ["proposal,raised,backers,closed_on"]
    for index, (proposal, cost) in enumerate(ranked):
        factor = Decimal("0.30") if index % 5 == 2 else Decimal("0.45")
        raised = (Decimal(cost) * factor).quantize(Decimal("0.01"))
        lines.append(f"{proposal},{raised:f},{40 + index % 90},{closed_on}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
