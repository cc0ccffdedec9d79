"""The ranked list: a table model over the whole ranked library (or the library itself before a clip).

The model holds every library row in rank order; the proxy shows the top K of them, or,
while the filter box has text, every row of the whole ranking whose title, artist or path
matches (so a track ranked 300th is found at Top 25). Before a clip is analysed there is
no target: the rows are the library in its own order, to browse and audition.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from core.match import MatchResult, match_percent

__all__ = ["COLUMNS", "ResultsModel", "ResultsProxy", "TrackInfo"]


@dataclass(frozen=True)
class TrackInfo:
    """What the list shows about a library row besides its distance (any object with these fields will do)."""

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
HEADER_TIPS = {
    "Distance": QT_TRANSLATE_NOOP(
        "ResultsModel", "How far the track's 10 music features are from the clip's target, under the chosen metric, "
                        "dimensions and weights (smaller is closer; 0 is identical)"),
    "Match": QT_TRANSLATE_NOOP(
        "ResultsModel", "The distance as a score from 0 to 100, the same for a track whatever else is listed. "
                        "Euclidean: 100 x exp(-r²/2), r the weighted RMS difference per dimension in standard units "
                        "(61 = one unit off on average); cosine: 100 x (1 - d/2). See docs/matching.md"),
    "Rank": QT_TRANSLATE_NOOP("ResultsModel", "Place in the whole ranked library (1 = closest to the target)"),
}


def _duration(seconds: float) -> str:
    if seconds <= 0:
        return ""
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes}:{rest:02d}"


class ResultsModel(QAbstractTableModel):
    """Rows in rank order over the whole library; ``Match`` is :func:`core.match.match_percent`."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.result: MatchResult | None = None
        self.tracks: list = []
        self.order = np.zeros(0, dtype=np.int64)
        """Library row of each model row (rank order, or library order without a target)."""
        self.percent = np.zeros(0)
        self.limit = 0
        """How many rows the list shows without a filter (the top K)."""
        self.picked: set[int] = set()
        """Library rows that are picked."""
        self.explanation: tuple | None = None
        """(target (10,), library features (n, 10), the clip's video features (11,) or None, language):
        what the reasons in words of each row's tooltip are worked out from (see :meth:`set_explanation`)."""

    @property
    def ranked(self) -> bool:
        return self.result is not None

    def set_result(self, result: MatchResult | None, tracks: list, limit: int | None = None, *,
                   keep: np.ndarray | None = None) -> None:
        """Show ``result`` (a ranking of all of ``tracks``), or ``tracks`` in library order when it is None.

        ``keep``: without a ranking, the boolean mask of the library rows the filter bar lets
        through, shape ``(len(tracks),)`` (a ranking was already made of the kept rows only).
        """
        self.beginResetModel()
        self.result = result
        self.tracks = list(tracks)
        if result is not None:
            self.order = np.asarray(result.indices, dtype=np.int64)
            self.percent = np.atleast_1d(match_percent(result.distances, result.settings))
        else:
            self.order = np.arange(len(self.tracks), dtype=np.int64)
            if keep is not None and len(keep) == len(self.tracks):
                self.order = np.flatnonzero(keep).astype(np.int64)
            self.percent = np.zeros(0)
        self.limit = len(self.order) if limit is None else min(int(limit), len(self.order))
        self.endResetModel()

    def set_picked(self, rows: set[int]) -> None:
        self.picked = set(rows)
        if self.rowCount():
            column = COLUMNS.index("Pick")
            self.dataChanged.emit(self.index(0, column), self.index(self.rowCount() - 1, column))

    def set_explanation(self, target: np.ndarray | None, features: np.ndarray | None,
                        video: np.ndarray | None = None, language: str = "en") -> None:
        """Give each ranked row's tooltip its reasons in words (:func:`core.recommend.reasons.explain`).

        ``target``: the vector ranked against, shape ``(10,)``; ``features``: the library's
        music vectors, shape ``(n, 10)``; ``video``: the clip's features, shape ``(11,)``, so a
        quality the clip drives is named ("fast rhythm like the clip's pace"); None: no reasons.
        """
        self.explanation = None if target is None or features is None else (
            np.asarray(target, dtype=np.float64), features, video, language)

    def reason_text(self, row: int) -> str:
        """The reasons in words for model ``row`` ("" without a ranking or an explanation)."""
        if self.result is None or self.explanation is None or not 0 <= row < len(self.order):
            return ""
        from core.recommend.reasons import explain

        target, features, video, language = self.explanation
        library_row = int(self.order[row])
        if library_row >= len(features):
            return ""
        shares = dict(zip(self.result.settings.dims, (float(v) for v in self.result.shares[row]), strict=True))
        return explain(target, features[library_row], shares, video=video, language=language)

    def library_row(self, row: int) -> int:
        return int(self.order[row])

    def model_row(self, library_row: int) -> int | None:
        where = np.flatnonzero(self.order == library_row)
        return int(where[0]) if where.size else None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else int(self.order.size)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[column])
        if role == Qt.ItemDataRole.ToolTipRole and column in HEADER_TIPS:
            return self.tr(HEADER_TIPS[column])
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = index.row(), COLUMNS[index.column()]
        library_row = int(self.order[row])
        track = self.tracks[library_row]
        ranked = self.result is not None
        distance = float(self.result.distances[row]) if ranked else float("nan")
        match = float(self.percent[row]) if ranked else float("nan")
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "Rank": row + 1 if ranked else "", "Title": track.title, "Artist": track.artist,
                "Duration": _duration(track.duration_s), "BPM": f"{track.tempo_bpm:.0f}" if track.tempo_bpm else "–",
                "Distance": f"{distance:.4f}" if ranked else "", "Match": f"{match:.0f} %" if ranked else "",
                "Pick": "●" if library_row in self.picked else "",
            }[column]
        if role == Qt.ItemDataRole.UserRole:  # sort keys
            return {
                "Rank": row, "Title": track.title.lower(), "Artist": track.artist.lower(),
                "Duration": track.duration_s, "BPM": track.tempo_bpm, "Distance": distance if ranked else 0.0,
                "Match": match if ranked else 0.0, "Pick": library_row in self.picked,
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            tempo = "" if track.tempo_bpm else "\n" + self.tr("No steady beat found (BPM –)")
            if not ranked:
                return track.path + tempo
            shares = sorted(((dim, share) for dim, share in zip(self.result.settings.dims, self.result.shares[row],
                                                                  strict=True)), key=lambda item: -item[1])[:3]
            why = self.reason_text(row)
            return (f"{track.path}\n" + (f"{why}\n" if why else "") + self.tr("Largest shares of the distance: ")
                    + ", ".join(f"{d} {s:.0%}" for d, s in shares) + tempo)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("Rank", "Duration", "BPM", "Distance", "Match"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ResultsProxy(QSortFilterProxyModel):
    """Sorting by the model's sort keys; shows the top K, or every row of the ranking the filter matches."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(Qt.ItemDataRole.UserRole)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def filtering(self) -> bool:
        return bool(self.filterRegularExpression().pattern())

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        model: ResultsModel = self.sourceModel()  # type: ignore[assignment]
        pattern = self.filterRegularExpression()
        if not pattern.pattern():
            return source_row < model.limit
        track = model.tracks[model.library_row(source_row)]
        return pattern.match(f"{track.title} {track.artist} {track.path}").hasMatch()
