#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path

import environ

DEVELOPMENT_ENV_FILE = Path(__file__).resolve().parent / ".env.development"


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    if "ENV_FILE" not in os.environ:
        # The development settings that `make run` writes (DEBUG on, a key of their own) come before .env's.
        # Whatever names its env file (`make serve` does) reads that file alone.
        environ.Env.read_env(os.environ.get("DEVELOPMENT_ENV_FILE", DEVELOPMENT_ENV_FILE))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
