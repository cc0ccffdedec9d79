"""``extract VIDEO... --ray``: the video analysis of many files as Ray tasks, one video per task.

Each worker runs the same :func:`core.video.analysis.extract_video` as a local
``extract`` (and the same learned head when ``--model`` is given), so the numbers are
the ones a local run prints. A video is minutes of decoding, far above Ray's few
milliseconds per task, so videos are not batched. With ``--device cuda`` every task
asks Ray for one GPU; the analysis of a file that cannot be decoded comes back as the
same one-line error a local run gives.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from core.errors import MediaError
from core.jobs import CancelToken, ProgressFn, report
from core.library.cluster import ClusterError, analysis_fingerprint, check_workers, connect, run_batches

__all__ = ["extract_on_cluster"]


def _extract_batch(paths: list[str], device: str, model: str | None) -> tuple[str, list]:
    """Run on a worker: ``("ok", VideoAnalysis)`` or ``("error", message)`` per video."""
    from core.video.analysis import extract_video
    from core.video.batch import resolve_device

    resolved = str(resolve_device(device))
    head = None
    if model is not None:
        from core.video.head import load_head

        head = load_head(model, device=resolved)
    outcomes: list[tuple[str, object]] = []
    for path in paths:
        try:
            analysis = extract_video(path, device=resolved)
        except MediaError as exc:
            outcomes.append(("error", str(exc)))
            continue
        if head is not None:
            analysis = dataclasses.replace(analysis, features=head.predict(analysis.frames))
        outcomes.append(("ok", analysis))
    return analysis_fingerprint(), outcomes


def extract_on_cluster(
    videos: list[str],
    *,
    address: str | None = None,
    device: str = "auto",
    model: str | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> list:
    """Analyse ``videos`` on the Ray cluster at ``address`` (None: a local Ray).

    Returns
    -------
    list
        For each video, in the order given, its ``VideoAnalysis`` or the :class:`MediaError`
        a local run would raise.

    Raises
    ------
    ClusterError
        Ray is missing or the cluster cannot be used (see :func:`core.library.cluster.connect`
        and :func:`~core.library.cluster.check_workers`); ``--device cuda`` on a cluster without GPUs.
    """
    paths = [os.path.abspath(v) for v in videos]
    folders = sorted({str(Path(p).parent) for p in paths if Path(p).parent.is_dir()})
    results: dict[int, object] = {}
    with connect(address) as session:
        check_workers(session, folders)
        gpus = 0
        if device.strip().lower().startswith("cuda"):
            if session.ray.cluster_resources().get("GPU", 0) < 1:
                raise ClusterError(f"--device cuda: the Ray cluster at {session.address} has no GPU (use auto or cpu)")
            gpus = 1
        done = 0

        def store(batch: list, outcomes: list) -> None:
            nonlocal done
            for (index, path), (kind, value) in zip(batch, outcomes, strict=True):
                results[index] = value if kind == "ok" else MediaError(value)
                done += 1
                report(progress, done / len(paths), f"Analysed {done} of {len(paths)}: {Path(path).name}")

        def lost(item: tuple, reason: str) -> None:
            nonlocal done
            index, path = item
            results[index] = MediaError(f"{path}: {reason}")
            done += 1

        run_batches(session, _run_indexed, list(enumerate(paths)), batch_size=1, store=store, lost=lost,
                    extra_args=(device, model), num_gpus=gpus, cancel=cancel)
    return [results[i] for i in range(len(paths))]


def _run_indexed(items: list[tuple[int, str]], device: str, model: str | None) -> tuple[str, list]:
    return _extract_batch([path for _, path in items], device, model)
