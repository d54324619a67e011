"""The production setup: deploy/nginx/symptomatic.conf in front of two replicas.

Runs Debian's nginx (``apt-get install nginx``) with the repository's config file, changed
only where a test must (ports, log and pid paths, shorter client timeouts), over two
``symptomatic serve`` processes. Checks answers pass through with their security headers,
a replica that dies is routed around, a burst is refused with 429 by nginx in the
service's JSON error shape, and a slow or idle client is dropped by nginx.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import closed_within, free_port, stop_group

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

import httpx

NGINX = Path("/usr/sbin/nginx")
pytestmark = pytest.mark.skipif(
    not NGINX.exists(), reason="needs Debian's nginx: apt-get install -y nginx"
)
#: (nginx URL, the replicas, nginx's directory)
Setup = tuple[str, list[subprocess.Popen[bytes]], Path]
CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "symptomatic.conf"
CASE = {"age": 30, "sex": "female", "findings": [{"evidence": "fever"}, {"evidence": "cough"}]}
#: The client timeouts of the config (10 s) shortened so the test is quick.
CLIENT_TIMEOUT = 2


def _wait(url: str, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start") from None
            time.sleep(0.1)


def render(conf: str, *, port: int, backends: list[int], tmp: Path) -> str:
    """The repository's config with the test's ports, paths and client timeouts."""
    conf, n = re.subn(r"listen 80;", f"listen 127.0.0.1:{port};", conf)
    assert n == 1
    servers = iter(backends)
    conf, n = re.subn(
        r"server 127\.0\.0\.1:800\d", lambda m: f"server 127.0.0.1:{next(servers)}", conf
    )
    assert n == len(backends)
    conf = conf.replace("/var/log/nginx/", f"{tmp}/")
    for name in ("client_header_timeout", "client_body_timeout"):
        conf, n = re.subn(rf"{name} \d+s;", f"{name} {CLIENT_TIMEOUT}s;", conf)
        assert n == 1, name
    return conf


@pytest.fixture(scope="module")
def nginx(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Setup]:
    tmp = tmp_path_factory.mktemp("nginx")
    ports = [free_port(), free_port()]
    backends = [
        subprocess.Popen(
            [sys.executable, "-m", "symptomatic.cli", "serve", "--port", str(p)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for p in ports
    ]
    port = free_port()
    (tmp / "symptomatic.conf").write_text(
        render(CONF.read_text(), port=port, backends=ports, tmp=tmp)
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/main-error.log;\n"
        "events { worker_connections 512; }\n"
        f"http {{\n  client_body_temp_path {tmp}/body;\n  proxy_temp_path {tmp}/proxy;\n"
        f"  fastcgi_temp_path {tmp}/fcgi;\n  uwsgi_temp_path {tmp}/uwsgi;\n"
        f"  scgi_temp_path {tmp}/scgi;\n  include {tmp}/symptomatic.conf;\n}}\n"
    )
    check = subprocess.run(
        [str(NGINX), "-t", "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    proxy = subprocess.Popen(
        [str(NGINX), "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for p, b in zip(ports, backends, strict=True):
            _wait(f"http://127.0.0.1:{p}/healthz", b, "symptomatic serve")
        _wait(f"http://127.0.0.1:{port}/healthz", proxy, "nginx")
        yield f"http://127.0.0.1:{port}", backends, tmp
    finally:
        for proc in (proxy, *backends):
            stop_group(proc)


def test_answers_pass_through_and_a_dead_replica_is_routed_around(
    nginx: Setup,
) -> None:
    url, backends, _ = nginx
    with httpx.Client(base_url=url, timeout=10) as client:
        for _ in range(4):
            r = client.post("/v1/diagnosis", json=CASE)
            assert r.status_code == 200
            assert r.json()["differential"]
            assert r.headers["x-frame-options"] == "DENY"  # the service's headers
        os.killpg(backends[0].pid, signal.SIGKILL)  # one replica dies
        backends[0].wait()
        statuses = []
        for _ in range(6):
            statuses.append(client.post("/v1/diagnosis", json=CASE).status_code)
            time.sleep(0.15)  # within the rate limit
        assert statuses == [200] * 6


def test_a_burst_is_refused_by_nginx(nginx: Setup) -> None:
    url, _, _ = nginx
    time.sleep(2.5)  # let the rate limiter forget the earlier test
    with httpx.Client(base_url=url, timeout=10) as client:
        answers = [client.get("/v1/info") for _ in range(60)]
    codes = [r.status_code for r in answers]
    assert codes[0] == 200
    assert 10 <= codes.count(200) <= 40, codes  # the burst of 20, plus a few refills
    refused = [r for r in answers if r.status_code in (429, 503)]
    assert len(refused) >= 20
    first = refused[0]
    assert first.json()["errors"][0]["field"] == "request"
    assert first.headers["x-content-type-options"] == "nosniff"
    assert first.headers["retry-after"]
    # /healthz is not rate-limited: monitoring keeps working during a burst
    assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200


def test_slow_and_idle_clients_are_dropped_by_nginx(
    nginx: Setup,
) -> None:
    url, _, _ = nginx
    host, port = url.rsplit("/", 1)[1].split(":")
    idle = socket.create_connection((host, int(port)))
    slow = socket.create_connection((host, int(port)))
    slow.sendall(b"POST /v1/diagnosis HTTP/1.1\r\n")
    try:
        # trickled headers: the client_header_timeout is for all of them, not per line
        assert closed_within(slow, CLIENT_TIMEOUT + 6, trickle=b"x-a: b\r\n") is not None
        assert closed_within(idle, CLIENT_TIMEOUT + 6) is not None
    finally:
        idle.close()
        slow.close()
    with httpx.Client(base_url=url, timeout=10) as client:
        assert client.get("/healthz").status_code == 200


def test_nginx_logs_hold_no_path_nor_query(nginx: Setup) -> None:
    url, _, tmp = nginx
    httpx.get(f"{url}/v1/evidences", params={"search": "zqxcanary"}, timeout=10)
    logs = "".join(p.read_text() for p in tmp.glob("*.log"))
    assert " 200 " in logs  # the access log runs...
    assert "/v1/" not in logs and "zqxcanary" not in logs  # ... and names no path
