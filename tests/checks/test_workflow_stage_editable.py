"""workflow-stage-editable: the deal's workflow stage lets the client edit."""

from __future__ import annotations

import pytest
from portaldoctor.checks.workflow_stage_editable import WorkflowStageEditable

from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "workflow-stage-editable"

CASES = [
    Case("editable", "contacts: [{id: p1, customer: c1, workflow_stage: Fact Find, stage_read_only: false}]", []),
    Case(
        "read-only",
        "contacts: [{id: p1, customer: c1, workflow_stage: Lodged, stage_read_only: true}]",
        ["stage-read-only"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


def test_workflow_stage_read_only() -> None:
    assert f.codes(f.run(WorkflowStageEditable(), f.tenant(contacts=[f.contact(stage_read_only=False)]))) == []
    t = f.tenant(contacts=[f.contact(workflow_stage="Lodged", stage_read_only=True)])
    [finding] = problems(f.run(WorkflowStageEditable(), t))
    assert "Settings > Workflows" in remedy_text(finding, "salestrekker")
