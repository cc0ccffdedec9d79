"""Preferences: where analysis runs, the language, the library to open, the default metric and list length.

Kept in ``QSettings`` (UI state, per STYLE.md); read once at start and passed to the window.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings
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

__all__ = ["Preferences", "PreferencesDialog"]

_DEVICES = (("Auto (CUDA when present)", "auto"), ("CPU", "cpu"), ("CUDA", "cuda"))
_LANGUAGES = (("English", "en"), ("简体中文", "zh"))


@dataclass(frozen=True)
class Preferences:
    device: str = "auto"
    language: str = "en"
    library: str = ""
    """Library database opened at start ("": the demo library)."""
    metric: str = "euclidean"
    top_k: int = 25

    @classmethod
    def load(cls) -> Preferences:
        settings = QSettings("MusicMatch", "MusicMatch")
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
        settings = QSettings("MusicMatch", "MusicMatch")
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
        self.device = QComboBox()
        for label, value in _DEVICES:
            self.device.addItem(label, value)
        self.device.setCurrentIndex(max(0, self.device.findData(current.device)))
        self.language = QComboBox()
        for label, value in _LANGUAGES:
            self.language.addItem(label, value)
        self.language.setCurrentIndex(max(0, self.language.findData(current.language)))
        self.library = QLineEdit(current.library)
        self.library.setPlaceholderText(self.tr("(the demo library)"))
        browse = QPushButton(self.tr("Choose..."))
        browse.clicked.connect(self._choose_library)
        library_row = QHBoxLayout()
        library_row.addWidget(self.library, 1)
        library_row.addWidget(browse)
        self.metric = QComboBox()
        self.metric.addItem("Euclidean", "euclidean")
        self.metric.addItem("Cosine", "cosine")
        self.metric.setCurrentIndex(max(0, self.metric.findData(current.metric)))
        self.top_k = QSpinBox()
        self.top_k.setRange(1, 500)
        self.top_k.setValue(current.top_k)
        layout.addRow(self.tr("Analysis runs on"), self.device)
        layout.addRow(self.tr("Feature names in"), self.language)
        layout.addRow(self.tr("Library at start"), library_row)
        layout.addRow(self.tr("Default metric"), self.metric)
        layout.addRow(self.tr("Tracks listed"), self.top_k)
        layout.addRow(QLabel(self.tr("CUDA is used for the per-frame colour work and the learned models when a\n"
                                     "CUDA GPU and driver are present; a missing GPU falls back to the CPU.\n"
                                     "Feature names change at once; menus and buttons at the next start.")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def _choose_library(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Library database"), "", "Library (*.sqlite *.db)")
        if path:
            self.library.setText(path)

    def chosen(self) -> Preferences:
        return Preferences(device=self.device.currentData(), language=self.language.currentData(),
                           library=self.library.text().strip(), metric=self.metric.currentData(),
                           top_k=self.top_k.value())
