"""工作台: a local web page for staff — documents, briefings, the yearly update, template checks."""
