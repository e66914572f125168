"""Where the machine's CPU went during a measured interval, read from /proc.

`CpuMeter` splits it into the app (the gunicorn process tree), the database (the
PostgreSQL server's process tree; with SQLite the database works inside the app), the
load generator (this process and the children it has waited for, such as wrk), and
the rest of the machine (everything else running meanwhile: on a shared machine, other
people's jobs). A process tree's CPU is each live member's user + system time plus the
time of the members it has already reaped (cutime + cstime), so gunicorn workers
replaced during the run (`max_requests`) and PostgreSQL backends that ended are
counted too.

    meter = CpuMeter(app=node.process.pid, database=postgres_pid(cluster))
    meter.start()
    ...  # the load
    spent = meter.stop()  # CpuSpent, in seconds
    spent.per_request_ms(requests)
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def machine_ticks() -> tuple[int, int]:
    """The machine's busy and total CPU time so far (all cores, in clock ticks)."""
    line = Path("/proc/stat").read_text().split("\n", 1)[0]
    # user nice system idle iowait irq softirq steal; guest time is inside user already.
    fields = [int(value) for value in line.split()[1:9]]
    idle = fields[3] + fields[4]  # idle and iowait
    return sum(fields) - idle, sum(fields)


def _processes() -> dict[int, tuple[int, int]]:
    """Every process's parent and CPU ticks (its own and its reaped children's)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:  # ended meanwhile
            continue
        found[int(entry.name)] = (int(fields[1]), sum(int(value) for value in fields[11:15]))
    return found


def tree_ticks(root: int, processes: dict[int, tuple[int, int]] | None = None) -> int:
    """CPU ticks of ``root`` and all its descendants, reaped ones included."""
    processes = processes if processes is not None else _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        if pid in processes:
            total += processes[pid][1]
        stack.extend(children.get(pid, ()))
    return total


def own_cpu_seconds() -> float:
    """This process's CPU time and its waited-for children's (the load generator)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def postgres_pid(data_directory: Path) -> int:
    """The postmaster's process id, from its data directory."""
    return int((data_directory / "postmaster.pid").read_text().split("\n", 1)[0])


def load_average() -> str:
    return f"{os.getloadavg()[0]:.2f}"


@dataclass(frozen=True)
class CpuSpent:
    """CPU seconds spent during an interval of ``seconds`` wall time."""

    seconds: float
    app: float
    database: float
    load_generator: float
    machine: float
    cores: int
    calendar: float | None = None

    @property
    def rest(self) -> float:
        """The machine's busy time not spent by the app, database, calendar server or
        load generator."""
        spent = self.app + self.database + (self.calendar or 0.0) + self.load_generator
        return max(0.0, self.machine - spent)

    @property
    def machine_busy_percent(self) -> float:
        return 100 * self.machine / (self.seconds * self.cores) if self.seconds else 0.0

    def per_request_ms(self, requests: int) -> dict[str, float]:
        """Milliseconds per request: app, database, both (the service's own), the
        calendar server's (when measured), the load generator, the rest of the
        machine, and the whole machine."""
        parts = {"app": self.app, "db": self.database, "app_db": self.app + self.database}
        if self.calendar is not None:
            parts["calendar"] = self.calendar
        parts |= {"loadgen": self.load_generator, "rest": self.rest, "machine": self.machine}
        return {name: 1000 * value / max(requests, 1) for name, value in parts.items()}


class CpuMeter:
    """CPU of the app's, database's and a calendar server's process trees, this process
    and the machine, between `start` and `stop`. ``database`` is None when the database
    runs inside the app (SQLite); ``calendar`` when no calendar server is measured."""

    def __init__(self, *, app: int, database: int | None = None, calendar: int | None = None):
        self.app, self.database, self.calendar = app, database, calendar
        self._began: tuple[float, int, int, int, float, int] | None = None

    def _snapshot(self) -> tuple[float, int, int, int, float, int]:
        processes = _processes()
        database = tree_ticks(self.database, processes) if self.database else 0
        calendar = tree_ticks(self.calendar, processes) if self.calendar else 0
        busy, _total = machine_ticks()
        return (
            os.times().elapsed,
            tree_ticks(self.app, processes),
            database,
            calendar,
            own_cpu_seconds(),
            busy,
        )

    def start(self) -> None:
        self._began = self._snapshot()

    def stop(self) -> CpuSpent:
        assert self._began is not None, "start() first"
        began, ended = self._began, self._snapshot()
        return CpuSpent(
            seconds=ended[0] - began[0],
            app=(ended[1] - began[1]) / TICKS,
            database=(ended[2] - began[2]) / TICKS,
            calendar=(ended[3] - began[3]) / TICKS if self.calendar else None,
            load_generator=ended[4] - began[4],
            machine=(ended[5] - began[5]) / TICKS,
            cores=os.cpu_count() or 1,
        )
