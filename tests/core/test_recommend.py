"""The recommender: learning a known mapping, Recall@K, the search, files, the default model, the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from core.cli import main
from core.errors import InputError, ModelError
from core.features import MUSIC, VIDEO
from core.library.csv_format import write_library_csv
from core.match import MatchSettings, TrackIndex
from core.recommend.model import Params, load_recommender, save_recommender
from core.recommend.pairs import read_pairs_csv, write_pairs_csv
from core.recommend.prior import prior_pairs, prior_target
from core.recommend.synth import teacher_pairs
from core.recommend.training import (
    evaluate,
    fit,
    linear_baseline,
    recall_from_ranks,
    search_and_train,
    split_pairs,
)
from core.video.synth import ClipSpec, write_clip

EXAMPLE_VIDEO = "60.75,66.2,54,56.8,-16.5,66.8,0.38,0.97,0.29,67.14,-29.29"
"""The customer's example video vector (人物张力 60.75 ... 画面效价 -29.29)."""

QUICK = Params(hidden=64, depth=2, max_epochs=8, patience=3)


@pytest.fixture(scope="module")
def teacher():
    return teacher_pairs(3000, seed=1), teacher_pairs(300, seed=2), teacher_pairs(300, seed=3)


def test_learns_a_nonlinear_mapping_that_a_linear_fit_cannot(teacher):
    train, validation, test = teacher
    model = fit(train, validation, Params(hidden=128, depth=2, max_epochs=40, patience=10), seed=0)
    ours = evaluate(model.predict_many(test.video)[0], test.music)
    linear = evaluate(linear_baseline(train, test), test.music)
    mean = evaluate(np.repeat(train.music.mean(axis=0)[None, :], len(test), axis=0), test.music)
    assert ours.pool_size == linear.pool_size == 300
    # Measured: ours 0.99-1.00, linear 0.77, the mean predictor 0.01 (its rank is library order).
    assert ours.recall_at["3"] >= 0.9
    assert 0.6 <= linear.recall_at["3"] <= 0.88
    assert mean.recall_at["3"] <= 0.02
    assert ours.median_rank == 1.0


def test_recall_uses_the_matcher_and_its_tie_order():
    music = MUSIC.centers + MUSIC.scales * np.random.default_rng(0).normal(size=(50, 10))
    music[7] = music[3]  # a duplicate track later in the library
    predicted = music.copy()
    scores = evaluate(predicted, music)
    # Every target is its own track: rank 1, except the duplicate, which ties with row 3 and comes second.
    assert scores.recall_at["1"] == pytest.approx(49 / 50)
    assert scores.recall_at["3"] == 1.0
    ranks = TrackIndex(music).ranks_of(predicted, np.arange(50))
    assert ranks[7] == 2 and ranks[3] == 1
    for i in (3, 7, 20):
        settings = MatchSettings.create(top_k=50)
        order = list(TrackIndex(music).rank(predicted[i], settings).indices)
        assert order.index(i) + 1 == ranks[i]
    assert recall_from_ranks(np.array([1, 2, 4, 11])).to_json() == {
        "recall_at": {"1": 0.25, "3": 0.5, "5": 0.75, "10": 0.75}, "median_rank": 3.0, "pool_size": 4}


def test_training_is_reproducible(teacher):
    train, validation, _ = teacher
    a = fit(train.subset(np.arange(400)), validation, QUICK, seed=3)
    b = fit(train.subset(np.arange(400)), validation, QUICK, seed=3)
    assert all(torch.equal(x, y) for x, y in zip(a.net.state_dict().values(), b.net.state_dict().values(),
                                                 strict=True))


def test_search_resumes_from_its_study_and_reports_test_split(tmp_path):
    pairs = teacher_pairs(500, seed=4)
    study = tmp_path / "study.sqlite3"
    _, first = search_and_train(pairs, trials=2, seed=0, study_path=study, params=QUICK)
    assert first["trials"] == 2
    seen = []
    _, second = search_and_train(pairs, trials=3, seed=0, study_path=study, params=QUICK, out=tmp_path / "m.safetensors",
                                 progress=lambda f, m: seen.append(m))
    assert second["trials"] == 3  # one more trial, not three: the first two came from the file
    assert sum("Trial" in m for m in seen) == 1
    assert second["pool_size"] == 75 and second["validation"]["pool_size"] == 75  # 15 % each of 500
    assert set(second["recall_at"]) == {"1", "3", "5", "10"}
    assert set(second["best_params"]) >= {"hidden", "depth", "dropout", "learning_rate", "weight_decay", "w_main",
                                          "w_affect", "w_emotion", "batch_size"}
    card = (tmp_path / "m.md").read_text(encoding="utf-8")
    assert "Test split" in card and "R@3" in card and pairs.sha256 in card


def test_save_load_round_trip_and_refusals(tmp_path, teacher):
    train, validation, test = teacher
    model = fit(train.subset(np.arange(300)), validation, QUICK, seed=0)
    path = save_recommender(model, tmp_path / "r.safetensors")
    loaded = load_recommender(path)
    assert loaded.labels == model.labels and loaded.params == model.params
    np.testing.assert_array_equal(loaded.predict_many(test.video)[0], model.predict_many(test.video)[0])

    side = json.loads((tmp_path / "r.safetensors.json").read_text())
    (tmp_path / "r.safetensors.json").write_text(json.dumps({**side, "feature_schema": 99}))
    with pytest.raises(ModelError, match="schema 99; this build reads version 1 for schema 1"):
        load_recommender(path)
    (tmp_path / "r.safetensors.json").write_text(json.dumps(side))
    path.write_bytes(path.read_bytes()[:-8] + b"\0" * 8)
    with pytest.raises(ModelError, match="do not match their description"):
        load_recommender(path)
    with pytest.raises(ModelError, match="no such model file"):
        load_recommender(tmp_path / "missing.safetensors")
    (tmp_path / "x.safetensors").write_bytes(b"junk")
    (tmp_path / "x.safetensors.json").write_text('{"format": "other"}')
    with pytest.raises(ModelError, match="not a MusicMatch recommender"):
        load_recommender(tmp_path / "x.safetensors")


def test_default_model_follows_its_prior():
    model = load_recommender()  # the shipped file
    assert "training_data" in model.info and model.info["training_data"]["rows"] == 10_000
    example = np.array([float(v) for v in EXAMPLE_VIDEO.split(",")])
    prediction = model.predict(example)
    lows, highs = np.array([d.low for d in MUSIC]), np.array([d.high for d in MUSIC])
    assert ((prediction.features >= lows) & (prediction.features <= highs)).all()
    # Close to the written rules (the prior's noise is 10 % of each range; the fit is far closer).
    error = np.abs(prediction.features - prior_target(example)[0]) / (highs - lows)
    assert error.max() < 0.08, dict(zip(MUSIC.ids, error.round(3), strict=True))
    # The example is an exciting (arousal 67), unpleasant (valence -29) picture: energetic, negative music.
    assert prediction.features[MUSIC.index("arousal")] > 55 and prediction.features[MUSIC.index("valence")] < 0
    assert prediction.emotion == "tense"
    # And on fresh prior pairs it ranks far better than chance (1 % of a 300-track pool at R@3).
    fresh = prior_pairs(300, seed=99)
    assert evaluate(model.predict_many(fresh.video)[0], fresh.music).recall_at["3"] > 0.3


def test_pairs_csv_dialects_and_errors(tmp_path):
    pairs = teacher_pairs(40, seed=5)
    path = write_pairs_csv(tmp_path / "pairs.csv", pairs)
    back = read_pairs_csv(path)
    np.testing.assert_allclose(back.video, pairs.video, rtol=1e-5)
    np.testing.assert_allclose(back.music, pairs.music, rtol=1e-5, atol=1e-9)
    assert back.labels == pairs.labels and back.labels_given

    # Chinese and seed headers, shuffled columns, no label column: labels from the quadrant.
    names = [d.label_zh for d in VIDEO] + [d.seed_name for d in MUSIC]
    order = np.random.default_rng(0).permutation(21)
    rows = [",".join(names[i] for i in order)]
    rows += [",".join(f"{np.concatenate([v, m])[i]:.6g}" for i in order) for v, m in zip(pairs.video, pairs.music,
                                                                                         strict=True)]
    (tmp_path / "zh.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    zh = read_pairs_csv(tmp_path / "zh.csv")
    np.testing.assert_allclose(zh.music, pairs.music, rtol=1e-5, atol=1e-9)
    assert not zh.labels_given and set(zh.labels) <= {"joyful", "tense", "sad", "calm"}

    # Headerless: 11 + 10 numbers.
    (tmp_path / "bare.csv").write_text("\n".join(",".join(f"{x:.6g}" for x in np.concatenate([v, m]))
                                                for v, m in zip(pairs.video, pairs.music, strict=True)))
    assert len(read_pairs_csv(tmp_path / "bare.csv")) == 40

    (tmp_path / "missing.csv").write_text(",".join(VIDEO.ids) + ",richness\n" + "1," * 11 + "1\n")
    with pytest.raises(InputError, match="header lacks the columns music variation"):
        read_pairs_csv(tmp_path / "missing.csv")
    text = path.read_text().splitlines()
    text[3] = text[3].replace(text[3].split(",")[2], "nan", 1)
    (tmp_path / "nan.csv").write_text("\n".join(text))
    with pytest.raises(InputError, match=r"line 4, narrative_pace: not a finite number: 'nan'"):
        read_pairs_csv(tmp_path / "nan.csv")
    with pytest.raises(InputError, match="too few to split"):
        split_pairs(20, 0)


def test_cli_predict_train_evaluate(tmp_path, capsys):
    assert main(["predict", "--video-feat", EXAMPLE_VIDEO, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc["features"]) == set(MUSIC.ids) and doc["emotion"] == "tense"
    # A leading minus sign is a value (image affinity first would make it negative).
    assert main(["predict", "--video-feat", "-1," + EXAMPLE_VIDEO.split(",", 1)[1]]) == 0
    capsys.readouterr()
    csv = tmp_path / "videos.csv"
    csv.write_text("file," + ",".join(VIDEO.ids) + "\na.mp4," + EXAMPLE_VIDEO + "\nb.mp4," + EXAMPLE_VIDEO + "\n")
    assert main(["predict", "--video-csv", str(csv), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    assert main(["predict", "--video-feat", "1,2,3"]) == 2
    assert "11" in capsys.readouterr().err

    pairs_csv = write_pairs_csv(tmp_path / "pairs.csv", teacher_pairs(200, seed=6))
    out = tmp_path / "mine.safetensors"
    assert main(["train", "--pairs", str(pairs_csv), "--base", "none", "--trials", "0", "--out", str(out),
                 "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["model"] == str(out) and report["pool_size"] == 30 and out.exists()
    held_out = write_pairs_csv(tmp_path / "held.csv", teacher_pairs(100, seed=7))
    assert main(["evaluate", "--pairs", str(held_out), "--model", str(out), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["pool_size"] == 100 and 0 <= scores["recall_at"]["3"] <= 1

    few = write_pairs_csv(tmp_path / "few.csv", teacher_pairs(12, seed=8))
    assert main(["train", "--pairs", str(few), "--base", "none", "--out", str(tmp_path / "x.safetensors")]) == 2
    assert "at least 30" in capsys.readouterr().err
    assert main(["evaluate", "--pairs", str(tmp_path / "none.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_cli_recommend_end_to_end(tmp_path, capsys):
    clip = write_clip(tmp_path / "clip.mp4", ClipSpec(seconds=3, shot_seconds=1.0, object_speed=0.4))
    library = prior_pairs(30, seed=1)
    audio_csv = write_library_csv(tmp_path / "lib.csv", library.music, [f"track_{i}.wav" for i in range(30)])
    assert main(["recommend", str(clip), "--audio-csv", str(audio_csv), "--top-k", "3", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["rank"] for r in doc["results"]] == [1, 2, 3]
    assert set(doc["target"]["features"]) == set(MUSIC.ids)
    assert doc["video"]["features"]["narrative_pace"] > 0
    # The target is the default model's prediction for the measured video features.
    video = np.array([doc["video"]["features"][d] for d in VIDEO.ids])
    expected = load_recommender().predict(video).features
    np.testing.assert_allclose([doc["target"]["features"][d] for d in MUSIC.ids], expected, rtol=1e-6)
    assert main(["recommend", str(tmp_path / "lib.csv"), "--audio-csv", str(audio_csv)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
