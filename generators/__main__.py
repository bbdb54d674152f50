"""`python -m generators` is the same as `reportgen`."""

from generators.cli import main

if __name__ == "__main__":
    main()
