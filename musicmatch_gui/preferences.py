"""Preferences: where analysis runs, the language, the library to open, the default metric and list length.

Kept in ``QSettings`` (UI state, per STYLE.md); read once at start and passed to the window.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from musicmatch_gui.settings import app_settings

__all__ = ["Preferences", "PreferencesDialog"]

_DEVICES = ((QT_TRANSLATE_NOOP("PreferencesDialog", "Auto (CUDA when present)"), "auto"), ("CPU", "cpu"),
            ("CUDA", "cuda"))
_METRICS = ((QT_TRANSLATE_NOOP("PreferencesDialog", "Euclidean"), "euclidean"),
            (QT_TRANSLATE_NOOP("PreferencesDialog", "Cosine"), "cosine"))
_LANGUAGES = (("English", "en"), ("简体中文", "zh"))


@dataclass(frozen=True)
class Preferences:
    device: str = "auto"
    language: str = "en"
    library: str = ""
    """Library database opened at start ("": your own library once you have added a folder, else the demo)."""
    metric: str = "euclidean"
    top_k: int = 25

    @classmethod
    def load(cls) -> Preferences:
        settings = app_settings()
        device = str(settings.value("preferences/device", "auto"))
        language = str(settings.value("preferences/language", "en"))
        metric = str(settings.value("preferences/metric", "euclidean"))
        try:
            top_k = min(500, max(1, int(settings.value("preferences/top_k", 25))))
        except (TypeError, ValueError):
            top_k = 25
        return cls(device if device in {v for _, v in _DEVICES} else "auto",
                   language if language in ("en", "zh") else "en",
                   str(settings.value("preferences/library", "") or ""),
                   metric if metric in ("euclidean", "cosine") else "euclidean", top_k)

    def save(self) -> None:
        settings = app_settings()
        settings.setValue("preferences/device", self.device)
        settings.setValue("preferences/language", self.language)
        settings.setValue("preferences/library", self.library)
        settings.setValue("preferences/metric", self.metric)
        settings.setValue("preferences/top_k", self.top_k)


class PreferencesDialog(QDialog):
    def __init__(self, current: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        layout = QFormLayout(self)
        # Attribute names end in _box/_edit: a plain "metric" would hide QPaintDevice.metric(),
        # which Qt calls while painting ("Error calling Python override of QDialog::metric()").
        self.device_box = QComboBox()
        for label, value in _DEVICES:
            self.device_box.addItem(self.tr(label), value)
        self.device_box.setCurrentIndex(max(0, self.device_box.findData(current.device)))
        self.language_box = QComboBox()
        for label, value in _LANGUAGES:
            self.language_box.addItem(label, value)
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(current.language)))
        self.library_edit = QLineEdit(current.library)
        self.library_edit.setPlaceholderText(self.tr("(your own library; the demo until you add a folder)"))
        browse = QPushButton(self.tr("Choose..."))
        browse.clicked.connect(self._choose_library)
        library_row = QHBoxLayout()
        library_row.addWidget(self.library_edit, 1)
        library_row.addWidget(browse)
        self.metric_box = QComboBox()
        for label, value in _METRICS:
            self.metric_box.addItem(self.tr(label), value)
        self.metric_box.setCurrentIndex(max(0, self.metric_box.findData(current.metric)))
        self.top_k_box = QSpinBox()
        self.top_k_box.setRange(1, 500)
        self.top_k_box.setValue(current.top_k)
        layout.addRow(self.tr("Analysis runs on"), self.device_box)
        layout.addRow(self.tr("Language"), self.language_box)
        layout.addRow(self.tr("Library at start"), library_row)
        layout.addRow(self.tr("Default metric"), self.metric_box)
        layout.addRow(self.tr("Tracks listed"), self.top_k_box)
        layout.addRow(QLabel(self.tr("CUDA is used for the per-frame colour work and the learned models when a\n"
                                     "CUDA GPU and driver are present; a missing GPU falls back to the CPU.\n"
                                     "Feature names change at once; menus and buttons at the next start.")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def _choose_library(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Library database"), "",
                                              self.tr("Library (*.sqlite *.db *.csv)"))
        if path:
            self.library_edit.setText(path)

    def chosen(self) -> Preferences:
        return Preferences(device=self.device_box.currentData(), language=self.language_box.currentData(),
                           library=self.library_edit.text().strip(), metric=self.metric_box.currentData(),
                           top_k=self.top_k_box.value())
