"""The apps stay on their floors (docs/architecture.md), checked by import-linter's contracts."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_the_import_linter_contracts_are_kept():
    linter = shutil.which("lint-imports") or str(
        pathlib.Path(sys.executable).with_name("lint-imports")
    )
    run = subprocess.run(
        [linter, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "Contracts: 2 kept, 0 broken." in run.stdout
