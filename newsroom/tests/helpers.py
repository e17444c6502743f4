"""Run the project in a fresh interpreter, with only the environment a test gives it."""

import subprocess
import sys

from newsroom.settings import BASE_DIR


def run_python(*arguments, **environment):
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "ENV_FILE": "/dev/null", **environment},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def read_setting(expression, **environment):
    """Evaluate an expression over the settings module, imported afresh with only the given variables."""
    return run_python("-c", f"import newsroom.settings as s; print({expression})", **environment)


def manage(*arguments, **environment):
    """Run a management command in a fresh interpreter with only the given variables."""
    return run_python("manage.py", *arguments, **environment)
