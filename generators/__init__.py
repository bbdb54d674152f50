"""Report generator: data/ → content model → PPTX / PDF / DOCX writers."""

__version__ = "0.1.0"
