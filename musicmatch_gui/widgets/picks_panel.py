"""The picks: the tracks chosen for this clip, each with a note, a start on the clip's timeline and a rating."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from core.project import Pick

__all__ = ["PicksPanel"]


class PicksPanel(QWidget):
    """Lists the session's picks and edits the selected one in place.

    Picks are keyed as in :class:`~musicmatch_gui.state.Session`: by library row, or by a
    negative key for a pick whose track is not in the open library. The panel never changes
    a pick itself: an edit emits :attr:`edit_requested` with the pick's key and the changed
    fields, and the owner applies it (as an undoable command) and shows the picks again.
    """

    edit_requested = Signal(int, object)
    """(key, {field: new value}) for the selected pick."""
    audition_requested = Signal(int)
    """A pick was double-clicked: its library row (only emitted for picks in the open library)."""
    not_in_library = Signal()
    like_requested = Signal(int)
    """"More Like This" on a pick: its library row (only for picks in the open library)."""

    def __init__(self, playhead: Callable[[], float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._playhead = playhead
        self._picks: Mapping[int, Pick] = {}
        self._showing = False
        self.list = QListWidget()
        self.list.setToolTip(self.tr("Picked tracks (saved in the project); double-click to audition"))
        self.list.itemDoubleClicked.connect(self._double_clicked)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Note for the selected pick"))
        self.placement = QDoubleSpinBox()
        self.placement.setRange(0.0, 24 * 3600.0)
        self.placement.setDecimals(2)
        self.placement.setSuffix(" s")
        self.placement.setToolTip(self.tr("Where the music starts on the clip's timeline (within the clip)"))
        self.at_playhead = QPushButton(self.tr("At playhead"))
        self.at_playhead.setToolTip(self.tr("Start the selected pick at the video's current position"))
        self.rating = QSpinBox()
        self.rating.setRange(0, 5)
        self.rating.setPrefix(self.tr("Rating "))
        editor = QHBoxLayout()
        for widget in (QLabel(self.tr("Starts at")), self.placement, self.at_playhead, self.rating):
            editor.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Picks")))
        layout.addWidget(self.list)
        layout.addWidget(self.note)
        layout.addLayout(editor)
        self.list.currentRowChanged.connect(self._show)
        self.note.editingFinished.connect(self._edit)
        self.placement.editingFinished.connect(self._edit)
        self.rating.valueChanged.connect(self._edit)
        self.at_playhead.clicked.connect(self._place_at_playhead)

    def set_clip_length(self, duration_s: float, fps: float) -> None:
        """Bound "Starts at" to the clip: the last frame is the latest a pick can start (0: no clip)."""
        last = max(0.0, duration_s - 1.0 / fps) if duration_s > 0 and fps > 0 else 24 * 3600.0
        self.placement.setMaximum(last)

    def set_picks(self, picks: Mapping[int, Pick]) -> None:
        """Show ``picks``, keeping the selected pick selected."""
        current = self.current_key()
        self._picks = picks
        self._showing = True
        self.list.clear()
        for key, pick in picks.items():
            item = QListWidgetItem(f"#{pick.rank}  {pick.display_name}  ({pick.distance:.3f})")
            item.setData(Qt.ItemDataRole.UserRole, key)
            if pick.rendered_path and Path(pick.rendered_path).is_file():
                # With picture plays this file (the audition's ``fit_of``): say so where the pick is listed.
                item.setToolTip(self.tr("{title}: fitted to the clip ({file})").format(
                    title=pick.display_name, file=Path(pick.rendered_path).name))
            self.list.addItem(item)
            if key == current:
                self.list.setCurrentItem(item)
        self._showing = False
        self._show()

    def current_key(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def current(self) -> Pick | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return self._picks.get(int(item.data(Qt.ItemDataRole.UserRole)))

    def _show(self, *_args) -> None:
        pick = self.current()
        self._showing = True  # filling the editors is not an edit
        self.note.setText(pick.note if pick else "")
        self.placement.setValue(pick.placement_s if pick else 0.0)
        self.rating.setValue(pick.rating if pick else 0)
        self._showing = False

    def _edit(self, *_args) -> None:
        pick, key = self.current(), self.current_key()
        if pick is None or key is None or self._showing:
            return
        wanted = {"note": self.note.text().strip(), "placement_s": round(float(self.placement.value()), 6),
                  "rating": int(self.rating.value())}
        changes = {name: value for name, value in wanted.items() if getattr(pick, name) != value}
        if changes:
            self.edit_requested.emit(key, changes)

    def _place_at_playhead(self) -> None:
        self.placement.setValue(self._playhead())
        self._edit()

    def _double_clicked(self, item: QListWidgetItem) -> None:
        key = int(item.data(Qt.ItemDataRole.UserRole))
        if key < 0:
            self.not_in_library.emit()
        else:
            self.audition_requested.emit(key)

    def like_current(self) -> None:
        """Ask for "More Like This" on the selected pick (or say it is not in the open library)."""
        key = self.current_key()
        if key is None:
            return
        if key < 0:
            self.not_in_library.emit()
        else:
            self.like_requested.emit(key)

    def _context_menu(self, position) -> None:
        from PySide6.QtWidgets import QMenu

        item = self.list.itemAt(position)
        if item is None:
            return
        self.list.setCurrentItem(item)
        menu = QMenu(self)
        like = menu.addAction(self.tr("More Like This"))
        like.triggered.connect(self.like_current)
        menu.popup(self.list.viewport().mapToGlobal(position))
