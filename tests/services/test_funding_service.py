"""Matchfunding after the approved ranking: campaigns, allocation, the city's money."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app import clock
from app.models import AuditEvent, CampaignResult, FundingRecord
from app.services.demo import DEMO_PASSPHRASE
from app.services.errors import ImportRefusedError, InputFileError, UnknownProposalError
from app.services.funding import funding_view, import_campaigns, record_progress, remove_record
from app.services.ranking import approve_ranking
from app.services.ranking_errors import (
    AboveCommitmentError,
    AboveContributionError,
    FundingRecordInputError,
    NotFundedError,
    RankingNotApprovedError,
    UnknownFundingRecordError,
)
from app.services.workspace import unlock
from app.store.workspace import Workspace
from tests.support.minutes import DEMO_REASON

CALL = "MI-CC-2020"
TODAY = clock.today_in_rome()


@pytest.fixture
def office(demo_copy: Path) -> Iterator[Workspace]:
    ws = unlock(demo_copy / "segreteria", DEMO_PASSPHRASE)
    yield ws
    ws.close()


@pytest.fixture
def approved(office: Workspace) -> Workspace:
    approve_ranking(office, CALL, DEMO_REASON)
    return office


@pytest.fixture
def campaigns(approved: Workspace, demo_copy: Path) -> Workspace:
    import_campaigns(approved, CALL, demo_copy / "materiale" / "campagne.csv")
    return approved


def counts(ws: Workspace) -> tuple[int, ...]:
    with ws.session() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (CampaignResult, FundingRecord, AuditEvent)
        )


def statuses(ws: Workspace) -> dict[str, str]:
    return {p.proposal: p.status for p in funding_view(ws, CALL).projects}


def test_nothing_before_the_ranking_is_approved(office: Workspace, demo_copy: Path) -> None:
    before = counts(office)
    with pytest.raises(RankingNotApprovedError) as caught:
        funding_view(office, CALL)
    assert "non è ancora approvata" in str(caught.value)
    with pytest.raises(RankingNotApprovedError):
        import_campaigns(office, CALL, demo_copy / "materiale" / "campagne.csv")
    assert counts(office) == before


def test_reservations_walk_the_ranking_until_the_fund_runs_out(approved: Workspace) -> None:
    view = funding_view(approved, CALL)
    assert view.rule.fund == D("240000.00") and view.window_start == TODAY
    assert view.window_end == TODAY + dt.timedelta(days=60)
    # min(K, 60 % of the budget) for each project in rank order; strict order
    # stops at the first project that does not fit.
    reserved = {p.proposal: p.reserved for p in view.projects if p.reserved}
    assert list(reserved) == [
        "P038",
        "P034",
        "P010",
        "P018",
        "P022",
        "P015",
        "P003",
        "P002",
        "P001",
    ]
    assert reserved["P038"] == D("27960.00") and reserved["P022"] == D("29853.30")
    assert {p.status for p in view.projects if p.reserved} == {"in_campaign"}
    assert {p.status for p in view.projects if not p.reserved} == {"waiting"}
    assert view.totals.reserved == D("206433.30") and view.totals.matched == 0


def test_a_failed_campaign_lets_the_next_in_line_in(campaigns: Workspace) -> None:
    view = funding_view(campaigns, CALL)
    by_id = {p.proposal: p for p in view.projects}
    # P010 raised 62 % of its crowd share: it leaves the line, and P017 now
    # fits: scorrimento. Its crowd raised 29.822,40 € of 68.400 €: the city
    # covers the remaining 38.577,60 €.
    assert by_id["P010"].status == "failed" and by_id["P010"].reserved == 0
    assert by_id["P017"].status == "funded" and by_id["P017"].matched == D("38577.60")
    assert by_id["P036"].status == "waiting" and by_id["P036"].raised == D("37528.80")
    assert by_id["P030"].status == "waiting" and by_id["P030"].raised is None
    funded = [p for p in view.projects if p.status == "funded"]
    assert len(funded) == 9
    # M = min(K, R, B − C): the crowd reached α·B, the city covers the remaining cost.
    for p in funded:
        assert p.raised is not None
        assert p.matched == min(D("60000"), p.budget - p.raised)
    assert by_id["P038"].backers == 352 and by_id["P038"].closed_on == TODAY
    totals = view.totals
    assert totals.reserved == totals.matched == totals.ammesso == D("217695.01")
    assert totals.programmato == D("550000.00")
    assert (totals.giuridicamente_vincolante, totals.erogato) == (0, 0)
    assert view.remaining == D("22304.99")


def test_a_campaign_cannot_close_in_the_future(approved: Workspace, tmp_path: Path) -> None:
    late = TODAY + dt.timedelta(days=61)
    path = tmp_path / "tardi.csv"
    path.write_text(f"proposal,raised,backers,closed_on\nP038,30000.00,400,{late}\n")
    before = counts(approved)
    with pytest.raises(ImportRefusedError) as caught:
        import_campaigns(approved, CALL, path)
    assert f"{late} è nel futuro" in str(caught.value)
    assert counts(approved) == before


def write(tmp_path: Path, text: str, name: str = "campagne.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("proposal,raised,backers\nP038,1,1\n", "manca la colonna chiuso_il (o closed_on)"),
        (f"proposal,raised,backers,closed_on\nP999,100.00,3,{TODAY}\n", "P999 non è nella"),
        (f"proposal,raised,backers,closed_on\nP005,100.00,3,{TODAY}\n", "P005 non è nella"),
        (f"proposal,raised,backers,closed_on\nP038,dieci,3,{TODAY}\n", "riga 2, colonna raised"),
        (f"proposal,raised,backers,closed_on\nP038,100.00,3.5,{TODAY}\n", "numero intero"),
        ("proposal,raised,backers,closed_on\nP038,100.00,3,31/02/2021\n", "non è una data"),
        (
            "proposal,raised,backers,closed_on\nP038,100.00,3,2019-01-01\n",
            "precedente all'approvazione",
        ),
        (
            f"proposal,raised,backers,closed_on\nP038,1,1,{TODAY}\nP038,2,2,{TODAY}\n",
            "riga 3, colonna proposal: codice P038 duplicato (anche alla riga 2)",
        ),
    ],
)
def test_a_bad_campaign_file_is_refused_whole(
    approved: Workspace, tmp_path: Path, text: str, words: str
) -> None:
    good = f"P034,9000.00,120,{TODAY}\n"
    path = write(tmp_path, text if text.count("\n") < 2 else text + good)
    before = counts(approved)
    with pytest.raises(ImportRefusedError) as caught:
        import_campaigns(approved, CALL, path)
    assert words in str(caught.value), str(caught.value)
    assert "non è stato importato nulla" in str(caught.value)
    assert counts(approved) == before


def test_campaigns_from_xlsx_with_italian_amounts_and_a_second_import_replaces(
    approved: Workspace, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["proposal", "raised", "backers", "closed_on"])
    sheet.append(["P038", "19.000,00", 300, dt.datetime.combine(TODAY, dt.time())])
    sheet.append(["P034", 5000, 80, TODAY.strftime("%d/%m/%Y")])
    book.save(tmp_path / "campagne.xlsx")
    result = import_campaigns(approved, CALL, tmp_path / "campagne.xlsx")
    assert (result.imported, result.replaced) == (2, 0)
    by_id = {p.proposal: p for p in funding_view(approved, CALL).projects}
    assert by_id["P038"].raised == D("19000.00") and by_id["P038"].status == "funded"
    assert by_id["P034"].status == "failed"  # 5.000 € of the 7.560 € it needed
    again = import_campaigns(
        approved,
        CALL,
        write(tmp_path, f"proposal,raised,backers,closed_on\nP034,7560,90,{TODAY}\n"),
    )
    assert (again.imported, again.replaced) == (1, 1)
    assert statuses(approved)["P034"] == "funded"


def test_not_a_table(approved: Workspace, tmp_path: Path) -> None:
    with pytest.raises(InputFileError):
        import_campaigns(approved, CALL, write(tmp_path, "x", "campagne.txt"))


def test_commitments_and_payments_up_to_realisation(campaigns: Workspace) -> None:
    def record(stage: str, amount: str, document: str = "Determina n. 12/2026") -> None:
        record_progress(
            campaigns, CALL, "P038", stage=stage, amount=D(amount), on_date=TODAY, document=document
        )

    record("giuridicamente_vincolante", "20000.00")
    record("giuridicamente_vincolante", "7214.40", "Determina n. 15/2026")
    before = counts(campaigns)
    with pytest.raises(AboveContributionError) as caught:
        record("giuridicamente_vincolante", "0.01")
    assert "27.214,41 €" in str(caught.value) and "27.214,40 €" in str(caught.value)
    record("erogato", "10000.00", "Mandato di pagamento n. 301")
    with pytest.raises(AboveCommitmentError) as caught:
        record("erogato", "20000.00")
    assert "30.000,00 €" in str(caught.value)
    assert counts(campaigns)[1:] == (before[1] + 1, before[2] + 1)
    record("erogato", "17214.40", "Mandato di pagamento n. 344")
    view = funding_view(campaigns, CALL)
    p038 = next(p for p in view.projects if p.proposal == "P038")
    assert (p038.committed, p038.paid, p038.status) == (D("27214.40"), D("27214.40"), "realised")
    assert view.totals.giuridicamente_vincolante == view.totals.erogato == D("27214.40")
    assert view.totals.ammesso == D("217695.01")  # a realised project stays admitted
    assert [r.document for r in view.records][:2] == [
        "Determina n. 12/2026",
        "Determina n. 15/2026",
    ]

    # A commitment already paid out cannot be removed; a payment can.
    commitment = next(r for r in view.records if r.amount == D("7214.40"))
    before = counts(campaigns)
    with pytest.raises(AboveCommitmentError):
        remove_record(campaigns, CALL, commitment.id)
    assert counts(campaigns) == before
    payment = next(r for r in view.records if r.document.endswith("344"))
    after = remove_record(campaigns, CALL, payment.id).view
    assert next(p for p in after.projects if p.proposal == "P038").status == "funded"
    with campaigns.session() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("funding.%"))
        ).all()
    assert actions.count("funding.record") == 4 and actions.count("funding.record.remove") == 1
    with pytest.raises(UnknownFundingRecordError):
        remove_record(campaigns, CALL, 999_999)


def test_a_project_with_money_recorded_keeps_its_campaign_result(
    campaigns: Workspace, tmp_path: Path
) -> None:
    record_progress(campaigns, CALL, "P038", stage="giuridicamente_vincolante",
                    amount=D("1000.00"), on_date=TODAY, document="Determina n. 1")  # fmt: skip
    before = counts(campaigns)
    path = write(tmp_path, f"proposal,raised,backers,closed_on\nP038,10.00,1,{TODAY}\n")
    with pytest.raises(ImportRefusedError) as caught:
        import_campaigns(campaigns, CALL, path)
    assert "P038 ha già impegni o erogazioni" in str(caught.value)
    assert counts(campaigns) == before
    assert statuses(campaigns)["P038"] == "funded"


@pytest.mark.parametrize(
    ("proposal", "stage", "amount", "on_date", "document", "error", "words"),
    [
        ("P010", "erogato", "1.00", TODAY, "D. 1", NotFundedError, "non è finanziata"),
        ("P030", "erogato", "1.00", TODAY, "D. 1", NotFundedError, "non è finanziata"),
        ("P005", "erogato", "1.00", TODAY, "D. 1", NotFundedError, "non è finanziata"),
        ("P999", "erogato", "1.00", TODAY, "D. 1", UnknownProposalError, "P999"),
        ("P038", "impegnato", "1.00", TODAY, "D. 1", FundingRecordInputError, "Fase sconosciuta"),
        ("P038", "erogato", "0", TODAY, "D. 1", FundingRecordInputError, "maggiore di zero"),
        ("P038", "erogato", "1.001", TODAY, "D. 1", FundingRecordInputError, "centesimi"),
        ("P038", "erogato", "1.00", TODAY, "  ", FundingRecordInputError, "estremi dell'atto"),
        ("P038", "erogato", "1.00", TODAY + dt.timedelta(days=1), "D. 1",
         FundingRecordInputError, "nel futuro"),
        ("P038", "erogato", "1.00", TODAY - dt.timedelta(days=1), "D. 1",
         FundingRecordInputError, "precedente all'approvazione"),
    ],
)  # fmt: skip
def test_refused_records_write_nothing(
    campaigns: Workspace,
    proposal: str,
    stage: str,
    amount: str,
    on_date: dt.date,
    document: str,
    error: type[Exception],
    words: str,
) -> None:
    before = counts(campaigns)
    with pytest.raises(error) as caught:
        record_progress(
            campaigns, CALL, proposal, stage=stage, amount=D(amount), on_date=on_date,
            document=document,
        )  # fmt: skip
    assert words in str(caught.value), str(caught.value)
    assert counts(campaigns) == before


def test_a_campaigns_file_with_the_header_alone_means_no_results_yet(
    campaigns: Workspace, tmp_path: Path
) -> None:
    """The platform's export before any campaign closed: not an error, and it
    changes nothing (the results already imported stay)."""
    before = counts(campaigns)
    view = funding_view(campaigns, CALL)
    result = import_campaigns(
        campaigns, CALL, write(tmp_path, "proposal;raised;backers;closed_on\r\n", "vuoto.csv")
    )
    assert (result.imported, result.replaced) == (0, 0)
    assert result.sentence() == "Il file non contiene ancora esiti di campagna: nulla è cambiato."
    assert counts(campaigns) == before  # no result, record or audit event
    assert funding_view(campaigns, CALL) == view
