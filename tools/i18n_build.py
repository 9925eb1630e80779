"""Build the translation catalogue: ``make i18n`` (``python -m tools.i18n_build``).

Extracts every ``_()``, ``N_()`` and ``n_()`` message from ``app/`` with Babel,
merges them into ``resources/locale/it/LC_MESSAGES/vaglio.po`` (keeping the
existing translations, marking new ones empty) and compiles ``vaglio.mo``.
Translators edit the ``.po``; the ``.mo`` is what ships.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from app.resources import resource_path

KEYWORDS = {"_": None, "N_": None, "n_": (1, 2)}
APP_DIR = Path(__file__).resolve().parent.parent / "app"


def po_path(language: str = "it") -> Path:
    """The catalogue source for ``language``."""
    return resource_path("locale", language, "LC_MESSAGES", "vaglio.po")


def extract() -> Catalog:
    """Every translatable message in the application's source."""
    template = Catalog(project="Vaglio", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(APP_DIR),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
    ):
        template.add(
            message,
            None,
            [(f"app/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def read_catalogue(language: str = "it") -> Catalog:
    """The ``.po`` catalogue for ``language``."""
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def compiled(catalogue: Catalog) -> bytes:
    """The ``.mo`` bytes for ``catalogue``."""
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    return buffer.getvalue()


def update(language: str = "it") -> Catalog:
    """Merge the extracted messages into the ``.po`` and compile the ``.mo``."""
    template = extract()
    path = po_path(language)
    if path.exists():
        catalogue = read_catalogue(language)
        catalogue.update(template, no_fuzzy_matching=True)
        catalogue.obsolete.clear()
    else:
        catalogue = Catalog(locale=language, project="Vaglio", charset="utf-8")
        catalogue.update(template, no_fuzzy_matching=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=100, sort_output=True, omit_header=False)
    path.with_suffix(".mo").write_bytes(compiled(catalogue))
    return catalogue


def main() -> None:
    """Update the Italian catalogue and report what is left to translate."""
    catalogue = update("it")
    missing = [m.id for m in catalogue if m.id and not m.string]
    print(f"{len(catalogue)} messages, {len(missing)} to translate")
    for message_id in missing:
        print(f"  - {message_id!r}")


if __name__ == "__main__":
    main()
