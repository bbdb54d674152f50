"""`python -m generators` is the same as `reportgen`."""

from generators.cli import run

if __name__ == "__main__":
    run()
