"""The demo: a secretariat, three commission members, a substitute and a call
of 40 proposals for a complete college, one of them left short by a conflict.

``vaglio demo`` builds it in a folder with the project's own material
(``resources/demo``): the call definition, the proposals file and the texts
from which the proposals' PDF forms are generated. Every step goes through the
same use cases as real work. A folder that already holds the demo is reopened,
never rebuilt over; a folder holding anything else is refused.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.config.files import write_atomic
from app.i18n import _, format_money
from app.models.definition import CallDefinition
from app.reports.proposal_form import ProposalForm, render_proposal_form
from app.resources import resource_path
from app.services import (
    calls,
    cards,
    exchange,
    proposal_import,
    publication,
    remotes,
    submission,
)
from app.services.demo_scores import score_as_member
from app.services.errors import ServiceError
from app.services.tabular import read_table
from app.services.unlocking import OpenWorkspace
from app.services.workspace import create_workspace

DEMO_PASSPHRASE = "vaglio-demo-2020"  # noqa: S105 - printed on screen by design
MARKER = "vaglio-demo.json"
SECRETARIAT = ("segreteria", "Segreteria tecnica — Comune di Milano", "crowdfunding@comune.example")
MEMBERS = (
    ("commissario-1", "Elena Colombo", "e.colombo@comune.example", "president"),
    ("commissario-2", "Marco Ferrari", "m.ferrari@comune.example", "member"),
    ("commissario-3", "Sara Esposito", "s.esposito@comune.example", "member"),
    ("supplente", "Luca Bianchi", "l.bianchi@comune.example", "substitute"),
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Demo:
    folder: Path
    call_id: str
    workspaces: tuple[tuple[str, Path], ...]

    @property
    def main_workspace(self) -> Path:
        """The workspace the demo window opens (the secretariat's)."""
        return self.workspaces[0][1]


class DemoFolderError(ServiceError):
    def __init__(self, folder: Path) -> None:
        super().__init__(
            _("{folder} is not empty and holds no Vaglio demo: choose another folder.").format(
                folder=folder
            )
        )


def default_demo_dir() -> Path:
    """Where ``vaglio demo`` builds when no folder is given."""
    from platformdirs import user_data_path

    return user_data_path("Vaglio", appauthor=False) / "demo"


def _load_existing(folder: Path) -> Demo:
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    return Demo(
        folder=folder,
        call_id=marker["call_id"],
        workspaces=tuple((label, folder / name) for label, name in marker["workspaces"]),
    )


def _write_attachments(folder: Path, call_text: str, progress: Progress) -> Path:
    """Generate every proposal's PDF forms into ``folder/materiale/allegati``."""
    info = CallDefinition.from_toml(call_text).info
    table = read_table(resource_path("demo", "proposals.csv"))
    descriptions: dict[str, Any] = json.loads(
        resource_path("demo", "descriptions.json").read_text(encoding="utf-8")
    )
    target = folder / "materiale" / "allegati"
    target.mkdir(parents=True, exist_ok=True)
    for row in table.rows:
        values = row.values
        text = descriptions.get(values["id"], {})
        budget = tuple(
            (item["item"], format_money(Decimal(item["amount"]))) for item in text.get("budget", [])
        )
        filenames = [name.strip() for name in values["attachments"].split(";") if name.strip()]
        separate_budget = any(name.endswith("-budget.pdf") for name in filenames)
        for filename in filenames:
            kind = "budget" if filename.endswith("-budget.pdf") else "progetto"
            form = ProposalForm(
                call_title=info.title,
                authority=info.authority,
                code=values["id"],
                title=values["title"],
                applicant=values["applicant"],
                tax_code=values["applicant_tax_code"],
                legal_representative=values["legal_representative"],
                partners=tuple(p.strip() for p in values["partners"].split(";") if p.strip()),
                neighbourhood=values["neighbourhood"],
                thematic_area=values["thematic_area"],
                total_cost=format_money(Decimal(values["total_cost"])),
                requested_contribution=format_money(Decimal(values["requested_contribution"])),
                summary=values["summary"],
                context=text.get("context", ""),
                objectives=tuple(text.get("objectives", ())),
                activities=tuple(text.get("activities", ())),
                beneficiaries=text.get("beneficiaries", ""),
                campaign=text.get("campaign", ""),
                budget=budget if kind == "budget" or not separate_budget else (),
                kind=kind,
            )
            (target / filename).write_bytes(render_proposal_form(form))
    progress(_("Generated the proposals' PDF forms."))
    return target


def _deliver_and_collect(
    folder: Path,
    secretariat: OpenWorkspace,
    call_id: str,
    members: list[OpenWorkspace],
    progress: Progress,
) -> None:
    """The real flow over a shared folder: cards, the signed call package,
    scores, two submitted bundles, their receipts."""
    share = folder / "cartella-condivisa"
    share.mkdir()
    enrolled = cards.enroll_cards(
        secretariat,
        call_id,
        [(cards.export_card(m), role) for m, (*_rest, role) in zip(members, MEMBERS, strict=True)],
    )[0]
    office_card = cards.export_card(secretariat)
    progress(_("Enrolled {count} commission members from their cards.").format(count=len(enrolled)))
    remotes.set_remote(secretariat, call_id, str(share))
    publication.publish_call(secretariat, call_id)
    exchange.sync(secretariat)
    *full, _substitute = members
    for member in members:
        cards.trust_office(member, office_card)
        remotes.set_remote(member, call_id, str(share))
    for member in full:
        exchange.sync(member)
    progress(
        _("Delivered the signed call package to the members over {folder}.").format(folder=share)
    )
    # The whole commission has scored and submitted; Elena Colombo declared a
    # conflict on P014, which the complete college leaves short: assigning the
    # substitute, enrolled and waiting, is the secretariat's next step.
    score_as_member(full[0], call_id, seed="demo-1", declared=40, complete=40, partial=0,
                    conflict="P014")  # fmt: skip
    score_as_member(full[1], call_id, seed="demo-2", declared=40, complete=40, partial=0)
    score_as_member(full[2], call_id, seed="demo-3", declared=40, complete=40, partial=0)
    for member in full:
        submission.submit(member, call_id)
        exchange.sync(member)
    exchange.sync(secretariat)
    for member in full:
        exchange.sync(member)
    progress(_("The members submitted their scores; the city office sent the receipts."))
    # Beside it, a call whose scores the commission agrees in a sitting.
    from app.services.demo_collegial import add_collegial_call

    add_collegial_call(
        secretariat, full, roles=[role for *_rest, role in MEMBERS[: len(full)]], share=share,
        material=folder / "materiale", attachments=folder / "materiale" / "allegati",
    )  # fmt: skip
    progress(_("A second call, with collegial scores: the commission agreed some of them."))
    from app.services.demo_sittings import record_demo_sittings

    record_demo_sittings(secretariat, call_id)
    progress(_("Recorded two sittings of the commission and the discussion of P002's flags."))


def _write_campaigns(folder: Path, secretariat: OpenWorkspace, call_id: str) -> Path:
    """Campaign results for the first projects of the ranking, as the platform
    would export them: most reach the crowd's share, the third one falls short
    (and the fund slides to the next in line)."""
    from app import clock
    from app.services.ranking import ranking_view

    view = ranking_view(secretariat, call_id)
    text = resource_path("demo", "call.toml").read_text(encoding="utf-8")
    crowd_share = CallDefinition.from_toml(text).rules.matchfunding.crowd_share
    today = clock.today_in_rome()
    lines = ["proposal,raised,backers,closed_on"]
    for index, row in enumerate(view.rows[:12]):
        factor = Decimal("0.62") if index == 2 else Decimal("1.04") + Decimal(index % 4) / 20
        raised = (crowd_share * row.total_cost * factor).quantize(Decimal("0.01"))
        backers = int(raised / 55) + 7 * index
        lines.append(f"{row.proposal},{raised:f},{backers},{today.isoformat()}")
    path = folder / "materiale" / "campagne.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build_demo(folder: Path, progress: Progress = lambda _text: None) -> Demo:
    """Build the demo in ``folder`` (or reopen the one already there)."""
    folder = folder.expanduser().resolve()
    if (folder / MARKER).is_file():
        progress(_("The demo is already in {folder}: opening it.").format(folder=folder))
        return _load_existing(folder)
    if folder.exists() and any(folder.iterdir()):
        raise DemoFolderError(folder)
    folder.mkdir(parents=True, exist_ok=True)
    call_text = resource_path("demo", "call.toml").read_text(encoding="utf-8")
    material = folder / "materiale"
    material.mkdir(exist_ok=True)
    shutil.copyfile(resource_path("demo", "call.toml"), material / "avviso.toml")
    shutil.copyfile(resource_path("demo", "proposals.csv"), material / "proposte.csv")
    attachments = _write_attachments(folder, call_text, progress)

    name, full_name, email = SECRETARIAT
    secretariat = create_workspace(
        folder / name,
        role="secretariat",
        name=full_name,
        email=email,
        passphrase=DEMO_PASSPHRASE,
        use_keyring=False,
    ).workspace
    workspaces = [(_("Secretariat"), name)]
    try:
        call_id = calls.create_call(secretariat, call_text, "avviso.toml").call_id
        result = proposal_import.import_proposals(
            secretariat, call_id, material / "proposte.csv", attachments
        )
        progress(
            _("Imported {count} proposals ({inadmissible} not admissible).").format(
                count=result.imported, inadmissible=result.inadmissible
            )
        )
        members = []
        for folder_name, member_name, member_email, _role in MEMBERS:
            created = create_workspace(
                folder / folder_name,
                role="member",
                name=member_name,
                email=member_email,
                passphrase=DEMO_PASSPHRASE,
                use_keyring=False,
            )
            members.append(created.workspace)
            workspaces.append((member_name, folder_name))
        _deliver_and_collect(folder, secretariat, call_id, members, progress)
        _write_campaigns(folder, secretariat, call_id)
        for member in members:
            member.close()
    finally:
        secretariat.close()
    from app.config.preferences import remember_workspace

    remember_workspace(folder / SECRETARIAT[0], SECRETARIAT[1], "secretariat")
    for folder_name, member_name, _email, _role in MEMBERS:
        remember_workspace(folder / folder_name, member_name, "member")
    marker = {"call_id": call_id, "workspaces": workspaces}
    write_atomic(folder / MARKER, json.dumps(marker, ensure_ascii=False, indent=2).encode())
    return _load_existing(folder)
