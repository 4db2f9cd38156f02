"""The bundled map: curated, sourced initiatives shipped with migmap (see README.md here)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_files() -> list[Path]:
    """The YAML files of the bundled dataset, in a stable order."""
    folder = resources.files(__name__).joinpath("initiatives")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml"))
