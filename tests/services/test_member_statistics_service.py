"""The secretariat's statistics per member, from real accepted bundles."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent
from app.services.errors import RoleError
from app.services.member_statistics import NoStatisticsYetError, statistics_view
from app.services.unlocking import OpenWorkspace
from tests.support.commission import CONFLICT, deliver, uniform
from tests.support.workspaces import CALL_ID


def test_the_figures_of_each_member_from_their_bundles(secretariat: OpenWorkspace) -> None:
    deliver(
        secretariat,
        CALL_ID,
        {
            "Anna Riva": {"P001": uniform("1"), "P002": uniform("0.6")},
            "Bruno Sala": {"P001": uniform("0.8"), "P002": uniform("0.8")},
            "Carla Neri": {"P001": CONFLICT, "P002": uniform("0.4")},
        },
    )
    view = statistics_view(secretariat, CALL_ID)
    assert view.bundles == 3
    anna, bruno, carla = (row.figures for row in view.rows)
    assert [row.name for row in view.rows] == ["Anna Riva", "Bruno Sala", "Carla Neri"]
    # Anna: five criteria at 1 (P001) and five at 0.6 (P002): mean 0.8,
    # spread 0.2, half of her values at the highest level, none at 0.
    assert (anna.values, anna.proposals) == (10, 2)
    assert (anna.mean, anna.spread) == (D("0.8"), D("0.2"))
    assert (anna.at_lowest, anna.at_highest) == (D(0), D("0.5"))
    # The others' mean: Bruno's 0.8 alone on P001 (Carla is in conflict),
    # (0.8 + 0.4) / 2 = 0.6 on P002. Anna's values rise with it: r = 1.
    assert (anna.pairs, anna.correlation) == (10, D(1))
    # Bruno gave 0.8 everywhere: no spread and no correlation.
    assert (bruno.spread, bruno.correlation) == (D(0), None)
    # Carla's conflict on P001 keeps it out of her figures.
    assert (carla.values, carla.proposals, carla.mean) == (5, 1, D("0.4"))


def test_a_members_workspace_is_refused(member: OpenWorkspace) -> None:
    with member.session() as session:
        before = session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(RoleError, match="segreteria"):
        statistics_view(member, CALL_ID)
    with member.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_before_any_bundle_there_is_nothing_to_show(secretariat: OpenWorkspace) -> None:
    with pytest.raises(
        NoStatisticsYetError, match="le statistiche vengono dai pacchetti accettati"
    ):
        statistics_view(secretariat, CALL_ID)
