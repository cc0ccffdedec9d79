"""Make the "Your taste" screenshots of docs/gui.md by driving the app on the generated demo.

Run under a virtual screen (a sound server is not needed here):

    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python docs/make_taste_screenshots.py

It writes, in docs/screenshots/:

* ``learn_dialog_en.png``: Learn From My Picks after 12 picks of a simulated editor who
  likes warmer, darker music than the shipped model (``core.recommend.editors``);
* ``taste_en.png`` / ``taste_zh.png``: the filter bar, the More Like This chip with its
  blend slider, and a row's reasons in words (its tooltip);
* ``taste_profiles_en.png``: Model > Profile with two profiles, the learned one checked.

Pictures are grabbed from the screen, not the window, so tooltips and open menus (windows
of their own) are in them. The run uses its own settings and data folder.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent
SHOTS = DOCS / "screenshots"
sys.path.insert(0, str(DOCS.parent))


def main() -> int:
    from PySide6.QtCore import QPoint, QSettings
    from PySide6.QtWidgets import QApplication, QToolTip

    from core.demo import make_demo
    from core.features import MUSIC, VIDEO
    from core.project import Pick, Project, VideoRef, save_project
    from core.recommend.editors import editor_picks
    from core.recommend.model import load_recommender
    from musicmatch_gui.app import STYLE, dark_palette, install_translation
    from musicmatch_gui.main_window import MainWindow

    app = QApplication(["MusicMatch"])
    if app.platformName() not in ("xcb", "wayland"):
        sys.stderr.write(f"make_taste_screenshots: error: needs a real screen (xvfb-run), not "
                         f"'{app.platformName()}'\n")
        return 2
    app.setStyle("Fusion")
    app.setPalette(dark_palette())
    app.setStyleSheet(STYLE)
    work = Path(tempfile.mkdtemp(prefix="musicmatch-taste-shots-"))
    os.environ["XDG_DATA_HOME"] = str(work / "data")
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(work / "settings"))
    SHOTS.mkdir(exist_ok=True)

    def wait(seconds: float, until=lambda: False) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not until():
            app.processEvents()
            time.sleep(0.01)

    def shoot(widget, name: str) -> None:
        wait(0.4)
        top_left = widget.frameGeometry().topLeft()
        size = widget.frameGeometry().size()
        picture = widget.screen().grabWindow(0, top_left.x(), top_left.y(), size.width(), size.height())
        picture.save(str(SHOTS / name))
        print(f"{SHOTS / name}: {picture.width()}x{picture.height()}")

    def window_with_clip(language: str, demo) -> MainWindow:
        window = MainWindow(load_recommender(), device="cpu", language=language)
        window.setGeometry(0, 0, 1440, 900)
        window.show()
        window.library_cmds.open_library(str(demo.library), demo=True)
        wait(60, lambda: window.library is not None)
        ready = []
        window.analysis_ready.connect(lambda: ready.append(True))
        window.open_video(str(demo.clips[1]))
        wait(300, lambda: bool(ready))
        window.video_player.pause()
        return window

    def taste_view(window: MainWindow, name: str) -> None:
        bar = window.filter_bar
        bar.bpm_low.setValue(60)
        bar.bpm_high.setValue(200)
        bar.bpm_on.setChecked(True)
        if window.proxy.rowCount() == 0:  # the demo's tempos: keep the picture useful
            bar.bpm_on.setChecked(False)
        bar.exclude_picked.setChecked(True)
        window.table.selectRow(2)
        window.more_like_selected()
        window.like_chip.slider.setValue(60)
        window.table.selectRow(0)
        wait(0.3)
        index = window.proxy.index(1, 1)
        rect = window.table.visualRect(index)
        tip = window.proxy.data(index, 3)  # Qt.ToolTipRole
        QToolTip.showText(window.table.viewport().mapToGlobal(rect.center()), tip, window.table)
        wait(0.6)
        shoot(window, name)
        QToolTip.hideText()

    try:
        demo = make_demo(work / "demo")
        window = window_with_clip("en", demo)

        picks = editor_picks("warm-dark", 12, seed=3)
        folder = work / "projects"
        folder.mkdir()
        for n in range(len(picks)):
            save_project(Project(
                video=VideoRef(path=f"/clips/{n}.mp4", content_hash=f"v{n}", duration_s=30.0,
                               features=dict(zip(VIDEO.ids, map(float, picks.video[n]), strict=True))),
                picks=[Pick(track_path=f"/music/{n}.wav", content_hash=f"m{n}", title=f"Cue {n + 1}",
                            features=dict(zip(MUSIC.ids, map(float, picks.music[n]), strict=True)))]),
                folder / f"cut_{n:02d}.mmproj")
        window.taste.learn_from_picks([str(folder)])
        wait(120, lambda: window.taste.learn_dialog is not None)
        dialog = window.taste.learn_dialog
        dialog.name.setText("Anna")
        shoot(dialog, "learn_dialog_en.png")
        if dialog.use_button.isEnabled():
            dialog.use_button.click()
        else:
            dialog.keep_button.click()
        window.taste.store.save(load_recommender(), "Show 2 trailers", activate=False)

        taste_view(window, "taste_en.png")

        model_menu = next(a.menu() for a in window.menuBar().actions() if a.menu() and "Model" in a.text())
        anchor = window.menuBar().actionGeometry(model_menu.menuAction()).bottomLeft()
        model_menu.popup(window.menuBar().mapToGlobal(anchor))
        wait(0.3)
        model_menu.setActiveAction(window.taste.profile_menu.menuAction())
        window.taste.profile_menu.popup(model_menu.geometry().topRight() + QPoint(0, 60))
        wait(0.5)
        shoot(window, "taste_profiles_en.png")
        window.taste.profile_menu.close()
        model_menu.close()
        window.undo_stack.setClean()
        window.close()

        if install_translation(app, "zh"):
            chinese = window_with_clip("zh", demo)
            taste_view(chinese, "taste_zh.png")
            chinese.undo_stack.setClean()
            chinese.close()
        else:
            print("no Chinese translation installed: taste_zh.png not made")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
