"""``musicmatch predict | train | evaluate | recommend``: the recommender on the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli.common import print_json, terminal_progress
from core.cli.match import add_library_options, add_match_options, format_text, load_library, settings_from_args
from core.errors import InputError
from core.features import MUSIC, VIDEO, parse_vector
from core.paths import data_file

__all__ = ["add_parser"]


def _add_model_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", metavar="PATH", default=None,
                        help="recommender weights (.safetensors; default: the shipped model)")


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
        help="train the recommender on (video, music) pairs",
        description=(
            "Split the pairs into training, validation and test sets, search hyper-parameters with "
            "Optuna (--trials), train the final model and report its Recall@K and median rank on the "
            "test split. The search is stored next to the model, so an interrupted run resumes."
        ),
    )
    data = train.add_mutually_exclusive_group(required=True)
    data.add_argument("--pairs", metavar="CSV", help="11 video columns, 10 music columns, optional audio_label")
    data.add_argument("--from-projects", "--from_projects", dest="from_projects", nargs="+", metavar="PATH",
                      help="learn from the picks in these .mmproj files (or folders of them)")
    train.add_argument("--trials", type=int, default=20, metavar="N",
                       help="Optuna trials (default 20; 0 trains once with default parameters)")
    train.add_argument("--out", default=None, metavar="PATH",
                       help="weights file (default recommender.safetensors in the user data folder)")
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
    recommend.set_defaults(handler=run_recommend)


def _load(path: str | None, device: str = "cpu"):
    from core.recommend.model import load_recommender

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


def run_train(args: argparse.Namespace) -> int:
    from core.recommend.pairs import read_pairs_csv
    from core.recommend.search import default_workers
    from core.recommend.training import MIN_PAIRS, search_and_train

    if args.trials < 0:
        raise InputError(f"--trials must be 0 or more, got {args.trials}")
    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers must be at least 1, got {args.workers}")
    if args.pairs is not None:
        pairs, source = read_pairs_csv(args.pairs, minimum=MIN_PAIRS), str(args.pairs)
    else:
        from core.recommend.projects import pairs_from_projects

        pairs, files = pairs_from_projects(args.from_projects)
        source = f"picks from {files} project file(s): {', '.join(map(str, args.from_projects))}"
        if len(pairs) < MIN_PAIRS:
            raise InputError(f"the projects hold {len(pairs)} distinct picks; training needs at least {MIN_PAIRS}")
    out = Path(args.out) if args.out else \
        data_file("recommender.safetensors")
    study = out.with_name(out.stem + ".study.sqlite3")
    _, result = search_and_train(pairs, trials=args.trials, seed=args.seed, out=out, study_path=study,
                                 device=_device(args.device), source=source,
                                 workers=args.workers or default_workers(),
                                 progress=None if args.json else terminal_progress(per_second=4))
    if args.json:
        print_json(result)
        return 0
    _print_scores("Test split", result)
    _print_scores("Validation split", result["validation"])
    print(f"Saved {result['model']} (+ .json side file, model card {Path(result['model']).with_suffix('.md')})")
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
    device = _device(args.device)
    model = _load(args.model, device)
    index, records = load_library(args)
    recommendation = recommend_video(args.video, model, index, settings, device=device)
    analysis, prediction, result = recommendation.analysis, recommendation.prediction, recommendation.result
    too_far = [r for r in ranks if r > len(result)]
    if too_far:
        raise InputError(f"--pick {too_far[0]}: the list has {len(result)} tracks (raise --top-k to pick further down)")
    if args.save_project is not None:
        from core.project import save_project
        from core.recommend.projects import project_from_recommendation

        project = project_from_recommendation(
            args.video, analysis, prediction, result, ranks, index.features, records=records,
            library_folder=Path(args.audio_csv).parent if args.audio_csv else None, model=args.model or "default")
        save_project(project, args.save_project)
    if args.json:
        print_json({**result.to_json(), "video": {"file": args.video, "duration_s": analysis.duration_s,
                                                  "features": analysis.features.to_dict()},
                    "target": prediction.to_json(), "project": args.save_project})
        return 0
    print(f"{args.video}: {analysis.duration_s:.1f} s, {len(analysis.shots)} shots")
    print("Video:  " + ", ".join(f"{d.id} {v:.2f}" for d, v in zip(VIDEO, analysis.features.to_array(),
                                                                      strict=True)))
    print("Target: " + ", ".join(f"{d.id} {v:.2f}" for d, v in zip(MUSIC, prediction.features, strict=True))
          + f"  ({prediction.emotion})")
    print(format_text(result, explain=args.explain))
    if args.save_project is not None:
        print(f"Saved {args.save_project} with {len(ranks)} pick(s)")
    return 0


def _parse_ranks(text: str) -> list[int]:
    ranks = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or int(part) < 1:
            raise InputError(f"--pick must be ranks like 1,3 (whole numbers from 1), got {text!r}")
        if int(part) not in ranks:
            ranks.append(int(part))
    return ranks


