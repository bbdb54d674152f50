"""Template contracts: what each writer needs from templates/ (checked before any build)."""

from __future__ import annotations

from generators.errors import InputError, Problem


def check_templates(env, products: list[str]) -> None:
    """Each writer that declares `check_template(env)` verifies its template; all problems at once."""
    problems: list[Problem] = []
    for product in products:
        module = {"deck": "pptx", "summary": "pdf", "briefings": "docx"}[product]
        try:
            writer = __import__(f"generators.writers.{module}", fromlist=["check_template"])
        except ModuleNotFoundError:
            continue
        check = getattr(writer, "check_template", None)
        if check is None:
            continue
        try:
            check(env)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
