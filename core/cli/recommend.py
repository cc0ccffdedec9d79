"""``musicmatch predict | train | evaluate | recommend``: the recommender on the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from core.cli.common import print_json, terminal_progress
from core.cli.match import (
    add_library_options,
    add_match_options,
    format_text,
    load_library,
    reason_lines,
    reasons_for,
    result_json,
    settings_from_args,
    taste_from_args,
)
from core.errors import InputError
from core.features import MUSIC, VIDEO, parse_vector
from core.fileio import check_output_path

__all__ = ["add_parser"]


def _add_model_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", metavar="PATH", default=None,
                        help="recommender weights (.safetensors) or a taste profile's name "
                             "(default: the model in use: the active profile, else the shipped one)")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    predict = subparsers.add_parser(
        "predict",
        help="predict the 10-d music target for video feature vectors",
        description="Map 11 video features to the 10 music features that fit them, and the music's emotion.",
    )
    source = predict.add_mutually_exclusive_group(required=True)
    source.add_argument("--video-feat", "--video_feat", dest="video_feat", metavar="V1,...,V11",
                        help="one video vector, 11 comma-separated numbers in SPEC order")
    source.add_argument("--video-csv", "--video_csv", dest="video_csv", metavar="FILE",
                        help="CSV of video vectors (header with feature ids or labels, or 11 numbers per row)")
    _add_model_option(predict)
    predict.add_argument("--json", action="store_true", help="print one JSON document")
    predict.set_defaults(handler=run_predict)

    train = subparsers.add_parser(
        "train",
        help="learn the editor's taste from (video, music) pairs or project picks",
        description=(
            "By default, adapt the model in use (the active taste profile, else the shipped one) to the "
            "pairs, from 5 of them: a shrunk correction of its targets, and fine-tuning of the network from "
            "100 pairs. Recall@K and median rank before and after are measured by cross-validation on the "
            "pairs; a model worse than its base is not saved (unless --force). With --base none, train "
            "from scratch (at least 30 pairs): split into training, validation and test sets, search "
            "hyper-parameters with Optuna (--trials), and report the test split's figures."
        ),
    )
    data = train.add_mutually_exclusive_group(required=True)
    data.add_argument("--pairs", metavar="CSV", help="11 video columns, 10 music columns, optional audio_label")
    data.add_argument("--from-projects", "--from_projects", dest="from_projects", nargs="+", metavar="PATH",
                      help="learn from the picks in these .mmproj files (or folders of them)")
    train.add_argument("--base", default="default", metavar="default|PATH|none",
                       help="model to adapt: default = the model in use (active profile, else the shipped one), "
                            "a weights file or a profile name, or none to train from scratch")
    train.add_argument("--trials", type=int, default=20, metavar="N",
                       help="Optuna trials (default 20; 0 = fixed settings). Adapting searches only from "
                            "200 pairs (fine-tuning settings); from scratch always")
    train.add_argument("--out", default=None, metavar="PATH",
                       help="weights file (default: the taste profile named by --profile)")
    train.add_argument("--profile", default=None, metavar="NAME",
                       help="save as this taste profile and use it from now on (default 'mine' when no --out)")
    train.add_argument("--db", default=None, metavar="PATH",
                       help="with --from-projects: take each picked track's current features from this library "
                            "(tracks analysed again since they were picked)")
    train.add_argument("--force", action="store_true",
                       help="save (and use) the adapted model even when it ranks the held-out picks worse")
    train.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the split and training")
    train.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    train.add_argument("--workers", type=int, default=None, metavar="N",
                       help="search processes side by side (default: one per CPU core, at most 4)")
    train.add_argument("--json", action="store_true", help="print one JSON document")
    train.set_defaults(handler=run_train)

    evaluate = subparsers.add_parser(
        "evaluate",
        help="Recall@K and median rank of a model on pairs",
        description=(
            "Predict a target for every pair's video and rank the pool of all the pairs' tracks with the "
            "app's matcher: Recall@K is the share of videos whose own track is in the top K, MedR the "
            "median rank of the own track. Use pairs the model was not trained on."
        ),
    )
    evaluate.add_argument("--pairs", required=True, metavar="CSV")
    _add_model_option(evaluate)
    evaluate.add_argument("--json", action="store_true", help="print one JSON document")
    evaluate.set_defaults(handler=run_evaluate)

    profile = subparsers.add_parser(
        "profile",
        help="taste profiles: list, use, rename, delete, reset to the shipped model",
        description=("Named models learned from an editor's picks (musicmatch train --profile NAME). The profile "
                     "in use is what predict, recommend and train --base default use; reset goes back to the "
                     "shipped model and keeps the profiles."),
    )
    actions = profile.add_subparsers(dest="profile_command", metavar="ACTION", required=True,
                                     parser_class=type(profile))
    listing = actions.add_parser("list", help="the profiles, with picks used and held-out Recall@3")
    listing.add_argument("--json", action="store_true", help="print one JSON document")
    actions.add_parser("use", help="use this profile from now on").add_argument("name", metavar="NAME")
    actions.add_parser("show", help="print a profile's model card").add_argument("name", metavar="NAME")
    rename = actions.add_parser("rename", help="rename a profile")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    actions.add_parser("delete", help="delete a profile").add_argument("name", metavar="NAME")
    actions.add_parser("reset", help="use the shipped model again (profiles are kept)")
    profile.set_defaults(handler=run_profile)

    recommend = subparsers.add_parser(
        "recommend",
        help="analyse a video and rank the library against the music it calls for",
        description="Extract the video's 11 features, predict the music target, and rank the library.",
    )
    recommend.add_argument("video", metavar="VIDEO")
    add_library_options(recommend)
    add_match_options(recommend)
    _add_model_option(recommend)
    recommend.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    recommend.add_argument("--pick", default=None, metavar="RANK,RANK...",
                           help="pick these ranks of the list (e.g. 1,3) into the project")
    recommend.add_argument("--save-project", "--save_project", dest="save_project", default=None,
                           metavar="FILE.mmproj", help="save the video, target, settings and picks as a project")
    recommend.add_argument("--any-length", "--any_length", dest="any_length", action="store_true",
                           help="rank tracks shorter than the clip by distance alone "
                                "(by default they come after every track that covers the clip)")
    recommend.set_defaults(handler=run_recommend)


def _load(path: str | None, device: str = "cpu"):
    """The model named by ``--model``: a weights file, a taste profile's name, or None (the model in use:
    the active taste profile, else the shipped one)."""
    from core.recommend.model import load_recommender
    from core.recommend.profiles import ProfileStore

    if path is None or (not Path(path).exists() and not path.endswith(".safetensors")):
        return ProfileStore().load(path, device=device)
    return load_recommender(path, device=device)


def _device(name: str) -> str:
    from core.video.batch import resolve_device

    return str(resolve_device(name))


def run_predict(args: argparse.Namespace) -> int:
    from core.recommend.pairs import read_video_csv

    model = _load(args.model)
    if args.video_feat is not None:
        video = parse_vector(args.video_feat, VIDEO, what="--video-feat")[None, :]
        names = None
    else:
        names, video = read_video_csv(args.video_csv)
    predictions = [model.predict(row) for row in video]
    if args.json:
        documents = [p.to_json() for p in predictions]
        print_json(documents[0] if names is None else documents)
        return 0
    for i, prediction in enumerate(predictions):
        if names is not None:
            print(f"{names[i]}:")
        print("  " + ",".join(f"{v:.4g}" for v in prediction.features) + f"   ({prediction.emotion})")
    return 0


def _read_training_pairs(args: argparse.Namespace, minimum: int):
    """(pairs, source text); notes about picks left out go to stderr."""
    from core.recommend.pairs import read_pairs_csv

    if args.pairs is not None:
        if args.db is not None:
            raise InputError("--db goes with --from-projects (a pairs CSV carries its own music features)")
        return read_pairs_csv(args.pairs, minimum=minimum), str(args.pairs)
    from core.recommend.projects import collect_picks

    library = None
    if args.db is not None:
        from core.library.db import LibraryDB

        with LibraryDB(args.db, create=False) as db:
            library = list(db.records(with_errors=True))
    harvest = collect_picks(args.from_projects, library=library)
    for note in harvest.notes():
        sys.stderr.write(f"musicmatch train: {note}\n")
    return harvest.pairs, (f"picks from {harvest.files} project file(s): "
                           f"{', '.join(map(str, args.from_projects))}")


def run_train(args: argparse.Namespace) -> int:
    from core.recommend.search import default_workers

    if args.trials < 0:
        raise InputError(f"--trials must be 0 or more, got {args.trials}")
    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers must be at least 1, got {args.workers}")
    if args.base.strip().lower() != "none":
        return _run_adapt(args)
    from core.recommend.training import MIN_PAIRS, search_and_train

    pairs, source = _read_training_pairs(args, 1)
    if len(pairs) < MIN_PAIRS:
        raise InputError(f"--base none trains from scratch and needs at least {MIN_PAIRS} pairs, got {len(pairs)} "
                         "(leave out --base none to adapt the model in use, from 5 pairs)")
    out = _output_path(args)
    study = out.with_name(out.stem + ".study.sqlite3")
    _, result = search_and_train(pairs, trials=args.trials, seed=args.seed, out=out, study_path=study,
                                 device=_device(args.device), source=source,
                                 workers=args.workers or default_workers(),
                                 progress=None if args.json else terminal_progress(per_second=4))
    if args.profile is not None or args.out is None:
        from core.recommend.profiles import ProfileStore

        ProfileStore().use(args.profile or "mine")
    if args.json:
        print_json(result)
        return 0
    _print_scores("Test split", result)
    _print_scores("Validation split", result["validation"])
    print(f"Saved {result['model']} (+ .json side file, model card {Path(result['model']).with_suffix('.md')})")
    return 0


def _output_path(args: argparse.Namespace) -> Path:
    if args.out is not None and args.profile is not None:
        raise InputError("give either --out PATH or --profile NAME, not both")
    if args.out is not None:
        return check_output_path(args.out, inputs=(getattr(args, "pairs", None),))
    from core.recommend.profiles import ProfileStore

    return ProfileStore().path(args.profile or "mine")


def _load_base(name: str, device: str):
    """The base named by ``--base``: default (the model in use), a weights file, or a profile name."""
    from core.recommend.profiles import ProfileStore

    store = ProfileStore()
    if name == "default":
        return store.load(None, device=device), store.active_name() or "default (shipped)"
    if Path(name).is_file() or name.endswith(".safetensors"):
        return _load(name, device), name
    return store.load(name, device=device), f"profile {name}"


def _run_adapt(args: argparse.Namespace) -> int:
    from core.recommend.taste import learn

    out = _output_path(args)
    device = _device(args.device)
    base, base_name = _load_base(args.base.strip(), device)
    from core.recommend.adapt import MIN_PICKS

    # A pairs CSV with too few rows is named in the message; picks from projects are counted after collecting.
    pairs, source = _read_training_pairs(args, MIN_PICKS if args.pairs is not None else 1)
    result = learn(base, pairs, base_name=base_name, source=source, trials=args.trials, seed=args.seed,
                   progress=None if args.json else terminal_progress(per_second=4))
    document = result.to_json()
    for warning in result.warnings:
        sys.stderr.write(f"musicmatch train: note: {warning}\n")
    if result.accepted or args.force:
        if args.out is None:
            from core.recommend.profiles import ProfileStore

            saved = ProfileStore().save(result.model, args.profile or "mine", activate=True)
        else:
            from core.recommend.model import save_recommender
            from core.recommend.profiles import write_taste_card

            saved = save_recommender(result.model, out)
            write_taste_card(result.model, saved.with_suffix(".md"), name=saved.stem)
        document["model"] = str(saved)
    if args.json:
        print_json(document)
        return 0
    print(f"Base: {base_name}; {result.scheme}; stage: {result.summary.get('stage')}")
    _print_scores("Base model, held out", document["base"])
    _print_scores("Adapted model, held out", document)
    print(("Accepted: " if result.accepted else "Refused: ") + result.reason)
    if document["model"] is not None:
        note = " (kept although worse: --force)" if not result.accepted else ""
        print(f"Saved {document['model']}{note} (+ .json side file, model card "
              f"{Path(document['model']).with_suffix('.md')})")
    else:
        print("Nothing saved (use --force to save it anyway)")
    return 0


def run_profile(args: argparse.Namespace) -> int:
    from core.recommend.profiles import ProfileStore

    store = ProfileStore()
    command = args.profile_command
    if command == "list":
        profiles = store.profiles()
        if args.json:
            print_json([{"name": p.name, "path": str(p.path), "active": p.active, "picks": p.picks,
                         "trained": p.trained, "held_out_recall_at_3": p.held_out_recall_at_3, "base": p.base}
                        for p in profiles])
            return 0
        print(("  " if store.active_name() else "* ") + "default (the shipped model)")
        for p in profiles:
            recall = f"held-out R@3 {p.held_out_recall_at_3:.2f}" if p.held_out_recall_at_3 is not None else ""
            print(f"{'*' if p.active else ' '} {p.name}: {p.picks or '?'} picks, {p.trained or '?'}, "
                  f"base {p.base or '?'} {recall}".rstrip())
    elif command == "use":
        store.use(args.name)
        print(f"Now using the taste profile {args.name}")
    elif command == "show":
        card = store.path(args.name).with_suffix(".md")
        if not card.is_file():
            raise InputError(f"no taste profile named {args.name!r} (profiles: {', '.join(store.names()) or 'none'})")
        print(card.read_text(encoding="utf-8"))
    elif command == "rename":
        store.rename(args.old, args.new)
        print(f"Renamed {args.old} to {args.new}")
    elif command == "delete":
        store.delete(args.name)
        print(f"Deleted the taste profile {args.name}")
    else:
        store.reset()
        print("Now using the shipped model")
    return 0


def _print_scores(title: str, scores: dict) -> None:
    recall = scores["recall_at"]
    print(f"{title} ({scores['pool_size']} tracks): " + "  ".join(f"R@{k} {v:.3f}" for k, v in recall.items())
          + f"  MedR {scores['median_rank']:g}")


def run_evaluate(args: argparse.Namespace) -> int:
    from core.recommend.pairs import read_pairs_csv
    from core.recommend.training import evaluate

    pairs = read_pairs_csv(args.pairs, minimum=2)
    model = _load(args.model)
    predicted, _ = model.predict_many(pairs.video)
    scores = evaluate(predicted, pairs.music)
    result = {**scores.to_json(), "best_params": model.info.get("best_params", {}),
              "model": str(args.model) if args.model else "default"}
    if args.json:
        print_json(result)
    else:
        _print_scores(f"{args.pairs}", result)
    return 0


def run_recommend(args: argparse.Namespace) -> int:
    from core.pipeline import recommend_video

    settings = settings_from_args(args)
    ranks = _parse_ranks(args.pick) if args.pick is not None else []
    if ranks and args.save_project is None:
        raise InputError("--pick needs --save-project FILE.mmproj to save the picks in")
    if args.save_project is not None and not args.save_project.lower().endswith(".mmproj"):
        raise InputError(f"--save-project {args.save_project}: a project file ends in .mmproj")
    if args.save_project is not None:
        check_output_path(args.save_project, option="--save-project", inputs=(args.video, args.db))
    device = _device(args.device)
    model = _load(args.model, device)
    index, records = load_library(args)
    timings = durations = None
    if records is not None:
        timings = _RecordTimings(records)
        durations = [record.duration_s for record in records]
    # --like and the filters (#16): the same target, or a blend with the liked track; filtered rows only.
    keep, retarget = taste_from_args(args, index, records, has_target=True)
    recommendation = recommend_video(args.video, model, index, settings, device=device, timings=timings,
                                     durations=durations, any_length=args.any_length, keep=keep,
                                     retarget=retarget)
    analysis, prediction, result = recommendation.analysis, recommendation.prediction, recommendation.result
    target = recommendation.target
    video_vector = analysis.features.to_array()
    why = reasons_for(result, index, target, video=video_vector, language=args.lang) if args.explain else None
    too_far = [r for r in ranks if r > len(result)]
    if too_far:
        raise InputError(f"--pick {too_far[0]}: the list has {len(result)} tracks (raise --top-k to pick further down)")
    if args.save_project is not None:
        from core.project import save_project
        from core.recommend.projects import project_from_recommendation

        project = project_from_recommendation(
            args.video, analysis, prediction, result, ranks, index.features, records=records,
            library_folder=Path(args.audio_csv).parent if args.audio_csv else None, model=args.model or "default",
            sections={rank: (section.start_s, section.end_s)
                      for rank, section in enumerate(recommendation.sections or [], start=1) if section is not None})
        save_project(project, args.save_project)
    if args.json:
        document = result_json(result, why)
        for row, section, covers in zip(document["results"], recommendation.sections or [None] * len(result),
                                        recommendation.covers_clip or [None] * len(result), strict=True):
            # SPEC §6: every result carries its best section (null for a CSV library: no audio to time).
            row["section"] = section.to_json() if section is not None else None
            row["covers_clip"] = covers
        print_json({**document, "video": {"file": args.video, "duration_s": analysis.duration_s,
                                                  "features": analysis.features.to_dict()},
                    "target": prediction.to_json(), "project": args.save_project,
                    **({"ranked_against": dict(zip(MUSIC.ids, map(float, target), strict=True))}
                       if args.like is not None else {})})
        return 0
    print(f"{args.video}: {analysis.duration_s:.1f} s, {len(analysis.shots)} shots")
    print("Video:  " + ", ".join(f"{d.id} {v:.2f}" for d, v in zip(VIDEO, analysis.features.to_array(),
                                                                      strict=True)))
    print("Target: " + ", ".join(f"{d.id} {v:.2f}" for d, v in zip(MUSIC, prediction.features, strict=True))
          + f"  ({prediction.emotion})")
    if args.like is not None:
        print(f"Like {args.like}: " + ", ".join(f"{d.id} {v:.2f}" for d, v in zip(MUSIC, target, strict=True)))
    print(format_text(result, explain=args.explain, why=reason_lines(why, args.lang) if why else None))
    if recommendation.sections:
        print("Sections:")
        for row, section, covers in zip(result.rows(), recommendation.sections, recommendation.covers_clip,
                                        strict=True):
            if section is not None:
                short = "" if covers is not False else "  (shorter than the clip)"
                print(f"{row.rank}. {section.start_s:.2f}-{section.end_s:.2f} s, fit {section.score:.2f}{short}")
    if args.save_project is not None:
        print(f"Saved {args.save_project} with {len(ranks)} pick(s)")
    return 0


class _RecordTimings(Sequence):
    """The timing of each library record, made only for the rows that are looked at (the listed results)."""

    def __init__(self, records) -> None:
        self.records = records

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index):
        from core.timing.grid import TrackTiming

        return TrackTiming.of(self.records[index])


def _parse_ranks(text: str) -> list[int]:
    ranks = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or int(part) < 1:
            raise InputError(f"--pick must be ranks like 1,3 (whole numbers from 1), got {text!r}")
        if int(part) not in ranks:
            ranks.append(int(part))
    return ranks


