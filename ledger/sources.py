"""Source documents and the quotes taken from them.

A quote must be found verbatim in its source's stored text: that is what ties a figure in the
ledger to a sentence someone can read. "Verbatim" forgives only what copying from a web page
changes: runs of white space, typographic quotes and dashes, and non-breaking spaces. A quote
may skip text with `...` (or `…`); its pieces must then appear in order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

from .problems import Problem, did_you_mean, error, warning
from .yamlfile import LList, LMap, decode_text, load_yaml, read_bytes

if TYPE_CHECKING:
    from .cache import Inputs

SOURCE_KEYS = {
    "id": "a short unique name, e.g. `sputnik-2016-12-03-aleppo`",
    "title": "the document's title",
    "publisher": "who published it",
    "published": "the publication date, ISO 8601 (`2016-12-03`)",
    "url": "where it was published",
    "document": "path of the stored text, relative to the repository (`seeds/...`)",
    "language": "ISO 639-1 code of the document's language (`en`, `ru`, `ar`); default `en`",
    "notes": "free text",
}
REQUIRED_SOURCE_KEYS = ("id", "title", "publisher", "published", "document")
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": "",
    }
)  # fmt: skip
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026|\[\.\.\.\]|\[\u2026\])\s*")


@dataclass
class Source:
    id: str
    title: str
    publisher: str
    published: str
    url: str | None
    document: str
    language: str | None
    line: int
    path: Path | None = None  # the resolved document, when it is safe and exists
    text: str | None = field(default=None, repr=False)  # normalised text, read on demand

    problems: list[Problem] = field(default_factory=list, repr=False)  # from reading it
    # where `path` is read from (None: the disk); kept so that reading can wait until a quote
    # needs the text
    documents: Documents | None = field(default=None, repr=False, compare=False)

    def normalised_text(self) -> str | None:
        """The document's comparison text, read once; a document that cannot be read (not
        UTF-8, a NUL byte) leaves its problem in `problems` and gives None."""
        if self.text is None and self.path is not None and not self.problems:
            documents = self.documents or DiskDocuments(Path())
            raw, self.problems = documents.read(self.path)
            self.text = normalise(raw) if raw is not None else None
        return self.text

    def forget_text(self) -> None:
        """Let go of the document's text (read again if asked for): a million claims' sources
        need not all be held once their quotes are checked."""
        self.text = None


class Documents(Protocol):
    """Where source documents are found and read: the loader's seam for documents, so that a
    ledger on disk (`DiskDocuments`) and one held in memory (`TextDocuments`) are checked by
    the same code."""

    def locate(
        self, document: str, display: str, line: int, problems: list[Problem]
    ) -> Path | None:
        """The path to read `document` from, or None after adding a problem saying why not."""
        ...

    def read(self, path: Path) -> tuple[str | None, list[Problem]]:
        """The text at a path `locate` gave, or None and the problem that stops reading it."""
        ...


@dataclass(frozen=True)
class DiskDocuments:
    """Documents stored under the repository folder; a path that leaves it, through `..`, an
    absolute path or a link, is refused, so a ledger cannot make the tool read other files."""

    repo: Path
    inputs: Inputs | None = None  # where each read is recorded for the cache's key
    asked: dict[Path, Path] = field(default_factory=dict)  # found file -> the path as written

    def locate(
        self, document: str, display: str, line: int, problems: list[Problem]
    ) -> Path | None:
        found = _safe_document(document, self.repo, display, line, problems)
        written = self.repo / document
        if found is not None:
            self.asked[found] = written
        elif self.inputs is not None and not _leaves_repository(document, display, line, []):
            self.inputs.read(written, None)  # absent now: created later, it must miss
        return found

    def read(self, path: Path) -> tuple[str | None, list[Problem]]:
        from .paths import display_path

        data, problems = read_bytes(path, display_path(path))
        if self.inputs is not None:  # by the path as written: a link retargeted must miss
            self.inputs.read(self.asked.get(path, path), data)
        if data is None:
            return None, problems
        return decode_text(data, display_path(path))


class TextDocuments:
    """Documents given as texts by their path in the repository (`seeds/a.txt`), for a ledger
    held in memory: nothing is read from disk, and problems name a document as it was given."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.texts = {PurePosixPath(name): (name, text) for name, text in texts.items()}

    def locate(
        self, document: str, display: str, line: int, problems: list[Problem]
    ) -> Path | None:
        if _leaves_repository(document, display, line, problems):
            return None
        if PurePosixPath(document) not in self.texts:
            msg = f"the document `{document}` is not among the texts given; add its text."
            problems.append(error(display, line, "source-document-missing", msg))
            return None
        return Path(document)

    def read(self, path: Path) -> tuple[str | None, list[Problem]]:
        name, text = self.texts[PurePosixPath(path.as_posix())]
        # through bytes, so that a NUL or a lone surrogate is the problem it is on disk
        return decode_text(text.encode("utf-8", "surrogatepass"), name)


def normalise(text: str) -> str:
    """The comparison form of a text: NFC, plain quotes and dashes, single spaces.

    Spaces are collapsed by `str.split` (the same whitespace as the regex `\\s`, three times
    faster on a 10 MB document, and every document and quote passes through here)."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_TRANSLATE).split())


def quote_pieces(quote: str) -> list[str]:
    """The quote's comparison text, cut at each `...` (empty when it holds no words). A quote
    with no `...` or `…` is one piece: the split's pattern would try every space of it."""
    text = normalise(quote)
    pieces = _ELLIPSIS.split(text) if "..." in text or "\u2026" in text else [text]
    return [piece for piece in pieces if piece.strip()]


def quote_found(quote: str | list[str], document_text: str) -> bool:
    """Whether every `...`-separated piece of the quote appears in the document, in order."""
    pos = 0
    for piece in quote_pieces(quote) if isinstance(quote, str) else quote:
        at = document_text.find(piece, pos)
        if at < 0:
            return False
        pos = at + len(piece)
    return True


def load_sources(
    path: Path, display: str, documents: Documents, text: str | None = None
) -> tuple[dict[str, Source], list[Problem]]:
    """Read `sources.yaml` (or `text`, when given, in its place); each document must be found
    in `documents`, inside the repository."""
    doc = load_yaml(path, display, text)
    problems = list(doc.problems)
    sources: dict[str, Source] = {}
    if doc.value is None:
        return sources, problems
    if not isinstance(doc.value, LList):
        msg = "sources.yaml must be a list of sources (`- id: ...`)."
        return sources, [
            *problems,
            error(display, getattr(doc.value, "line", 1), "file-top-level", msg),
        ]
    for raw, line in zip(doc.value, doc.value.item_lines, strict=True):
        src = _source(raw, line, display, problems)
        if src is None:
            continue
        if src.id in sources:
            msg = f"the source id `{src.id}` is used twice (first on line {sources[src.id].line})."
            problems.append(error(display, line, "source-duplicate", msg))
            continue
        at = raw.value_lines.get("document", line)
        src.path = documents.locate(src.document, display, at, problems)
        src.documents = documents
        sources[src.id] = src
    return sources, problems


def _source(raw: object, line: int, display: str, problems: list[Problem]) -> Source | None:
    if not isinstance(raw, LMap):
        problems.append(error(display, line, "type-invalid", "each source must be a mapping."))
        return None
    for key in raw:
        if key not in SOURCE_KEYS:
            msg = f"unknown key `{key}` for a source.{did_you_mean(key, SOURCE_KEYS)}"
            problems.append(error(display, raw.key_lines[key], "key-unknown", msg))
    missing = [k for k in REQUIRED_SOURCE_KEYS if raw.get(k) in (None, "")]
    for key in missing:
        msg = f"a source needs `{key}`: {SOURCE_KEYS[key]}."
        problems.append(error(display, line, "key-missing", msg))
    if "id" in missing or "document" in missing:
        return None
    values = {k: None if raw.get(k) is None else str(raw.get(k)) for k in SOURCE_KEYS}
    if values["url"] is None:
        msg = (
            "a source without `url`: readers cannot find the original; add where it was published."
        )
        problems.append(warning(display, line, "source-no-url", msg))
    lang = values["language"]
    if lang is not None:
        from .numbers import known_languages

        if lang.split("-")[0].lower() not in known_languages():
            msg = (
                f"no number forms for language `{lang}`; quotes are read with English numbers. "
                f"Known: {', '.join(known_languages())}."
            )
            problems.append(warning(display, raw.value_lines["language"], "source-language", msg))
    return Source(
        id=values["id"] or "",
        title=values["title"] or "",
        publisher=values["publisher"] or "",
        published=values["published"] or "",
        url=values["url"],
        document=values["document"] or "",
        language=lang,
        line=line,
    )


def _safe_document(
    document: str, repo: Path, display: str, line: int, problems: list[Problem]
) -> Path | None:
    """The document's path if it lies inside the repository and exists; else a problem."""
    if _leaves_repository(document, display, line, problems):
        return None
    full = repo / document
    try:
        resolved = full.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):  # ValueError: a NUL byte in the path
        msg = f"the document `{document}` does not exist (looked in {repo}); store its text there."
        problems.append(error(display, line, "source-document-missing", msg))
        return None
    if not resolved.is_relative_to(repo.resolve()):
        msg = (
            f"`{document}` is a link to a file outside the repository; copy the text into `seeds/`."
        )
        problems.append(error(display, line, "source-document-outside", msg))
        return None
    if not resolved.is_file():
        msg = f"`{document}` is not a file; give the path of the stored text."
        problems.append(error(display, line, "source-document-missing", msg))
        return None
    return resolved


def _leaves_repository(document: str, display: str, line: int, problems: list[Problem]) -> bool:
    """Whether the path is absolute or climbs out with `..` (then a problem says so)."""
    rel = Path(document)
    if rel.is_absolute() or ".." in rel.parts:
        msg = (
            f"`{document}` leaves the repository; store the text under `seeds/` and give that path."
        )
        problems.append(error(display, line, "source-document-outside", msg))
        return True
    return False
