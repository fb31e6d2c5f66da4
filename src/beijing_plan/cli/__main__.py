"""Run the `beijing-plan` command as `python -m beijing_plan.cli`."""

from __future__ import annotations

import sys

from . import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
