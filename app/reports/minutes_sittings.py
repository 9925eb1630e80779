"""Section 2 of the minutes: the sittings, exactly as the secretariat recorded
them — day, start and end, place or telematic tool, present and absent, the
secretary who took the minutes — and, for each, whether every member of the
commission took part (and, under ``college = "complete"``, whether the
college was complete). Nothing is inferred: the minutes are refused without
a recorded sitting (app.services.minutes)."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from app.i18n import _, format_date
from app.reports.minutes_layout import Styles, cells, escape, table
from app.reports.minutes_view import MinutesView, Sitting

Story = list[Any]


def _p(text: str, style: Any) -> Paragraph:
    return Paragraph(escape(text), style)


def _hours(sitting: Sitting) -> str:
    if sitting.starts_at is None or sitting.ends_at is None:
        return _("times not recorded")
    return _("from {start} to {end}").format(start=sitting.starts_at, end=sitting.ends_at)


def _where(sitting: Sitting) -> str:
    if sitting.mode == "telematic":
        return _("telematic, with {tool}").format(tool=sitting.place)
    if sitting.mode == "in_person":
        return _("in person, at {place}").format(place=sitting.place)
    return sitting.place  # recorded before the mode was: the text as written


def participation(sitting: Sitting, number: int, complete: bool) -> str:
    """Whether every member took part in sitting ``number``, from its record."""
    missing = [name for name in sitting.full_members if name not in sitting.present]
    if not missing:
        text = _("Sitting no. {number}: every member of the commission took part.")
        if complete:
            text += " " + _("The college was complete (collegio perfetto).")
        return text.format(number=number)
    text = _(
        "Sitting no. {number}: not every member of the commission took part "
        "({present} of {members} present; not present: {names})."
    )
    if complete:
        text += " " + _("The college was not complete: the call requires the collegio perfetto.")
    return text.format(
        number=number,
        present=len(sitting.full_members) - len(missing),
        members=len(sitting.full_members),
        names=", ".join(missing),
    )


def telematic_sentence(sitting: Sitting, number: int) -> str:
    """Only for a sitting recorded as telematic: what its record attests."""
    return _(
        "Sitting no. {number}: the sitting was held telematically with {tool}; as recorded, "
        "the identity of the participants and the secrecy of the proceedings were ensured."
    ).format(number=number, tool=sitting.place)


def sittings(view: MinutesView, s: Styles) -> Story:
    header = cells(
        s.cell_bold, _("No."), _("Date and times"), _("Place or mode"), _("Present"),
        _("Absent"), _("Secretary taking the minutes"),
    )  # fmt: skip
    rows: list[list[Any]] = [header]
    legacy = False
    for number, sitting in enumerate(view.sittings, start=1):
        where = _where(sitting)
        if sitting.notes:
            where = f"{where}\n{sitting.notes}"
        rows.append(
            [_p(str(number), s.cell),
             Paragraph(f"{escape(format_date(sitting.held_on))}<br/>{escape(_hours(sitting))}",
                       s.cell),
             Paragraph(escape(where).replace("\n", "<br/>"), s.cell),
             _p(", ".join(sitting.present) or "—", s.cell),
             _p(", ".join(sitting.absent) or "—", s.cell),
             _p(sitting.secretary or _("not recorded"), s.cell)]
        )  # fmt: skip
        legacy = legacy or sitting.mode is None
    story: Story = [
        _p(_("2. Sittings and attendance"), s.section),
        table(rows, [9 * mm, 25 * mm, 38 * mm, 36 * mm, 30 * mm, 32 * mm]),
    ]
    complete = view.rules.college == "complete"
    for number, sitting in enumerate(view.sittings, start=1):
        if sitting.mode == "telematic":
            story.append(_p(telematic_sentence(sitting, number), s.body))
        story.append(_p(participation(sitting, number, complete), s.body))
    if legacy:
        story.append(
            _p(
                _(
                    "A sitting recorded before Vaglio asked for its times, mode, absences and "
                    "secretary shows them as not recorded; its absent members are the members "
                    "not recorded as present."
                ),
                s.note,
            )
        )
    return story
