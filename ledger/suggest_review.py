"""`aid-ledger suggest --interactive`: the curator reviews the draft claim by claim.

`--accept` takes every draft as it stands; a curator usually wants most of them, a few fixed
and one or two dropped. Here each draft is shown as it would be written (with its `# review:`
points) and the curator keeps, edits, skips or stops. An edit asks field by field, the draft's
value as default, and checks every answer as `add`'s conversation does (`Checker`), so no
second set of rules can drift from the first. A total whose part was skipped loses the link
(a dangling `sum_of` would fail the whole batch). The kept claims are then written through the
same all-or-nothing path as `--accept` (`accept_drafts` -> `add.add_batch`).

The review talks through the `IO` protocol of `conversation`, so it runs without click (a
script may drive it) and on a terminal through `ReviewTerminal`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .conversation import IO, Batch, Checker, TerminalIO, split
from .paths import display_path
from .suggest import accept_drafts, check_new_source, draft_block
from .suggest_fields import Draft, SourceText
from .vocab import Status, choices

if TYPE_CHECKING:
    from .hierarchy import ResolveError
    from .loader import Ledger

KEEP_QUESTION = "Keep this claim? [y]es / [e]dit / [s]kip / [q]uit"
ANSWERS = {"y": "yes", "yes": "yes", "e": "edit", "edit": "edit",
           "s": "skip", "skip": "skip", "q": "quit", "quit": "quit"}  # fmt: skip
CLEAR = "-"  # the answer that empties an optional field (Enter keeps the default)
LINKS = ("sum_of", "count_of")
Test = Callable[[str], str | None]


class InputEnded(Exception):
    """Input ended before the review was done: what was decided so far is not written, since
    the curator never confirmed it."""


class ReviewTerminal(TerminalIO):
    """`TerminalIO` whose questions all need an answer: at the end of input it raises
    `InputEnded` instead of taking the default (a review cut short must write nothing, while
    `add`'s conversation lets a script stop once the required answers are given)."""

    def ask(self, label: str, default: str | None = None) -> str:
        import click

        shown = f" [{default}]" if default else ""
        try:
            answer = super().ask(label + shown, None)
        except click.Abort:
            raise InputEnded("input ended before the review was done.") from None
        return answer if answer.strip() else (default or "")


def review(
    book: Ledger,
    src: SourceText,
    drafts: list[Draft],
    io: IO,
    new_source: dict[str, Any] | None = None,
) -> list[Draft]:
    """The drafts the curator keeps, edited as answered, links to skipped drafts dropped.

    The drafts given are left as they were (the review works on a copy, links included), so
    a caller may still print or accept the original draft."""
    drafts = copy.deepcopy(drafts)
    editor = _Editor(Checker(book, Batch(new_source=new_source)), io, src.id, drafts)
    kept: list[Draft] = []
    for n, d in enumerate(drafts, 1):
        io.say(f"\nClaim {n} of {len(drafts)}:\n{draft_block(d).rstrip()}")
        answer = _decide(io, d, editor)
        if answer == "quit":
            io.say(f"quit: {len(drafts) - n + 1} claim(s) not kept, this one included.")
            break
        if answer == "yes":
            kept.append(d)
    drop_skipped_links(drafts, kept, io)
    return kept


def _decide(io: IO, d: Draft, editor: _Editor) -> str:
    """yes, skip or quit; an edit is shown again and asked about again (kept, re-edited or
    skipped, as the curator sees it now)."""
    while True:
        answer = ANSWERS.get(io.ask(KEEP_QUESTION).strip().lower())
        if answer is None:
            io.say("  answer y, e, s or q.")
        elif answer != "edit":
            return answer
        else:
            editor.edit(d)
            io.say(f"Edited:\n{draft_block(d).rstrip()}")


def drop_skipped_links(drafts: list[Draft], kept: list[Draft], io: IO) -> None:
    """Remove from every kept total the drafts among its parts that were not kept, and say
    so: a `sum_of` or `count_of` naming a claim that is not written would be refused as
    dangling. Parts that are claims of the ledger (named in an edit) stay."""
    dropped = {id(d) for d in drafts} - {id(d) for d in kept}
    for d in kept:
        for key in LINKS:
            parts = d.fields.get(key) or []
            gone = [p for p in parts if id(p) in dropped]
            if not gone:
                continue
            left = [p for p in parts if id(p) not in dropped]
            names = ", ".join(f"`{p.fields['id']}`" for p in gone)
            what = f"{key} keeps {len(left)} part(s)" if left else f"{key} dropped"
            io.say(f"`{d.fields['id']}`: {names} skipped, so {what}.")
            if left:
                d.fields[key] = left
            else:
                del d.fields[key]


def confirm(io: IO, kept: list[Draft], book: Ledger, src: SourceText) -> bool:
    """The curator's last word before anything is written (No by default)."""
    target = display_path(book.root / "claims" / f"{src.id}.yaml")
    return io.yes(f"Add {len(kept)} claim(s) to {target}?", default=False)


def review_and_accept(
    book: Ledger,
    src: SourceText,
    drafts: list[Draft],
    io: IO,
    new_source: dict[str, Any] | None = None,
) -> Any | None:
    """The whole interactive pass: review, confirm, then `accept_drafts` (all or nothing).
    None when nothing is to be written (nothing drafted, nothing kept, or not confirmed).
    A source that could not be added is refused before the first question, not after."""
    check_new_source(new_source)
    if not drafts:
        io.say(f"no claim found in `{src.id}`; nothing was written.")
        return None
    kept = review(book, src, drafts, io, new_source)
    if not kept:
        io.say("no claim kept; nothing was written.")
        return None
    if not confirm(io, kept, book, src):
        io.say("nothing was written.")
        return None
    return accept_drafts(book, src, kept, new_source)


class _Editor:
    """Asks a draft's fields one by one, each answer checked by `add`'s `Checker` and asked
    again (only it) until it passes; Enter keeps the drafted value."""

    def __init__(self, check: Checker, io: IO, source: str, drafts: list[Draft]) -> None:
        self.check, self.io, self.source = check, io, source
        self.by_id = {str(d.fields.get("id")): d for d in drafts}

    def ask(self, label: str, default: str, test: Test, optional: bool = False) -> str:
        """One answer that `test` accepts; `""` for an optional field the curator cleared."""
        hint = " (optional)" if optional else ""
        while True:
            answer = self.io.ask(f"  {label}{hint}", default or None).strip()
            if optional and answer in ("", CLEAR):
                return ""
            problem = test(answer) if answer else f"{label.split(' (')[0]}: an answer is needed."
            if problem is None:
                return answer
            self.io.say(f"    {problem}")

    def edit(self, d: Draft) -> None:
        """Every field a curator may need to fix, the figure first (the usual fix). An item
        is checked against the quantity kept just before it (a unit must fit the item), and
        the provider asked after the status, as `add` does (a `context` figure may have none)."""
        f, c = d.fields, self.check
        self.io.say(
            f"Editing `{f.get('id')}`: Enter keeps the [value], `{CLEAR}` empties an optional one."
        )
        f["quantity"] = self.ask(
            "Quantity (e.g. about 4 t)", str(f.get("quantity") or ""),
            lambda v: c.quantity(v, f.get("item")),
        )  # fmt: skip
        f["item"] = self.name(
            "item", "Item", f.get("item"), also=lambda v: c.quantity(f["quantity"], v)
        )
        places = self.ask("Places (comma-separated)", _listed(f.get("places")), self.places)
        f["places"] = [" ".join(p.split()) for p in split(places)]
        f["claimant"] = self.name("org", "Claimant", f.get("claimant"))
        statuses = choices(Status)
        f["status"] = self.ask(
            f"Status ({'/'.join(statuses)})", str(f.get("status") or ""),
            lambda v: None if v in statuses else f"`{v}` is not one of: {', '.join(statuses)}.",
        )  # fmt: skip
        context = f["status"] == Status.CONTEXT  # only a context figure may name no provider
        f["provider"] = self.name("org", "Provider", f.get("provider"), optional=context) or None
        f["period"] = self.ask("Date or period (ISO 8601)", str(f.get("period") or ""), c.when)
        f["quote"] = self.ask(
            "Quote (verbatim from the source)", str(f.get("quote") or ""),
            lambda v: c.quote(v, self.source),
        )  # fmt: skip
        for key in LINKS:
            self.links(d, key)

    def name(
        self,
        kind: str,
        label: str,
        default: object,
        optional: bool = False,
        also: Test | None = None,
    ) -> str:
        """A place/org/item of the ledger's files (`Checker.name`: aliases and suggestions)."""

        def test(v: str) -> str | None:
            return _said(self.check.name(kind, v)) or (also(v) if also else None)

        return " ".join(self.ask(label, str(default or ""), test, optional).split())

    def places(self, answer: str) -> str | None:
        for label in split(answer):
            problem = _said(self.check.name("place", label))
            if problem is not None:
                return problem
        return None if split(answer) else "name at least one place."

    def links(self, d: Draft, key: str) -> None:
        """`sum_of`/`count_of` as ids of other drafts or of claims already in the ledger."""
        label = f"{key.replace('_', ' ').capitalize()} (ids, comma-separated)"
        current = _listed(p.fields["id"] for p in d.fields.get(key) or [])
        answer = self.ask(label, current, lambda v: self.refs_problem(d, key, v), optional=True)
        ids = split(answer.replace("[", "").replace("]", ""))
        if ids:
            # a claim of the ledger is named through a stand-in holding only its id
            d.fields[key] = [self.by_id.get(i) or Draft({"id": i}) for i in ids]
        else:
            d.fields.pop(key, None)

    def refs_problem(self, d: Draft, key: str, answer: str) -> str | None:
        ids, problem = self.check.refs(key, answer)
        if problem is not None:
            return problem
        for ref in ids:
            if ref == d.fields.get("id"):
                return f"[{key}-self] `{ref}` is this claim; a claim is no part of itself."
            if ref not in self.by_id and not self.check.known(ref):
                hint = self.check.id_hint(ref)
                return f"`{ref}` is neither a drafted claim nor in the ledger.{hint}"
        return None


def _said(problem: ResolveError | None) -> str | None:
    return None if problem is None else f"[{problem.code}] {problem}"


def _listed(values: Any) -> str:
    return ", ".join(str(v) for v in values or [])


__all__ = ["InputEnded", "ReviewTerminal", "confirm", "review", "review_and_accept"]
