"""The evaluating college in the minutes: how many members evaluate each
proposal, which substitute took whose seat, and what the approval recorded
about proposals below their college (all from the frozen ranking document
and the substitutions the approval closed)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from app.i18n import _
from app.labels import college_label
from app.reports.minutes_layout import Styles, cells, table
from app.reports.minutes_sections import Story, _p
from app.reports.minutes_view import MinutesView


def college(view: MinutesView, s: Styles) -> Story:
    """How many members evaluate each proposal, who replaced whom, and what the
    approval recorded about proposals below their college."""
    story: Story = [
        _p(_("Evaluating college"), s.subsection),
        _p(
            _("The call sets the college as {college}.").format(
                college=college_label(view.rules.college)
            ),
            s.body,
        ),
    ]
    replaced = [(p.proposal, member, substitute) for p in view.proposals
                for member, substitute in p.substitutes]  # fmt: skip
    if replaced:
        rows = [cells(s.cell_bold, _("Proposal"), _("Member in conflict"), _("Substitute"))]
        rows += [cells(s.cell, code, member, substitute) for code, member, substitute in replaced]
        story.append(table(rows, [40 * mm, 65 * mm, 65 * mm]))
    record = view.ranking.college
    if record is None or not (record.shortfalls or record.silent):
        return story
    lines = [_("{member} sent no score bundle.").format(member=name) for name in record.silent]
    lines += [f"{p.proposal}: {p.why()}." for p in record.shortfalls if not p.only_silence]
    block: Story = [
        Spacer(1, 2 * mm),
        _p(_("At the approval, the college was not complete:"), s.body),
    ]
    block += [_p("• " + line, s.body) for line in lines]
    if record.reason:
        block.append(
            _p(
                _("Reason recorded by the secretariat at the approval: «{reason}».").format(
                    reason=record.reason
                ),
                s.body,
            )
        )
    story.append(KeepTogether(block))
    return story
