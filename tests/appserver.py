"""Start the app with ``streamlit run`` on a free port for the browser tests, the benchmark and the load test.

Every wait is bounded and a server that dies or never answers is reported with its log.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[1]
#: How long a starting server may take to answer its health check.
START_SECONDS = 90.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(url: str) -> bool:
    """Whether the server at ``url`` answers Streamlit's health check (nginx passes it through)."""
    try:
        with urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read() == b"ok"
    except OSError:
        return False


def wait_until_healthy(process: subprocess.Popen, url: str, log: Path, seconds: float = START_SECONDS) -> None:
    """Poll ``url`` until it answers; ``RuntimeError`` with the log if the process ends or time runs out."""
    deadline = time.monotonic() + seconds
    while not healthy(url):
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with status {process.returncode}:\n{_tail(log)}")
        if time.monotonic() > deadline:
            stop(process)
            raise RuntimeError(f"{url} did not answer within {seconds:.0f} s:\n{_tail(log)}")
        time.sleep(0.2)


def start_app(
    env: dict[str, str], log: Path | None = None, script: str = "streamlit_app.py"
) -> tuple[subprocess.Popen, str]:
    """``streamlit run`` the app (``script``, from the checkout) with ``env`` added to this process's environment.

    Its URL once healthy.
    """
    log = log or Path(tempfile.mkstemp(prefix="atlas-streamlit-", suffix=".log")[1])
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    wait_until_healthy(process, url, log)
    return process, url


def stop(process: subprocess.Popen, seconds: float = 10) -> None:
    """Terminate ``process``; kill it if it has not ended within ``seconds``."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(log: Path, chars: int = 4000) -> str:
    return log.read_text(errors="replace")[-chars:] if log.is_file() else "(no log)"
