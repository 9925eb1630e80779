"""The audit chains anchored at the other end (docs/formats.md, section 8.4).

Each side keeps an append-only, hash-chained audit log, and anyone who holds
a workspace's key can still cut its tail or rewrite it and hash it again: the
log alone cannot show that. So each artefact carries its author's head — a
bundle the member's, a receipt the office's — and the side that receives it
keeps it. A cut or rewritten log then no longer holds what the other side
keeps:

- **the member's log, at the office**: a later bundle's head must not go back
  from the one the office holds, and the bundle right after must carry, as
  its ``audit_link``, exactly that held head (the member's log still has it);
- **the office's log, at the office**: the head a bundle returns from the
  member's newest receipt must still be an entry of the office's log;
- **the office's log, at a member**: receipts' heads must go forward with the
  bundles they acknowledge;
- **the member's log, at the member**: every head it sent must still be an
  entry of its log.

An anchor that does not hold is evidence, not a reason to refuse: the
artefact is authentic, and refusing it would not bring the log back. It is
told at intake and recorded in the receiving side's own log; ``vaglio check``
reports, for as long as they last, all but those about a member's log at the
office (told at intake only). Plain values in, findings out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.bundles.score_bundle import ScoreBundle
from app.i18n import _
from app.models.audit_head import AuditHead, went_back

# What a finding says about a chain.
NO_HEAD = "no_head"  # a bundle without a head after bundles with one
WENT_BACK = "went_back"  # a head lower than (or rewritten from) one held
LINK = "link"  # the entry at the held head's number is no longer that head
NOT_HELD = "not_held"  # an entry the other side keeps is not in the log


@dataclass(frozen=True)
class HeldHead:
    """The newest audit head one side holds of the other's log, and the
    bundle sequence it came with."""

    sequence: int
    head: AuditHead


@dataclass(frozen=True)
class AnchorFinding:
    """An anchor that does not hold: a log was cut or rewritten.

    ``chain`` is whose log (``member`` or ``office``), ``problem`` one of the
    codes above, ``sequence`` the bundle that showed it, ``other`` the bundle
    of the head it was compared with, ``expected`` that head, ``found`` what
    stood in its place (None: nothing).
    """

    chain: str
    problem: str
    sequence: int
    expected: AuditHead | None = None
    found: AuditHead | None = None
    other: int = 0

    def details(self) -> dict[str, Any]:
        """The finding as the audit entry that records it."""
        return {
            "chain": self.chain,
            "problem": self.problem,
            "sequence": self.sequence,
            "other": self.other,
            "expected": None if self.expected is None else self.expected.as_json(),
            "found": None if self.found is None else self.found.as_json(),
        }

    def sentence(self, member: str = "") -> str:
        """One sentence for people; ``member`` names the member at the office."""
        values = {
            "member": member,
            "sequence": self.sequence,
            "other": self.other,
            "expected": self.expected.seq if self.expected else 0,
            "found": self.found.seq if self.found else 0,
        }
        if self.chain == "member" and self.problem == NO_HEAD:
            text = _(
                "Bundle {sequence} of {member} carries no audit head, although bundle {other} "
                "did: whether the member's audit log was cut cannot be told."
            )
        elif self.chain == "member" and self.problem == WENT_BACK:
            text = _(
                "The audit log of {member} went back: bundle {sequence} was signed at entry "
                "{found}, bundle {other} at entry {expected}. The member's log was cut or "
                "rewritten."
            )
        elif self.chain == "member" and self.problem == LINK:
            text = _(
                "The audit log of {member} no longer held entry {expected} as bundle {other} "
                "carried it when bundle {sequence} was signed: the member's log was cut or "
                "rewritten."
            )
        elif self.chain == "member":
            text = _(
                "This workspace's audit log no longer holds entry {expected} as bundle "
                "{sequence} carried it to the city office: it was cut or rewritten."
            )
        elif self.problem == WENT_BACK:
            text = _(
                "The city office's audit log went back: the receipt for bundle {sequence} "
                "carries entry {found}, the one for bundle {other} entry {expected}. The "
                "office's log was cut or rewritten."
            )
        else:
            text = _(
                "Bundle {sequence} of {member} returns entry {expected} of this office's audit "
                "log as a receipt carried it, and the log no longer holds it: it was cut or "
                "rewritten."
            )
        return text.format(**values)


def member_chain_finding(bundle: ScoreBundle, held: HeldHead | None) -> AnchorFinding | None:
    """At the office: does the member's log, as ``bundle`` shows it, still hold
    ``held``, the newest head the office has from this member for this call?"""
    if held is None:
        return None
    head, link = bundle.anchors.audit_head, bundle.anchors.audit_link
    if head is None:
        return AnchorFinding("member", NO_HEAD, bundle.sequence, held.head, None, held.sequence)
    if went_back(held.head, head):
        return AnchorFinding("member", WENT_BACK, bundle.sequence, held.head, head, held.sequence)
    if bundle.sequence == held.sequence + 1 and link != held.head:
        return AnchorFinding("member", LINK, bundle.sequence, held.head, link, held.sequence)
    return None


def office_heads_finding(
    sequence: int, head: AuditHead, others: dict[int, AuditHead]
) -> AnchorFinding | None:
    """At a member: does the office's head in the receipt for bundle
    ``sequence`` go forward from those of the receipts for earlier bundles,
    and stay behind those of later ones (``others``: sequence → head)?"""
    for other, held in sorted(others.items()):
        if other < sequence and went_back(held, head):
            return AnchorFinding("office", WENT_BACK, sequence, held, head, other)
        if other > sequence and went_back(head, held):
            return AnchorFinding("office", WENT_BACK, other, head, held, sequence)
    return None
