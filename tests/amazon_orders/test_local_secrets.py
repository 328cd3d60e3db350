"""The secrets the embedded default keeps under var/ when none is configured."""

import os
import stat
import subprocess
import sys
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 8
RACES = 5

# Each process loads everything but the settings, says it is ready, blocks on the start
# pipe, then loads the settings (which make the secrets) and prints what it got. One write
# of a byte per process wakes them all at once.
READ_SECRETS_AT_THE_SIGNAL = """
import os, sys
import amazon_orders, cryptography.fernet, dj_database_url, django
print("ready", flush=True)
os.read(int(sys.argv[1]), 1)
from amazon_orders import settings
print(settings.SECRET_KEY, settings.ENCRYPTION_KEYS[0])
"""


def settings_environment(var_dir: Path) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "ENCRYPTION_KEYS", "REQUIRE_PRODUCTION_SECRETS", "PRODUCTION"}
    }
    return {**env, "VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "amazon_orders.settings"}


def secrets_read_by_processes_starting_together(var_dir: Path) -> list[tuple[str, str]]:
    """What each of PROCESSES processes, loading the settings at once, got: (stdout, stderr)."""
    start_reader, start_writer = os.pipe()
    processes = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", READ_SECRETS_AT_THE_SIGNAL, str(start_reader)],
            cwd=REPOSITORY_ROOT,
            env=settings_environment(var_dir),
            pass_fds=[start_reader],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    os.close(start_reader)
    for process in processes:
        assert process.stdout.readline() == "ready\n"
    os.write(start_writer, b"x" * PROCESSES)
    os.close(start_writer)
    outputs = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0] * PROCESSES, outputs
    return outputs


def test_processes_starting_together_on_an_empty_var_dir_share_one_private_secret_each(tmp_path):
    # given an empty place for var/, several times over: on two cores one start of eight
    # processes does not always hit the race, a few in a row do
    for attempt in range(RACES):
        var_dir = tmp_path / f"var-{attempt}"

        # when eight processes load the settings at once
        outputs = secrets_read_by_processes_starting_together(var_dir)

        # then every process got the same secret key and encryption key, kept private
        assert len({stdout for stdout, _ in outputs}) == 1, outputs
        secret_key, encryption_key = outputs[0][0].split()
        assert (var_dir / "secret_key").read_text() == secret_key
        assert (var_dir / "encryption_key").read_text() == encryption_key
        for name in ("secret_key", "encryption_key"):
            assert stat.S_IMODE((var_dir / name).stat().st_mode) == 0o600
        assert not [path.name for path in var_dir.iterdir() if path.name.startswith(".")]


def test_a_secret_file_is_private_even_under_a_permissive_umask(tmp_path):
    # given a umask that would leave new files readable by everyone
    var_dir = tmp_path / "var"

    # when the settings make their secrets
    result = subprocess.run(
        [sys.executable, "-c", "import os; os.umask(0); import amazon_orders.settings"],
        cwd=REPOSITORY_ROOT,
        env=settings_environment(var_dir),
        capture_output=True,
        text=True,
        timeout=60,
    )

    # then only their owner may read them
    assert result.returncode == 0, result.stderr
    for name in ("secret_key", "encryption_key"):
        assert stat.S_IMODE((var_dir / name).stat().st_mode) == 0o600
