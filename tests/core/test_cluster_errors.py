"""The cluster commands without a cluster: a missing extra or an unreachable address is one line and exit 2.

None of these starts Ray, so they are quick; the checks that need a running cluster
(another Ray version, another MusicMatch, a folder the workers cannot see) are in
test_cluster_scan.py, which starts one.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*argv: str, block: str = "") -> subprocess.CompletedProcess:
    """The command line in a fresh Python; ``block`` names modules made unimportable (a missing extra)."""
    hide = "".join(f"sys.modules[{name!r}] = None\n" for name in block.split(",") if name)
    script = f"import sys\n{hide}from core.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    return subprocess.run([sys.executable, "-c", script, *argv], cwd=ROOT, capture_output=True, text=True, timeout=120)


def _one_line(done: subprocess.CompletedProcess, prefix: str, message: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(prefix) and message in done.stderr and done.stderr.count("\n") == 1, done.stderr


@pytest.fixture
def folder(tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    (music / "a.wav").write_bytes(b"RIFF")
    return music


def test_without_the_cluster_extra_the_commands_say_what_to_install(folder, tmp_path):
    db_path = tmp_path / "lib.sqlite"
    done = _run("library", "add", str(folder), "--ray", "--db", str(db_path), block="ray")
    _one_line(done, "musicmatch library add: error:", "pip install 'musicmatch[cluster]'")
    assert not db_path.exists()
    done = _run("library", "import-catalogue", str(tmp_path / "x.parquet"), "--db", str(db_path), block="pyarrow")
    _one_line(done, "musicmatch library import-catalogue: error:", "pip install 'musicmatch[cluster]'")
    done = _run("extract", str(folder / "a.wav"), "--ray", block="ray")
    _one_line(done, "musicmatch extract: error:", "pip install 'musicmatch[cluster]'")
    assert not db_path.exists()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the socket is closed


def test_an_unreachable_address_fails_fast(folder, tmp_path):
    pytest.importorskip("ray")
    db_path = tmp_path / "lib.sqlite"
    started = time.monotonic()
    done = _run("library", "add", str(folder), "--ray", f"127.0.0.1:{_closed_port()}", "--db", str(db_path))
    _one_line(done, "musicmatch library add: error:", "cannot reach a Ray cluster at 127.0.0.1:")
    assert "ray start --head" in done.stderr and time.monotonic() - started < 60  # Ray alone retries for minutes
    done = _run("library", "add", str(folder), "--ray", "head-node-without-port", "--db", str(db_path))
    _one_line(done, "musicmatch library add: error:", "give the cluster's head as host:port")
    done = _run("library", "add", str(tmp_path / "missing"), "--ray", "127.0.0.1:1", "--db", str(db_path))
    _one_line(done, "musicmatch library add: error:", "missing: no such folder")
    assert not db_path.exists()


def test_the_desktop_app_and_plain_commands_never_import_ray():
    code = ("import sys\nimport core.cli.main, core.library.cluster, core.library.cluster_scan, "
            "core.library.parquet_catalogue, musicmatch_gui.app\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ray', 'pyarrow')))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_desktop_bundle_leaves_ray_out():
    spec = (ROOT / "installer" / "musicmatch.spec").read_text()
    excludes = spec[spec.index("excludes = ["):spec.index("]", spec.index("excludes = ["))]
    assert '"ray"' in excludes
