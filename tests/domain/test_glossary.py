"""The Italian catalogue follows docs/glossario.md: one word per thing.

Issue 15, finding 7: the identity file was a *tessera* for the secretariat and a
*scheda* for the member, and *scheda* also meant the evaluation sheet."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "resources" / "locale" / "it" / "LC_MESSAGES" / "vaglio.po"
GLOSSARY = ROOT / "docs" / "glossario.md"
# "card" as the device of a digital signature (PKCS#11), not the identity.
SIGNATURE_CARD = {
    "A smart card or &token (PKCS#11)",
    "Give the PKCS#11 module of the card or token.",
    "No token labelled «{label}» was found: is the card or token inserted?",
    "No token was found: is the card or token inserted?",
    "Sign it with your own card (vaglio sign FILE.pdf).",
}
CARD = re.compile(r"\bcards?\b", re.IGNORECASE)
SHEET_WORD = re.compile(r"\bsched[ae]\b", re.IGNORECASE)


def messages() -> list[tuple[str, list[str]]]:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="it")
    found = []
    for message in catalogue:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        texts = [message.string] if isinstance(message.string, str) else list(message.string)
        found.append((ids[0], texts))
    return found


def test_the_identity_card_is_a_tessera_never_a_scheda() -> None:
    cards = [(msgid, texts) for msgid, texts in messages() if CARD.search(msgid)]
    assert len(cards) > 20  # the check looks at something
    wrong = [
        (msgid, texts)
        for msgid, texts in cards
        if msgid not in SIGNATURE_CARD
        and any(SHEET_WORD.search(t) or not re.search(r"tesser[ae]", t, re.I) for t in texts)
    ]
    assert wrong == []


def test_scheda_means_only_the_evaluation_sheet() -> None:
    # Every Italian "scheda" translates an English "sheet" (the member's
    # evaluation sheet), never a card, a form or a tab.
    wrong = [
        (msgid, texts)
        for msgid, texts in messages()
        if any(SHEET_WORD.search(t) for t in texts) and not re.search(r"\bsheets?\b", msgid)
    ]
    assert wrong == []


def test_the_glossary_names_the_words_the_catalogue_uses() -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    for word in ("tessera", "scheda di valutazione", "pacchetto dell'avviso",
                 "pacchetto di punteggi", "ricevuta", "cartella di scambio", "graduatoria",
                 "verbale", "seduta", "sorteggio", "segreteria", "commissione"):  # fmt: skip
        assert f"**{word}**" in text, word


def test_busta_is_a_word_of_the_formats_only() -> None:
    # The envelope (DSSE) is a technical word of docs/formats.md: the interface
    # says *pacchetto di punteggi* for what a member sends, even in progress
    # lines ("Pacchetto di punteggi 3 di 15…").
    busta = re.compile(r"\bbust[ae]\b", re.IGNORECASE)
    assert [msgid for msgid, texts in messages() if any(busta.search(t) for t in texts)] == []
