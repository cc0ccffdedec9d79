"""One project builder (#13): the window's saved project and ``recommend --save-project`` agree field by field.

Both faces build their project through :func:`core.project.project_from_analysis`; this
test opens the same clip against the same library with the same settings in each, picks
the same ranks, and compares the two files (only the save times may differ).
"""

from __future__ import annotations

import json

import pytest

pytest.importorskip("PySide6.QtMultimedia")

from core.cli import main
from core.features import MUSIC
from core.library.db import LibraryDB
from tests.gui.conftest import analyse

PICKED_RANKS = (1, 3)


def _library_csv(db_path, folder):
    """The media fixture's library as a feature CSV (paths in the name column)."""
    with LibraryDB(db_path, create=False) as db:
        _, records = db.track_index()
    csv = folder / "audio_features.csv"
    lines = ["name," + ",".join(MUSIC.ids)]
    lines += [record.path + "," + ",".join(repr(float(v)) for v in record.features) for record in records]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return csv


def _document(path) -> dict:
    document = json.loads(path.read_text(encoding="utf-8"))
    document.pop("created")
    document.pop("modified")
    return document


@pytest.mark.parametrize("kind", ["db", "csv"])
def test_window_and_command_line_save_the_same_project(qtbot, window, media, tmp_path, kind):
    clip, db_path = media
    library = str(db_path) if kind == "db" else str(_library_csv(db_path, tmp_path))
    if kind == "csv":
        window.library = None
        window.library_cmds.open_library(library)
        qtbot.waitUntil(lambda: window.library is not None and window.library.kind == "csv", timeout=10_000)
    analyse(qtbot, window, clip)
    top_k = window.controls.settings().top_k
    for rank in PICKED_RANKS:
        window.table.selectRow(rank - 1)  # the list is sorted by rank
        window.project_cmds.toggle_pick()
    from_window = tmp_path / "window.mmproj"
    assert window.project_cmds.write_project(str(from_window))

    from_cli = tmp_path / "cli.mmproj"
    option = "--db" if kind == "db" else "--audio-csv"
    assert main(["recommend", str(clip), option, library, "--top-k", str(top_k), "--device", "cpu",
                 "--pick", ",".join(map(str, PICKED_RANKS)), "--save-project", str(from_cli)]) == 0

    window_doc, cli_doc = _document(from_window), _document(from_cli)
    assert [p["rank"] for p in cli_doc["picks"]] == list(PICKED_RANKS)
    assert window_doc["video"] == cli_doc["video"]
    assert window_doc["target"] == cli_doc["target"] and window_doc["target_emotion"] == cli_doc["target_emotion"]
    assert window_doc["settings"] == cli_doc["settings"]
    assert len(window_doc["picks"]) == len(cli_doc["picks"])
    for in_window, in_cli in zip(window_doc["picks"], cli_doc["picks"], strict=True):
        for field, value in in_cli.items():
            assert in_window[field] == value, f"pick field {field}: window {in_window[field]!r}, CLI {value!r}"
    assert window_doc == cli_doc
