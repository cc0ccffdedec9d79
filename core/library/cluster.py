"""Ray plumbing shared by the distributed library scan and ``extract --ray``.

Ray is an optional extra (``pip install 'musicmatch[cluster]'``): it is imported only
inside the functions here, so the desktop app and every other command run without it.

Three jobs:

* :func:`connect` joins a cluster (``host:port``, ``ray://host:port``, ``auto``) or
  starts a private local Ray, and turns Ray's failures (nothing listening, another Ray
  or Python version) into one-line :class:`ClusterError` messages;
* :func:`check_workers` runs a probe on every node before any work is sent: the node
  must run the same MusicMatch analysis code as this machine and see every folder of
  the job at the same path with the same files in it (shared storage, docs/scale.md);
* :func:`run_batches` sends work as Ray tasks of several items each, keeps a bounded
  number in flight, hands every finished batch to the caller as it arrives (the single
  writer), and handles the two kinds of failure: Ray itself retries a task whose
  worker or node died once; a batch that dies again is split into single items, each
  again with one retry, and an item whose own task still dies is reported as lost with
  the reason, so one file that crashes its decoder cannot stop a scan of thousands.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import os
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import Cancelled, MusicMatchError
from core.jobs import CancelToken

__all__ = ["INSTALL_HINT", "ClusterError", "ClusterSession", "analysis_fingerprint", "check_workers", "connect",
           "import_ray", "run_batches"]

INSTALL_HINT = "pip install 'musicmatch[cluster]'"
"""What to run when the optional extra is missing."""

_CODE_FILES = ("features.py", "calibration.py", "fileio.py", "audio", "video", "library/scanner.py")
"""The parts of ``core`` whose code decides a track's or a video's numbers (see :func:`analysis_fingerprint`)."""

_AS_A_LOCAL_PROCESS = {"env_vars": {"OMP_NUM_THREADS": ""}}
"""Ray starts workers with ``OMP_NUM_THREADS=1``; OpenBLAS then sums in another order than a
MusicMatch process on the same node and the analysis differs in its last bits (1e-8). An empty
value lets every library pick the default thread count a local scan uses on that node."""

_PROBE_TIMEOUT_S = 120.0
"""How long the probe waits for every node (a cold worker imports numpy, torch and OpenCV)."""


class ClusterError(MusicMatchError):
    """The Ray cluster cannot be used: unreachable, another version, or workers that cannot see the files."""


def import_ray():
    """The ``ray`` module, or :class:`ClusterError` naming the extra to install."""
    try:
        import ray
    except ImportError:
        raise ClusterError(f"--ray needs the optional cluster extra (Ray); install it with: {INSTALL_HINT}") from None
    return ray


@functools.cache
def analysis_fingerprint() -> str:
    """BLAKE2b of the source of the code that computes features (``core/audio``, ``core/video``...).

    Driver and workers compare it so that a node running other analysis code (another
    release, or a local edit) cannot mix its numbers into the library: a distributed
    scan must give the same vectors as a local one.
    """
    core = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=8)
    for part in _CODE_FILES:
        target = core / part
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for file in files:
            digest.update(file.relative_to(core).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def _identity() -> dict[str, str]:
    from core import __version__

    return {"musicmatch": __version__, "code": analysis_fingerprint()}


@dataclass
class ClusterSession:
    """A connection to Ray for one job; closes the local Ray it started (never a shared cluster)."""

    ray: Any
    """The imported ``ray`` module."""
    address: str
    """What was connected to: ``local``, ``auto``, ``host:port`` or ``ray://host:port``."""
    owned: bool
    """Whether this session started Ray (and shuts it down on :meth:`close`)."""
    remote_functions: dict[str, Any] = field(default_factory=dict)

    def cpus(self) -> int:
        """CPUs the cluster offers now (at least 1)."""
        return max(1, int(self.ray.cluster_resources().get("CPU", 1)))

    def nodes(self) -> list[dict]:
        """Alive nodes that can run tasks."""
        return [n for n in self.ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) > 0]

    def remote(self, function: Callable, **options) -> Any:
        """``function`` as a Ray remote function (made once per session)."""
        key = f"{function.__module__}.{function.__qualname__}"
        if key not in self.remote_functions:
            self.remote_functions[key] = self.ray.remote(function)
        remote = self.remote_functions[key]
        return remote.options(**options) if options else remote

    def close(self) -> None:
        if self.owned and self.ray.is_initialized():
            self.ray.shutdown()

    def __enter__(self) -> ClusterSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def connect(address: str | None = None, *, cpus: int | None = None) -> ClusterSession:
    """Join the Ray cluster at ``address``, or start a local Ray on this machine.

    Parameters
    ----------
    address : str, optional
        ``host:port`` of a cluster's head (``ray start --head`` prints it), ``ray://host:port``
        (Ray Client), or ``auto`` (the cluster this machine already belongs to). None starts a
        private Ray on this machine; if this process already joined one, that one is used.
    cpus : int, optional
        CPUs of the local Ray (default all of this machine's); ignored when joining a cluster.

    Raises
    ------
    ClusterError
        Ray is not installed, nothing answers at ``address``, or the cluster runs another Ray
        or Python version.
    """
    ray = import_ray()
    if ray.is_initialized():
        return ClusterSession(ray, "current", owned=False)
    # An offline app: Ray must not try to report usage, and its own start-up chatter stays out of our output.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if address is None:
        options: dict[str, Any] = {"address": "local", "include_dashboard": False}
        if cpus is not None:
            options["num_cpus"] = cpus
        target = "local"
    else:
        target = address.strip()
        if not target:
            raise ClusterError("--ray ADDRESS is empty; give host:port of the cluster's head, or leave it out")
        if target != "auto":
            _check_reachable(target)
        options = {"address": target}
    try:
        ray.init(log_to_driver=False, logging_level="ERROR", **options)
    except RuntimeError as exc:
        if "Version mismatch" in str(exc):
            raise ClusterError(_version_mismatch(target, str(exc))) from None
        raise ClusterError(f"cannot join the Ray cluster at {target}: {_first_line(exc)}") from None
    except (ConnectionError, ValueError, OSError) as exc:
        raise ClusterError(f"cannot join the Ray cluster at {target}: {_first_line(exc)}") from None
    return ClusterSession(ray, target, owned=True)


def _check_reachable(address: str, timeout_s: float = 5.0) -> None:
    """Fail fast when nothing listens at ``address``: Ray itself retries for minutes."""
    text = address.removeprefix("ray://")
    host, sep, port_text = text.rpartition(":")
    if not sep or not host or not port_text.isdigit():
        raise ClusterError(f"--ray {address}: give the cluster's head as host:port (e.g. 10.0.0.5:6379) or ray://host:port")
    try:
        with socket.create_connection((host.strip("[]"), int(port_text)), timeout=timeout_s):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ClusterError(
            f"cannot reach a Ray cluster at {address} ({reason}); start one with `ray start --head` "
            "or check the address and the firewall"
        ) from None


def _version_mismatch(address: str, message: str) -> str:
    words = message.split()
    versions = [words[i + 1] for i, word in enumerate(words[:-1]) if word in ("Ray:", "Python:")]
    if len(versions) == 4:
        cluster = f"Ray {versions[0]}, Python {versions[1]}"
        here = f"Ray {versions[2]}, Python {versions[3]}"
        return (f"the Ray cluster at {address} runs {cluster}, this machine {here}; "
                "install the same Ray and Python versions on every machine")
    return f"the Ray cluster at {address} runs another Ray or Python version: {_first_line(message)}"


def _first_line(exc: BaseException | str) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


# -- the probe --------------------------------------------------------------------------


def _listing(folder: str) -> str | None:
    """A fingerprint of the names directly inside ``folder`` (None when it cannot be listed)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    return hashlib.blake2b("\0".join(names).encode(), digest_size=8).hexdigest()


def _probe(folders: list[str]) -> dict:
    """Run on one node: who it is, which analysis code it runs, what it sees of ``folders``."""
    return {"host": socket.gethostname(), **_identity(), "python": sys.version.split()[0],
            "listings": [_listing(folder) for folder in folders]}


def check_workers(session: ClusterSession, folders: Sequence[str | os.PathLike[str]] = ()) -> int:
    """Check every node before work is sent; returns the number of nodes.

    Each node must run the same MusicMatch analysis code as this machine
    (:func:`analysis_fingerprint`) and list the same names in every folder of
    ``folders`` at the same path (workers read the files from shared storage).

    Raises
    ------
    ClusterError
        A node cannot import MusicMatch, runs other analysis code, or cannot see a folder.
    """
    ray = session.ray
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    paths = [str(Path(folder).resolve()) for folder in folders]
    here = {**_identity(), "listings": [_listing(path) for path in paths]}
    nodes = session.nodes()
    if not nodes:
        raise ClusterError(f"the Ray cluster at {session.address} has no node with a CPU to run tasks on")
    refs = [
        session.remote(_probe, num_cpus=0, max_retries=1,
                       scheduling_strategy=NodeAffinitySchedulingStrategy(node["NodeID"], soft=False)).remote(paths)
        for node in nodes
    ]
    try:
        answers = ray.get(refs, timeout=_PROBE_TIMEOUT_S)
    except ray.exceptions.GetTimeoutError:
        raise ClusterError(f"the nodes of the Ray cluster at {session.address} did not answer within "
                           f"{_PROBE_TIMEOUT_S:.0f} s") from None
    except ray.exceptions.RayTaskError as exc:
        raise ClusterError(
            f"the Ray workers cannot run MusicMatch ({_first_line(exc.cause if exc.cause else exc)}); "
            "install the same MusicMatch on every node (docs/scale.md)"
        ) from None
    for node, answer in zip(nodes, answers, strict=True):
        name = f"{answer['host']} ({node.get('NodeManagerAddress', '?')})"
        if answer["musicmatch"] != here["musicmatch"] or answer["code"] != here["code"]:
            raise ClusterError(
                f"node {name} runs MusicMatch {answer['musicmatch']} (analysis code {answer['code']}), this machine "
                f"{here['musicmatch']} ({here['code']}); install the same MusicMatch on every node"
            )
        for path, seen, mine in zip(paths, answer["listings"], here["listings"], strict=True):
            if seen is None:
                raise ClusterError(f"{path}: the Ray workers on {name} cannot see this folder; every node must "
                                   "reach the music at the same path (a shared mount, docs/scale.md)")
            if seen != mine:
                raise ClusterError(f"{path}: the Ray workers on {name} see other files in this folder than this "
                                   "machine; every node must mount the same shared storage at the same path")
    return len(nodes)


# -- batches ----------------------------------------------------------------------------


def _ping() -> bool:
    return True


def run_batches(
    session: ClusterSession,
    task: Callable[..., tuple[str, list]],
    items: Sequence,
    *,
    batch_size: int,
    store: Callable[[list, list], None],
    lost: Callable[[Any, str], None],
    extra_args: tuple = (),
    max_in_flight: int | None = None,
    num_cpus: float = 1,
    num_gpus: float = 0,
    cancel: CancelToken | None = None,
) -> None:
    """Run ``task`` over ``items`` in batches on the cluster, handing results over as they arrive.

    Parameters
    ----------
    task : callable
        A module-level function ``task(batch, *extra_args) -> (analysis_fingerprint(), outcomes)``
        with one outcome per item of ``batch``, in order. It must not raise for a bad item:
        a raised exception is a fault of the program and stops the job.
    batch_size : int
        Items per Ray task (scheduling costs a few milliseconds per task: see docs/scale.md).
    store : callable
        ``store(batch, outcomes)``, called in this process for every finished batch, in the
        order batches finish (the single writer).
    lost : callable
        ``lost(item, reason)`` for an item whose own task died twice (worker crash, out of
        memory, node lost).
    max_in_flight : int, optional
        Tasks submitted but not finished; default twice the cluster's CPUs. Bounds memory
        and makes cancel quick.

    Raises
    ------
    Cancelled
        ``cancel`` was set; every batch stored so far is kept, the rest is cancelled.
    ClusterError
        The cluster went away, or a worker runs other analysis code.
    """
    ray = session.ray
    queue = collections.deque(list(items[start:start + batch_size]) for start in range(0, len(items), batch_size))
    limit = max_in_flight or 2 * session.cpus()
    expected = analysis_fingerprint()
    running: dict[Any, list] = {}
    remote = session.remote(task, num_cpus=num_cpus, num_gpus=num_gpus, max_retries=1, retry_exceptions=False,
                            runtime_env=_AS_A_LOCAL_PROCESS)
    try:
        while queue or running:
            while queue and len(running) < limit:
                batch = queue.popleft()
                running[remote.remote(batch, *extra_args)] = batch
            finished, _ = ray.wait(list(running), num_returns=1, timeout=0.25)
            if cancel is not None and cancel.cancelled:
                raise Cancelled()
            for ref in finished:
                batch = running.pop(ref)
                try:
                    fingerprint, outcomes = ray.get(ref)
                except ray.exceptions.RayTaskError as exc:
                    # The task itself raised: a bad option (a --model that does not load) keeps its own
                    # error and exit status; anything else is a fault of the program.
                    cause = exc.cause if exc.cause is not None else exc
                    if isinstance(cause, MusicMatchError):
                        raise cause from None
                    raise RuntimeError(f"a Ray task failed: {type(cause).__name__}: {_first_line(cause)}") from exc
                except (ray.exceptions.WorkerCrashedError, ray.exceptions.OutOfMemoryError,
                        ray.exceptions.NodeDiedError, ray.exceptions.LocalRayletDiedError,
                        ray.exceptions.ObjectLostError) as exc:
                    _require_cluster(session)
                    if len(batch) > 1:
                        # Find the culprit: every item of the dead batch gets a task of its own.
                        queue.extendleft([item] for item in reversed(batch))
                    else:
                        lost(batch[0], _death_reason(exc))
                    continue
                if fingerprint != expected:
                    raise ClusterError(
                        f"a Ray worker runs other MusicMatch analysis code ({fingerprint}) than this machine "
                        f"({expected}); install the same MusicMatch on every node"
                    )
                store(batch, outcomes)
    finally:
        for ref in running:
            ray.cancel(ref, force=True)


def _require_cluster(session: ClusterSession) -> None:
    """A dead task is one file's fault only while the cluster itself still answers."""
    ray = session.ray
    try:
        ray.get(session.remote(_ping, num_cpus=0).remote(), timeout=60)
    except Exception as exc:
        raise ClusterError(
            f"lost the Ray cluster at {session.address} ({_first_line(exc)}); everything stored so far is kept: "
            "run the same command again to carry on"
        ) from None


def _death_reason(exc: BaseException) -> str:
    kinds = {
        "OutOfMemoryError": "ran out of memory",
        "NodeDiedError": "lost its node",
        "LocalRayletDiedError": "lost its node",
        "ObjectLostError": "lost its result with its node",
    }
    what = kinds.get(type(exc).__name__, "crashed")
    return f"the analysis {what} twice (Ray worker process died; retried once)"
