"""The ledger's arithmetic: sharing an amount among members, and settling a group.

Pure functions (no I/O), so that the rules are read and tested in one place.

Sharing (largest remainder, deterministic): the amount in cents is divided in
proportion to the weights (1 each for an equal split); each member first gets
the floor of their exact quota; the cents left over (fewer than the number of
members) go one each to the members with the largest remainders, ties broken
by user id (ascending, as text).  The shares always add up to the amount.

Settling (greedy): repeatedly, the largest debtor (most negative net) pays the
largest creditor (most positive net) the smaller of the two amounts; ties are
broken by user id (ascending, as text; a deleted account, None, last).  Every
transfer settles at least one person and the last one settles two, so a
group of n people with a non-zero balance needs at most n - 1 transfers.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> int:
    return int((amount / CENT).to_integral_value())


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) * CENT).quantize(CENT)


def largest_remainder(amount: Decimal, weights: Sequence[tuple[UUID, int]]) -> list[Decimal]:
    """Shares of ``amount`` in proportion to the weights, in the order given, adding up exactly."""
    cents = to_cents(amount)
    total = sum(w for _, w in weights)
    if not weights or total <= 0:
        raise ValueError("at least one positive weight")
    base = [cents * w // total for _, w in weights]
    remainders = [cents * w % total for _, w in weights]
    left = cents - sum(base)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], str(weights[i][0])))
    for i in order[:left]:
        base[i] += 1
    return [from_cents(c) for c in base]


def _key(user_id: UUID | None) -> tuple[int, str]:
    return (1, "") if user_id is None else (0, str(user_id))


def settle(nets: Sequence[tuple[UUID | None, Decimal]]) -> list[tuple[UUID | None, UUID | None, Decimal]]:
    """Transfers (from, to, amount) that bring every net to zero, by the greedy rule above.

    ``nets`` must add up to zero (every live entry's shares add up to its amount).
    """
    balance = {who: to_cents(net) for who, net in nets if to_cents(net) != 0}
    if sum(balance.values()) != 0:
        raise ValueError("balances do not add up to zero")
    transfers: list[tuple[UUID | None, UUID | None, Decimal]] = []
    while balance:
        debtor = min(balance, key=lambda who: (balance[who], _key(who)))
        creditor = min(balance, key=lambda who: (-balance[who], _key(who)))
        amount = min(-balance[debtor], balance[creditor])
        transfers.append((debtor, creditor, from_cents(amount)))
        for who, change in ((debtor, amount), (creditor, -amount)):
            balance[who] += change
            if balance[who] == 0:
                del balance[who]
    return transfers
