"""The installed package's version (one place, so every module can read it without cycles)."""

from functools import cache

# The one place the version is written: pyproject.toml reads it from here (setuptools'
# dynamic version), and no command pays for importlib.metadata at start-up.
__version__ = "0.1.0"


@cache
def code_tag() -> str:
    """The version plus a fingerprint of the package's own files (name, size, mtime), so a
    cache written by other code, even of the same version number (an edited checkout), is
    never read back."""
    import hashlib
    from pathlib import Path

    here = Path(__file__).parent
    h = hashlib.sha256(__version__.encode())
    for pattern in ("*.py", "*/*.py", "defaults/*", "schema/*", "templates/*"):
        for path in sorted(here.glob(pattern)):
            st = path.stat()
            h.update(f"{path.relative_to(here)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return f"{__version__}+{h.hexdigest()[:16]}"
