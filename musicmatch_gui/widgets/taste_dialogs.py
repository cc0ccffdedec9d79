"""The taste dialogs: what Learn From My Picks measured (and whether it may be used), and a profile's card.

Both are plain views: :class:`LearnDialog` shows a :class:`~core.recommend.taste.LearnReport`
and emits :attr:`LearnDialog.use_requested` with the profile name the editor chose; the
caller saves and activates the model. A refused model (worse than its base on the
editor's own held-out picks) has no button to use it: the dialog says why instead.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

__all__ = ["CardDialog", "LearnDialog"]


class LearnDialog(QDialog):
    """The figures of one adaptation: leave-one-out Recall@K and median rank, base vs adapted, the verdict."""

    use_requested = Signal(str)
    """The editor chose to use the adapted model, saved as the profile of this name."""

    def __init__(self, report, *, base_name: str, profile_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(self.tr("Learn from my picks"))
        self.setObjectName("learnDialog")
        self.setMinimumWidth(560)
        data = report.model.info.get("training_data", {})
        used = int(data.get("rows") or 0)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self.tr("Adapted from {base} with {picks} picks; measured by {scheme} (each pick "
                                      "predicted by a model that never saw it, ranked among the picks' "
                                      "{pool} tracks).").format(base=base_name, picks=used, scheme=report.scheme,
                                                                pool=report.adapted.pool_size))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.figures = QTableWidget(4, 2)
        self.figures.setObjectName("learnFigures")
        self.figures.setHorizontalHeaderLabels([self.tr("Model in use"), self.tr("Adapted to your picks")])
        self.figures.setVerticalHeaderLabels([self.tr("Recall@1"), self.tr("Recall@3"), self.tr("Recall@5"),
                                              self.tr("Median rank (MedR)")])
        for column, scores in enumerate((report.base, report.adapted)):
            values = [f"{scores.recall_at['1']:.2f}", f"{scores.recall_at['3']:.2f}", f"{scores.recall_at['5']:.2f}",
                      f"{scores.median_rank:g}"]
            for row, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.figures.setItem(row, column, item)
        self.figures.horizontalHeader().setStretchLastSection(True)
        self.figures.horizontalHeader().setDefaultSectionSize(200)
        self.figures.setFixedHeight(self.figures.verticalHeader().length() + self.figures.horizontalHeader().height()
                                    + 4)
        self.figures.setToolTip(self.tr("Recall@K: share of your held-out picks the model puts in its top K; "
                                        "MedR: the median place of your pick (1 is best)"))
        layout.addWidget(self.figures)

        self.verdict = QLabel()
        self.verdict.setObjectName("learnVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if report.accepted:
            self.verdict.setText(self.tr("The adapted model may be used: {reason}.").format(reason=report.reason))
            self.verdict.setStyleSheet("color: #9ccc65;")
        else:
            self.verdict.setText(self.tr("Not used: {reason}.").format(reason=report.reason))
            self.verdict.setStyleSheet("color: #ffb74d;")
        layout.addWidget(self.verdict)

        self.notes = QLabel("\n".join(f"• {line}" for line in report.warnings))
        self.notes.setObjectName("learnNotes")
        self.notes.setWordWrap(True)
        self.notes.setVisible(bool(report.warnings))
        layout.addWidget(self.notes)

        form = QFormLayout()
        self.name = QLineEdit(profile_name)
        self.name.setToolTip(self.tr("The taste profile the adapted model is saved as (Model > Profile)"))
        form.addRow(self.tr("Save as profile"), self.name)
        layout.addLayout(form)
        self.name.setEnabled(report.accepted)

        buttons = QDialogButtonBox()
        self.use_button = QPushButton(self.tr("Use the Adapted Model"))
        self.use_button.setEnabled(report.accepted)
        self.use_button.setDefault(report.accepted)
        self.keep_button = QPushButton(self.tr("Keep the Model in Use"))
        buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.use_button.clicked.connect(self._use)
        self.keep_button.clicked.connect(self.reject)
        self.name.textChanged.connect(lambda text: self.use_button.setEnabled(report.accepted and bool(text.strip())))
        layout.addWidget(buttons)

    def _use(self) -> None:
        self.use_requested.emit(self.name.text().strip())
        self.accept()


class CardDialog(QDialog):
    """A profile's model card (Markdown: picks used, figures before and after, date), read-only."""

    def __init__(self, title: str, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("cardDialog")
        self.resize(640, 520)
        layout = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setMarkdown(markdown)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
