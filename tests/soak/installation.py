"""docs/deploy.md's two-node installation, step by step, on loopback.

One PostgreSQL (a throwaway cluster), Redis for the shared rate limits, the practice's
mail and calendar servers (aiosmtpd and Radicale), the environment file's settings,
`ohjaamo db upgrade`, two gunicorn nodes with config/gunicorn.conf.py, two
`ohjaamo worker` processes, and Debian's nginx with config/nginx's site, rewritten only
for loopback addresses, free ports and a self-signed certificate.
"""

from __future__ import annotations

import os
import re
import signal
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fixtures.at_time import command_at
from tests.fixtures.caldav_servers import CalDAVServer
from tests.fixtures.gunicorn import ROOT, GunicornNode, production_environment
from tests.fixtures.smtp import SMTPServer, self_signed_certificate, start_smtp_server
from tests.postgres import PostgresCluster, free_port

BIN = Path(sys.executable).parent
NGINX = "/usr/sbin/nginx"
REDIS = "/usr/bin/redis-server"
GUNICORN_CONFIG = ROOT / "config" / "gunicorn.conf.py"
NGINX_SITE = ROOT / "config" / "nginx" / "ohjaamo.conf"
NGINX_PROXY = ROOT / "config" / "nginx" / "ohjaamo_proxy.conf"
STARTUP_SECONDS = 30


def wait_for_port(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    import socket

    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{what} did not listen on {port}")


def site_for_loopback(
    site: str, node_ports: list[int], http_port: int, https_port: int, cert: Any, proxy: Path
) -> str:
    """config/nginx/ohjaamo.conf with loopback listeners, the given nodes, the test
    certificate and this checkout's static folders; everything else as shipped."""
    servers = re.findall(r"^\s*server \d+\.\d+\.\d+\.\d+:\d+ (.*);$", site, re.MULTILINE)
    nodes = "\n".join(f"    server 127.0.0.1:{port} {servers[0]};" for port in node_ports)
    site = re.sub(r"(\s*server \d+\.\d+\.\d+\.\d+:\d+ .*;)+", "\n" + nodes, site, count=1)
    site = re.sub(r"^\s*listen \[::\].*\n", "", site, flags=re.MULTILINE)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ", f"listen 127.0.0.1:{https_port} ")
    site = re.sub(r"ssl_certificate .*;", f"ssl_certificate {cert.cert_path};", site)
    site = re.sub(r"ssl_certificate_key .*;", f"ssl_certificate_key {cert.key_path};", site)
    site = site.replace("/opt/ohjaamo/", f"{ROOT}/")
    return site.replace("/etc/nginx/ohjaamo_proxy.conf", str(proxy))


@dataclass
class Nginx:
    folder: Path
    node_ports: list[int]
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> ssl.SSLContext:
        """Start nginx; returns a TLS context that trusts its certificate."""
        for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.folder / "tmp" / temp).mkdir(parents=True, exist_ok=True)
        cert = self_signed_certificate(self.folder)
        proxy = self.folder / "ohjaamo_proxy.conf"
        proxy.write_text(NGINX_PROXY.read_text())
        site = self.folder / "ohjaamo.conf"
        site.write_text(
            site_for_loopback(
                NGINX_SITE.read_text(),
                self.node_ports,
                self.http_port,
                self.https_port,
                cert,
                proxy,
            )
        )
        temp = {name: self.folder / "tmp" / name for name in ("body", "proxy", "fastcgi")}
        (self.folder / "nginx.conf").write_text(
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"worker_processes 1;\npid {self.folder / 'nginx.pid'};\n"
            + f"error_log {self.folder / 'error.log'} warn;\n"
            + "events { worker_connections 1024; }\nhttp {\n"
            + "    include /etc/nginx/mime.types;\n"
            + f"    access_log {self.folder / 'access.log'};\n"
            + f"    client_body_temp_path {temp['body']};\n"
            + f"    proxy_temp_path {temp['proxy']};\n"
            + f"    fastcgi_temp_path {temp['fastcgi']};\n"
            + f"    uwsgi_temp_path {self.folder / 'tmp' / 'uwsgi'};\n"
            + f"    scgi_temp_path {self.folder / 'tmp' / 'scgi'};\n"
            + f"    include {site};\n}}\n"
        )
        command = [NGINX, "-p", str(self.folder), "-e", str(self.folder / "error.log")]
        command += ["-c", str(self.folder / "nginx.conf")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t: {checked.stderr}")
        self.process = subprocess.Popen([*command, "-g", "daemon off;"])
        wait_for_port(self.https_port, self.process, "nginx")
        return ssl.create_default_context(cafile=str(cert.cert_path))

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGQUIT)
            self.process.wait(timeout=20)
            self.process = None


@dataclass
class Redis:
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process, "redis-server")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@dataclass
class WorkerProcess:
    """`ohjaamo worker`, as the systemd unit runs it."""

    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command_at("service.cli", "worker"),
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        """SIGKILL: no chance to give its batch back."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None


@dataclass
class Installation:
    """Start with `start()`, stop everything with `stop()` (also after a failed start)."""

    folder: Path
    nodes: int = 2
    workers: int = 2
    settings: dict[str, Any] = field(default_factory=dict)
    postgres: PostgresCluster | None = None
    redis: Redis | None = None
    smtp: SMTPServer | None = None
    caldav: CalDAVServer | None = None
    env: dict[str, str] = field(default_factory=dict)
    database_url: str = ""
    web: list[GunicornNode] = field(default_factory=list)
    outbox_workers: list[WorkerProcess] = field(default_factory=list)
    nginx: Nginx | None = None
    tls: ssl.SSLContext | None = None

    def start(self) -> None:
        # 1. PostgreSQL, with a database for Ohjaamo.
        self.postgres = PostgresCluster()
        self.postgres.start()
        self.database_url = self.postgres.create_database("ohjaamo")
        # 2. Redis for the rate limits every node shares.
        self.redis = Redis(self._folder("redis"))
        self.redis.start()
        # The practice's mail server and the supervisors' calendar server.
        self.smtp = start_smtp_server()
        self.caldav = CalDAVServer("radicale", self._folder("radicale"))
        self.caldav.start()
        # 3. The environment file, the same on every node.
        self.nginx = Nginx(self._folder("nginx"), [])
        self.env = production_environment(
            self._folder("instance"),
            self.database_url,
            RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{self.redis.port}/0",
            TRUSTED_PROXY_HOPS=1,
            PUBLIC_BASE_URL=self.nginx.base,
            SMTP_HOST=self.smtp.host,
            SMTP_PORT=self.smtp.port,
            SMTP_SECURITY="none",
            MAIL_SENDER="Ohjaamo <noreply@ohjaamo.test>",
            **self.settings,
        )
        # 4. The schema, once, from one node.
        migrated = subprocess.run(
            [str(BIN / "ohjaamo"), "db", "upgrade"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if migrated.returncode != 0:
            raise RuntimeError(f"ohjaamo db upgrade: {migrated.stderr}")
        # 5. The web nodes and the workers (systemd units).
        for number in range(self.nodes):
            node = GunicornNode(
                self.env,
                self._folder(f"node{number}") / "gunicorn.log",
                ("-c", str(GUNICORN_CONFIG)),
            )
            self.web.append(node)
            node.launch()
        for number in range(self.workers):
            worker = WorkerProcess(self.env, self._folder(f"worker{number}") / "worker.log")
            self.outbox_workers.append(worker)
            worker.start()
        for node in self.web:
            node.wait_ready()
        # 6. nginx in front, TLS at the proxy.
        self.nginx.node_ports = [node.port for node in self.web]
        self.tls = self.nginx.start()

    def _folder(self, name: str) -> Path:
        folder = self.folder / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def stop(self) -> None:
        for part in [self.nginx, *self.web, *self.outbox_workers, self.caldav, self.smtp]:
            if part is not None:
                part.stop()
        if self.redis is not None:
            self.redis.stop()
        if self.postgres is not None:
            self.postgres.stop()
