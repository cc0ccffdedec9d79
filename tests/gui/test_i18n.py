"""Translations: the Qt Linguist source covers every tr() string, is fully translated, and loads."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

pytest.importorskip("PySide6.QtWidgets")

from musicmatch_gui.app import TRANSLATIONS, install_translation

ROOT = Path(__file__).resolve().parents[2]
TS = TRANSLATIONS / "musicmatch_zh_CN.ts"
SOURCES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "musicmatch_gui").rglob("*.py"))


def _tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip(f"pyside6-{name} is not installed")
    return found


def _messages(path: Path) -> dict[str, str | None]:
    root = ElementTree.parse(path).getroot()
    return {m.findtext("source"): (None if m.find("translation").get("type") in ("unfinished", "obsolete")
                                   else m.findtext("translation")) for m in root.iter("message")}


def test_every_string_is_in_the_chinese_source_and_translated(tmp_path):
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    subprocess.run([_tool("lupdate"), *[str(ROOT / s) for s in SOURCES], "-ts", str(fresh)], check=True,
                   capture_output=True)
    messages = _messages(fresh)
    assert len(messages) >= 50
    untranslated = [source for source, text in messages.items() if not text]
    assert not untranslated, f"add these to {TS.name} (pyside6-lupdate, then translate): {untranslated}"


def test_the_shipped_qm_is_built_from_the_ts(tmp_path):
    built = tmp_path / "built.qm"
    subprocess.run([_tool("lrelease"), str(TS), "-qm", str(built)], check=True, capture_output=True)
    assert built.read_bytes() == (TRANSLATIONS / "musicmatch_zh_CN.qm").read_bytes(), \
        "run pyside6-lrelease resources/translations/musicmatch_zh_CN.ts"


def test_the_window_speaks_chinese(qtbot, qapp):
    from core.recommend.model import load_recommender
    from musicmatch_gui.main_window import MainWindow

    assert install_translation(qapp, "zh")
    try:
        window = MainWindow(load_recommender(), device="cpu", language="zh")
        qtbot.addWidget(window)
        titles = [action.text() for action in window.menuBar().actions()]
        assert titles[0] == "文件(&F)" and "播放(&P)" in titles
        assert window.audition_button.text() == "▶ 试听"
        assert window.controls.checks["valence"].text() == "音乐效价"
    finally:
        from PySide6.QtCore import QTranslator

        for translator in qapp.findChildren(QTranslator):
            qapp.removeTranslator(translator)


def test_window_commands_leave_translation_to_the_window():
    # Qt looks tr() up under the runtime class (MainWindow), lupdate under the class in the source:
    # a tr() in a mixin of MainWindow would be extracted under the wrong context and never shown.
    import ast

    def calls_tr(path: Path) -> bool:
        return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "tr"
                   for node in ast.walk(ast.parse(path.read_text())))

    offenders = [p.name for p in (ROOT / "musicmatch_gui" / "actions").glob("*.py") if calls_tr(p)]
    assert not offenders, f"move these tr() strings into main_window.py: {offenders}"


def test_translations_keep_every_placeholder():
    # A status line is filled with str.format after translation: a lost or renamed {field} would raise.
    import string

    def fields(text: str) -> set[str]:
        return {f"{name}:{spec}" for _, name, spec, _ in string.Formatter().parse(text) if name is not None}

    wrong = [(source, text) for source, text in _messages(TS).items() if text and fields(source) != fields(text)]
    assert not wrong, wrong


def test_core_strings_have_a_translation_path():
    """Every emotion and feature definition core can show is listed for Qt Linguist (finding 12)."""
    from core.features import MUSIC, VIDEO
    from core.recommend.pairs import QUADRANTS
    from musicmatch_gui.core_text import DEFINITIONS, EMOTIONS

    assert set(EMOTIONS) == set(QUADRANTS)
    assert {d.id: d.definition for space in (VIDEO, MUSIC) for d in space} == DEFINITIONS
    translated = _messages(TS)
    assert all(translated.get(text) for text in [*EMOTIONS.values(), *DEFINITIONS.values()])


def test_chinese_emotions_definitions_and_preferences(qtbot, qapp):
    from core.features import MUSIC
    from musicmatch_gui.core_text import definition, emotion_label
    from musicmatch_gui.preferences import Preferences, PreferencesDialog

    assert install_translation(qapp, "zh")
    try:
        assert emotion_label("calm") == "平静"
        assert definition(MUSIC["arousal"]).startswith("能量")
        dialog = PreferencesDialog(Preferences())
        qtbot.addWidget(dialog)
        items = [dialog.device_box.itemText(i) for i in range(dialog.device_box.count())]
        assert items[0] == "自动（有 CUDA 时使用）"
        assert dialog.metric_box.itemText(0) == "欧氏距离"
    finally:
        from PySide6.QtCore import QTranslator

        for translator in qapp.findChildren(QTranslator):
            qapp.removeTranslator(translator)


def test_chinese_export_menu_about_and_internal_error(qtbot, qapp):
    """Finding 12 leftovers: the cue-sheet export, the About text and the internal-error box were English only."""
    from PySide6.QtWidgets import QMessageBox

    from core.recommend.model import load_recommender
    from musicmatch_gui.jobs import show_error
    from musicmatch_gui.main_window import MainWindow

    assert install_translation(qapp, "zh")
    try:
        window = MainWindow(load_recommender(), device="cpu", language="zh")
        qtbot.addWidget(window)
        texts = [action.text() for action in window.findChildren(type(window.undo_action))]
        assert "配乐清单 (.csv)..." in texts and "Cue sheet (.csv)..." not in texts
        assert "在你自己的曲库中找到适合视频的音乐" in window.about_text()
        show_error(window, RuntimeError("boom"))
        box = next(b for b in window.findChildren(QMessageBox) if b.objectName() == "errorBox")
        assert box.windowTitle() == "MusicMatch：内部错误"
        assert box.text().startswith("MusicMatch 内部出错：RuntimeError: boom")
        box.close()
    finally:
        from PySide6.QtCore import QTranslator

        for translator in qapp.findChildren(QTranslator):
            qapp.removeTranslator(translator)


def test_chinese_list_tooltip_names_dimensions_and_versions_in_chinese(qapp, tmp_path):
    """The ranked list's tooltip said "valence 21%" and "WAV, lossless" in the Chinese window."""
    import numpy as np
    from PySide6.QtCore import Qt

    from core.features import MUSIC
    from core.library.source import LibraryEntry
    from core.library.versions import group_versions
    from core.match import MatchSettings, TrackIndex
    from core.pipeline import rank_tracks
    from musicmatch_gui.widgets.results import ResultsModel

    tracks = [LibraryEntry(str(tmp_path / f"song{suffix}"), "song", "", 60.0, 100.0, "") for suffix in (".wav", ".mp3")]
    features = np.stack([MUSIC.centers, MUSIC.centers])
    index = TrackIndex(features)
    groups = group_versions(tracks, features, sizes=[10_000_000, 960_000])
    assert install_translation(qapp, "zh")
    try:
        model = ResultsModel()
        model.language = "zh"
        model.set_versions(groups)
        ranked = rank_tracks(index, MUSIC.centers + 0.1 * MUSIC.scales, MatchSettings.create(top_k=2), versions=groups)
        model.set_result(ranked, tracks)
        assert model.rowCount() == 1
        tip = model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
        assert "WAV, 无损, 10.0 MB" in tip and "MP3, 128 kbps, 1.0 MB" in tip
        assert any(MUSIC[d].label_zh in tip for d in MUSIC.ids) and "valence" not in tip
        assert model.index(0, 1).data() == "song  （另有 1 个版本）"
    finally:
        from PySide6.QtCore import QTranslator

        for translator in qapp.findChildren(QTranslator):
            qapp.removeTranslator(translator)
