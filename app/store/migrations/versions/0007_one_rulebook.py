"""One rulebook: the call's definition text is the only copy of its rules.

The rules used to be copied into ``scoring_rules``, ``matchfunding_rules`` and
the descriptive columns of ``criteria``. Those tables held what the call
meant when it was created, so each call's definition text is first rewritten
from them (a file whose numbers a newer reader would take otherwise, such as
``"550.000"`` read as 550, keeps the meaning it had), then the copies go.
``criteria`` keeps ``id``, ``call_id``, ``position`` and ``key``: the anchor
that scores refer to.

This script is frozen: it writes TOML with its own small writer and never
imports the application's code, which will change after it.

Revision ID: 0007
Revises: 0006
"""

import datetime as dt
import json
import re
import tomllib
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A number with a dot every three digits reads as thousands in Italian.
_THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+\Z")
CALL_KEYS = (
    "id", "title", "authority", "programme", "project_code", "cup", "programmed_amount",
    "submission_deadline", "neighbourhoods", "thematic_areas",
)  # fmt: skip
SCORING_KEYS = (
    "method", "levels", "level_labels", "threshold", "rescale", "min_evaluators", "decimals",
    "justification_min_chars", "dispersion_flag", "tie_break", "individual_scores_in_minutes",
)  # fmt: skip
CRITERION_KEYS = ("key", "title", "description", "max_points", "min_points")
MATCHFUNDING_KEYS = (
    "crowd_share", "cap", "max_project_cost", "campaign_days", "fund", "allocation",
)  # fmt: skip


def _string(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return '"' + _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", escaped) + '"'


def _number(text: str) -> str:
    """A stored decimal as text no reader can take for thousands."""
    value = Decimal(text)
    plain = f"{value:f}"
    if _THOUSANDS.match(plain):
        plain = f"{value.normalize():f}"
    return _string(plain)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return _string(str(value))


def _definition(connection: sa.Connection, call: sa.Row) -> str:  # type: ignore[type-arg]
    scoring = (
        connection.execute(
            sa.text("SELECT * FROM scoring_rules WHERE call_id = :id"), {"id": call.id}
        )
        .mappings()
        .one()
    )
    money = (
        connection.execute(
            sa.text("SELECT * FROM matchfunding_rules WHERE call_id = :id"), {"id": call.id}
        )
        .mappings()
        .one()
    )
    criteria = (
        connection.execute(
            sa.text("SELECT * FROM criteria WHERE call_id = :id ORDER BY position"), {"id": call.id}
        )
        .mappings()
        .all()
    )
    lines = ["[call]"]
    for key in CALL_KEYS:
        value = getattr(call, key)
        if key == "programmed_amount":
            lines.append(f"{key} = {_number(value)}")
        elif key == "submission_deadline":
            lines.append(f"{key} = {dt.date.fromisoformat(str(value)).isoformat()}")
        elif key in ("neighbourhoods", "thematic_areas"):
            lines.append(f"{key} = {_value(json.loads(value))}")
        else:
            lines.append(f"{key} = {_value(value)}")
    lines += ["", "[scoring]"]
    for key in SCORING_KEYS:
        value = scoring[key]
        if key in ("levels", "level_labels", "tie_break"):
            items = json.loads(value) if isinstance(value, str) else list(value)
            if key in ("levels", "level_labels") and not items:
                continue
            text = (
                "[" + ", ".join(_number(item) for item in items) + "]"
                if key == "levels"
                else _value(items)
            )
            lines.append(f"{key} = {text}")
        elif key in ("threshold", "dispersion_flag"):
            lines.append(f"{key} = {_number(value)}")
        elif key == "individual_scores_in_minutes":
            lines.append(f"{key} = {_value(bool(value))}")
        else:
            lines.append(f"{key} = {_value(value)}")
    for criterion in criteria:
        lines += ["", "[[criteria]]"]
        for key in CRITERION_KEYS:
            value = criterion[key]
            if value is None:
                continue
            number = key in ("max_points", "min_points")
            lines.append(f"{key} = {_number(value) if number else _value(value)}")
    lines += ["", "[matchfunding]"]
    for key in MATCHFUNDING_KEYS:
        value = money[key]
        number = key not in ("campaign_days", "allocation")
        lines.append(f"{key} = {_number(value) if number else _value(value)}")
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # what this writes must be TOML, or nothing changes
    return text


def upgrade() -> None:
    connection = op.get_bind()
    calls = connection.execute(sa.text("SELECT * FROM calls")).all()
    for call in calls:
        connection.execute(
            sa.text("UPDATE calls SET definition = :text WHERE id = :id"),
            {"text": _definition(connection, call), "id": call.id},
        )
    op.drop_table("scoring_rules")
    op.drop_table("matchfunding_rules")
    with op.batch_alter_table("criteria") as batch_op:
        for column in ("title", "description", "max_points", "min_points"):
            batch_op.drop_column(column)


def downgrade() -> None:
    raise NotImplementedError("a workspace is never downgraded: restore the backup instead")
