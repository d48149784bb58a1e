"""Every item model the desk shows, checked by Qt's model tester (pytest-qt's qtmodeltester:
row and column counts, parents, data roles, and the signals sent while the model changes).
The register's own model and proxy are checked through a reload, a filter and a sort; the
widget-backed tables are checked as filled from the demo data."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QListWidget, QTableWidget, QTreeView, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from dhr_desk.ui.main_window import MainWindow
from dhr_desk.ui.review_workspace import ReviewWorkspace
from dhr_desk.workflows.desk import Desk
from tests.ui.test_desk import desk, window  # noqa: F401 (fixtures)
from tests.ui.test_main_window import lists_read


def widget_models(root: QWidget) -> list[QAbstractItemModel]:
    """The models of every table and list under ``root`` that holds something."""
    views = (
        root.findChildren(QTableWidget)
        + root.findChildren(QListWidget)
        + root.findChildren(QTreeView)
    )
    return [view.model() for view in views if view.model().rowCount() > 0]


def test_the_register_model_and_its_proxy_pass_the_model_tester(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    desk: Desk,  # noqa: F811
    qtmodeltester: ModelTester,
) -> None:
    register = window.register
    assert register.model.rowCount() > 10
    qtmodeltester.check(register.model)  # checks go on running while the model changes
    qtmodeltester.check(register.proxy)
    # WHEN the rows are read again, filtered and sorted, the checks keep holding
    window.refresh_lists()
    lists_read(qtbot, window)
    register.search.setText("DHR")
    register.proxy.sort(0, Qt.SortOrder.DescendingOrder)
    register.search.setText("")
    assert register.proxy.rowCount() == register.model.rowCount()


def test_every_other_table_and_list_passes_the_model_tester(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    desk: Desk,  # noqa: F811
    qtmodeltester: ModelTester,
) -> None:
    # a review with an action plan, so the Action plan tab's tree holds something too
    reference = next(r.reference for r in desk.register()[0]
                     if r.kind == "dhr" and desk.action_plan(r.reference))  # fmt: skip
    workspace = ReviewWorkspace(desk, reference)
    qtbot.addWidget(workspace)
    for index in range(workspace.tabs.count()):
        workspace.tabs.setCurrentIndex(index)  # each record tab loads when shown
    window.sidebar.setCurrentRow(window.section_count() - 1)  # settings: the calendar table
    models = widget_models(window) + widget_models(workspace)
    assert len(models) >= 8
    [tree] = workspace.findChildren(QTreeView)  # the action plan
    assert any(model is tree.model() for model in models)
    for model in models:
        qtmodeltester.check(model)
