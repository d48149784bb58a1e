"""Where the data the partnership or the Home Office may change lives: the ``resources/``
folder beside the package (stage templates, later letter wording and reference lists).
``DHR_DESK_RESOURCES`` points elsewhere, for a frozen build or a locally edited copy."""

from __future__ import annotations

import os
from pathlib import Path

RESOURCES_ENV = "DHR_DESK_RESOURCES"


def resources_dir() -> Path:
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources"
