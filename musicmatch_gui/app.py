"""Launcher of the desktop app (``musicmatch gui`` and ``musicmatch-gui``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["build_parser", "main", "say_error"]


def say_error(message: str) -> None:
    """The one line a scripted run prints when it fails: ``musicmatch gui: error: ...``."""
    sys.stderr.write(f"musicmatch gui: error: {' '.join(message.split())}\n")

STYLE = """
QMainWindow::separator, QSplitter::handle { background: #2b2d31; width: 3px; height: 3px; }
QTableView, QListWidget, QLineEdit, QComboBox { background: #26282c; border: 1px solid #34363b;
    selection-background-color: #2f5f8f; alternate-background-color: #2a2c30; }
QHeaderView::section { background: #2b2d31; color: #a9abb0; border: 0; padding: 3px 6px; }
QPushButton, QToolButton { background: #2f3136; border: 1px solid #3c3f45; padding: 4px 10px; border-radius: 3px; }
QPushButton:hover, QToolButton:hover { background: #3a3d43; }
QPushButton:pressed, QToolButton:checked { background: #2f5f8f; }
QSlider::groove:horizontal { height: 4px; background: #3c3f45; }
QSlider::handle:horizontal { width: 10px; margin: -5px 0; background: #d8d9dc; border-radius: 5px; }
QProgressBar { background: #26282c; border: 1px solid #34363b; }
QProgressBar::chunk { background: #4fc3f7; }
QStatusBar { background: #17181a; }
QLabel#timecode { font-family: monospace; font-size: 15px; color: #ffffff; padding: 0 8px; }
QLabel#dropZone { border: 2px dashed #4a4d55; border-radius: 8px; color: #8c8f96; font-size: 18px; }
QMenuBar { background: #17181a; } QMenu { background: #26282c; }
"""


def dark_palette():
    """A dark palette for the Fusion style (a stylesheet rule on every QWidget crashes the video widget)."""
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, "#1e1f22"), (roles.WindowText, "#d8d9dc"), (roles.Base, "#26282c"),
                         (roles.AlternateBase, "#2a2c30"), (roles.Text, "#d8d9dc"), (roles.Button, "#2f3136"),
                         (roles.ButtonText, "#d8d9dc"), (roles.Highlight, "#2f5f8f"),
                         (roles.HighlightedText, "#ffffff"), (roles.ToolTipBase, "#26282c"),
                         (roles.ToolTipText, "#d8d9dc"), (roles.PlaceholderText, "#8c8f96")):
        palette.setColor(role, QColor(colour))
    return palette


TRANSLATIONS = Path(__file__).resolve().parents[1] / "resources" / "translations"


def install_translation(app, language: str) -> bool:
    """Load the app's Qt Linguist translation (and Qt's own) for ``language``; False for English or none found."""
    if language != "zh":
        return False
    from PySide6.QtCore import QLibraryInfo, QTranslator

    ours = QTranslator(app)
    if not ours.load(str(TRANSLATIONS / "musicmatch_zh_CN.qm")):
        return False
    app.installTranslator(ours)
    qt = QTranslator(app)
    if qt.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
    return True


SCREENSHOT_LIMIT_S = 600
"""A scripted ``--screenshot`` run that has not shot by then ends with status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="musicmatch gui", description="Open the MusicMatch desktop app.")
    parser.add_argument("--video", metavar="FILE", default=None, help="a clip to open")
    parser.add_argument("--db", metavar="PATH", default=None, help="library database (default: the demo library)")
    parser.add_argument("--project", metavar="FILE", default=None, help="a .mmproj project to open")
    parser.add_argument("--screenshot", metavar="PNG", default=None,
                        help="wait until the clip is analysed and ranked, save a screenshot, exit")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    parser.add_argument("--model", metavar="PATH", default=None, help="recommender weights (default: shipped)")
    parser.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)
    return parser


def _qt_import_problem(exc: ImportError) -> str:
    """Say why Qt did not load: PySide6 missing from the environment, or a system library Qt links to."""
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").startswith("PySide6"):
        return f"the desktop app needs PySide6 (pip install -e .[gui]): {exc}"
    return (f"Qt could not load a system library ({exc}); install the packages the README lists "
            "(Debian/Ubuntu: libgl1 libegl1 libxkbcommon0 fonts-dejavu-core)")


def library_at_start(given: str | None, preferred: str) -> str | None:
    """The library the window opens: ``--db``, else the one chosen in Preferences, else the editor's own
    (the data folder's, once a folder was added), else None for the demo.

    Without the third step a restart showed the demo again and the folders just added seemed gone.
    """
    from core.library.db import default_db_path

    if given is not None:
        return given
    if preferred and Path(preferred).is_file():
        return preferred
    own = default_db_path()
    return str(own) if own.is_file() else None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        from PySide6.QtCore import QCoreApplication, QTimer
        from PySide6.QtWidgets import QApplication
    except ImportError as exc:
        say_error(_qt_import_problem(exc))
        return 2
    from core.errors import MusicMatchError
    from musicmatch_gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(["MusicMatch"])
    app.setApplicationName("MusicMatch")
    app.setStyle("Fusion")
    app.setPalette(dark_palette())
    app.setStyleSheet(STYLE)
    if args.screenshot and not Path(args.screenshot).resolve().parent.is_dir():
        say_error(f"{args.screenshot}: its folder does not exist")
        return 2
    if args.model is not None and not Path(args.model).is_file():
        say_error(f"{args.model}: no such model file")
        return 2
    try:
        project = None
        if args.project:
            from core.project import load_project

            project = load_project(args.project)
    except MusicMatchError as exc:
        say_error(str(exc))
        return 2
    from musicmatch_gui.preferences import Preferences

    preferences = Preferences.load()
    install_translation(app, preferences.language)
    device = args.device if args.device != "auto" else preferences.device
    window = MainWindow(None, device=device, language=preferences.language)
    window.controls.metric_box.setCurrentIndex(max(0, window.controls.metric_box.findData(preferences.metric)))
    window.controls.top_k.setValue(preferences.top_k)
    window.restore_match_settings()
    window.show()
    if args.startup_probe:  # benchmarks/bench_gui.py: the window is up; stop here
        QTimer.singleShot(0, app.quit)
        return int(app.exec())
    window.load_model(args.model)
    video = args.video or (project.video.path if project is not None else None)
    db = library_at_start(args.db, preferences.library)
    if db is None:
        from core.cli.demo import default_demo_folder
        from core.demo import make_demo

        folder = default_demo_folder()

        def demo_ready(made) -> None:
            window.library_cmds.open_library(str(made.library), demo=True)
            if video is None:
                window.open_video(str(made.clip))

        window.jobs.start(QCoreApplication.translate("MainWindow", "Preparing the demo library"),
                          lambda progress, cancel: make_demo(
            folder, progress=progress, cancel=cancel), on_success=demo_ready, on_failure=window._failed)
    else:
        if not Path(db).is_file():
            say_error(f"{db}: no such library database")
            return 2
        window.library_cmds.open_library(db)
    if project is not None:
        window.project_cmds.open_project(args.project)
    elif video is not None:
        window.open_video(video)
    if args.screenshot:
        target = Path(args.screenshot)
        window.fail_fast = True
        window.setMinimumSize(1440, 900)  # the offscreen screen is small; the picture must be >= 1280x800

        def grab() -> None:
            if window.screenshot().save(str(target)):
                app.quit()
            else:
                say_error(f"{target}: could not write the screenshot")
                app.exit(2)

        def shoot() -> None:
            # Show the first frame: start the player, and grab once a frame has reached the sink.
            window.video.video_sink.videoFrameChanged.connect(lambda _frame: QTimer.singleShot(300, grab))
            window.video_player.play()
            QTimer.singleShot(5000, grab)  # a clip that shows no frame still gets its picture taken

        def give_up() -> None:
            say_error(f"no screenshot: the clip was not analysed within {SCREENSHOT_LIMIT_S // 60} minutes")
            app.exit(2)

        def crashed(kind, exc, tb) -> None:
            # A script waits on this process: an error inside a Qt callback must end it, not leave it running.
            import traceback

            traceback.print_exception(kind, exc, tb)
            say_error(f"{kind.__name__}: {exc}")
            app.exit(2)

        sys.excepthook = crashed
        window.analysis_ready.connect(shoot)
        QTimer.singleShot(SCREENSHOT_LIMIT_S * 1000, give_up)  # never hang a script
    status = int(app.exec())
    window.jobs.shutdown()  # however the loop ended, no job thread outlives the application
    return status


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()
    raise SystemExit(main())
