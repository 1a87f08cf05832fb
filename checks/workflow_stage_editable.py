"""The deal's workflow stage lets the client edit their details."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail


class WorkflowStageEditable:
    """In a read-only stage the client can see the portal but not change their details.

    Portals that collect client data let each workflow stage be editable or read-only. A client
    who says they cannot enter or edit their details is usually on a deal sitting in a
    read-only stage.

    Passes::

        contacts: [{id: p1, customer: c1, workflow_stage: Fact Find, stage_read_only: false}]

    Fails (``stage-read-only``)::

        contacts: [{id: p1, customer: c1, workflow_stage: Lodged, stage_read_only: true}]
    """

    spec = CheckSpec(
        id="workflow-stage-editable",
        title="The deal's workflow stage lets the client edit",
        scope=Scope.CONTACT,
        codes=("stage-read-only",),
        tags=("contact", "workflow"),
        samples={"stage-read-only": {"contact_name": "Dana Pierce", "stage": "Lodged"}},
    )

    def run_all(self, ctx: CheckContext, targets: Iterable[Target]) -> Iterator[tuple[Target, list[Outcome]]]:
        """Contacts for which ``run`` returns at once pass without it."""
        for target in targets:
            contact = target.contact
            assert contact is not None
            if not contact.stage_read_only:
                continue
            outcomes = list(self.run(ctx, target))
            if outcomes:
                yield target, outcomes

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        contact = target.contact
        assert contact is not None
        if contact.stage_read_only:
            yield fail(
                "stage-read-only",
                observed=f"{contact.workflow_stage or 'current stage'} is read-only",
                expected="an editable stage",
                contact_name=contact.name or contact.email or contact.id,
                stage=contact.workflow_stage or "the current stage",
            )
