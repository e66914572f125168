"""A throwaway PostgreSQL cluster from the machine's binaries, on a free loopback port."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg


class PostgresUnavailable(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_bin_dir() -> Path:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(os.path.realpath(initdb)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    raise PostgresUnavailable("initdb not found: install the postgresql package")


class PostgresCluster:
    """initdb + pg_ctl in a temporary folder; removed by `stop()`.

    PostgreSQL refuses to run as root, so when the tests run as root the server runs as
    the `postgres` system user (created by Debian's postgresql package).
    """

    def __init__(self) -> None:
        self.bin_dir = find_bin_dir()
        self.port = free_port()
        self.base = Path(tempfile.mkdtemp(prefix="ohjaamo-pg-"))
        self.data = self.base / "data"
        self.socket_dir = self.base / "socket"
        self.log = self.base / "postgres.log"
        self.user = "ohjaamo"
        self._run_as: list[str] = []
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError as error:
                raise PostgresUnavailable("running as root and no `postgres` user") from error
            self._run_as = ["runuser", "-u", "postgres", "--"]
            self.socket_dir.mkdir()
            for path in (self.base, self.socket_dir):
                os.chown(path, owner.pw_uid, owner.pw_gid)

    def _pg(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [*self._run_as, str(self.bin_dir / tool), *args]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise PostgresUnavailable(f"{tool} failed: {result.stderr}{result.stdout}{log}")
        return result

    def start(self) -> None:
        self.socket_dir.mkdir(exist_ok=True)
        self._pg(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            self.user,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )
        self.resume()

    def _server_options(self) -> str:
        return (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )

    def restart(self) -> None:
        self._pg(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "-m",
            "fast",
            "-o",
            self._server_options(),
            "restart",
        )

    def pause(self) -> None:
        """Shut the server down (fast), keeping its data for `resume`."""
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        """Start the server on the existing data (after `start` made it, or `pause`)."""
        self._pg(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "-o",
            self._server_options(),
            "start",
        )

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(
                [
                    *self._run_as,
                    str(self.bin_dir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        dsn = f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
