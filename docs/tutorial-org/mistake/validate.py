"""Print what `orgdiff validate` says about the tutorial's second snapshot as first written.

docs/tutorial.md shows this output. The dataset is copied to a temporary
folder with mistake/2024-09-16.yaml in place of the corrected snapshot, so the
output is the real output, with the same paths as in the reader's folder.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

with tempfile.TemporaryDirectory() as tmp:
    org = Path(tmp, "orgs", "tidewater")
    shutil.copytree(HERE.parent / "orgs" / "tidewater", org)
    shutil.copyfile(HERE / "2024-09-16.yaml", org / "snapshots" / "2024-09-16.yaml")
    print("$ orgdiff validate", flush=True)
    run = subprocess.run([sys.executable, "-m", "orgdiff.cli", "validate"], cwd=tmp, check=False)
sys.exit(run.returncode)
