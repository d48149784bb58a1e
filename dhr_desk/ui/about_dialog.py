"""About dhr-desk: version, data location, database kind, schema revision, encryption state and
keyring backend, each selectable so it can be pasted into a support request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:  # the type only: the window must not import the database stack to appear
    from dhr_desk.workflows.installation import InstallationInfo


class FactsForm(QWidget):
    """A read-only form of labelled facts whose values can be selected and copied."""

    def __init__(self, fields: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.values: dict[str, QLabel] = {}
        for label, value in fields:
            shown = QLabel(value)
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            shown.setAccessibleName(label)
            form.addRow(f"{label}:", shown)
            self.values[label] = shown


class AboutDialog(QDialog):
    def __init__(self, info: InstallationInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About dhr-desk")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<h2>dhr-desk {info.version}</h2>")
        layout.addWidget(heading)
        blurb = QLabel(
            "Statutory review management for the Norfolk Community Safety Partnership: "
            "Domestic Homicide Reviews and ASB Case Reviews."
        )
        blurb.setWordWrap(True)
        layout.addWidget(blurb)
        self.facts = FactsForm(info.facts())
        layout.addWidget(self.facts)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
