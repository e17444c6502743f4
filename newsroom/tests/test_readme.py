"""The README stays true: its layout table names what is in the tree, its settings table what the settings read."""

import re
from pathlib import Path

from django.apps import apps

from newsroom.settings import BASE_DIR

README = (BASE_DIR / "README.md").read_text()
# The first column of a table row: `path`, or several paths "`a`, `b`" (later ones relative to the first's folder).
TABLE_ROW = re.compile(r"^\| ((?:`[^`]+`(?:, )?)+) \|", re.MULTILINE)
# A variable read from the environment: env.str("NAME", …), env.db("NAME"), os.environ.get("NAME", …).
READ_VARIABLE = re.compile(r"""(?:env\.\w+|environ\.get)\(\s*["']([A-Z_]+)["']""")


def section(title):
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def first_column(markdown):
    return [re.findall(r"`([^`]+)`", cell) for cell in TABLE_ROW.findall(markdown)]


def layout_paths():
    paths = []
    for first, *others in first_column(section("Layout")):
        paths.append(first)
        paths.extend(f"{first.rpartition('/')[0]}/{other}".lstrip("/") for other in others)
    return paths


def test_every_path_in_the_layout_table_exists():
    missing = [path for path in layout_paths() if not (BASE_DIR / path.rstrip("/")).exists()]

    assert missing == []


def test_the_layout_table_lists_every_app_of_the_project():
    listed = {path.rstrip("/") for path in layout_paths()}
    project_apps = [Path(config.path).name for config in apps.get_app_configs() if Path(config.path).parent == BASE_DIR]

    assert [folder for folder in project_apps if folder not in listed] == []


def test_the_settings_table_lists_every_variable_the_settings_read():
    source = (BASE_DIR / "newsroom" / "settings.py").read_text() + (BASE_DIR / "gunicorn.conf.py").read_text()
    listed = {names[0] for names in first_column(section("Settings"))}

    assert sorted(set(READ_VARIABLE.findall(source)) - listed) == []
