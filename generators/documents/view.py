"""What a product's builder reads of the project."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from generators.load.records import Dataset
    from generators.theme import Labels


class ProjectView(Protocol):
    """What a product's builder reads of the project (generators.project.Project is one; the builders do not
    import it, since the project reads the registry that names the builders)."""

    @property
    def dataset(self) -> Dataset: ...

    @property
    def images(self) -> Path: ...

    @property
    def labels(self) -> Labels: ...
