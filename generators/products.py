"""The product registry: the one place that says which documents exist and how each is made and previewed.

Build, check, preview, watch, the CLI's `--only` choices and the web page all read `PRODUCTS`; adding a product
is one `register(...)` call here plus its document builder and writer.
"""

from __future__ import annotations

import difflib
import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Callable, Iterable, Protocol, Sequence

from generators.errors import InputError, Problem

if TYPE_CHECKING:
    from generators.load.records import Dataset
    from generators.model import Document
    from generators.theme import Labels


class ProjectView(Protocol):
    """What a product's builder reads of the project (generators.project.Project is one; the registry does not
    import it, since the project reads the registry)."""

    @property
    def dataset(self) -> Dataset: ...

    @property
    def images(self) -> Path: ...

    @property
    def labels(self) -> Labels: ...


@dataclass(frozen=True)
class Product:
    """One kind of output document."""

    name: str  # the id users type: --only deck
    kind: str  # Document.kind its builder makes
    label: str  # what staff read on the page
    suffix: str  # output file suffix
    writer: str  # module with write(doc, env, dest) and, optionally, check(doc, env) / check_template(env)
    unit: str  # what one preview image is: 页 or 张幻灯片
    templates: tuple[str, ...]  # globs under templates/ that give this product its look
    data: tuple[str, ...]  # globs under data/ besides the common data (see Project.inputs)
    items: Callable[["Dataset"], Sequence[str | None]]  # one document per item (briefings: one per spec)
    make: Callable[["ProjectView", str | None], "Document"]  # data → format-neutral Document
    stem: Callable[["Dataset", str | None], str]  # the output file's stem, known before building
    subdir: str = ""

    def output_name(self, stem: str) -> str:
        return f"{self.subdir}/{stem}{self.suffix}" if self.subdir else f"{stem}{self.suffix}"

    def writer_module(self) -> ModuleType:
        return importlib.import_module(self.writer)

    def preview_folder(self, source: Path) -> tuple[str, str]:
        """Where a document's page images go inside the preview folder, and their file prefix."""
        folder = f"{self.subdir}/{source.stem}" if self.subdir else self.name
        return folder, ("slide" if self.unit == "张幻灯片" else "page")


PRODUCTS: dict[str, Product] = {}


def register(product: Product) -> Product:
    if product.name in PRODUCTS:
        raise ValueError(f"product {product.name!r} registered twice")
    PRODUCTS[product.name] = product
    return product


def names() -> tuple[str, ...]:
    return tuple(PRODUCTS)


def choose(only: Iterable[str], field: str = "--only") -> list[Product]:
    """The products named (all when none): an unknown name is a located error with the nearest names."""
    only = list(only)
    unknown = [n for n in only if n not in PRODUCTS]
    if unknown:
        near = [m for n in unknown for m in difflib.get_close_matches(n, PRODUCTS, n=2, cutoff=0.4)]
        raise InputError(Problem(field, message="不认识的文档名称" + (f"（是否想写 {'、'.join(dict.fromkeys(near))}？）" if near else ""),
                                 expected="、".join(PRODUCTS), found="、".join(unknown)))
    return [p for n, p in PRODUCTS.items() if not only or n in only]


def get(name: str) -> Product:
    return choose([name])[0]


def for_kind(kind: str) -> Product:
    """The product whose builder makes Documents of this kind."""
    for p in PRODUCTS.values():
        if p.kind == kind:
            return p
    raise KeyError(kind)


# ---- the three products ---------------------------------------------------------------------------------

def _single(_ds) -> list[str | None]:
    return [None]


def _make_deck(project: "ProjectView", _item: str | None) -> "Document":
    from generators.documents import deck

    return deck.build(project.dataset, project.dataset.year, project.images)


def _make_summary(project: "ProjectView", _item: str | None) -> "Document":
    from generators.documents import summary

    return summary.build(project.dataset, project.dataset.year, project.images, project.labels)


def _make_briefing(project: "ProjectView", item: str | None) -> "Document":
    from generators.documents import briefing

    ds = project.dataset
    assert item is not None, "one briefing per spec: the item is its name"
    return briefing.build(ds, ds.briefings[item], item, ds.year, project.images)


def _briefing_stem(ds, item: str | None) -> str:
    from generators.documents.briefing import safe_name

    assert item is not None, "one briefing per spec: the item is its name"
    return safe_name(ds.briefings[item].file or item)


register(Product(
    name="deck", kind="deck", label="汇报幻灯片（PPTX）", suffix=".pptx", writer="generators.writers.pptx", unit="张幻灯片",
    templates=("deck.pptx",), data=(), items=_single, make=_make_deck, stem=lambda _ds, _i: "congress-review-deck"))
register(Product(
    name="summary", kind="summary", label="印刷版纪实（PDF）", suffix=".pdf", writer="generators.writers.pdf", unit="页",
    templates=(), data=(), items=_single, make=_make_summary, stem=lambda _ds, _i: "fyp14-summary"))
register(Product(
    name="briefings", kind="briefing", label="Word 简报", suffix=".docx", writer="generators.writers.docx", unit="页",
    templates=("briefing-*.docx",), data=("briefings/*.yaml",), items=lambda ds: sorted(k for k, s in ds.briefings.items() if s.status != "草稿"),
    make=_make_briefing, stem=_briefing_stem, subdir="briefings"))
