"""The learned video head: trained on generated clips whose labels are a known function of their content."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
import torch

from core.cli import main
from core.errors import InputError, ModelError
from core.features import VIDEO
from core.video.head import load_head
from core.video.synth import ClipSpec, render_frames, write_clip
from core.video.training import read_annotations

CLIPS = 64


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    """64 two-second clips and labels: each feature a smooth function of two facts of the clip.

    The facts are known by construction and measured on the rendered pixels before
    encoding, independently of the analysis: mean luma, mean HSV saturation, and the
    object's speed (at least 0.1 frame widths/s and 0.3 of the frame high, so it is
    visible: the speed of an object the size of a few pixels is not in the picture).
    """
    torch.set_num_threads(1)
    folder = tmp_path_factory.mktemp("annotated")
    rng = np.random.default_rng(0)
    facts, names = [], []
    for i in range(CLIPS):
        w = rng.uniform(-1, 1)
        spec = ClipSpec(seconds=2, fps=12, brightness=rng.uniform(0.3, 1.2), cast=(1 + 0.3 * w, 1.0, 1 - 0.4 * w),
                        object_speed=rng.uniform(0.1, 0.6), object_size=rng.uniform(0.3, 0.7), seed=i)
        pictures = [rgb for _, rgb in render_frames(spec)]
        luma = np.mean([rgb.reshape(-1, 3).mean(axis=0) @ [0.299, 0.587, 0.114] for rgb in pictures]) / 255
        saturation = np.mean([cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)[..., 1].mean() for rgb in pictures]) / 255
        facts.append((luma, saturation, spec.object_speed))
        names.append(write_clip(folder / f"clip_{i:02d}.mp4", spec).name)
    facts = np.array(facts)
    unit = (facts - facts.min(axis=0)) / (facts.max(axis=0) - facts.min(axis=0))
    pairs = [(0, 1), (1, 2), (2, 0), (0, 0), (1, 1), (2, 2), (0, 2), (1, 0), (2, 1), (0, 1), (1, 2)]
    z = np.stack([np.sin(1.2 * unit[:, a]) * (0.5 + 0.5 * unit[:, b]) for a, b in pairs], axis=1)
    z = (z - z.min(axis=0)) / (z.max(axis=0) - z.min(axis=0))
    lows = np.array([d.low for d in VIDEO])
    highs = np.array([d.high for d in VIDEO])
    labels = lows + (highs - lows) * z
    csv_path = folder / "annotations.csv"
    # Chinese labels as the header, in SPEC order, as an annotator's spreadsheet would have them.
    lines = ["文件," + ",".join(d.label_zh for d in VIDEO)]
    lines += [f"{name}," + ",".join(f"{v:.4f}" for v in row) for name, row in zip(names, labels, strict=True)]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder, csv_path, labels


def test_train_extractor_learns_held_out_clips(annotated, tmp_path, capsys):
    folder, csv_path, labels = annotated
    out = tmp_path / "head.safetensors"
    code = main(["train-extractor", "--annotations", str(csv_path), "--videos", str(folder), "--folds", "4",
                 "--out", str(out), "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    r2 = np.array([summary["r2"][d] for d in VIDEO.ids])
    # Held-out R² (4-fold: every clip predicted by a head that never saw it). A constant
    # predictor scores 0. Measured with this fixture: mean 0.93, lowest dimension 0.86.
    assert r2.mean() >= 0.9, summary["r2"]
    assert r2.min() >= 0.8, summary["r2"]
    assert summary["clips"] == CLIPS and out.exists() and (tmp_path / "head.md").exists()
    assert "R²" in (tmp_path / "head.md").read_text(encoding="utf-8")

    # extract --model uses the head; a clip it was trained on comes back close to its labels.
    assert main(["extract", str(folder / "clip_00.mp4"), "--model", str(out), "--json"]) == 0
    (doc,) = json.loads(capsys.readouterr().out)
    predicted = np.array([doc["features"][d] for d in VIDEO.ids])
    scales = np.array([d.high - d.low for d in VIDEO])
    assert np.mean(np.abs(predicted - labels[0]) / scales) < 0.15

    # Loading gives the same predictions: the weights round-trip exactly.
    head = load_head(out)
    assert all(torch.equal(a, b) for a, b in zip(head.model.state_dict().values(),
                                                  load_head(out).model.state_dict().values(), strict=True))


def test_bad_models_and_annotations(annotated, tmp_path, capsys):
    folder, csv_path, _ = annotated
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"not weights")
    with pytest.raises(ModelError, match="json"):
        load_head(junk)
    (tmp_path / "junk.safetensors.json").write_text('{"format": "something-else"}')
    with pytest.raises(ModelError, match="not a MusicMatch video head"):
        load_head(junk)
    assert main(["extract", str(folder / "clip_00.mp4"), "--model", str(junk)]) == 2
    assert "not a MusicMatch video head" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("file,character_tension\nx.mp4,3\n")
    with pytest.raises(InputError, match="lacks the video feature columns scene_tension"):
        read_annotations(bad)
    bad.write_text("y.mp4," + ",".join(["1"] * 11) + "\n" + "x.mp4," + ",".join(["1"] * 10) + ",oops\n")
    with pytest.raises(InputError, match=r"line 2, visual_valence: not a finite number"):
        read_annotations(bad)
    few = tmp_path / "few.csv"
    few.write_text("\n".join(csv_path.read_text(encoding="utf-8").splitlines()[:3]) + "\n", encoding="utf-8")
    assert main(["train-extractor", "--annotations", str(few), "--videos", str(folder), "--out",
                 str(tmp_path / "h.safetensors")]) == 2
    assert "needs at least 5" in capsys.readouterr().err
