"""`add` as a conversation: every answer is checked as it is given, and only a field whose
answer is wrong is asked again, with suggestions from the ledger itself first.

Asking everything and checking at the end threw fifteen answers away for one unknown place.
Here a place, organisation or item is looked up in the ledger's own files as soon as it is
typed; an unknown one can be created on the spot (its parent and level or kind checked too).
Several claims can be added in one go, and a claim may name in `sum_of`/`count_of` claims that
come later in the same batch (a total before its parts, in reading order): the batch is then
checked as a whole against the ledger by `add.add_batch` and written whole or not at all.

The flag-only form (`io=None`) asks nothing: a missing required field is an `OptionsError`,
and every check is left to the batch check, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .add import previous_claim, propose_id
from .dates import DateError, parse_period
from .hierarchy import Hierarchy, ResolveError
from .problems import Suggester
from .quantity import QuantityError, parse_quantity
from .records import ID_RE
from .sources import normalise, quote_found, quote_pieces
from .units import UnitError
from .vocab import OrgKind, PlaceLevel, Status, choices

if TYPE_CHECKING:
    from .loader import Ledger

SOURCE_FIELDS = ("title", "publisher", "published", "url", "document")
# kind -> (file, vocabulary of its level/kind key, that key)
KINDS: dict[str, tuple[str, type | None, str | None]] = {
    "place": ("places.yaml", PlaceLevel, "level"),
    "org": ("orgs.yaml", OrgKind, "kind"),
    "item": ("items.yaml", None, None),
}


class OptionsError(ValueError):
    """The flags cannot make a claim (a required one missing with `--no-input`, a source
    other than the file's): a usage error, nothing was written."""


class IO(Protocol):
    """How the conversation talks: the CLI passes click's terminal, tests may pass a script."""

    def ask(self, label: str, default: str | None = None) -> str:
        """One line typed by the user (`default` for an empty line, or at end of input)."""
        ...

    def yes(self, label: str, default: bool = False) -> bool: ...

    def say(self, text: str) -> None: ...


@dataclass
class Batch:
    """What the conversation gathered: the claims in order, a new source, new entries."""

    claims: list[dict[str, Any]] = field(default_factory=list)
    new_source: dict[str, Any] | None = None
    new_entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def blank(value: object) -> bool:
    """Missing: None, an empty list, or text of white space only (`""` and `" "` alike)."""
    return value is None or value == () or (isinstance(value, str) and not value.strip())


class Checker:
    """Checks one answer at a time against the ledger and what this batch added so far.

    Every lookup goes through the ledger's own hierarchies (remembered per label there), so a
    ledger of a million claims answers as fast as the seed."""

    def __init__(self, book: Ledger, batch: Batch) -> None:
        self.book = book
        self.batch = batch
        self.created: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
        self.named: dict[str, str] = {}  # ids named ahead in sum_of/count_of -> who named them
        self._ids: Suggester | None = None

    def tree(self, kind: str) -> Hierarchy | None:
        return {"place": self.book.places, "org": self.book.orgs, "item": self.book.items}[kind]

    def name(self, kind: str, label: str) -> ResolveError | None:
        """Why `label` is not a usable place/org/item (None: it is, or new in this batch)."""
        label = " ".join(label.split())
        tree = self.tree(kind)
        if not label:
            return ResolveError(f"the {kind} is empty.", f"{kind}-empty")
        if label.casefold() in self.created[kind] or tree is None:
            return None
        hit = tree.lookup(label)
        return hit if isinstance(hit, ResolveError) else None

    def own_name(self, kind: str, label: str) -> str:
        """The name a file writes for a known label (an alias or another case gives the name)."""
        made = self.created[kind].get(" ".join(label.split()).casefold())
        if made is not None:
            return made
        tree = self.tree(kind)
        hit = tree.lookup(label) if tree is not None else label
        return label if isinstance(hit, ResolveError) else hit

    def create(self, kind: str, name: str, parent: str | None, level: str | None) -> None:
        """Remember a new entry; `add_batch` appends it to its file with the claims."""
        file, _, key = KINDS[kind]
        entry: dict[str, Any] = {"name": name, "parent": parent or None}
        if key:
            entry[key] = level
        self.batch.new_entries.setdefault(file, []).append(entry)
        self.created[kind][name.casefold()] = name

    def quantity(self, text: str, item: str | None) -> str | None:
        """What is wrong with a quantity phrase: its grammar, its unit (the ledger's units
        offered first), or a unit that does not fit the item's dimension."""
        try:
            q = parse_quantity(text)
        except QuantityError as exc:
            return f"[{exc.code}] {exc}"
        if q.unit is None:
            return None
        unit = self.book.units.lookup(q.unit)
        if isinstance(unit, UnitError):
            return f"[{unit.code}] {unit}"
        want = self._item_dimension(item)
        if want is not None and want != unit.dimension:
            return (
                f"[item-unit-mismatch] `{item}` is measured as {want}, but `{q.unit}` measures "
                f"{unit.dimension}; write the figure in a {want} unit."
            )
        return None

    def _item_dimension(self, item: str | None) -> str | None:
        if not item or item.casefold() in self.created["item"]:
            return None
        name = self.book.items.lookup(item)
        if isinstance(name, ResolveError):
            return None
        dim = self.book.items.first(name, "dimension")
        return None if dim is None else str(dim)

    def when(self, text: str) -> str | None:
        try:
            parse_period(text)
        except DateError as exc:
            return f"[{exc.code}] {exc}"
        return None

    def quote(self, text: str, source: str) -> str | None:
        """Whether the quote is in the source's stored text (when that text can be read)."""
        if not quote_pieces(text):
            return "[quote-empty] the quote is empty; copy the words of the source that state the figure."
        document = self._document_text(source)
        if document is not None and not quote_found(text, document):
            return (
                "[quote-not-found] the quote is not in the source's stored text; copy it "
                "verbatim (mark skipped text with `...`)."
            )
        return None

    def _document_text(self, source: str) -> str | None:
        src = self.book.sources.get(source)
        if src is not None:
            return src.normalised_text()
        new = self.batch.new_source
        if new and new.get("document"):
            path = Path(self.book.repo) / str(new["document"])
            try:
                return normalise(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                return None
        return None

    def taken(self) -> set[str]:
        return set(self.book.by_id) | {str(c["id"]) for c in self.batch.claims if c.get("id")}

    def new_id_or_source(self, text: str) -> str | None:
        """A source id: an existing source, or a new one with a valid id."""
        if text in self.book.sources or ID_RE.match(text):
            return None
        return f"[id-invalid] `{text}` is not an id; use letters, digits, `-`, `_` and `.`."

    def known(self, cid: str) -> bool:
        """An id of the ledger or of this batch (no set of a million ids built per question)."""
        return cid in self.book.by_id or any(c.get("id") == cid for c in self.batch.claims)

    def new_id(self, text: str) -> str | None:
        if not ID_RE.match(text):
            return f"[id-invalid] `{text}` is not an id; use letters, digits, `-`, `_` and `.`."
        if self.known(text):
            return f"[id-duplicate] `{text}` is taken; choose another id."
        return None

    def refs(self, key: str, text: str, own: str | None = None) -> tuple[list[str], str | None]:
        """The ids of a `sum_of`/`count_of` answer, and what is wrong with it. An id not in the
        ledger yet is accepted: it is to be added later in this batch."""
        ids = split(text.replace("[", "").replace("]", ""))
        for ref in ids:
            if not ID_RE.match(ref):
                return ids, f"[{key}-invalid] `{ref}` is not an id; list ids separated by commas."
        if len(set(ids)) != len(ids):
            return ids, f"[{key}-duplicate] an id is listed twice; a part counts once."
        return ids, None

    def id_hint(self, ref: str) -> str:
        """' Did you mean `x`?' over the ledger's ids (the suggester is built once)."""
        if self._ids is None:
            self._ids = Suggester(self.book.by_id)
        return self._ids.did_you_mean(ref)

    def note_named(self, cid: str, claim: dict[str, Any]) -> None:
        for key in ("sum_of", "count_of"):
            for ref in claim.get(key) or ():
                if isinstance(ref, str) and ref not in self.book.by_id:
                    self.named.setdefault(ref, cid)

    def pending(self) -> list[str]:
        """Ids named ahead that no claim of the batch has taken yet."""
        done = {c.get("id") for c in self.batch.claims}
        return [ref for ref in self.named if ref not in done]


def split(text: str) -> list[str]:
    return [v.strip() for v in str(text).split(",") if v.strip()]


def collect(book: Ledger, file: str | Path, opts: dict[str, Any], io: IO | None) -> Batch:
    """The claims to add: from the flags alone (`io=None`), or a conversation in which the
    flags answer the first claim's fields (each still checked) and the rest is asked."""
    batch = Batch()
    check = Checker(book, batch)
    talk = _Talk(check, opts, io, previous_claim(file), str(file))
    source = talk.source()
    while True:
        claim = talk.claim(source)
        batch.claims.append(claim)
        if io is None:
            return batch
        check.note_named(str(claim.get("id")), claim)
        waiting = check.pending()
        if waiting:
            io.say("named but not added yet: " + ", ".join(f"`{w}`" for w in waiting))
        if not io.yes("Another claim?", default=bool(waiting)):
            return batch
        talk.next_claim(claim)


class _Talk:
    """One conversation: the flags, the defaults so far and the questions."""

    def __init__(
        self, check: Checker, opts: dict[str, Any], io: IO | None, prev: dict, file: str
    ) -> None:
        self.check, self.io, self.prev, self.file = check, io, prev, file
        self.opts = {k: v for k, v in opts.items() if not blank(v)}

    def next_claim(self, last: dict[str, Any]) -> None:
        """Later claims take no flags; their defaults are the claim just added."""
        self.opts = {}
        keep = ("claimant", "provider", "status", "item")
        self.prev = {k: v for k, v in last.items() if k in keep}
        self.prev["period"] = last.get("period") or last.get("date")

    def value(self, key: str, label: str, default: object = None) -> str:
        """A required field: its flag, else asked (the flag-only form fails instead)."""
        given = self.opts.pop(key, None)
        if given is not None:
            return str(given) if not isinstance(given, tuple) else ", ".join(given)
        if self.io is None:
            raise OptionsError(f"--{key.replace('_', '-')} is required with --no-input.")
        default = default if default is not None else self.prev.get(key)
        while True:
            answer = self.io.ask(label, None if blank(default) else str(default))
            if not blank(answer):
                return " ".join(answer.split()) if key != "quote" else answer

    def checked(self, key: str, label: str, test: Any, default: object = None) -> str:
        """A required field, asked again (only it) until `test` finds nothing wrong."""
        while True:
            answer = self.value(key, label, default)
            problem = test(answer) if self.io is not None else None
            if problem is None:
                return answer
            self.io.say(f"  {problem}")

    def source(self) -> str:
        prev_source = self.prev.get("source")
        if prev_source:  # a claim file has one source: the claim takes the file's
            given = self.opts.pop("source", None)
            if given and given != prev_source:
                raise OptionsError(
                    f"{self.file} holds claims of source `{prev_source}`; put claims of "
                    f"`{given}` in a file of their own."
                )
            return str(prev_source)
        source = self.checked("source", "Source id", self.check.new_id_or_source)
        if source not in self.check.book.sources:
            self.check.batch.new_source = self.new_source(source)
        return source

    def new_source(self, source: str) -> dict[str, Any]:
        out: dict[str, Any] = {"id": source}
        for key in SOURCE_FIELDS:
            opt, label = f"source_{key}", f"New source {key}"
            if key == "url":
                out[key] = self.optional(opt, label + " (empty: none, check will warn)")
            elif key == "published":
                out[key] = self.checked(opt, label, self.check.when)
            elif key == "document":
                out[key] = self.checked(opt, label, self.document)
            else:
                out[key] = self.value(opt, label)
        language = self.opts.pop("source_language", None)
        if language:
            out["language"] = language
        return {k: v for k, v in out.items() if not blank(v)}

    def document(self, path: str) -> str | None:
        if (Path(self.check.book.repo) / path).is_file():
            return None
        return f"[source-document-missing] no file `{path}`; store the source's text there first."

    def optional(self, key: str, label: str, default: str = "") -> str | None:
        given = self.opts.pop(key, None)
        if given is not None or self.io is None:
            return None if blank(given) else str(given).strip()
        answer = self.io.ask(label, default)
        return None if blank(answer) else answer.strip()

    def name(self, kind: str, key: str, label: str, default: object = None) -> str:
        """A place/org/item, created on the spot when the user says so."""
        return self.checked(key, label, lambda v: self.fix_name(kind, v), default)

    def fix_name(self, kind: str, label: str) -> str | None:
        problem = self.check.name(kind, label)
        if problem is None:
            return None
        self.io.say(f"  [{problem.code}] {problem}")
        if problem.code != f"{kind}-unknown":
            return "answer again."
        if not self.io.yes(f"Create {kind} `{label}`?"):
            return "answer again."
        self.create(kind, " ".join(label.split()))
        return None

    def create(self, kind: str, name: str) -> None:
        """Ask a new entry's level or kind, then its parent (each checked, each asked again
        alone), and check the whole entry as `place add` would before keeping it."""
        _, vocab, key = KINDS[kind]
        level = None
        if vocab is not None and key is not None:
            words = choices(vocab)
            label = f"{key.capitalize()} of `{name}` ({'/'.join(words)})"
            level = self.checked_choice(label, words)
        required = kind == "place" and level != PlaceLevel.COUNTRY
        label = f"Parent of `{name}` (a {kind}{'' if required else '; empty: none'})"
        while True:
            parent = " ".join(self.io.ask(label, None if required else "").split())
            problem = self.entry_problem(kind, name, parent, level)
            if problem is None:
                break
            self.io.say(f"  {problem}")
        self.check.create(kind, name, self.check.own_name(kind, parent) if parent else None, level)

    def entry_problem(self, kind: str, name: str, parent: str, level: str | None) -> str | None:
        """What is wrong with the new entry: its parent first (one made in this batch is
        fine), then what `gazetteer` checks of an entry (name taken, level, parent missing)."""
        if not parent:
            return "a parent is needed." if kind == "place" and level != "country" else None
        if parent.casefold() in self.check.created[kind]:
            return None
        problem = self.check.name(kind, parent)
        if problem is not None:
            return f"[{problem.code}] {problem}"
        from .gazetteer import entry_problems

        _, _, key = KINDS[kind]
        entry = {"name": name, "parent": parent, "aliases": [], **({key: level} if key else {})}
        found = entry_problems(self.check.book, kind, entry, "", 0)
        return " ".join(f"[{p.code}] {p.message}" for p in found) or None

    def checked_choice(self, label: str, words: list[str], default: str | None = None) -> str:
        while True:
            answer = self.io.ask(label, default).strip()
            if answer in words:
                return answer
            self.io.say(f"  `{answer}` is not one of: {', '.join(words)}.")

    def claim(self, source: str) -> dict[str, Any]:
        c = self.check
        fields: dict[str, Any] = {"source": source, "id": self.opts.pop("claim_id", None)}
        fields["claimant"] = self.name("org", "claimant", "Claimant (who states it)")
        statuses = choices(Status)
        fields["status"] = self.checked(
            "status",
            f"Status ({'/'.join(statuses)})",
            lambda v: None if v in statuses else f"`{v}` is not one of: {', '.join(statuses)}.",
            self.prev.get("status", Status.DELIVERED),
        )
        if fields["status"] != Status.CONTEXT or "provider" in self.opts:
            fields["provider"] = self.name("org", "provider", "Provider (who delivered)")
        fields["item"] = self.name("item", "item", "Item")
        fields["quantity"] = self.checked(
            "quantity", "Quantity (e.g. about 4 t)", lambda v: c.quantity(v, fields["item"])
        )
        fields["places"] = split(self.checked("places", "Places (comma-separated)", self.places))
        self.when(fields)
        fields["quote"] = self.checked(
            "quote", "Quote (verbatim from the source)", lambda v: c.quote(v, source)
        )
        fields["notes"] = self.opts.pop("notes", None)
        for key, label in (("sum_of", "Sum of"), ("count_of", "Count of")):
            fields[key] = self.ids(key, f"{label} (ids, comma-separated; empty: none)")
        fields["same_as"] = self.opts.pop("same_as", None)
        if not fields["id"] and self.io is not None:
            fields["id"] = self.claim_id(fields)
        return fields

    def places(self, answer: str) -> str | None:
        for label in split(answer):
            problem = self.fix_name("place", label)
            if problem is not None:
                return problem
        return None if split(answer) else "name at least one place."

    def when(self, fields: dict[str, Any]) -> None:
        """`date` or `period`: the flags as given, else one answer (a `/` makes it a period)."""
        date, period = self.opts.pop("date", None), self.opts.pop("period", None)
        given = date or period
        problem = self.check.when(given) if given and self.io is not None else None
        if given and problem is None:
            fields["date"], fields["period"] = date, period
            return
        if problem:
            self.io.say(f"  {problem}")
        default = self.prev.get("period") or self.prev.get("date")
        when = self.checked("period", "Date or period (ISO 8601)", self.check.when, default)
        fields["period" if "/" in when else "date"] = when

    def ids(self, key: str, label: str) -> list[str]:
        given = self.opts.pop(key, None)
        if given is not None or self.io is None:
            return split(",".join(given)) if given else []
        while True:
            ids, problem = self.check.refs(key, self.io.ask(label, ""))
            if problem is None:
                break
            self.io.say(f"  {problem}")
        for ref in ids:
            if not self.check.known(ref):
                hint = self.check.id_hint(ref)
                self.io.say(f"  `{ref}` is not in the ledger yet: add it in this batch.{hint}")
        return ids

    def claim_id(self, fields: dict[str, Any]) -> str:
        waiting = self.check.pending()
        places = fields.get("places") or [None]
        when = fields.get("date") or fields.get("period")
        proposed = (
            waiting[0]
            if waiting
            else propose_id(fields["source"], places[0], when, self.check.taken())
        )
        while True:
            answer = self.io.ask("Id", proposed).strip()
            problem = self.check.new_id(answer)
            if problem is None:
                return answer
            self.io.say(f"  {problem}")


class TerminalIO:
    """The conversation on a terminal through click. Prompts go to standard error when
    standard output is kept for `--json`. At the end of input an optional question takes its
    default, so a script may stop typing once the required answers are given."""

    def __init__(self, err: bool = False) -> None:
        self.err = err

    def ask(self, label: str, default: str | None = None) -> str:
        import click

        shown = f" [{default}]" if default else ""
        while True:
            click.echo(f"{label}{shown}: ", nl=False, err=self.err)
            try:
                answer = _read_line()
            except EOFError:
                if default is None:
                    raise click.Abort() from None
                click.echo("", err=self.err)
                return default
            except UnicodeDecodeError:
                answer = "\udcff"
            if _utf8(answer):
                break
            self.say(
                "  that answer is not UTF-8 text; type it again (check the terminal's encoding)."
            )
        answer = answer.rstrip("\r\n")
        return answer if answer.strip() or default is None else default

    def yes(self, label: str, default: bool = False) -> bool:
        while True:
            answer = self.ask(f"{label} [{'Y/n' if default else 'y/N'}]", "").strip().lower()
            if not answer:
                return default
            if answer in ("y", "yes", "n", "no"):
                return answer.startswith("y")
            self.say("  answer y or n.")

    def say(self, text: str) -> None:
        import click

        click.echo(text, err=self.err)


def _read_line() -> str:
    """One line through click's own reader (what `click.prompt` uses; test runners replace it)."""
    from click import termui

    return termui.visible_prompt_func("")


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
