"""Asks for the database passphrase when no usable keyring exists: a new one (typed twice) on
first run, or the existing one to unlock. Cancelling opens nothing and changes nothing.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.security.database_key import (
    PassphraseRequest,
    environment_passphrase,
    passphrase_problem,
)


class PassphraseDialog(QDialog):
    def __init__(self, request: PassphraseRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._creating = request.creating
        self.setWindowTitle("Choose a passphrase" if request.creating else "Unlock the database")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)

        if request.creating:
            intro = (
                "No secure keyring was found on this computer, so the encrypted database needs a "
                "passphrase. Choose one of at least 10 characters and keep it safe: without it "
                "the data cannot be recovered."
            )
        else:
            intro = f"Type the passphrase of the encrypted database\n{request.database_file}"
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)

        self.error = QLabel(request.retry_reason or "")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a4000f; font-weight: bold;")
        self.error.setAccessibleName("Problem")
        self.error.setVisible(bool(request.retry_reason))
        layout.addWidget(self.error)

        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        form.addRow("&Passphrase:", self.passphrase)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName("Passphrase again")
        if request.creating:
            form.addRow("&Again:", self.confirm)
        layout.addLayout(form)

        self.show_text = QCheckBox("&Show passphrase")
        self.show_text.toggled.connect(self._toggle_echo)
        layout.addWidget(self.show_text)

        self.hint = QLabel("")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.passphrase.textChanged.connect(self._validate)
        self.confirm.textChanged.connect(self._validate)
        self._validate()

    def _toggle_echo(self, visible: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.confirm.setEchoMode(mode)

    def problem(self) -> str | None:
        """Why OK is not yet allowed, or None."""
        value = self.passphrase.text()
        if not value:
            return "Type the passphrase."
        if self._creating:
            issue = passphrase_problem(value)
            if issue:
                return issue
            if value != self.confirm.text():
                return "The two passphrases differ."
        return None

    def _validate(self) -> None:
        issue = self.problem()
        self.hint.setText(issue or "")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(issue is None)

    def value(self) -> str:
        return self.passphrase.text()


def gui_passphrase_prompt(request: PassphraseRequest, parent: QWidget | None = None) -> str | None:
    """The store's passphrase prompt for the desktop app: DHR_DESK_PASSPHRASE when it is set
    (first try only), else the dialog; None when the user cancels."""
    from_environment = environment_passphrase(request)
    if from_environment:
        return from_environment
    dialog = PassphraseDialog(request, parent)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.value() if accepted else None
    finally:
        dialog.passphrase.clear()
        dialog.confirm.clear()
        dialog.deleteLater()
