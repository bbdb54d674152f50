"""The 工作台's answer to /api/hello: how a second start recognises a running one (no imports, so the CLI stays light)."""

HELLO_APP = "reportgen-workbench"
