"""What the city office demands of a score bundle's content, after its signature.

A valid signature proves who wrote a bundle, not that it obeys the call: every
field is untrusted input (as TUF treats signed metadata). Before anything is
written, a bundle must

- name a call package the office published, and a declaration text the
  office knows;
- carry dates between the call's creation and now (with a small allowance
  for a laptop's clock);
- declare every proposal the member must evaluate (every admissible one, or,
  for a substitute, those assigned to them) once: in conflict, or free of
  conflict with every criterion scored;
- score only those, once per criterion, with a value the method allows and a
  motivation of the call's minimum length.

The first problem refuses the whole bundle with a sentence naming the member.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from app import clock
from app.bundles.score_bundle import ScoreBundle
from app.errors import echo
from app.i18n import _
from app.models.rules import Grid
from app.scoring.sheet import motivation_ok, value_problem
from app.services.errors import ServiceError

# How far a laptop's clock may be from the office's before its dates are refused.
CLOCK_ALLOWANCE = dt.timedelta(hours=1)


class BundleRefusedError(ServiceError):
    """A signed bundle whose content does not obey the call: nothing was written."""

    def __init__(self, member: str, sequence: int, problem: str) -> None:
        super().__init__(
            _("Bundle {sequence} of {member} was refused: {problem}.").format(
                sequence=sequence, member=member, problem=problem
            )
        )
        self.member = member
        self.problem = problem


def check_content(
    bundle: ScoreBundle,
    *,
    member: str,
    grid: Grid,
    expected: set[str],
    inadmissible: set[str],
    published_package: int,
    text_versions: Iterable[str],
    created_at: dt.datetime,
) -> None:
    """Refuse ``bundle`` at its first problem; ``expected`` are the proposals the
    member must evaluate, ``inadmissible`` those nobody scores."""

    def refuse(problem: str) -> BundleRefusedError:
        return BundleRefusedError(member, bundle.sequence, problem)

    if not 1 <= bundle.package_sequence <= published_package:
        raise refuse(
            _("it answers call package {number}, which was never published (the last is {last})")
            .format(number=bundle.package_sequence, last=published_package)
        )  # fmt: skip
    if bundle.general_text_version not in set(text_versions):
        raise refuse(
            _("its declaration of no incompatibility is of a text the office never issued ({v})")
            .format(v=echo(bundle.general_text_version))
        )  # fmt: skip
    _check_dates(bundle, refuse, earliest=created_at - CLOCK_ALLOWANCE)
    declared = _declarations(bundle, refuse, expected, inadmissible)
    given = _scores(bundle, refuse, grid, expected, declared)
    for code in sorted(expected):
        if declared[code]:
            continue
        for criterion in grid.leaves:
            if (code, criterion.key) not in given:
                raise refuse(
                    _("it has no score on «{criterion}» of {proposal}").format(
                        criterion=criterion.title, proposal=code
                    )
                )


Refuse = Callable[[str], BundleRefusedError]


def _declarations(
    bundle: ScoreBundle, refuse: Refuse, expected: set[str], inadmissible: set[str]
) -> dict[str, bool]:
    """All the expected proposals declared, conflict or not (the format already
    refuses a proposal declared twice, or a criterion scored twice)."""
    declared: dict[str, bool] = {}
    for declaration in bundle.declarations:
        code = declaration.proposal
        if code not in expected and code not in inadmissible:
            raise refuse(
                _("it declares on {proposal}, which is not among its proposals").format(
                    proposal=echo(code)
                )
            )
        declared[code] = declaration.conflict
    for code in sorted(expected):
        if code not in declared:
            raise refuse(_("it has no declaration on {proposal}").format(proposal=code))
    return declared


def _scores(
    bundle: ScoreBundle, refuse: Refuse, grid: Grid, expected: set[str], declared: dict[str, bool]
) -> set[tuple[str, str]]:
    """Scores only on proposals declared free of conflict, once each, as the call allows."""
    given: set[tuple[str, str]] = set()
    for score in bundle.scores:
        code, key = score.proposal, score.criterion
        if code not in expected or declared.get(code, True):
            raise refuse(
                _("it scores {proposal} without having declared it free of conflict").format(
                    proposal=echo(code)
                )
            )
        criterion = grid.leaf(key)
        if criterion is None:
            raise refuse(_("it scores an unknown criterion «{key}»").format(key=echo(key)))
        given.add((code, key))
        if value_problem(grid, criterion, score.value) is not None:
            raise refuse(
                _("its value {value} on «{criterion}» of {proposal} is not allowed").format(
                    value=echo(f"{score.value:f}"), criterion=criterion.title, proposal=code
                )
            )
        if not motivation_ok(grid, score.justification):
            raise refuse(
                _(
                    "its motivation on «{criterion}» of {proposal} is shorter than the "
                    "{minimum} characters the call requires"
                ).format(
                    criterion=criterion.title, proposal=code, minimum=grid.justification_min_chars
                )
            )
    return given


def _check_dates(bundle: ScoreBundle, refuse: Refuse, *, earliest: dt.datetime) -> None:
    latest = clock.now() + CLOCK_ALLOWANCE
    moments = [bundle.created_at, bundle.general_declared_at]
    moments += [d.declared_at for d in bundle.declarations]
    moments += [s.updated_at for s in bundle.scores]
    for moment in moments:
        if not earliest <= moment <= latest:
            raise refuse(
                _(
                    "it carries the date {moment}, outside the life of the call: check the "
                    "member's computer clock"
                ).format(moment=moment.isoformat(timespec="minutes"))
            )
