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
from PySide6.QtGui import QBrush, QColor, QPalette

from core.features import MUSIC
from core.match import MatchResult, match_percent

__all__ = ["COLUMNS", "ResultsModel", "ResultsProxy", "TimingCell", "TrackInfo"]


@dataclass(frozen=True)
class TrackInfo:
    """What the list shows about a library row besides its distance (any object with these fields will do)."""

    path: str
    title: str
    artist: str = ""
    duration_s: float = 0.0
    tempo_bpm: float = 0.0


COLUMNS = ("Rank", "Title", "Artist", "Duration", "BPM", "Distance", "Match", "Pick", "Key", "Section")
"""Model columns; the window's header shows Key and Section after BPM (``moveSection``), so new
columns are appended here and older column numbers never change."""


@dataclass(frozen=True)
class TimingCell:
    """What the list shows of a row's timing for the open clip (see ``ResultsModel.timing_of``)."""

    key: str = ""
    """The track's key ("A minor"), empty when unknown."""
    tempo_reliable: bool = True
    """False when the tempo was measured with low confidence: the BPM is shown as "~120"."""
    section_start_s: float | None = None
    """Start of the section in use (best, or moved by the editor), track seconds; None without one."""
    section_score: float | None = None
    """How well the best section fits, 0..1 (None once moved, or without a section)."""
    reasons: tuple[str, ...] = ()
    """Why this section, in words."""
    covers_clip: bool | None = None
    """Whether the track lasts the clip; None when unknown or before a clip."""
    clip_s: float = 0.0
    """The clip's length, seconds (for the "shorter than the clip" tooltip)."""

HEADERS = {name: name for name in COLUMNS} | {  # the shown header, translated; COLUMNS stay the keys
    "Rank": QT_TRANSLATE_NOOP("ResultsModel", "Rank"), "Title": QT_TRANSLATE_NOOP("ResultsModel", "Title"),
    "Artist": QT_TRANSLATE_NOOP("ResultsModel", "Artist"), "Duration": QT_TRANSLATE_NOOP("ResultsModel", "Duration"),
    "Distance": QT_TRANSLATE_NOOP("ResultsModel", "Distance"), "Match": QT_TRANSLATE_NOOP("ResultsModel", "Match"),
    "Pick": QT_TRANSLATE_NOOP("ResultsModel", "Pick"), "Key": QT_TRANSLATE_NOOP("ResultsModel", "Key"),
    "Section": QT_TRANSLATE_NOOP("ResultsModel", "Section"),
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
    "Duration": QT_TRANSLATE_NOOP("ResultsModel", "Length of the track; ⚠ marks a track shorter than the clip "
                                                  "(it ranks after every track that covers the clip)"),
    "BPM": QT_TRANSLATE_NOOP("ResultsModel", "Tempo in beats per minute; ~ marks a tempo measured with low "
                                             "confidence, – a track without a steady beat"),
    "Key": QT_TRANSLATE_NOOP("ResultsModel", "The track's key, as measured by the analysis"),
    "Section": QT_TRANSLATE_NOOP("ResultsModel", "Where in the track the music starts for this clip (m:ss): the "
                                                 "best section, or where you moved it in the track view"),
}


def _clock(seconds: float) -> str:
    """``m:ss.s`` of a time inside a track, to the tenth the track view shows (5.99 s: ``0:06.0``)."""
    tenths = round(max(0.0, float(seconds)) * 10)
    minutes, rest = divmod(tenths, 600)
    return f"{minutes}:{rest // 10:02d}.{rest % 10}"


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
        self.versions = None
        """The library's :class:`core.library.versions.VersionGroups` (one row per song), or None."""
        self.language = "en"
        """Language of the dimension names in the tooltips (``"en"`` or ``"zh"``, from the feature schema)."""
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
            mask = None
            if self.versions is not None and len(self.versions.group) == len(self.tracks):
                mask = self.versions.preferred_rows  # browsing too: one row per song
            if keep is not None and len(keep) == len(self.tracks):
                mask = np.asarray(keep, dtype=bool) if mask is None else mask & np.asarray(keep, dtype=bool)
            if mask is not None:
                self.order = np.flatnonzero(mask).astype(np.int64)
            self.percent = np.zeros(0)
        self.limit = len(self.order) if limit is None else min(int(limit), len(self.order))
        self.endResetModel()

    def set_versions(self, versions) -> None:
        """Group the rows by song (:class:`core.library.versions.VersionGroups`, or None); call before
        :meth:`set_result`. A song's row says "+N versions" and its tooltip lists every file."""
        self.versions = versions

    def other_versions(self, library_row: int) -> int:
        """How many more files the song of ``library_row`` has (0 without grouping)."""
        if self.versions is None or library_row >= len(self.versions.group):
            return 0
        return self.versions.others(library_row)

    def _describe(self, version) -> str:
        """A version in the UI language: ``"MP3, 192 kbps, 4.4 MB"`` or ``"FLAC, lossless, 31.0 MB"``."""
        if version.lossless:
            quality = self.tr("lossless")
        elif version.bitrate_kbps:
            quality = f"{version.bitrate_kbps:.0f} kbps"
        else:
            quality = self.tr("lossy")
        size = "" if version.size_bytes is None else f", {version.size_bytes / 1e6:.1f} MB"
        return f"{version.format or '?'}, {quality}{size}"

    def set_picked(self, rows: set[int]) -> None:
        self.picked = set(rows)
        if self.versions is not None:  # a pick of another file of a song marks the song's row
            self.picked |= {self.versions.preferred(r) for r in rows if 0 <= r < len(self.versions.group)}
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
        if column in _TIMING_COLUMNS:
            value = self._timing_data(library_row, track, column, role)
            if value is not _UNCHANGED:
                return value
        if role == Qt.ItemDataRole.DisplayRole:
            others = self.other_versions(library_row) if column == "Title" else 0
            if others:
                more = self.tr("(+1 version)") if others == 1 else self.tr("(+{count} versions)").format(count=others)
                title = f"{track.title}  {more}"
            else:
                title = track.title
            return {
                "Rank": row + 1 if ranked else "", "Title": title, "Artist": track.artist,
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
            if self.other_versions(library_row):  # which file plays, and the song's other files
                tempo += "\n" + self.tr("Versions (the first plays and is picked):") + "".join(
                    f"\n  {self._describe(v)}: {v.path}" for v in self.versions.versions_of(library_row))
            if not ranked:
                return track.path + tempo
            shares = sorted(((dim, share) for dim, share in zip(self.result.settings.dims, self.result.shares[row],
                                                                  strict=True)), key=lambda item: -item[1])[:3]
            why = self.reason_text(row)
            return (f"{track.path}\n" + (f"{why}\n" if why else "") + self.tr("Largest shares of the distance: ")
                    + ", ".join(f"{MUSIC.label(d, self.language)} {s:.0%}" for d, s in shares) + tempo)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("Rank", "Duration", "BPM", "Distance", "Match"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


    # -- timing: Key, Section, and the marks on Duration and BPM -------------------------------------------

    timing_of = None
    """``timing_of(library_row) -> TimingCell | None``, set by the window: computed on demand
    for the rows shown (a section costs about a millisecond), so nothing is made for rows
    nobody looks at."""

    def timing_changed(self) -> None:
        """The sections (or the clip) changed: repaint the timing columns."""
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(COLUMNS) - 1))

    def _cell(self, library_row: int) -> TimingCell | None:
        return self.timing_of(library_row) if self.timing_of is not None else None

    def _timing_data(self, library_row: int, track, column: str, role):
        cell = self._cell(library_row)
        if column == "Duration":
            return self._duration_data(track, cell, role)
        if column == "BPM":
            return self._tempo_data(track, cell, role)
        if column == "Key":
            key = cell.key if cell is not None else ""
            return {Qt.ItemDataRole.DisplayRole: key or "–", Qt.ItemDataRole.UserRole: key}.get(role, _UNCHANGED)
        start = cell.section_start_s if cell is not None else None
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if start is None else _clock(start)
        if role == Qt.ItemDataRole.UserRole:
            return -1.0 if start is None else float(start)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if start is None:
                return _UNCHANGED
            lines = [self.tr("Starts at {start:.2f} s in the track").format(start=start)]
            if cell.section_score is not None:
                lines.append(self.tr("Fit {score:.0%}").format(score=cell.section_score))
            lines += list(cell.reasons)
            return "\n".join(lines)
        return None

    def _duration_data(self, track, cell: TimingCell | None, role):
        short = cell is not None and cell.covers_clip is False
        if role == Qt.ItemDataRole.DisplayRole and short:
            return f"⚠ {_duration(track.duration_s)}"
        if role == Qt.ItemDataRole.ForegroundRole and short:
            return QBrush(QColor("#ff9800"))
        if role == Qt.ItemDataRole.ToolTipRole and short:
            return self.tr("Shorter than the clip ({track:.1f} s for a {clip:.1f} s clip): it ranks after every "
                           "track that covers the clip; Fit to clip repeats bars to make it last").format(
                track=track.duration_s, clip=cell.clip_s)
        return _UNCHANGED

    def _tempo_data(self, track, cell: TimingCell | None, role):
        unsure = cell is not None and not cell.tempo_reliable and bool(track.tempo_bpm)
        if role == Qt.ItemDataRole.DisplayRole and unsure:
            return f"~{track.tempo_bpm:.0f}"
        if role == Qt.ItemDataRole.ForegroundRole and unsure:
            colour = QColor(QPalette().color(QPalette.ColorRole.Text))
            colour.setAlpha(120)
            return QBrush(colour)
        if role == Qt.ItemDataRole.ToolTipRole and unsure:
            return self.tr("Tempo measured with low confidence: no steady beat to cut on")
        return _UNCHANGED


_TIMING_COLUMNS = ("Duration", "BPM", "Key", "Section")
_UNCHANGED = object()  # a role the timing columns leave to the plain cell (the row's tooltip, its text)


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
