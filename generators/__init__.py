"""Report generator: data/ → content model → PPTX / PDF / DOCX writers."""

import os

__version__ = "0.1.0"

# No pydantic plugin may hook the project's validation: plugins are any installed package's code, found by
# scanning every installed package's entry points when the first model is made (a few ms, in each process).
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
