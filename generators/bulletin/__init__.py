"""Reading a statistics bulletin (统计公报): its text from .docx/.pdf/.txt/.html, each yearly figure it prints.

`extract` turns a file into plain text, `text` normalises it (PDF spacing, broken lines) and splits sentences,
`aliases` reads data/bulletin-aliases.yaml (how bulletins name each indicator), `match` attributes numbers to
indicators by wording, unit and sentence structure, and `reader.read_bulletin` ties them together. No format
library of the writers is used: .docx is read as the zip of XML it is, .pdf through pypdfium2.
"""
