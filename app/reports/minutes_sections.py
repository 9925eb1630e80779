"""The sections of the minutes, each a list of flowables built from the view.

Order: title block, premises, 1 the commission, 2 sittings and attendance,
3 declarations, 4 criteria and method, 5 the proposals' scores with
motivations and 6 the ranking (both in :mod:`app.reports.minutes_scores`),
7 the lottery, 8 approval and signatures, then Annex A (the score bundles
received).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.i18n import _, format_date, format_datetime, format_money
from app.labels import category_label, commission_role_label, tie_break_label
from app.reports.fonts import REGULAR
from app.reports.member_sheet import sheets_rule_sentences
from app.reports.minutes_acts import place_and_date, premise_sentences, title_facts
from app.reports.minutes_labels import (
    method_sentences,
    money_sentences,
    plain_number,
    points,
)
from app.reports.minutes_layout import (
    FRAME_WIDTH,
    FieldPlace,
    SignatureBox,
    Styles,
    cells,
    escape,
    field_name,
    table,
)
from app.reports.minutes_rule_words import ties_sentences
from app.reports.minutes_view import ConflictEntry, MinutesView

Story = list[Any]


def _p(text: str, style: Any) -> Paragraph:
    return Paragraph(escape(text), style)


def title_block(view: MinutesView, s: Styles) -> Story:
    call = view.call
    facts = [
        (_("Authority"), call.authority),
        (_("Call"), f"{call.title} ({call.id})"),
        (_("Programme"), call.programme),
        (_("Project code"), call.project_code),
        (_("CUP"), call.cup),
        (_("Programmed resources"), format_money(call.programmed_amount)),
        (_("Submission deadline"), format_date(call.submission_deadline)),
        # Only when the call set one: the minutes state what the call said.
        *(
            [(_("Evaluation deadline"), format_date(call.evaluation_deadline))]
            if call.evaluation_deadline is not None
            else []
        ),
        *title_facts(view.acts),
        (_("Proposals received"), str(view.proposals_received)),
        (_("Ranking approved on"), format_datetime(view.approved_at)),
    ]
    rows = [[_p(k, s.cell_bold), _p(v, s.cell)] for k, v in facts]
    return [
        _p(call.authority.upper(), s.authority),
        _p(call.programme, s.subtitle),
        _p(
            _("Project {code} — CUP {cup}").format(code=call.project_code, cup=call.cup), s.subtitle
        ),
        _p(_("MINUTES OF THE EVALUATION COMMISSION"), s.title),
        _p(f"«{call.title}» ({call.id})", s.call_title),
        table(rows, [48 * mm, FRAME_WIDTH - 48 * mm], header=False),
        Spacer(1, 5 * mm),
    ]


def premises(view: MinutesView, s: Styles) -> Story:
    call = view.call
    president = next((m.name for m in view.commission if m.role == "president"), None)
    text = _(
        "These minutes record the work of the commission appointed to evaluate the "
        "proposals received under the call «{title}» of {authority}: {count} proposals "
        "received by {deadline}. The members evaluated the proposals each on their own "
        "workstation with the Vaglio application and sent their scores to the secretariat "
        "as signed and sealed score bundles; the secretariat consolidated them into the "
        "ranking, which was approved on {approved}."
    ).format(
        title=call.title,
        authority=call.authority,
        count=view.proposals_received,
        deadline=format_date(call.submission_deadline),
        approved=format_datetime(view.approved_at),
    )
    story: Story = [_p(_("Premises"), s.section)]
    story += [_p(sentence, s.body) for sentence in premise_sentences(view.acts)]
    story.append(_p(text, s.body))
    if president:
        story.append(
            _p(
                _(
                    "The commission is chaired by {president}; {secretary} keeps the minutes."
                ).format(president=president, secretary=view.secretary.name),
                s.body,
            )
        )
    return story


def commission(view: MinutesView, s: Styles) -> Story:
    header = cells(s.cell_bold, _("Role"), _("Name"), _("Key fingerprint"), _("Bundles"))
    rows: list[list[Any]] = [header]
    for m in view.commission:
        rows.append(
            [*cells(s.cell, commission_role_label(m.role), m.name), _p(m.fingerprint, s.cell_small),
             _p(str(m.bundles), s.cell_right)]
        )  # fmt: skip
    secretary = view.secretary
    office = f"{secretary.office}\n" if secretary.office else ""
    rows.append(
        [*cells(s.cell, _("Secretary (takes the minutes)"), secretary.name),
         Paragraph(escape(office + secretary.fingerprint).replace("\n", "<br/>"), s.cell_small),
         _p("—", s.cell_right)]
    )  # fmt: skip
    return [
        _p(_("1. The evaluation commission"), s.section),
        table(rows, [26 * mm, 52 * mm, 72 * mm, 20 * mm]),
        _p(
            _(
                "The fingerprint identifies the key with which each member signed their "
                "score bundles (Annex A)."
            ),
            s.note,
        ),
    ]


def sittings(view: MinutesView, s: Styles) -> Story:
    """Section 2, as recorded (app.reports.minutes_sittings)."""
    from app.reports.minutes_sittings import sittings as recorded_sittings

    return recorded_sittings(view, s)


def declarations(view: MinutesView, s: Styles) -> Story:
    header = cells(s.cell_bold, _("Member"), _("Declaration of no incompatibility"), _("Made on"))
    rows: list[list[Any]] = [header]
    for m in view.commission:
        made = (
            _("text version {version}").format(version=m.declaration_version)
            if m.declared_at
            else _("not received")
        )
        when = format_datetime(m.declared_at) if m.declared_at else "—"
        rows.append(cells(s.cell, m.name, made, when))
    story: Story = [
        _p(_("3. Declarations of no incompatibility and conflicts of interest"), s.section),
        _p(
            _(
                "Each member whose declaration is shown below as received declared, under "
                "articles 46 and 47 of D.P.R. 445/2000, that no cause of incompatibility or "
                "conflict of interest applies to them (art. 35-bis d.lgs. 165/2001, art. 6-bis "
                "L. 241/1990, art. 7 D.P.R. 62/2013), on the day shown; the declarations on "
                "single proposals are listed as received."
            ),
            s.body,
        ),
        table(rows, [55 * mm, 75 * mm, 40 * mm]),
        _p(_("Conflicts of interest declared on single proposals"), s.subsection),
    ]
    if not view.conflicts:
        story.append(_p(_("No member declared a conflict of interest on any proposal."), s.body))
        return story
    rows = [cells(s.cell_bold, _("Member"), _("Proposal"), _("Declaration"), _("Category"),
                  _("Reason"))]  # fmt: skip
    for c in view.conflicts:
        rows.append(
            [_p(c.member, s.cell), _p(f"{c.proposal} — {c.title}", s.cell),
             _p(_conflict_fact(c), s.cell),
             _p(category_label(c.category) if c.category else "—", s.cell),
             _p(c.reason or "—", s.cell)]
        )  # fmt: skip
    story.append(table(rows, [30 * mm, 42 * mm, 34 * mm, 26 * mm, 38 * mm]))
    story.append(
        _p(
            _(
                "Every declaration is listed as the secretariat received it, with every later "
                "change. A member in conflict on a proposal abstained from it: their scores on "
                "it were neither given nor counted."
            ),
            s.note,
        )
    )
    return story


def _conflict_fact(c: ConflictEntry) -> str:
    """``conflict declared on 12/03/2026 (bundle 2)``"""
    what = {
        "conflict": _("conflict declared"),
        "declared": _("conflict declared after a declaration of none"),
        "withdrawn": _("conflict WITHDRAWN: no conflict"),
        "revised": _("conflict changed"),
    }.get(c.kind, c.kind)
    when = format_datetime(c.declared_at) if c.declared_at else "—"
    text = _("{what}, on {moment}").format(what=what, moment=when)
    if c.bundle is not None:
        text += " " + _("(bundle {sequence})").format(sequence=c.bundle)
    return text


def criteria_and_method(view: MinutesView, s: Styles) -> Story:
    rules = view.rules
    places = rules.decimals
    rows: list[list[Any]] = [
        [
            *cells(s.cell_bold, _("No."), _("Criterion")),
            *cells(s.head_right, _("Max points"), _("Minimum")),
        ]
    ]
    numbered = [
        (f"{number}", c) if not part else (f"{number}.{part}", c)
        for number, criterion in enumerate(rules.criteria, start=1)
        for part, c in enumerate((criterion, *criterion.sub))
    ]
    for number, c in numbered:  # a sub-criterion is numbered 2.1, 2.2… and not in bold
        what = escape(c.title) if "." in number else f"<b>{escape(c.title)}</b>"
        if c.description:
            what += f"<br/>{escape(c.description)}"
        rows.append(
            [_p(number, s.cell), Paragraph(what, s.cell),
             _p(points(c.max_points, places), s.cell_right),
             _p(points(c.min_points, places) if c.min_points is not None else "—", s.cell_right)]
        )  # fmt: skip
    total = sum((c.max_points for c in rules.criteria), start=rules.threshold * 0)
    rows.append(
        [_p("", s.cell), _p(_("Total"), s.cell_bold), _p(points(total, places), s.cell_right),
         _p(plain_number(rules.threshold), s.cell_right)]
    )  # fmt: skip
    story: Story = [
        _p(_("4. Evaluation criteria and method"), s.section),
        table(rows, [10 * mm, 120 * mm, 20 * mm, 20 * mm]),
        _p(
            _("The last line gives the maximum total and the threshold to enter the ranking."),
            s.note,
        ),
    ]
    if rules.levels:
        level_rows: list[list[Any]] = [cells(s.cell_bold, _("Value"), _("Judgement"))]
        for level in rules.levels:
            level_rows.append(cells(s.cell, plain_number(level.value), level.label))
        story += [
            _p(_("Values members may give and their meaning"), s.subsection),
            table(level_rows, [25 * mm, 70 * mm]),
        ]
    story.append(_p(_("Rules applied"), s.subsection))
    story += [_p(sentence, s.body) for sentence in method_sentences(rules)]
    titles = {c.key: c.title for c in rules.every_criterion}
    if rules.tie_break:
        levels = "; ".join(
            f"{n}) {tie_break_label(level, titles)}" for n, level in enumerate(rules.tie_break, 1)
        )
        story.append(
            _p(
                _("Equal totals are settled, in this order, by: {levels}.").format(levels=levels),
                s.body,
            )
        )
    story += [_p(sentence, s.body) for sentence in ties_sentences(rules, view.matchfunding)]
    story += [_p(sentence, s.body) for sentence in sheets_rule_sentences(view)]
    if view.matchfunding is not None:
        story += [_p(sentence, s.body) for sentence in money_sentences(view.matchfunding)]
    return story


def lottery(view: MinutesView, s: Styles) -> Story:
    story: Story = [_p(_("7. Lottery"), s.section)]
    if not view.ranking.lotteries:
        story.append(_p(_("No tie had to be settled by lottery."), s.body))
        return story
    story.append(
        _p(
            _(
                "Proposals still tied after every criterion of the call were ordered by a "
                "verifiable lottery. The seed (the verification code) is the SHA-256 digest, "
                "in hexadecimal, of the UTF-8 text made of the call id, a line break, the "
                "publicly drawn number, a line break and the codes of the tied proposals in "
                "alphabetical order separated by commas. The order is a Fisher–Yates shuffle "
                "of the codes in alphabetical order: for i from n−1 down to 1, j is the "
                "SHA-256 digest of the seed's bytes followed by a counter (8 bytes, "
                "big-endian, starting at 0 and increased at every digest), read as an "
                "integer, modulo i+1, a digest not below the largest multiple of i+1 under "
                "2^256 being discarded; then the codes in positions i and j are swapped. "
                "Anyone can repeat the calculation with free tools and find the same order."
            ),
            s.body,
        )
    )
    rows: list[list[Any]] = [cells(s.cell_bold, _("Tied proposals"), _("Drawn number"), _("Order"))]
    extra: list[tuple[Any, ...]] = []
    for draw in view.ranking.lotteries:
        rows.append(
            [_p(", ".join(draw.tied), s.cell), _p(draw.number, s.cell),
             _p(", ".join(draw.order), s.cell)]
        )  # fmt: skip
        # The seed on a line of its own, so that its 64 digits never wrap.
        label = escape(_("Seed (SHA-256)"))
        seed = f"<i>{label}</i>: {draw.seed}"
        rows.append([Paragraph(seed, s.digest), "", ""])
        row = len(rows) - 1
        extra += [("SPAN", (0, row), (-1, row)),
                  ("LINEBELOW", (0, row - 1), (-1, row - 1), 0.3, colors.white)]  # fmt: skip
    story.append(table(rows, [70 * mm, 30 * mm, 70 * mm], extra=extra))
    return story


def approval_and_signatures(view: MinutesView, s: Styles, places: list[FieldPlace]) -> Story:
    r = view.ranking
    story: Story = [
        _p(_("8. Approval"), s.section),
        _p(
            _(
                "The ranking was approved and frozen on {moment}. From then on the "
                "secretariat accepts no score bundle for this call. The SHA-256 digest of the "
                "approved ranking document is:"
            ).format(moment=format_datetime(view.approved_at)),
            s.body,
        ),
        _p(r.document_sha256 or "—", s.cell_bold),
        Spacer(1, 3 * mm),
    ]
    hint = _("digital signature")
    signers: list[tuple[str, str, str]] = []
    for m in view.commission:
        if m.role == "substitute" and not m.bundles:
            continue  # a substitute who evaluated nothing took no part
        role, title = {
            "president": ("presidente", _("The President")),
            "substitute": ("supplente", _("The Substitute")),
        }.get(m.role, ("componente", _("The Member")))
        signers.append((role, title, m.name))
    signers.append(("segretario", _("The Secretary"), view.secretary.name))
    width = (FRAME_WIDTH - 10 * mm) / 2
    blocks: list[Any] = []
    for index, (role, title, name) in enumerate(signers, start=1):
        box = SignatureBox(field_name(role, name, index), width, places, hint)
        blocks.append([_p(title, s.signature_role), _p(name, s.cell), Spacer(1, 1.5 * mm), box])
    grid = []
    for start in range(0, len(blocks), 2):
        pair = blocks[start : start + 2]
        grid.append(pair + [""] * (2 - len(pair)))
    signature_table = Table(grid, [width + 5 * mm, width + 5 * mm])
    signature_table.setStyle(
        TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
             ("FONTNAME", (0, 0), (-1, -1), REGULAR), ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]
        )
    )  # fmt: skip
    # The closing formula stays on the page of the signatures it introduces.
    story.append(
        KeepTogether(
            [_p(_("Read, approved and signed."), s.body), Spacer(1, 2 * mm),
             _p(place_and_date(view.acts, view.approved_at), s.body), Spacer(1, 3 * mm),
             _p(_("Signatures"), s.subsection), signature_table]
        )
    )  # fmt: skip
    return story


def annex(view: MinutesView, s: Styles) -> Story:
    r = view.ranking
    rows: list[list[Any]] = [
        cells(
            s.cell_bold,
            _("Member and key fingerprint"),
            _("No."),
            _("Received"),
            _("Digests (SHA-256)"),
        )
    ]
    for b in r.bundles:
        who = f"{escape(b.member)}<br/><font size=6.5>{escape(b.fingerprint)}</font>"
        signed, sealed = escape(_("signed content")), escape(_("sealed file"))
        digests = f"<i>{signed}</i><br/>{b.payload_hash}<br/><i>{sealed}</i><br/>{b.sealed_sha256}"
        rows.append(
            [Paragraph(who, s.cell), _p(str(b.sequence), s.cell_right),
             _p(format_datetime(b.received_at) if b.received_at else "—", s.cell),
             Paragraph(digests, s.digest)]
        )  # fmt: skip
    story: Story = [
        PageBreak(),
        _p(_("Annex A — Score bundles received"), s.section),
        _p(
            _(
                "Each score bundle is signed with its member's Ed25519 key (fingerprint as in "
                "section 1), bound to this call, its criteria grid and its sequence number, "
                "and sealed to the secretariat. The digests let anyone check that the bundles "
                "kept by the secretariat are those the ranking was computed from."
            ),
            s.body,
        ),
        table(rows, [42 * mm, 8 * mm, 22 * mm, 98 * mm], zebra=True),
    ]
    if r.members_without_bundle:
        story.append(
            _p(
                _("No bundle was received from: {names}.").format(
                    names=", ".join(r.members_without_bundle)
                ),
                s.note,
            )
        )
    story.append(
        _p(
            _("SHA-256 of the approved ranking document: {digest}").format(
                digest=r.document_sha256 or "—"
            ),
            s.note,
        )
    )
    return story
