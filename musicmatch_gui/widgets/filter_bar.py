"""The filter bar: which tracks the results list shows (BPM, duration, key, emotion, artist, album, picked).

Two rows of controls, about 560 px wide at the least (checked in offscreen grabs in
English and Chinese).

A filter chooses which tracks are listed and never changes a distance (see
:mod:`core.recommend.filters`); the bar only builds the :class:`TrackFilter`.

API for the window (not wired in yet):

* ``FilterBar(parent, language="en"|"zh")``; ``changed(object)`` is emitted with a fresh
  :class:`~core.recommend.filters.TrackFilter` on every edit (ranking takes about a
  millisecond, so the list can re-rank live, as with the match controls);
* :meth:`FilterBar.track_filter` returns the current filter;
* :meth:`FilterBar.set_clip_length` gives the clip's length: "at least the clip" (on by
  default) then keeps tracks at least that long;
* :meth:`FilterBar.set_picked` gives the project's picks (paths, content hashes) for
  "not picked yet";
* :meth:`FilterBar.set_available` greys out what the library cannot answer (a CSV
  library has no tempo, duration, key or tags);
* :meth:`FilterBar.reset` clears every filter (the clip's length is kept);
* :meth:`FilterBar.state` / :meth:`FilterBar.apply_state`: the settings as a plain dict, to
  remember between sessions (the project's picks and the clip's length are not part of it);
* :func:`loosen_hint` names the filters that, loosened, would list tracks again;
* :class:`PartMasks` computes a filter's mask part by part, keeping each part's until it
  changes (the window re-ranks on every edit).

Its texts come in English and Chinese from :data:`TEXT` (the emotion classes and keys
too), so the bar adds nothing to the Qt Linguist source until the window wires it in;
then they can move to ``tr()`` with the translations given here.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.recommend.filters import TrackFilter
from core.recommend.pairs import QUADRANTS

__all__ = ["TEXT", "FilterBar", "PartMasks", "loosen_hint"]

TEXT = {
    "en": {"bpm": "BPM", "to": "to", "duration": "Length (s)", "clip": "At least the clip", "key": "Key",
           "any_key": "Any key", "major": "Major", "minor": "Minor", "emotion": "Mood", "any_emotion": "Any mood",
           "artist": "Artist", "album": "Album", "picked": "Not picked yet", "reset": "Clear filters",
           "joyful": "Joyful", "tense": "Tense", "sad": "Sad", "calm": "Calm", "major_key": "{tonic} major",
           "minor_key": "{tonic} minor",
           "tip": "Filters choose which tracks are listed; they never change a distance.",
           "unavailable": "No track of this library has a known {what} (a CSV library has none; a library "
                          "database made by a scan has them).",
           "parts": {"bpm": "BPM", "duration_s": "length", "key": "key", "emotion": "mood", "artist": "artist",
                     "album": "album", "picked": "not picked yet"}},
    "zh": {"bpm": "速度 (BPM)", "to": "至", "duration": "时长 (秒)", "clip": "不短于片段", "key": "调性",
           "any_key": "任意调性", "major": "大调", "minor": "小调", "emotion": "情绪", "any_emotion": "任意情绪",
           "artist": "艺术家", "album": "专辑", "picked": "只看未选用的", "reset": "清除筛选",
           "joyful": "欢快", "tense": "紧张", "sad": "悲伤", "calm": "平静", "major_key": "{tonic} 大调",
           "minor_key": "{tonic} 小调",
           "tip": "筛选只决定列出哪些曲目，从不改变距离。",
           "unavailable": "此曲库中没有任何曲目带有已知的{what}信息（CSV 曲库没有；扫描生成的曲库数据库有）。",
           "parts": {"bpm": "速度", "duration_s": "时长", "key": "调性", "emotion": "情绪", "artist": "艺术家",
                     "album": "专辑", "picked": "只看未选用的"}},
}
_TONICS = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_WHAT = {"en": {"tempo": "tempo", "duration": "duration", "key": "key", "tags": "tags"},
         "zh": {"tempo": "速度", "duration": "时长", "key": "调性", "tags": "标签"}}


class FilterBar(QWidget):
    """One row of filter controls; see the module text for the API."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, language: str = "en") -> None:
        super().__init__(parent)
        self.language = "zh" if str(language).lower().startswith("zh") else "en"
        text = TEXT[self.language]
        self._clip_s: float | None = None
        self._picked: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
        self._quiet = False
        self.setToolTip(text["tip"])
        # Two rows: the numbers, then the choices; one row would need over 1000 px beside the results list.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        rows = (QHBoxLayout(), QHBoxLayout())
        for row in rows:
            layout.addLayout(row)

        self.bpm_on = QCheckBox(text["bpm"])
        self.bpm_low, self.bpm_high = QSpinBox(), QSpinBox()
        for box, value in ((self.bpm_low, 80), (self.bpm_high, 140)):
            box.setRange(20, 300)
            box.setValue(value)
        self.duration_on = QCheckBox(text["duration"])
        self.duration_low, self.duration_high = QDoubleSpinBox(), QDoubleSpinBox()
        for box, value in ((self.duration_low, 0.0), (self.duration_high, 600.0)):
            box.setRange(0.0, 36_000.0)
            box.setDecimals(0)
            box.setValue(value)
        self.at_least_clip = QCheckBox(text["clip"])
        self.at_least_clip.setChecked(True)
        self.key = QComboBox()
        self.key.addItem(text["any_key"], None)
        self.key.addItem(text["major"], "major")
        self.key.addItem(text["minor"], "minor")
        for mode in ("major", "minor"):
            for tonic in _TONICS:
                self.key.addItem(text[f"{mode}_key"].format(tonic=tonic), f"{tonic} {mode}")
        self.emotion = QComboBox()
        self.emotion.addItem(text["any_emotion"], None)
        for label in QUADRANTS:
            self.emotion.addItem(text[label], label)
        self.artist, self.album = QLineEdit(), QLineEdit()
        self.artist.setPlaceholderText(text["artist"])
        self.album.setPlaceholderText(text["album"])
        self.exclude_picked = QCheckBox(text["picked"])
        self.reset_button = QPushButton(text["reset"])
        self._to_labels = (QLabel(text["to"]), QLabel(text["to"]))
        self._available = {"tempo": True, "duration": True, "key": True, "tags": True}

        for widget in (self.bpm_on, self.bpm_low, self._to_labels[0], self.bpm_high, self.duration_on,
                       self.duration_low, self._to_labels[1], self.duration_high, self.at_least_clip):
            rows[0].addWidget(widget)
        for widget in (self.key, self.emotion, self.artist, self.album, self.exclude_picked, self.reset_button):
            rows[1].addWidget(widget)
        for row in rows:
            row.addStretch(1)

        for box in (self.bpm_on, self.duration_on, self.at_least_clip, self.exclude_picked):
            box.toggled.connect(self._emit)
        for spin in (self.bpm_low, self.bpm_high, self.duration_low, self.duration_high):
            spin.valueChanged.connect(self._emit)
        for combo in (self.key, self.emotion):
            combo.currentIndexChanged.connect(self._emit)
        for edit in (self.artist, self.album):
            edit.textChanged.connect(self._emit)
        self.reset_button.clicked.connect(self.reset)
        self._sync_enabled()

    # -- the API ---------------------------------------------------------------------------

    def track_filter(self) -> TrackFilter:
        """The filter the controls describe (a spin box pair given the wrong way round is read low-high)."""
        bpm = None
        if self.bpm_on.isChecked() and self.bpm_on.isEnabled():
            low, high = sorted((float(self.bpm_low.value()), float(self.bpm_high.value())))
            bpm = (low, high)
        duration = None
        if self.duration_on.isEnabled():
            low, high = 0.0, math.inf
            if self.duration_on.isChecked():
                low, high = sorted((float(self.duration_low.value()), float(self.duration_high.value())))
            if self.at_least_clip.isChecked() and self._clip_s:
                low = max(low, float(self._clip_s))
                high = max(high, low)
            if (low, high) != (0.0, math.inf):
                duration = (low, high)
        paths, hashes = self._picked if self.exclude_picked.isChecked() else (frozenset(), frozenset())
        key = self.key.currentData() if self.key.isEnabled() else None
        artist = self.artist.text().strip() if self.artist.isEnabled() else ""
        album = self.album.text().strip() if self.album.isEnabled() else ""
        return TrackFilter(bpm=bpm, duration_s=duration, key=key, emotion=self.emotion.currentData(),
                           artist=artist or None, album=album or None, exclude_paths=paths, exclude_hashes=hashes)

    @property
    def clip_length(self) -> float | None:
        """The clip's length given by :meth:`set_clip_length`, in seconds (None: no clip)."""
        return self._clip_s

    def set_clip_length(self, seconds: float | None) -> None:
        """The clip's length in seconds (None: no clip); "at least the clip" then filters by it."""
        self._clip_s = float(seconds) if seconds else None
        self._emit()

    def set_picked(self, paths, hashes=()) -> None:
        """The tracks already picked in this project (paths and content hashes), for "not picked yet"."""
        self._picked = (frozenset(str(p) for p in paths), frozenset(h for h in hashes if h))
        self._emit()

    def set_available(self, *, tempo: bool = True, duration: bool = True, key: bool = True, tags: bool = True) -> None:
        """Grey out the filters this library cannot answer (a CSV library knows none of these)."""
        self._available = {"tempo": tempo, "duration": duration, "key": key, "tags": tags}
        what = _WHAT[self.language]
        template = TEXT[self.language]["unavailable"]
        groups = ((tempo, "tempo", (self.bpm_on, self.bpm_low, self.bpm_high)),
                  (duration, "duration", (self.duration_on, self.duration_low, self.duration_high,
                                          self.at_least_clip)),
                  (key, "key", (self.key,)), (tags, "tags", (self.artist, self.album)))
        for available, name, widgets in groups:
            for widget in widgets:
                widget.setEnabled(available)
                widget.setToolTip("" if available else template.format(what=what[name]))
        self._sync_enabled()
        self._emit()

    def set_language(self, language: str) -> None:
        """Label the controls in ``language`` (``en`` or ``zh``); the filter itself is unchanged (no signal)."""
        self.language = "zh" if str(language).lower().startswith("zh") else "en"
        text = TEXT[self.language]
        self.setToolTip(text["tip"])
        for widget, key in ((self.bpm_on, "bpm"), (self.duration_on, "duration"), (self.at_least_clip, "clip"),
                            (self.exclude_picked, "picked"), (self.reset_button, "reset"),
                            (self._to_labels[0], "to"), (self._to_labels[1], "to")):
            widget.setText(text[key])
        self.artist.setPlaceholderText(text["artist"])
        self.album.setPlaceholderText(text["album"])
        for index in range(self.key.count()):
            data = self.key.itemData(index)
            if data is None:
                label = text["any_key"]
            elif data in ("major", "minor"):
                label = text[data]
            else:
                tonic, mode = data.split(" ")
                label = text[f"{mode}_key"].format(tonic=tonic)
            self.key.setItemText(index, label)
        for index in range(self.emotion.count()):
            data = self.emotion.itemData(index)
            self.emotion.setItemText(index, text["any_emotion"] if data is None else text[data])
        self._quiet = True
        try:
            self.set_available(**self._available)  # its tooltips, in the new language
        finally:
            self._quiet = False

    def reset(self) -> None:
        """Clear every filter ("at least the clip" back on); emits ``changed`` once."""
        self._quiet = True
        try:
            self.bpm_on.setChecked(False)
            self.duration_on.setChecked(False)
            self.at_least_clip.setChecked(True)
            self.key.setCurrentIndex(0)
            self.emotion.setCurrentIndex(0)
            self.artist.clear()
            self.album.clear()
            self.exclude_picked.setChecked(False)
        finally:
            self._quiet = False
        self._emit()

    def state(self) -> dict:
        """The settings as plain values (JSON-able), for :func:`musicmatch_gui.settings.save_filter_state`."""
        return {"bpm_on": self.bpm_on.isChecked(), "bpm": [self.bpm_low.value(), self.bpm_high.value()],
                "duration_on": self.duration_on.isChecked(),
                "duration": [self.duration_low.value(), self.duration_high.value()],
                "at_least_clip": self.at_least_clip.isChecked(), "key": self.key.currentData(),
                "emotion": self.emotion.currentData(), "artist": self.artist.text(), "album": self.album.text(),
                "exclude_picked": self.exclude_picked.isChecked()}

    def apply_state(self, state: dict) -> None:
        """Show ``state`` (from :meth:`state`; unknown or damaged entries are skipped); emits ``changed`` once."""
        self._quiet = True
        try:
            for name, box in (("bpm_on", self.bpm_on), ("duration_on", self.duration_on),
                              ("at_least_clip", self.at_least_clip), ("exclude_picked", self.exclude_picked)):
                if isinstance(state.get(name), bool):
                    box.setChecked(state[name])
            for name, boxes in (("bpm", (self.bpm_low, self.bpm_high)),
                                ("duration", (self.duration_low, self.duration_high))):
                values = state.get(name)
                if isinstance(values, list) and len(values) == 2:
                    for box, value in zip(boxes, values, strict=True):
                        if isinstance(value, (int, float)):
                            box.setValue(type(box.value())(value))
            for name, combo in (("key", self.key), ("emotion", self.emotion)):
                combo.setCurrentIndex(max(0, combo.findData(state.get(name))) if state.get(name) else 0)
            for name, edit in (("artist", self.artist), ("album", self.album)):
                if isinstance(state.get(name), str):
                    edit.setText(state[name])
        finally:
            self._quiet = False
        self._emit()

    # -- internals -------------------------------------------------------------------------

    def _sync_enabled(self) -> None:
        for on, boxes in ((self.bpm_on, (self.bpm_low, self.bpm_high)),
                          (self.duration_on, (self.duration_low, self.duration_high))):
            for box in boxes:
                box.setEnabled(on.isEnabled() and on.isChecked())

    def _emit(self, *_args) -> None:
        self._sync_enabled()
        if not self._quiet:
            self.changed.emit(self.track_filter())


def loosen_hint(track_filter: TrackFilter, facts, *, language: str = "en",
                within=None) -> list[tuple[str, int]]:
    """Which filters to loosen when ``track_filter`` lets no track of ``facts`` through.

    Each active part of the filter is dropped in turn, the others kept; returns
    ``(the part's name in words, tracks listed without it)`` for the parts whose removal
    lists something, most tracks first (empty when only loosening several at once helps).
    ``facts``: the library's :class:`~core.recommend.filters.TrackFacts`. ``within``: boolean
    mask of the rows the list can show at all, shape ``(n,)`` (one file per song when versions are
    grouped); only those are counted.
    """
    from dataclasses import replace

    from core.errors import InputError

    names = TEXT["zh" if str(language).lower().startswith("zh") else "en"]["parts"]
    defaults = TrackFilter()
    parts = [(name, {name: getattr(defaults, name)}) for name in ("bpm", "duration_s", "key", "emotion", "artist",
                                                                  "album") if getattr(track_filter, name) is not None]
    if track_filter.exclude_paths or track_filter.exclude_hashes or track_filter.exclude_rows:
        parts.append(("picked", {"exclude_paths": frozenset(), "exclude_hashes": frozenset(),
                                 "exclude_rows": frozenset()}))
    found = []
    for name, loosened in parts:
        try:
            kept = replace(track_filter, **loosened).mask(facts)
            count = int((kept & within).sum() if within is not None else kept.sum())
        except InputError:
            continue
        if count:
            found.append((names[name], count))
    return sorted(found, key=lambda item: -item[1])


class PartMasks:
    """:meth:`TrackFilter.mask <core.recommend.filters.TrackFilter.mask>`, with each part's mask kept.

    The window re-ranks on every edit (a weight slider, a BPM step); parsing every track's
    key or matching every artist again each time cost tens of milliseconds on 2000 tracks
    (``benchmarks/bench_window_taste.py``). The mask is the AND of the parts' masks, as in
    ``TrackFilter.mask``, so it is the same array; a part's is recomputed only when its value
    or the library's facts change.
    """

    PARTS = ("bpm", "duration_s", "key", "emotion", "artist", "album")
    KEPT = 64
    """Part masks kept at most (the oldest are dropped together)."""

    def __init__(self) -> None:
        self._masks: dict[tuple[str, object], np.ndarray] = {}
        self._facts: object = None

    def mask(self, track_filter: TrackFilter, facts) -> np.ndarray:
        """Boolean keep-mask over ``facts``' rows, shape ``(n,)``; raises what ``TrackFilter.mask`` raises."""
        if facts is not self._facts:  # another library (or a rescan): its masks start afresh
            self._masks.clear()
            self._facts = facts
        keep = np.ones(len(facts), dtype=bool)
        for name in self.PARTS:
            value = getattr(track_filter, name)
            if value is None:
                continue
            part = self._masks.get((name, value))
            if part is None:
                if len(self._masks) >= self.KEPT:
                    self._masks.clear()
                part = self._masks[(name, value)] = TrackFilter(**{name: value}).mask(facts)
            keep &= part
        rest = TrackFilter(exclude_paths=track_filter.exclude_paths, exclude_hashes=track_filter.exclude_hashes,
                           exclude_rows=track_filter.exclude_rows)
        if rest.active:
            keep &= rest.mask(facts)
        return keep
