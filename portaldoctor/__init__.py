"""portaldoctor: diagnose why a customer cannot get into a B2B customer portal."""

from __future__ import annotations

from pathlib import Path as _Path

__version__ = "0.1.0"

# In a source checkout the built-in checks/ and playbooks/ sit beside this package (an installed
# wheel maps them to portaldoctor.checks and portaldoctor.builtin_playbooks). Adding the
# checkout's root to the package path resolves portaldoctor.checks the same way in both cases;
# nothing is ever looked up relative to the current directory.
_root = _Path(__file__).resolve().parent.parent
SOURCE_ROOT: _Path | None = None
if (_root / "pyproject.toml").is_file() and (_root / "checks" / "__init__.py").is_file():
    SOURCE_ROOT = _root
    __path__.append(str(_root))
