"""What the benchmarks share: a fresh database for a run, and their sections of docs/performance.md."""

import os
import re
import urllib.parse
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def bench_database(workdir, label="bench"):
    """A fresh, empty database for a run, and a description of it.

    PostgreSQL when DATABASE_URL points to it (database ``<name>_<label>``, dropped and created again),
    else a SQLite file ``<label>.sqlite3`` in ``workdir``.
    """
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{workdir}/{label}.sqlite3", "SQLite (a temporary file)"
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'newsroom'}_{label}"
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl(), f"PostgreSQL (database {name})"


def write_section(text):
    """Put a section (text starting with its ``## `` title) in the report, replacing the one of that title.

    The other sections are kept in their order; a new section goes at the end.
    """
    title = text.splitlines()[0].strip()
    existing = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Performance\n"
    head, *sections = re.split(r"(?m)^(?=## )", existing)
    sections = [section.rstrip() + "\n" for section in sections]
    new = text.rstrip() + "\n"
    titles = [section.splitlines()[0].strip() for section in sections]
    if title in titles:
        sections[titles.index(title)] = new
    else:
        sections.append(new)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join([head.rstrip() + "\n", *sections]), encoding="utf-8")
