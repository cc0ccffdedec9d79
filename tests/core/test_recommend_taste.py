"""Learning the editor's taste: adaptation from few picks, honest before/after figures, profiles, bad input."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from core.cli import main
from core.errors import InputError, ModelError
from core.features import MUSIC, VIDEO
from core.recommend.adapt import adapt, check_picks, fit_correction, with_correction
from core.recommend.editors import EDITORS, editor_picks
from core.recommend.model import load_recommender, save_recommender
from core.recommend.pairs import Pairs, write_pairs_csv
from core.recommend.profiles import ProfileStore
from core.recommend.taste import _verdict, cross_validate, learn
from core.recommend.training import evaluate, recall_from_ranks


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path, monkeypatch):
    """Profiles live in the user data folder: every test gets its own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture(scope="module")
def base():
    return load_recommender()


def _recall3(model, test: Pairs) -> float:
    return evaluate(model.predict_many(test.video)[0], test.music).recall_at["3"]


@pytest.mark.parametrize("editor", ["agreeing", "noisy"])
@pytest.mark.parametrize("picks", [5, 10, 30])
def test_an_editor_who_agrees_with_the_base_loses_nothing(base, editor, picks):
    for seed in range(2):
        training = editor_picks(editor, picks, seed=1000 * seed + picks)
        test = editor_picks(editor, 100, seed=999_000 + seed)
        adapted, _ = adapt(base, training, seed=seed)
        before, after = _recall3(base, test), _recall3(adapted, test)
        if EDITORS[editor].noise <= 0.05:
            # Measured 1.00 and 1.00 on every seed: the correction stays at zero or nearly.
            assert after >= before, (editor, picks, seed, before, after)
        else:
            # Picks three times as scattered: the correction may fit a little noise (measured worst 0.78x at
            # 10 picks, which the verdict then refuses); what is served never falls below 0.9x on average.
            served = after if learn(base, training, seed=seed).accepted else before
            assert served >= 0.75 * before, (editor, picks, seed, before, after)


def test_an_editor_who_differs_is_served_better_after_10_and_nearly_perfectly_after_30(base):
    for editor in ("warm-dark", "counterpoint", "colour-tempo"):
        test = editor_picks(editor, 100, seed=424_242)
        before = _recall3(base, test)
        after_10 = np.mean([_recall3(adapt(base, editor_picks(editor, 10, seed=s))[0], test) for s in range(3)])
        after_30 = _recall3(adapt(base, editor_picks(editor, 30, seed=7))[0], test)
        # Measured: base 0.33-0.79; after 10 picks 0.66-1.00; after 30 picks 1.00.
        assert before <= 0.85
        assert after_10 >= before + 0.12, (editor, before, after_10)
        assert after_30 >= 0.95, (editor, after_30)


def test_learn_measures_before_and_after_on_held_out_picks_and_judges(base):
    picks = editor_picks("warm-dark", 12, seed=3)
    result = learn(base, picks, seed=0)
    assert result.scheme == "leave-one-out over 12 picks"
    assert result.base.pool_size == result.adapted.pool_size == 12
    # Measured: base R@1 0.67, adapted 1.00 (R@3 is 1.00 for both in a pool of 12).
    assert result.adapted.recall_at["1"] > result.base.recall_at["1"] and result.accepted
    assert result.adapted.recall_at["3"] >= result.base.recall_at["3"]
    assert "better than its base" in result.reason and "Recall@1 1.00 vs 0.67" in result.reason
    document = result.to_json()
    assert document["base"]["pool_size"] == 12 and document["accepted"] is True
    assert "warmth" in result.model.info["adaptation"]["correction"]["corrected_dims"]


def test_cross_validation_never_lets_a_fold_see_its_own_pick(base):
    picks = editor_picks("agreeing", 8, seed=1)
    seen: list[np.ndarray] = []

    def spy(rows: np.ndarray):
        seen.append(rows)
        return base

    before, after, scheme = cross_validate(base, picks, spy)
    assert scheme == "leave-one-out over 8 picks"
    assert len(seen) == 8 and all(i not in rows and len(rows) == 7 for i, rows in enumerate(seen))
    assert before.to_json() == after.to_json()  # the "adapted" model here is the base itself


def test_a_worse_model_is_refused_with_its_figures():
    worse = recall_from_ranks(np.array([1, 4, 5, 6, 2]))
    better = recall_from_ranks(np.array([1, 1, 2, 3, 2]))
    accepted, reason = _verdict(better, worse)
    assert not accepted
    assert "lower than its base" in reason and "Recall@3 0.40 vs 1.00" in reason and "base is kept" in reason
    assert _verdict(worse, better)[0]
    same = _verdict(better, better)
    assert same[0] and "agree with the base" in same[1]
    mixed = _verdict(recall_from_ranks(np.array([1, 3, 4, 2, 9])), recall_from_ranks(np.array([2, 2, 2, 2, 9])))
    assert mixed[0] and mixed[1].startswith("mixed:") and "Recall@1 0.00 vs 0.20" in mixed[1]


def test_a_correction_composes_with_an_earlier_one(base):
    first = with_correction(base, fit_correction(base, editor_picks("warm-dark", 20, seed=1)))
    picks = editor_picks("counterpoint", 20, seed=2)
    correction = fit_correction(first, picks)
    composed = with_correction(first, correction)
    # The composed layer must equal applying the second correction to the first model's output.
    video = editor_picks("agreeing", 50, seed=5).video
    x = first.standardise(video).double().numpy()
    z1 = (first.predict_many(video)[0] - MUSIC.centers) / MUSIC.scales
    expected = z1 + np.column_stack([np.ones(len(video)), z1, x]) @ correction.coef
    got = (composed.predict_many(video)[0] - MUSIC.centers) / MUSIC.scales
    # Predictions are clipped to the documented ranges: compare where nothing was clipped on the way.
    inside = (np.abs(z1) < 0.999).all(axis=1)[:, None] & (np.abs(expected) < 0.999)
    assert inside.sum() > 100
    assert np.allclose(got[inside], expected[inside], atol=1e-4)


def test_an_adapted_model_saves_and_loads_exactly(base, tmp_path):
    model, _ = adapt(base, editor_picks("warm-dark", 10, seed=4))
    model.info = {"trained": "2026-11-30"}
    path = save_recommender(model, tmp_path / "anna.safetensors")
    again = load_recommender(path)
    video = editor_picks("agreeing", 20, seed=9).video
    assert again.params.adapted and np.array_equal(again.predict_many(video)[0], model.predict_many(video)[0])
    # The shipped model has no correction layer and still loads as before.
    assert not base.params.adapted and base.net.correction is None


def test_the_emotion_shown_follows_the_adapted_target(base):
    picks = editor_picks("counterpoint", 30, seed=1)
    model, _ = adapt(base, picks)
    busy = np.array([[d.high if d.id in ("visual_arousal", "action_energy", "narrative_pace") else d.center
                      for d in VIDEO]])
    prediction = model.predict(busy[0])
    assert prediction.features[MUSIC.index("arousal")] < MUSIC["arousal"].center  # calm music on a busy picture
    assert prediction.emotion in ("calm", "sad") and base.predict(busy[0]).emotion in ("joyful", "tense")


def test_bad_picks_are_refused_with_a_clear_message(base):
    with pytest.raises(InputError, match="4 picks: learning your taste needs at least 5"):
        check_picks(editor_picks("agreeing", 4))
    picks = editor_picks("agreeing", 8, seed=2)
    doubled = Pairs.from_arrays(np.vstack([picks.video, picks.video[2:3]]), np.vstack([picks.music, picks.music[2:3]]))
    with pytest.raises(InputError, match="picks 3 and 9 are the same"):
        check_picks(doubled)
    lows, highs = np.array([d.low for d in MUSIC]), np.array([d.high for d in MUSIC])
    happy = MUSIC.centers + 0.9 * (highs - MUSIC.centers)
    sad = MUSIC.centers + 0.9 * (lows - MUSIC.centers)
    contradictory = Pairs.from_arrays(np.vstack([picks.video[:7], VIDEO.centers, VIDEO.centers]),
                                      np.vstack([picks.music[:7], happy, sad]))
    [warning] = check_picks(contradictory)
    assert "picks 8 and 9 are for the same video but contradict each other" in warning
    assert "learns their average" in warning
    with pytest.raises(InputError, match="at least 5"):
        learn(base, editor_picks("agreeing", 3))


def test_finetuning_from_100_picks_is_validated_before_it_is_kept(base):
    picks = editor_picks("threshold", 120, seed=1)
    model, summary = adapt(base, picks, seed=0)
    tune = summary["finetune"]
    assert tune["validation_picks"] == 24 and tune["trials"] == 0
    figures = tune["validation_recall_at_3"]
    if summary["stage"] == "correction + fine-tuning":
        assert figures["finetuned"] >= figures["correction"]
    else:
        assert tune["kept"] is False
    test = editor_picks("threshold", 100, seed=5)
    assert _recall3(model, test) > _recall3(base, test)


def test_profiles_switch_rename_reset(base, tmp_path):
    store = ProfileStore(tmp_path / "store")
    assert store.names() == [] and store.active_name() is None
    result = learn(base, editor_picks("warm-dark", 10, seed=1), source="test picks")
    store.save(result.model, "Anna")
    assert store.active_name() == "Anna"
    card = (store.folder / "Anna.md").read_text(encoding="utf-8")
    assert "Picks used: 10" in card and "leave-one-out over 10 picks" in card and "warmth" in card
    [profile] = store.profiles()
    assert profile.active and profile.picks == 10 and profile.held_out_recall_at_3 == result.adapted.recall_at["3"]
    video = editor_picks("agreeing", 5, seed=2).video
    assert np.array_equal(store.load().predict_many(video)[0], result.model.predict_many(video)[0])
    store.rename("Anna", "Show 2")
    assert store.names() == ["Show 2"] and store.active_name() == "Show 2"
    store.reset()
    assert store.active_name() is None
    assert np.array_equal(store.load().predict_many(video)[0], base.predict_many(video)[0])
    with pytest.raises(InputError, match="profile name"):
        store.save(result.model, "../escape")
    with pytest.raises(ModelError, match="no taste profile named 'Bob'"):
        store.load("Bob")
    store.delete("Show 2")
    assert store.names() == []


def test_cli_train_adapts_saves_a_profile_and_predict_uses_it(tmp_path, capsys):
    picks = write_pairs_csv(tmp_path / "picks.csv", editor_picks("warm-dark", 20, seed=3))
    example = "60.75,66.2,54,56.8,-16.5,66.8,0.38,0.97,0.29,67.14,-29.29"
    assert main(["predict", "--video-feat", example, "--json"]) == 0
    before = json.loads(capsys.readouterr().out)["features"]
    assert main(["train", "--pairs", str(picks), "--profile", "Anna", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["accepted"] and report["evaluation"] == "leave-one-out over 20 picks"
    # Measured: base R@3 0.90, adapted 1.00 among the 20 picks' tracks.
    assert report["recall_at"]["3"] > report["base"]["recall_at"]["3"] and report["pool_size"] == 20
    assert report["model"].endswith("Anna.safetensors")
    assert main(["predict", "--video-feat", example, "--json"]) == 0
    after = json.loads(capsys.readouterr().out)["features"]
    assert after["warmth"] > before["warmth"] + 1.0 and after["brightness"] < before["brightness"] - 5
    assert main(["predict", "--video-feat", example, "--model", "Anna", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["features"] == after
    # Text output names the base and both figures.
    assert main(["train", "--pairs", str(picks), "--profile", "Anna2", "--base", "Anna"]) == 0
    text = capsys.readouterr().out
    assert "Base: profile Anna" in text and "Base model, held out" in text and "Adapted model, held out" in text


def test_cli_train_bad_input(tmp_path, capsys):
    few = write_pairs_csv(tmp_path / "few.csv", editor_picks("agreeing", 3, seed=1))
    assert main(["train", "--pairs", str(few)]) == 2
    assert "few.csv: 3 pairs; at least 5 are needed" in capsys.readouterr().err
    base = load_recommender()
    other = save_recommender(base, tmp_path / "old.safetensors")
    side = json.loads((tmp_path / "old.safetensors.json").read_text())
    side["feature_schema"] = 99
    (tmp_path / "old.safetensors.json").write_text(json.dumps(side))
    picks = write_pairs_csv(tmp_path / "picks.csv", editor_picks("agreeing", 6, seed=1))
    assert main(["train", "--pairs", str(picks), "--base", str(other)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "schema 99" in err
    assert main(["train", "--pairs", str(picks), "--base", "Nobody"]) == 2
    assert "no taste profile named 'Nobody'" in capsys.readouterr().err
    assert main(["train", "--pairs", str(picks), "--out", str(tmp_path / "x.safetensors"), "--profile", "A"]) == 2
    assert "not both" in capsys.readouterr().err


def test_cli_profiles(tmp_path, capsys):
    picks = write_pairs_csv(tmp_path / "picks.csv", editor_picks("warm-dark", 8, seed=2))
    assert main(["train", "--pairs", str(picks), "--profile", "Show 1", "--json"]) == 0
    capsys.readouterr()
    assert main(["profile", "list", "--json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["name"] == "Show 1" and entry["active"] and entry["picks"] == 8
    assert main(["profile", "rename", "Show 1", "Show 2"]) == 0
    assert main(["profile", "show", "Show 2"]) == 0
    assert "# MusicMatch taste profile: Show 2" in capsys.readouterr().out
    assert main(["profile", "reset"]) == 0
    capsys.readouterr()
    assert main(["profile", "list"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[0] == "* default (the shipped model)"
    assert shown[1].startswith("  Show 2: 8 picks") and "held-out R@3" in shown[1]
    assert main(["profile", "use", "Nobody"]) == 2
    assert "no taste profile named 'Nobody'" in capsys.readouterr().err
    assert main(["profile", "delete", "Show 2"]) == 0
    assert ProfileStore().names() == []


def test_learning_from_projects_names_the_picks_left_out(base, tmp_path):
    from core.project import Pick, Project, VideoRef, save_project
    from core.recommend.taste import learn_from_projects

    picks = editor_picks("warm-dark", 8, seed=6)
    for n in range(8):
        video = VideoRef(path=f"/clips/{n}.mp4", content_hash=f"v{n}",
                         features=dict(zip(VIDEO.ids, picks.video[n], strict=True)))
        chosen = Pick(track_path=f"/music/{n}.wav", content_hash=f"t{n}",
                      features=dict(zip(MUSIC.ids, picks.music[n], strict=True)))
        missing = Pick(track_path=f"/music/gone{n}.wav")  # a track that was never analysed
        save_project(Project(video=video, picks=[chosen, missing]), tmp_path / f"p{n}.mmproj")
    result = learn_from_projects(base, [tmp_path])
    assert result.adapted.pool_size == 8
    assert result.warnings[0].startswith("8 picks left out: their track has no features")
    for n in range(2, 8):
        (tmp_path / f"p{n}.mmproj").unlink()
    with pytest.raises(InputError, match=r"2 project file\(s\) hold 2 usable picks.*at least 5; 2 picks left out"):
        learn_from_projects(base, [tmp_path])


def test_the_search_runs_only_with_enough_picks(base, monkeypatch):
    import core.recommend.adapt as adapt_module
    from core.recommend.adapt import AdaptSettings

    quick = AdaptSettings(finetune_epochs=3, finetune_patience=2)
    picks = editor_picks("threshold", 60, seed=2)
    monkeypatch.setattr(adapt_module, "FINETUNE_MIN", 40)
    monkeypatch.setattr(adapt_module, "SEARCH_MIN", 61)
    _, summary = adapt(base, picks, trials=2, settings=quick)
    assert summary["finetune"]["trials"] == 0  # 60 picks: fixed settings, whatever --trials says
    assert summary["finetune"]["learning_rate"] == quick.finetune_learning_rate
    monkeypatch.setattr(adapt_module, "SEARCH_MIN", 60)
    _, summary = adapt(base, picks, trials=2, settings=quick)
    assert summary["finetune"]["trials"] == 2 and summary["finetune"]["learning_rate"] != quick.finetune_learning_rate


def test_picks_take_the_library_s_current_features(tmp_path):
    from core.library.db import LibraryDB, TrackRecord
    from core.project import Pick, Project, VideoRef, save_project
    from core.recommend.projects import collect_picks

    picks = editor_picks("agreeing", 4, seed=1)
    for n in range(4):
        video = VideoRef(path=f"/clips/{n}.mp4", content_hash=f"v{n}",
                         features=dict(zip(VIDEO.ids, picks.video[n], strict=True)))
        save_project(Project(video=video, picks=[Pick(track_path=f"/music/{n}.wav", content_hash=f"t{n}",
                                                      features=dict(zip(MUSIC.ids, picks.music[n], strict=True)))]),
                     tmp_path / f"p{n}.mmproj")
    new = picks.music[1] + 1.0  # track 1 analysed again since
    records = [TrackRecord(path=f"/music/{n}.wav", source="scan", size=1, mtime_ns=1, content_hash=f"t{n}",
                           duration_s=30.0, title="", artist="", album="", features=features, tempo_bpm=None, key=None,
                           beats=np.zeros(0), energy=np.zeros(0), sections=[], error=error)
               for n, features, error in ((0, picks.music[0], None), (1, new, None), (2, None, "decode failed"))]
    with LibraryDB(tmp_path / "lib.sqlite") as db:
        for record in records:
            db.upsert(record)
        library = list(db.records(with_errors=True))
    harvest = collect_picks([tmp_path], library=library)
    assert len(harvest.pairs) == 3  # track 2 failed its analysis: left out
    assert np.allclose(harvest.pairs.music[1], new) and np.allclose(harvest.pairs.music[0], picks.music[0])
    assert harvest.skipped["re-analysed"] == 1 and harvest.skipped["not in the library"] == 1
    assert harvest.skipped["no track features"] == 1
    notes = " | ".join(harvest.notes())
    assert "1 pick left out: their track has no features" in notes and "analysed again" in notes
    assert "not in the library" in notes
    assert len(collect_picks([tmp_path]).pairs) == 4  # without the library: the saved vectors


def test_scattered_picks_that_only_fit_noise_are_refused(base):
    # Measured with these picks: the correction would serve 0.63 Recall@3 on new videos instead of the base's 0.67.
    picks = editor_picks("noisy", 10, seed=10)
    result = learn(base, picks)
    assert not result.accepted
    assert result.adapted.target_error > result.base.target_error
    assert result.reason.endswith("the base is kept")
    assert result.to_json()["base"]["target_error"] == round(result.base.target_error, 5)
    same_ranks = recall_from_ranks(np.array([1, 2, 3]))
    accepted, reason = _verdict(replace(same_ranks, target_error=0.1), replace(same_ranks, target_error=0.2))
    assert not accepted and "mean squared error 0.200 vs 0.100" in reason and "no consistent difference" in reason
    assert _verdict(same_ranks, replace(same_ranks, target_error=0.2))[0]  # no base error: nothing to compare
