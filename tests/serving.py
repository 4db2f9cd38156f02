"""Real processes for tests: `migmap` commands, `migmap serve` on a free port, a private PostgreSQL server.

The private server (``PrivateServer``) is a PostgreSQL cluster of the tests' own, in a temporary
folder on its own port, so a test can stop and restart it without touching the shared server
that every other test uses.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import IN_CI


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def migmap(*args: str, env: dict, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``python -m migmap ARGS`` and return the finished process (output captured as text)."""
    return subprocess.run([sys.executable, "-m", "migmap", *args], env=env, input=stdin, text=True, check=check, capture_output=True, timeout=180)


def wait_for(url: str, proc: subprocess.Popen | None = None, timeout: float = 30, status: int | None = None) -> httpx.Response:
    """Poll ``url`` until it answers (with ``status``, if given); fail the test after ``timeout`` seconds."""
    deadline = time.time() + timeout
    last = "no answer"
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the server exited with {proc.returncode}: {proc.stdout.read() if proc.stdout else ''}")
        try:
            r = httpx.get(url, timeout=2)
            if status is None or r.status_code == status:
                return r
            last = f"{r.status_code} {r.text[:200]}"
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer{'' if status is None else f' {status}'} within {timeout} s (last: {last})")


@contextlib.contextmanager
def serving(env: dict, *extra: str, log: Path | None = None) -> Iterator[str]:
    """``migmap serve`` on a free loopback port; yields its base URL and stops it afterwards.

    The server's output goes to ``log`` (a file) when given, so a test can read what it logged.
    """
    port = free_port()
    out = open(log, "w") if log else subprocess.PIPE  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "migmap", "serve", "--host", "127.0.0.1", "--port", str(port), *extra],
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/healthz", proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
        if log:
            out.close()


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or ([shutil.which(name)] if shutil.which(name) else [])
    if not found:
        raise FileNotFoundError(name)
    return found[-1]


class PrivateServer:
    """A PostgreSQL server of the test's own (initdb in a temporary folder), which it may stop and start.

    As root, the server runs as the ``postgres`` system user (PostgreSQL refuses to run as root).
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *cmd: str) -> subprocess.CompletedProcess:
        if os.geteuid() == 0:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        r = self._run(_pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        if r.returncode:
            raise RuntimeError(f"initdb failed: {r.stderr or r.stdout}")

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        r = self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.folder / "server.log"), "-w", "start")
        if r.returncode:
            raise RuntimeError(f"pg_ctl start failed: {r.stderr or r.stdout}")

    def stop(self, mode: str = "fast") -> None:
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")


@pytest.fixture
def private_postgres() -> Iterator[PrivateServer]:
    """A running private PostgreSQL server; skipped where none can be made (fails in CI).

    Its folder is made under the system's temporary folder (not pytest's, which only root may
    enter), so that the ``postgres`` user can reach it.
    """
    server = PrivateServer(Path(tempfile.mkdtemp(prefix="migmap-pg-")))
    try:
        server.init()
        server.start()
    except (OSError, RuntimeError) as exc:
        if IN_CI:
            pytest.fail(f"a private PostgreSQL server must start in CI: {exc}")
        pytest.skip(f"cannot start a private PostgreSQL server here: {exc}")
    try:
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(server.folder, ignore_errors=True)
