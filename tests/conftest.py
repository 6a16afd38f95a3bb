import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _run_in_a_scratch_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`qms evaluate` keeps a store in ./qms.sqlite by default: never in the repository."""
    monkeypatch.chdir(tmp_path)
