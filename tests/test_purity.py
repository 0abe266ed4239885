"""The analysis layer stays pure: no Flask, SQLAlchemy, sqlite3 or werkzeug (STYLE.md habit 1)."""

import ast
from pathlib import Path

import drafter.analysis

FORBIDDEN = {"flask", "sqlalchemy", "sqlite3", "werkzeug", "psycopg", "drafter.store", "drafter.web",
             "drafter.services"}


def test_analysis_imports_nothing_impure():
    root = Path(drafter.analysis.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names
                          if any(n == bad or n.startswith(bad + ".") for bad in FORBIDDEN)]
    assert offenders == []
