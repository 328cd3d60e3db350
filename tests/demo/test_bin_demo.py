"""``bin/demo`` started for real on free ports: a TERM or an INT sent to it alone stops
every process it started."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.integration

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
# On a first run bin/setup installs the dependencies into .venv.
STARTUP_SECONDS = 240
STOP_SECONDS = 60
# What the test run points at; the demo must use its own embedded database and queue.
TEST_ENVIRONMENT = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "SIMULATOR_URL",
    "SP_API_ENDPOINT",
    "LWA_TOKEN_URL",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def parent_if_running(pid: int) -> int | None:
    """The parent of a process that is running (not gone, not a zombie), else None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, parent = stat.rpartition(")")[2].split()[:2]
    return None if state == "Z" else int(parent)


def descendants_of(pid: int) -> set[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (parent := parent_if_running(int(entry.name))):
            parents[int(entry.name)] = parent
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def in_process_group(group: int) -> set[int]:
    members = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == group and parent_if_running(int(entry.name)):
                    members.add(int(entry.name))
            except OSError:
                continue
    return members


def wait_for_login_page(url: str, demo: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if demo.poll() is not None:
            pytest.fail(f"bin/demo exited with {demo.returncode}:\n{log.read_text()}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    pytest.fail(f"no login page at {url} after {STARTUP_SECONDS} s:\n{log.read_text()}")


@pytest.fixture
def demo_environment(tmp_path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key not in TEST_ENVIRONMENT}
    environment.update(
        DEMO_PORT=str(free_port()),
        SIMULATOR_PORT=str(free_port()),
        VAR_DIR=str(tmp_path / "var"),
    )
    return environment


@pytest.mark.parametrize(
    ("stop_signal", "exit_status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)]
)
def test_a_term_or_int_to_bin_demo_stops_every_process_it_started(
    demo_environment, tmp_path, stop_signal, exit_status
):
    # given: bin/demo serving its dashboard, in a session of its own so the test can
    # find (and in the end clean up) whatever it started
    log = tmp_path / "demo.log"
    with log.open("wb") as output:
        demo = subprocess.Popen(  # noqa: S603 - our own script
            [str(REPOSITORY_ROOT / "bin" / "demo")],
            cwd=REPOSITORY_ROOT,
            env=demo_environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_login_page(
            f"http://127.0.0.1:{demo_environment['DEMO_PORT']}/accounts/login/", demo, log
        )
        started = descendants_of(demo.pid)

        # when
        demo.send_signal(stop_signal)
        returncode = demo.wait(timeout=STOP_SECONDS)

        # then: it stopped the simulator, worker, beat and web server before it exited
        assert len(started) >= 4, log.read_text()
        assert returncode == exit_status
        assert {pid for pid in started if parent_if_running(pid)} == set()
        assert in_process_group(demo.pid) == set()
        assert "Stopping the dashboard, worker, beat and simulator" in log.read_text()
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(demo.pid, signal.SIGKILL)
