"""Match controls: metric, dimension presets and checkboxes, per-dimension weights, top-K.

Every change emits ``changed`` with fresh :class:`~core.match.MatchSettings`; ranking a
library of thousands takes about a millisecond, so the list re-ranks live, no job.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.features import MUSIC
from core.match import MatchSettings
from musicmatch_gui.core_text import definition

__all__ = ["LikeChip", "MatchControls"]

_SLIDER_STEPS = 40  # weights 0 .. 4 in steps of 0.1


class MatchControls(QWidget):
    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, language: str = "en") -> None:
        super().__init__(parent)
        self._quiet = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        # Not "metric": that name would hide QPaintDevice.metric(), which Qt calls on every widget.
        self.metric_box = QComboBox()
        self.metric_box.addItem(self.tr("Euclidean"), "euclidean")
        self.metric_box.addItem(self.tr("Cosine"), "cosine")
        self.metric_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.metric_box.setMinimumContentsLength(9)  # "Euclidean" whole, never "Euc...ean"
        self.metric_box.setToolTip(self.tr("Euclidean: how far each dimension is off; cosine: only the direction "
                                           "(the profile)"))
        self.top_k = QSpinBox()
        self.top_k.setRange(1, 500)
        self.top_k.setValue(25)
        self.top_k.setPrefix(self.tr("Top "))
        self.all_button = QPushButton(self.tr("All"))
        self.va_button = QPushButton(self.tr("VA only"))
        self.reset_button = QPushButton(self.tr("Reset weights"))
        for widget in (QLabel(self.tr("Metric")), self.metric_box, self.top_k):
            top.addWidget(widget)
        top.addStretch(1)
        layout.addLayout(top)
        presets = QHBoxLayout()  # a row of their own: the panel stays narrow enough for a 1280-px screen
        for widget in (self.all_button, self.va_button, self.reset_button):
            presets.addWidget(widget)
        presets.addStretch(1)
        layout.addLayout(presets)
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(1)
        self.checks: dict[str, QCheckBox] = {}
        self.sliders: dict[str, QSlider] = {}
        self.values: dict[str, QLabel] = {}
        for row, dim in enumerate(MUSIC):
            check = QCheckBox(dim.label(language))
            check.setChecked(True)
            check.setToolTip(definition(dim))
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, _SLIDER_STEPS)
            slider.setValue(10)
            slider.setToolTip(self.tr("Weight of {name} (0 to 4; 1 is neutral)").format(name=dim.label(language)))
            value = QLabel("1.0")
            value.setMinimumWidth(28)
            grid.addWidget(check, row, 0)
            grid.addWidget(slider, row, 1)
            grid.addWidget(value, row, 2)
            self.checks[dim.id], self.sliders[dim.id], self.values[dim.id] = check, slider, value
            check.toggled.connect(self._emit)
            slider.valueChanged.connect(self._emit)
        layout.addLayout(grid)
        self.metric_box.currentIndexChanged.connect(self._emit)
        self.top_k.valueChanged.connect(self._emit)
        self.all_button.clicked.connect(lambda: self.select(MUSIC.ids))
        self.va_button.clicked.connect(lambda: self.select(MUSIC.select("va")))
        self.reset_button.clicked.connect(self.reset_weights)

    def set_language(self, language: str) -> None:
        """Label the dimensions in ``language`` (``en`` or ``zh``), from the feature schema."""
        for dim in MUSIC:
            self.checks[dim.id].setText(dim.label(language))
            self.sliders[dim.id].setToolTip(self.tr("Weight of {name} (0 to 4; 1 is neutral)").format(
                name=dim.label(language)))

    def select(self, dims) -> None:
        self._quiet = True
        for dim_id, check in self.checks.items():
            check.setChecked(dim_id in dims)
        self._quiet = False
        self._emit()

    def reset_weights(self) -> None:
        self._quiet = True
        for slider in self.sliders.values():
            slider.setValue(10)
        self._quiet = False
        self._emit()

    def settings(self) -> MatchSettings:
        dims = [d for d, check in self.checks.items() if check.isChecked()] or list(MUSIC.ids)
        weights = {d: slider.value() / 10.0 for d, slider in self.sliders.items()}
        return MatchSettings.create(metric=self.metric_box.currentData(), dims=dims, weights=weights,
                                    top_k=self.top_k.value())

    def apply(self, settings: MatchSettings) -> None:
        """Show ``settings`` (from a project) without emitting for every widget."""
        self._quiet = True
        self.metric_box.setCurrentIndex(max(0, self.metric_box.findData(settings.metric)))
        self.top_k.setValue(settings.top_k)
        for dim_id, weight in zip(MUSIC.ids, settings.weights, strict=True):
            self.checks[dim_id].setChecked(dim_id in settings.dims)
            self.sliders[dim_id].setValue(int(round(weight * 10)))
        self._quiet = False
        self._emit()

    def _emit(self, *_args) -> None:
        for dim_id, slider in self.sliders.items():
            self.values[dim_id].setText(f"{slider.value() / 10:.1f}")
        if not self._quiet:
            self.changed.emit(self.settings())


class LikeChip(QWidget):
    """What the list is ranked against while "More Like This" is on, the blend slider, and the way back.

    Hidden while the target is the clip's own. With a track liked it says which track; with
    a clip open as well, one slider blends the two targets, ``blend`` being the liked
    track's share (SPEC §7 ``--like-blend``: 0 the clip's target alone, 1 the track's vector
    alone). Emits :attr:`blend_changed` (0..1) as the slider moves and :attr:`back_requested`
    when the editor goes back to the clip's target (or, with no clip, to the plain library).
    """

    blend_changed = Signal(float)
    back_requested = Signal()

    STEPS = 100

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("likeChip")
        self.label = QLabel("")
        self.label.setObjectName("likeChipLabel")
        self.label.setStyleSheet("QLabel#likeChipLabel { background: #1f4e5f; color: #e0f7fa; border-radius: 9px;"
                                 " padding: 2px 8px; }")
        self.clip_end = QLabel(self.tr("this clip"))
        self.track_end = QLabel(self.tr("this track"))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, self.STEPS)
        self.slider.setValue(self.STEPS // 2)
        self.slider.setMinimumWidth(90)
        self.slider.setToolTip(self.tr("Blend of the two targets: left, the clip's target alone; right, the liked "
                                       "track alone"))
        self.back = QPushButton(self.tr("Back to the clip's target"))
        self.back.setToolTip(self.tr("Rank against the clip's own target again"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.clip_end, self.slider, self.track_end, self.back):
            layout.addWidget(widget)
        layout.setStretch(0, 1)
        self.slider.valueChanged.connect(lambda value: self.blend_changed.emit(value / self.STEPS))
        self.back.clicked.connect(self.back_requested.emit)
        self.hide()

    @property
    def blend(self) -> float:
        """The liked track's share of the target, 0..1."""
        return self.slider.value() / self.STEPS

    def show_like(self, title: str | None, *, has_clip: bool, blend: float | None = None) -> None:
        """Show that the list ranks "like ``title``" (None: hide the chip); the slider only with a clip."""
        if title is None:
            self.hide()
            return
        if blend is not None:
            self.slider.blockSignals(True)
            self.slider.setValue(int(round(blend * self.STEPS)))
            self.slider.blockSignals(False)
        if has_clip:
            self.label.setText(self.tr("Target: like “{title}”, for this clip").format(title=title))
            self.back.setText(self.tr("Back to the clip's target"))
        else:
            self.label.setText(self.tr("Target: like “{title}”").format(title=title))
            self.back.setText(self.tr("Back to the whole library"))
        for widget in (self.clip_end, self.slider, self.track_end):
            widget.setVisible(has_clip)
        self.show()
