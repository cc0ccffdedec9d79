"""Undoable edits of the picks: pick, unpick, and changes to a pick's note, start or rating.

Each edit is a :class:`QUndoCommand` pushed on the window's :class:`QUndoStack`; the stack's
clean state is the project's saved state, so "modified" (the title bar's marker, the
question on quit) is simply "not at the clean index".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from core.project import Pick
    from musicmatch_gui.state import Session

__all__ = ["EDITABLE", "EditPick", "TogglePick"]

EDITABLE = ("note", "placement_s", "rating", "track_in_s", "track_out_s", "rendered_path", "edits")
"""Fields of a pick the window edits (and undoes)."""


class TogglePick(QUndoCommand):
    """Add ``pick`` under ``key`` (``pick`` given) or remove the pick at ``key`` (``pick`` None)."""

    def __init__(self, session: Session, key: int, pick: Pick | None, refresh: Callable[[], None], text: str) -> None:
        super().__init__(text)
        self._session, self._key, self._refresh = session, key, refresh
        self._adding = pick is not None
        self._pick = pick if pick is not None else session.picks[key]
        self._position = len(session.picks) if self._adding else list(session.picks).index(key)

    def _insert(self) -> None:
        items = list(self._session.picks.items())
        items.insert(min(self._position, len(items)), (self._key, self._pick))
        self._session.picks = dict(items)

    def _remove(self) -> None:
        self._session.picks = {k: p for k, p in self._session.picks.items() if k != self._key}

    def redo(self) -> None:
        self._insert() if self._adding else self._remove()
        self._refresh()

    def undo(self) -> None:
        self._remove() if self._adding else self._insert()
        self._refresh()


class EditPick(QUndoCommand):
    """Change some of :data:`EDITABLE` on the pick at ``key``; consecutive edits of one field merge."""

    ID = 1301

    def __init__(self, session: Session, key: int, changes: dict, refresh: Callable[[], None], text: str) -> None:
        super().__init__(text)
        self._session, self._key, self._refresh = session, key, refresh
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise ValueError(f"not an editable pick field: {sorted(unknown)}")
        pick = session.picks[key]
        self._before = {name: getattr(pick, name) for name in changes}
        self._after = dict(changes)

    def _apply(self, values: dict) -> None:
        pick = self._session.picks.get(self._key)
        if pick is not None:
            # A new Pick object rather than an edit in place: a saved project or an export job
            # holding the old object never sees a half-made change.
            self._session.picks[self._key] = replace(pick, **values)
        self._refresh()

    def redo(self) -> None:
        self._apply(self._after)

    def undo(self) -> None:
        self._apply(self._before)

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditPick) or other._key != self._key or set(other._after) != set(self._after):
            return False
        if set(self._after) != {"rating"} and set(self._after) != {"placement_s"}:
            return False  # a note is one edit each time; a rating or a start nudged in steps is one
        self._after = dict(other._after)
        return True

    @property
    def changed(self) -> bool:
        return self._before != self._after
