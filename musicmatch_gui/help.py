"""Help > Keyboard Shortcuts and Help > Getting Started (F1).

The shortcut list is read from the window's own menus, so it can never disagree with
them; the guide is a short walk through the newcomer's first session.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMenuBar, QTextBrowser, QVBoxLayout, QWidget

__all__ = ["HelpDialog", "guide_html", "shortcuts_html"]


def _actions(menu) -> list[QAction]:
    """The menu's commands, those of its submenus included (File > Export > ...)."""
    found = []
    for action in menu.actions():
        found += _actions(action.menu()) if action.menu() is not None else [action]
    return found


def shortcuts_html(menu_bar: QMenuBar, title: str) -> str:
    """An HTML table of every menu command with a shortcut, grouped by menu."""
    parts = [f"<h3>{escape(title)}</h3>"]
    for menu_action in menu_bar.actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        rows = list(dict.fromkeys((a.text().replace("&", ""), a.shortcut().toString())
                                  for a in _actions(menu) if not a.shortcut().isEmpty() and a.text()))
        if not rows:
            continue
        parts.append(f"<p><b>{escape(menu_action.text().replace('&', ''))}</b></p><table cellspacing='4'>")
        parts += [f"<tr><td><code>{escape(keys)}</code></td><td>{escape(text)}</td></tr>" for text, keys in rows]
        parts.append("</table>")
    return "".join(parts)


GUIDE_STEPS = (
    QT_TRANSLATE_NOOP("Help", "Open a clip: drop a video on the window or press Ctrl+O. MusicMatch measures 11 "
                              "features of the picture and predicts the music that fits it (the blue shape on the "
                              "right-hand chart)."),
    QT_TRANSLATE_NOOP("Help", "Add your music: Library > Add Folder. Only new or changed files are analysed; you can "
                              "cancel and go on later. Until then the demo library is listed, kept apart from yours."),
    QT_TRANSLATE_NOOP("Help", "Listen: select a track and press Enter to audition it, or Ctrl+Enter to hear it with "
                              "the picture from the playhead. Pick the ones you like with P."),
    QT_TRANSLATE_NOOP("Help", "Time it: the Section column says where each track starts for this clip, and the "
                              "track view under the list shows its beats, bars and the clip's cuts. Drag the "
                              "highlighted section (or Shift+Left/Right) to move it by whole bars; press F to fit "
                              "the track to exactly the clip's length and hear it with the picture."),
    QT_TRANSLATE_NOOP("Help", "Tune the list: switch dimensions on or off and move the weights; the list re-ranks at "
                              "once. Match is an absolute score of the distance (100 = identical to the target)."),
    QT_TRANSLATE_NOOP("Help", "Keep your work: Ctrl+S saves the project (picks, notes, ratings, where each track "
                              "starts). Ctrl+Z undoes an edit. MusicMatch asks before closing anything unsaved."),
    QT_TRANSLATE_NOOP("Help", "Narrow and steer: the filter bar above the list keeps tracks by BPM, length, key, mood, "
                              "artist or album without changing a distance; M (More Like This) ranks against the "
                              "selected track; Model > Learn From My Picks adapts the model to your picks."),
    QT_TRANSLATE_NOOP("Help", "Hand over to your editor: File > Export writes OpenTimelineIO, Final Cut Pro 7 XML, "
                              "an EDL or a cue sheet."),
)
GUIDE_TITLE = QT_TRANSLATE_NOOP("Help", "Getting started")


def guide_html() -> str:
    """The getting-started guide in the UI language."""
    def tr(text: str) -> str:
        return QCoreApplication.translate("Help", text)

    return "<h3>" + escape(tr(GUIDE_TITLE)) + "</h3><ol>" + "".join(
        f"<li><p>{escape(tr(step))}</p></li>" for step in GUIDE_STEPS) + "</ol>"


class HelpDialog(QDialog):
    """A resizable page of rich text with a Close button."""

    def __init__(self, title: str, html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(620, 560)
        self.browser = QTextBrowser()
        self.browser.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
