"""工作台: a local web page for staff — documents, briefings, the yearly update, template checks."""

import warnings

from pydantic.warnings import UnsupportedFieldAttributeWarning

# FastAPI builds each route's parameters again on the route's first request and silences this pydantic warning
# around that with `warnings.catch_warnings`, which is not thread-safe: the server's warm-up thread (matplotlib,
# the workbook reader) entering and leaving its own catch_warnings meanwhile can put the filters back without
# FastAPI's, and the warning (about FastAPI's own parameter objects) then reached the console — or, where warnings
# are errors, failed the request. Ignored for the process, before any route is declared.
warnings.filterwarnings("ignore", category=UnsupportedFieldAttributeWarning)
