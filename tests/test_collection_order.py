"""The modules tests/conftest.py hands out first on several workers exist (a renamed one would
silently go back to the end of the run)."""

from pathlib import Path

from tests.conftest import SLOW_MODULES

ROOT = Path(__file__).parent.parent


def test_every_slow_module_named_first_exists():
    missing = [module for module in SLOW_MODULES if not (ROOT / module).is_file()]
    assert not missing
    assert len(set(SLOW_MODULES)) == len(SLOW_MODULES)
