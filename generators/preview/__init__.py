"""The designer's loop: previews of every page (PPTX/DOCX → PDF → PNG) and a watcher that rebuilds on save."""

from generators.preview.run import CONTACT_SHEET, DPI, STAMP, DocPreview, PreviewOptions, docs_folder, documents
from generators.preview.run import run_preview, unit
from generators.preview.sheet import contact_sheet
from generators.preview.tools import SOFFICE_TIMEOUT, ToolMissing, convert_to_pdf, find_soffice
from generators.preview.tools import fontconfig_env, page_count, render_pages
from generators.preview.watch import WATCHED, WatchOptions, affected, changed_files, inputs_by_product, snapshot
from generators.preview.watch import watch

__all__ = ["CONTACT_SHEET", "DPI", "STAMP", "DocPreview", "PreviewOptions", "docs_folder", "documents", "run_preview",
           "unit", "contact_sheet", "SOFFICE_TIMEOUT", "ToolMissing", "convert_to_pdf", "find_soffice",
           "fontconfig_env", "page_count", "render_pages", "WATCHED", "WatchOptions", "affected", "changed_files",
           "inputs_by_product", "snapshot", "watch"]
