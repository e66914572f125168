"""Schemathesis over every operation of the OpenAPI document, in-process on the app,
with every check it has: no answer is a 5xx, every answer matches the document (status,
content type, headers, body), valid requests are accepted and invalid ones refused, and
authentication is never ignored. The settings, and the few expectations widened where
the document cannot state a rule, are in schemathesis.toml at the top of the tree.
Valid and invalid inputs both; in valid cases half of the generated ids are replaced by
ids of real objects, so the checks reach past 404 (an invalid case keeps what made it
invalid).

OHJAAMO_FUZZ_EXAMPLES sets the examples per operation and mode (default 30: well over
1,000 cases in all); a slow job sets it higher.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from tests.api.world import ApiWorld, build_world

EXAMPLES = int(os.environ.get("OHJAAMO_FUZZ_EXAMPLES", "30"))
MINIMUM_CASES = 1000
# Operations whose every input accepts any value, so no invalid case exists.
FREE_INPUTS = {"GET /api/v1/me", "GET /api/v1/supervisors/{slug}", "GET /api/v1/rooms"}
# Operations reached through a link, whose parameters come from an earlier answer.
LINK_TARGETS = {
    "GET /api/v1/bookings/{booking_id}",
    "PATCH /api/v1/bookings/{booking_id}",
    "POST /api/v1/bookings/{booking_id}/cancel",
    "GET /api/v1/processes/{process_id}",
    "GET /api/v1/processes/{process_id}/agreement/versions",
    "GET /api/v1/processes/{process_id}/agreement/versions/{number}",
    "POST /api/v1/processes/{process_id}/agreement/versions/{number}/accept",
    "GET /api/v1/processes/{process_id}/report",
    "GET /api/v1/processes/{process_id}/invoicing",
    "GET /api/v1/sessions/{session_id}/attendance",
    "PUT /api/v1/sessions/{session_id}/attendance",
}
SETTINGS = Path(__file__).resolve().parents[2] / "schemathesis.toml"


def load_schema(app: Flask) -> schemathesis.BaseSchema:
    """The document as the app serves it, with the project's Schemathesis settings."""
    config = SchemathesisConfig.from_path(str(SETTINGS))
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


def real_ids(world: ApiWorld) -> dict[str, str]:
    """A parameter name's real object, for the cases whose generated id is replaced."""
    return {
        "process_id": str(world.process_id),
        "process": str(world.process_id),
        "booking_id": str(world.session_id),
        "session_id": str(world.past_session_id),
        "organisation": str(world.organisation_id),
        "slug": world.slug,
        "number": "2",
    }


def _coin(value: object) -> bool:
    """A bit of the generated value: the same in every run (``hash`` of a str is not)."""
    return zlib.crc32(str(value).encode()) % 2 == 0


def retarget(case: schemathesis.Case, world: ApiWorld) -> None:
    """Replace about half of the generated ids (by a bit of the generated value, so the
    choice replays with the case) with the world's objects."""
    replacements = real_ids(world)
    for container in (case.path_parameters, case.query):
        if not container:
            continue
        for name, value in list(container.items()):
            if name in replacements and _coin(value):
                container[name] = replacements[name]
    body = case.body if isinstance(case.body, dict) else None
    if body is not None and "process_id" in body and _coin(body["process_id"]):
        body["process_id"] = str(world.process_id)


@pytest.mark.sqlite_only
def test_every_operation_against_its_own_document(app: Flask) -> None:
    app.config["RATE_LIMIT_API"] = "1000000 per minute"
    with app.app_context():
        world = build_world()
    schema = load_schema(app)
    headers = world.headers("supervisor")
    cases: dict[str, int] = {}
    unsatisfiable: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def call(case: schemathesis.Case) -> None:
                if case.meta is None or case.meta.generation.mode is GenerationMode.POSITIVE:
                    retarget(case, world)
                case.call_and_validate(headers=headers)
                cases[case.operation.label] = cases.get(case.operation.label, 0) + 1

            try:
                call()
            except Unsatisfiable:
                # Only where no input can be invalid: no inputs, or free strings only.
                assert mode is GenerationMode.NEGATIVE, operation.label
                unsatisfiable.append(operation.label)

    print(f"schemathesis: {sum(cases.values())} cases over {len(cases)} operations, no failure")
    assert {operation.label for operation in operations} == set(cases)
    assert sum(cases.values()) >= MINIMUM_CASES, cases
    assert set(unsatisfiable) <= FREE_INPUTS, unsatisfiable


@pytest.mark.sqlite_only
def test_linked_operations_in_sequence(app: Flask) -> None:
    """Stateful: the document's links chain calls (book, then read, move and cancel the
    booking; list processes, then read one, its versions and report; list sessions,
    then read and record attendance), each answer checked as above."""
    app.config["RATE_LIMIT_API"] = "1000000 per minute"
    with app.app_context():
        world = build_world()
    schema = load_schema(app)
    # An extra query parameter whose generated value serialises to nothing reaches the
    # API as a valid request, which the negative-data check then calls accepted; the
    # refusal of unknown parameters is tested operation by operation above.
    schema.config.generation.update(allow_extra_parameters=False)
    headers = world.headers("supervisor")
    steps: list[str] = []

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: schemathesis.Case) -> None:
            if not steps or case.operation.label not in LINK_TARGETS:
                retarget(case, world)

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, object]:
            return {"headers": headers}

        def after_call(self, response: object, case: schemathesis.Case) -> None:
            steps.append(case.operation.label)

        def validate_response(
            self, response: object, case: schemathesis.Case, **kwargs: object
        ) -> None:
            case.validate_response(response, headers=headers)

    Workflow.run(
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=12,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    # Scenarios start at an operation with links, so a target in the steps was reached
    # through a link, with ids from an earlier answer.
    followed = set(steps) & LINK_TARGETS
    assert len(followed) >= 4, steps
