"""The product registry: the one place that says which documents exist and how each is made and previewed.

An entry carries everything about one product: its text file and schema (the loader reads it), its label, its
build priority, what the web page offers of it, its output name, its builder and its writer. Build, check,
preview, watch, the loader, the CLI's `--only` choices, the web API and the catalogue all read `PRODUCTS`;
adding a product is one `register(...)` call here plus its document builder (and its text file in data/).

Builders and output-name functions are named "module:function" and resolved on use: the loader reads this
registry, so it may not import the builders that read the loaded data (no import cycle, any depth).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from generators.errors import InputError, Problem, did_you_mean

if TYPE_CHECKING:
    from generators.load.records import Dataset
    from generators.load.specs import Spec
    from generators.model import Document


@dataclass(frozen=True)
class TextFile:
    """A product's own text file in data/: its schema, what staff call it, and whether `use:` may cite it."""

    path: str  # under data/, e.g. "texts/deck.yaml"; its stem is the namespace of `use: stem#id`
    schema: str  # "module:Class" of the schema it is checked against (load/specs.py), resolved on use
    label: str  # what the catalogue calls the file's blocks (幻灯片文字)
    citable: bool = True  # its blocks with an id are offered to briefings (`use:`, the catalogue)

    @property
    def stem(self) -> str:
        return Path(self.path).stem

    @property
    def spec(self) -> "type[Spec]":
        """The schema class (named, not imported: a command that loads no data never builds the pydantic models)."""
        cls: type[Spec] = _resolve(self.schema)  # type: ignore[assignment]  # a class is the callable named
        return cls


@dataclass(frozen=True)
class Format:
    """One more output format of a product: its file suffix and its writer module."""

    suffix: str
    writer: str


def _resolve(target: str) -> Callable[..., Any]:
    module, _, name = target.partition(":")
    fn: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return fn


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
    builder: str  # "module:function" (project: ProjectView, item) → the format-neutral Document
    output: str  # the output file's stem, or "module:function" (dataset, item) → stem, known before building
    items: Callable[["Dataset"], Sequence[str | None]] = lambda _ds: [None]  # one document per item
    subdir: str = ""
    text: TextFile | None = None  # its own text file in data/ (a briefing's specs are its `data` globs)
    priority: int = 9  # order the worker crew builds in: the longest jobs first (lower first)
    web: bool = True  # offered on the web page (文档 list, builds through the API)
    also: tuple[Format, ...] = ()  # more formats of each document, besides `suffix` by `writer`
    # "module:function" (env) a free worker runs while this product's longest document is built: caches that
    # document reads (the PDF's parsed fonts), filled from the other end; "" for none
    warmup: str = ""

    @property
    def formats(self) -> tuple[Format, ...]:
        return (Format(self.suffix, self.writer), *self.also)

    def make(self, project: Any, item: str | None) -> "Document":
        """`project`: what the builder reads of it (documents/view.ProjectView; a Project is one)."""
        doc: Document = _resolve(self.builder)(project, item)
        return doc

    def warm_up(self, env: Any) -> None:
        """Run `warmup` (best effort: the document's own job reports any problem)."""
        if self.warmup:
            _resolve(self.warmup)(env)

    def stem(self, dataset: "Dataset", item: str | None) -> str:
        if ":" not in self.output:
            return self.output
        name: str = _resolve(self.output)(dataset, item)
        return name

    def output_name(self, stem: str, suffix: str | None = None) -> str:
        suffix = suffix or self.suffix
        return f"{self.subdir}/{stem}{suffix}" if self.subdir else f"{stem}{suffix}"

    def writer_module(self, suffix: str | None = None) -> ModuleType:
        """The writer of the format with this file suffix (the first format's when none is given)."""
        writer = next((f.writer for f in self.formats if f.suffix == suffix), self.writer)
        return importlib.import_module(writer)

    def preview_folder(self, source: Path) -> tuple[str, str]:
        """Where a document's page images go inside the preview folder, and their file prefix."""
        folder = f"{self.subdir}/{source.stem}" if self.subdir else self.name
        if self.also:  # one folder per format: the PDF's pages beside the Word file's
            folder += "/" + source.suffix.lstrip(".")
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
        raise InputError(Problem(field, message="不认识的文档名称。" + "".join(did_you_mean(n, PRODUCTS) for n in unknown),
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


def text_files() -> dict[str, TextFile]:
    """The products' own text files by stem (the `use:` namespaces), in registry order."""
    return {p.text.stem: p.text for p in PRODUCTS.values() if p.text is not None}


def offered() -> tuple[str, ...]:
    """The products the web page lists and builds."""
    return tuple(n for n, p in PRODUCTS.items() if p.web)


def by_priority(names: Sequence[str]) -> list[int]:
    """Positions of `names` (product names), the highest priority first, others in their order."""
    return sorted(range(len(names)), key=lambda i: PRODUCTS[names[i]].priority if names[i] in PRODUCTS else 9)


# ---- the products -------------------------------------------------------------------------------------

register(Product(
    name="deck", kind="deck", label="汇报幻灯片（PPTX）", suffix=".pptx", writer="generators.writers.pptx", unit="张幻灯片",
    templates=("deck.pptx",), data=(), builder="generators.documents.deck:make", output="congress-review-deck",
    text=TextFile("texts/deck.yaml", "generators.load.specs:DeckSpec", "幻灯片文字"), priority=1))
register(Product(
    name="summary", kind="summary", label="印刷版纪实（PDF）", suffix=".pdf", writer="generators.writers.pdf", unit="页",
    templates=(), data=(), builder="generators.documents.summary:make", output="fyp14-summary",
    text=TextFile("texts/summary.yaml", "generators.load.specs:SummarySpec", "纪实文章"), priority=0,
    warmup="generators.writers.pdf.warmup:prepare"))
register(Product(
    name="factsheet", kind="factsheet", label="主要指标一览（PDF 与 Word）", suffix=".pdf", writer="generators.writers.pdf",
    unit="页", templates=("briefing-专题.docx",), data=(), builder="generators.documents.factsheet:make",
    output="key-figures", text=TextFile("texts/factsheet.yaml", "generators.load.specs:FactsheetSpec", "主要指标一览", citable=False),
    priority=2, also=(Format(".docx", "generators.writers.docx"),)))
register(Product(
    name="briefings", kind="briefing", label="Word 简报", suffix=".docx", writer="generators.writers.docx", unit="页",
    templates=("briefing-*.docx",), data=("briefings/*.yaml",), builder="generators.documents.briefing:make",
    items=lambda ds: sorted(k for k, s in ds.briefings.items() if s.status != "草稿"),  # drafts are not built
    output="generators.documents.briefing:stem", subdir="briefings"))
