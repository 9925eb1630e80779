"""How a signature check reads to people (both languages)."""

from __future__ import annotations

from app.i18n import _
from app.reports.signature_check import SignatureReport


def changes_label(code: str) -> str:
    """What later revisions changed after a signature."""
    return {
        "none": _("nothing"),
        "lta_updates": _("validation data"),
        "form_filling": _("signatures and form fields"),
        "annotations": _("annotations"),
        "other": _("other changes"),
    }.get(code, code)


def coverage_label(report: SignatureReport) -> str:
    """What the signature covers, in words."""
    if report.coverage == "entire_file":
        return _("the whole document")
    if report.coverage == "entire_revision":
        return _("the document as signed; added since: {changes}").format(
            changes=changes_label(report.modifications)
        )
    return _("only part of the document")


def verdict(report: SignatureReport) -> str:
    """One line that says whether the signature holds."""
    if not report.intact:
        return _("ALTERED: the signed content has changed")
    if not report.valid:
        return _("INVALID: the signature does not match")
    if not report.sound:
        return _("changed after signing beyond form filling")
    if not report.trusted:
        return _("intact and valid; the signer's certificate is not among the trusted ones")
    return _("intact, valid and trusted")


def level_label(report: SignatureReport) -> str:
    """The PAdES level (B-B, B-T, B-LT, B-LTA), or what a document time-stamp is."""
    from app.reports.signature_check import DOCUMENT_TIMESTAMP

    if report.level == DOCUMENT_TIMESTAMP:
        return _("document time-stamp")
    return report.level or "—"
