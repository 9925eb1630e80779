"""Sections 5 and 6 of the minutes: each proposal's scores with the
motivations, and the ranking with the proposals not admitted.

These are the sections that grow with the call (a thousand proposals make
five hundred pages), so they use plain strings and pre-broken text
(:class:`~app.reports.minutes_layout.TextLines`) rather than Paragraphs
wherever the text needs no markup; ``make bench`` measures them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph

from app.i18n import _, format_money, n_
from app.labels import tie_break_label
from app.reports.fonts import BOLD, ITALIC, REGULAR
from app.reports.minutes_collegial import decision_cell
from app.reports.minutes_collegial import intro as collegial_intro
from app.reports.minutes_discussions import flag_sentence
from app.reports.minutes_labels import points
from app.reports.minutes_layout import (
    FRAME_WIDTH,
    Styles,
    TextLines,
    escape,
    split_lines,
    table,
    text_cell,
)
from app.reports.minutes_rule_words import SHARED, shared_place_note
from app.reports.minutes_subcriteria import is_subcriterion
from app.reports.minutes_view import MinutesView, ProposalScores
from app.scoring.exclusion_grounds import exclusion_grounds

Story = list[Any]


def _p(text: str, style: Any) -> Paragraph:
    return Paragraph(escape(text), style)


def _outcome(view: MinutesView, p: ProposalScores, reasons: dict[str, str]) -> str:
    if p.rank is not None:
        return _("ranked in place {rank}").format(rank=p.rank)
    reason = reasons.get(p.reason or "", p.reason or "")
    row = next((e for e in view.ranking.excluded if e.proposal == p.proposal), None)
    if row is not None and (which := exclusion_grounds(view.ranking, row)):
        reason += f" ({which})"
    return _("not ranked: {reason}").format(reason=reason)


def _motivations(p: ProposalScores, key: str, named: bool) -> str:
    texts = [
        (m.member, m.motivations[key]) for m in p.members if m.motivations.get(key, "").strip()
    ]
    if named:
        return "<br/>".join(f"<i>{escape(who)}</i>: {escape(text)}" for who, text in texts)
    return "<br/>".join(f"– {escape(text)}" for _who, text in texts)


def heading(title: str, facts: str) -> TextLines:
    """A proposal's heading (bold) and its facts line, kept with the table below."""
    block = text_cell(FRAME_WIDTH + 6, (title, BOLD, 9.5, 13), (facts, REGULAR, 8.5, 11))
    block.spaceBefore, block.spaceAfter, block.keepWithNext = 7, 4, True
    return block


def _proposal(view: MinutesView, p: ProposalScores, s: Styles) -> Story:
    """One proposal: a line per criterion with its points (and each member's
    values when the call asks for them), the motivations below it, full width.

    Numbers are plain table strings, not Paragraphs: a call of 1,000
    proposals lays out tens of thousands of cells (see ``make bench``).
    """
    rules = view.rules
    places = rules.decimals
    individual = rules.individual_scores_in_minutes and bool(p.members)
    names = [m.member for m in p.members] if individual else []
    value_places = max(places, rules.scoring.places(places))
    narrow, member_width = 16 * mm, 18 * mm
    first = FRAME_WIDTH - 2 * narrow - member_width * len(names)
    widths = [first, narrow, *[member_width] * len(names), narrow]
    rows: list[list[Any]] = [[_("Criterion"), _("Max"), *names, _("Points")]]
    extra: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, 0), BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("FONTNAME", (0, -1), (-1, -1), BOLD),
    ]

    def spanning(cell: Any) -> None:
        rows.append([cell] + [""] * (len(widths) - 1))
        row = len(rows) - 1
        extra.extend(
            [
                ("SPAN", (0, row), (-1, row)),
                ("LINEBELOW", (0, row - 1), (-1, row - 1), 0.3, colors.white),
                ("TOPPADDING", (0, row), (-1, row), 0),
            ]
        )

    for c in rules.every_criterion:  # a sub-criterion follows its criterion, indented
        label = c.title + (" ⚑" if c.key in p.flags else "")
        if is_subcriterion(rules, c):
            title = text_cell(first, ("   – " + label, REGULAR, 8.5, 11))
        else:
            title = text_cell(first, (label, BOLD, 8.5, 11))
        given = [points(m.values.get(c.key), value_places) for m in p.members] if individual else []
        if c.sub:  # members scored its sub-criteria, on the lines below
            given = [""] * len(given)
        rows.append(
            [title, points(c.max_points, places), *given, points(p.points.get(c.key), places)]
        )
        agreed = decision_cell(p.collegial, c.key, s)
        if agreed is not None:
            spanning(agreed)
        written = [m for m in p.members if m.motivations.get(c.key, "").strip()]
        if not written or (rules.scoring.collegial and not individual):
            continue
        if individual:  # names in italics: a Paragraph
            cell: Any = Paragraph(_motivations(p, c.key, True), s.motivation)
        else:
            texts = [f"– {m.motivations[c.key].strip()}" for m in written]
            lines = split_lines(texts, REGULAR, 8, FRAME_WIDTH - 14)
            cell = TextLines([(lines, REGULAR, 8, 10.4)], indent=5)
        spanning(cell)
    rows.append([_("Total"), "", *["" for _name in names], points(p.total, places)])
    facts = _("Applicant: {applicant} · evaluators: {count} · outcome: {outcome}").format(
        applicant=p.applicant, count=p.evaluators, outcome=_outcome(view, p, view.reason_labels)
    )
    story: Story = [
        CondPageBreak(50 * mm),
        heading(f"{p.proposal} — {p.title}", facts),
        table(rows, widths, extra=extra),
    ]
    if p.abstained:
        story.append(
            _p(
                _("Abstained for a declared conflict of interest: {names}.").format(
                    names=", ".join(p.abstained)
                ),
                s.note,
            )
        )
    for member, substitute in p.substitutes:
        story.append(
            _p(
                _("{substitute} evaluated it as substitute in place of {member}.").format(
                    substitute=substitute, member=member
                ),
                s.note,
            )
        )
    for key in p.flags:  # what was recorded of each flag, and nothing else
        criterion = rules.criterion(key)
        recorded = [d for d in view.discussions if (d.proposal, d.criterion) == (p.proposal, key)]
        story.append(_p(flag_sentence(criterion.title if criterion else key, recorded), s.note))
    return story


def proposal_scores(view: MinutesView, s: Styles) -> Story:
    """The section's heading and introduction; the proposals follow from
    :func:`each_proposal`."""
    if view.rules.scoring.collegial:
        intro = collegial_intro(view.rules.individual_scores_in_minutes)
    elif view.rules.individual_scores_in_minutes:
        intro = _(
            "For each proposal scored by the commission: the points of each criterion, each "
            "member's values (the call requires them in the minutes) and the motivations "
            "each member wrote."
        )
    else:
        intro = _(
            "For each proposal scored by the commission: the collegial points of each "
            "criterion and the motivations written by the members. The call does not put "
            "each member's values in the minutes, so motivations are listed without names."
        )
    story: Story = [
        CondPageBreak(80 * mm),
        _p(_("5. Scores and motivations"), s.section),
        _p(intro, s.body),
    ]
    if not view.proposals:
        story.append(_p(_("No proposal was scored."), s.body))
    return story


# The attribute that marks the first flowable of each proposal with its
# place, ``(index, total)``, for the progress of the layout (it draws nothing).
PROPOSAL_MARK = "vaglio_proposal"


def each_proposal(view: MinutesView, s: Styles) -> Iterator[Flowable]:
    """The scores and motivations of each proposal, made as the layout
    reaches them (:class:`app.reports.minutes_layout.LazyStory`); the first
    flowable of each carries :data:`PROPOSAL_MARK`."""
    total = len(view.proposals)
    for index, p in enumerate(view.proposals, start=1):
        flowables = iter(_proposal(view, p, s))
        first = next(flowables, None)
        if first is None:
            continue
        setattr(first, PROPOSAL_MARK, (index, total))
        yield first
        yield from flowables


def ranking(view: MinutesView, s: Styles) -> Story:
    """The ranking, then the proposals not admitted with the reason.

    Cells are plain strings and pre-broken text (:class:`TextLines`): these
    tables run over many pages in a big call, and reportlab lays out again
    what is left of a table at each page it splits.
    """
    r = view.ranking
    places = r.grid.decimals
    titles = {c.key: c.title for c in view.rules.every_criterion}
    numbers = [("ALIGN", (3, 0), (-1, -1), "RIGHT"), ("FONTSIZE", (0, 1), (-1, -1), 8.5),
               ("FONTNAME", (0, 0), (-1, 0), BOLD), ("FONTSIZE", (0, 0), (-1, 0), 8.5)]  # fmt: skip
    title_width = 90 * mm
    rows: list[list[Any]] = [
        [_("Place"), _("Proposal"), _("Title and applicant"), _("Points"), _("Requested")]
    ]
    for row in r.rows:
        note = ""
        if row.decided_by == SHARED:
            note = shared_place_note()
        elif row.decided_by:
            label = tie_break_label(row.decided_by, titles)
            note = _("place settled by: {rule}").format(rule=label)
        what = text_cell(
            title_width,
            (row.title, REGULAR, 8.5, 11),
            (row.applicant, REGULAR, 7, 9),
            (note, ITALIC, 7, 9),
        )
        rows.append(
            [str(row.rank), row.proposal, what, points(row.total, places),
             format_money(row.requested_contribution)]
        )  # fmt: skip
    story: Story = [
        CondPageBreak(60 * mm),
        _p(_("6. Ranking"), s.section),
        _p(
            n_(
                "{count} proposal is admitted to the ranking, in this order:",
                "{count} proposals are admitted to the ranking, in this order:",
                len(r.rows),
            ).format(count=len(r.rows)),
            s.body,
        ),
        table(rows, [14 * mm, 18 * mm, title_width, 20 * mm, 28 * mm], zebra=True, extra=numbers),
    ]
    if r.excluded:
        excluded: list[list[Any]] = [
            [_("Proposal"), _("Title and applicant"), _("Points"), _("Reason")]
        ]
        for e in r.excluded:
            what = text_cell(title_width, (e.title, REGULAR, 8.5, 11), (e.applicant, REGULAR, 7, 9))
            which = exclusion_grounds(r, e, view.inadmissible.get(e.proposal, ()))
            reason = text_cell(
                42 * mm,
                (view.reason_labels.get(e.reason, e.reason), REGULAR, 8.5, 11),
                (which, REGULAR, 7, 9),
            )
            excluded.append([e.proposal, what, points(e.total, places), reason])
        story += [
            CondPageBreak(40 * mm),
            _p(_("Proposals not admitted to the ranking"), s.subsection_loose),
            table(
                excluded,
                [18 * mm, title_width, 20 * mm, 42 * mm],
                zebra=True,
                extra=[
                    ("ALIGN", (2, 0), (2, -1), "RIGHT"),
                    ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                    ("FONTNAME", (0, 0), (-1, 0), BOLD),
                ],
            ),
        ]
    return story
