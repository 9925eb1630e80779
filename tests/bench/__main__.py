"""Run every bench and print the table (``make bench``)."""

from __future__ import annotations

import os
import platform

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from tests.bench import workspace_bench
from tests.bench.harness import print_table


def main() -> None:
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    figures = workspace_bench.run()
    print_table(figures)


if __name__ == "__main__":
    main()
