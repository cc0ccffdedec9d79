"""The ranked list: a table model over a :class:`~core.match.MatchResult` plus the library's track info."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from core.match import MatchResult

__all__ = ["COLUMNS", "ResultsModel", "ResultsProxy", "TrackInfo"]


@dataclass(frozen=True)
class TrackInfo:
    """What the list shows about a library row besides its distance."""

    path: str
    title: str
    artist: str = ""
    duration_s: float = 0.0
    tempo_bpm: float = 0.0


COLUMNS = ("Rank", "Title", "Artist", "Duration", "BPM", "Distance", "Match", "Pick")
HEADERS = {name: name for name in COLUMNS} | {  # the shown header, translated; COLUMNS stay the keys
    "Rank": QT_TRANSLATE_NOOP("ResultsModel", "Rank"), "Title": QT_TRANSLATE_NOOP("ResultsModel", "Title"),
    "Artist": QT_TRANSLATE_NOOP("ResultsModel", "Artist"), "Duration": QT_TRANSLATE_NOOP("ResultsModel", "Duration"),
    "Distance": QT_TRANSLATE_NOOP("ResultsModel", "Distance"), "Match": QT_TRANSLATE_NOOP("ResultsModel", "Match"),
    "Pick": QT_TRANSLATE_NOOP("ResultsModel", "Pick"),
}


def _duration(seconds: float) -> str:
    if seconds <= 0:
        return ""
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes}:{rest:02d}"


class ResultsModel(QAbstractTableModel):
    """Rows in rank order; ``match %`` is ``100 * (1 - d / d_max)`` over the listed rows (a reading aid)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.result: MatchResult | None = None
        self.tracks: list[TrackInfo] = []
        self.picked: set[int] = set()
        """Library rows that are picked."""

    def set_result(self, result: MatchResult | None, tracks: list[TrackInfo]) -> None:
        self.beginResetModel()
        self.result = result
        self.tracks = tracks
        self.endResetModel()

    def set_picked(self, rows: set[int]) -> None:
        self.picked = set(rows)
        if self.rowCount():
            column = COLUMNS.index("Pick")
            self.dataChanged.emit(self.index(0, column), self.index(self.rowCount() - 1, column))

    def library_row(self, row: int) -> int:
        assert self.result is not None
        return int(self.result.indices[row])

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if self.result is None or parent.isValid() else len(self.result)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[COLUMNS[section]])
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.result is None:
            return None
        row, column = index.row(), COLUMNS[index.column()]
        library_row = int(self.result.indices[row])
        track = self.tracks[library_row]
        distance = float(self.result.distances[row])
        largest = float(self.result.distances.max()) if len(self.result) else 0.0
        match = 100.0 * (1.0 - distance / largest) if largest > 0 else 100.0
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "Rank": row + 1, "Title": track.title, "Artist": track.artist,
                "Duration": _duration(track.duration_s), "BPM": f"{track.tempo_bpm:.0f}" if track.tempo_bpm else "–",
                "Distance": f"{distance:.4f}", "Match": f"{match:.0f} %",
                "Pick": "●" if library_row in self.picked else "",
            }[column]
        if role == Qt.ItemDataRole.UserRole:  # sort keys
            return {
                "Rank": row, "Title": track.title.lower(), "Artist": track.artist.lower(),
                "Duration": track.duration_s, "BPM": track.tempo_bpm, "Distance": distance, "Match": match,
                "Pick": library_row in self.picked,
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            shares = sorted(((dim, share) for dim, share in zip(self.result.settings.dims, self.result.shares[row],
                                                                  strict=True)), key=lambda item: -item[1])[:3]
            tempo = "" if track.tempo_bpm else "\nNo steady beat found (BPM –)"
            return (f"{track.path}\nLargest shares of the distance: " + ", ".join(f"{d} {s:.0%}" for d, s in shares)
                    + tempo)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("Rank", "Duration", "BPM", "Distance", "Match"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ResultsProxy(QSortFilterProxyModel):
    """Sorting by the model's sort keys; the filter box matches title, artist or path."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(Qt.ItemDataRole.UserRole)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        pattern = self.filterRegularExpression()
        if not pattern.pattern():
            return True
        model: ResultsModel = self.sourceModel()  # type: ignore[assignment]
        track = model.tracks[model.library_row(source_row)]
        return pattern.match(f"{track.title} {track.artist} {track.path}").hasMatch()
