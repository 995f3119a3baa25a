"""The meaning checks are plain functions over typed claims that name what they read."""

from __future__ import annotations

import inspect

from ledger import checks
from ledger.claim import Claim


def test_every_check_names_the_claim_fields_it_reads():
    fields = set(Claim.__slots__)
    for check in checks.CHECKS:
        assert check.READS, check.__name__
        assert set(check.READS) <= fields, (check.__name__, set(check.READS) - fields)


def test_checks_take_claims_and_context_only():
    for check in checks.CHECKS:
        assert list(inspect.signature(check).parameters) == ["claims", "ctx"], check.__name__


def test_a_claim_is_frozen_and_slotted():
    assert not hasattr(Claim, "__dict__") or "__dict__" not in Claim.__dict__
    assert Claim.__dataclass_params__.frozen
