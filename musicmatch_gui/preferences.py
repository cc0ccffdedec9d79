"""Preferences: where analysis runs (Auto / CPU / CUDA) and the language of the feature labels.

Kept in ``QSettings`` (UI state, per STYLE.md); read once at start and passed to the window.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

__all__ = ["Preferences", "PreferencesDialog"]

_DEVICES = (("Auto (CUDA when present)", "auto"), ("CPU", "cpu"), ("CUDA", "cuda"))
_LANGUAGES = (("English", "en"), ("简体中文", "zh"))


@dataclass(frozen=True)
class Preferences:
    device: str = "auto"
    language: str = "en"

    @classmethod
    def load(cls) -> Preferences:
        settings = QSettings("MusicMatch", "MusicMatch")
        device = str(settings.value("preferences/device", "auto"))
        language = str(settings.value("preferences/language", "en"))
        return cls(device if device in dict((v, v) for _, v in _DEVICES) else "auto",
                   language if language in ("en", "zh") else "en")

    def save(self) -> None:
        settings = QSettings("MusicMatch", "MusicMatch")
        settings.setValue("preferences/device", self.device)
        settings.setValue("preferences/language", self.language)


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
        layout.addRow(self.tr("Analysis runs on"), self.device)
        layout.addRow(self.tr("Feature names in"), self.language)
        layout.addRow(QLabel(self.tr("CUDA is used for the per-frame colour work and the learned models when a\n"
                                     "CUDA GPU and driver are present; a missing GPU falls back to the CPU.\n"
                                     "Feature names change at once; menus and buttons at the next start.")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def chosen(self) -> Preferences:
        return Preferences(device=self.device.currentData(), language=self.language.currentData())
