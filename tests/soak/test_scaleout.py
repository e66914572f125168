"""The short scale-out run: docs/deploy.md's installation on loopback (nginx, two
gunicorn nodes, PostgreSQL, two workers, Redis, Radicale, aiosmtpd) takes a bounded
load of bookings while a node restarts, a worker is SIGKILLed and PostgreSQL restarts.
`make soak` runs the long one."""

from __future__ import annotations

from pathlib import Path

from tests.soak.run import scale_out
from tests.soak.scenario import Plan

SHORT = Plan(supervisors=2, processes_per_supervisor=12, clients=4, rate=4.0, fault_gap_seconds=1.0)


def test_bookings_survive_a_node_restart_a_killed_worker_and_a_database_restart(
    tmp_path: Path,
) -> None:
    findings = scale_out(tmp_path, SHORT)
    figures = findings.figures
    print(figures)
    assert findings.problems == [], figures
    assert figures["bookings_committed"] >= SHORT.supervisors * SHORT.processes_per_supervisor
    assert figures["emails_distinct"] == figures["emails_expected"] > 0
    assert figures["calendar_events"] == figures["bookings_committed"]
    assert figures["access_log_lines"] >= figures["requests"] - figures["failed_requests"]
    assert figures["sign_in_posts_until_429"] == 6  # 5 a minute, counted across both nodes
    for fault in ("node_restart", "worker_sigkill", "postgresql_restart"):
        assert figures[f"{fault}_seconds"] > 0
