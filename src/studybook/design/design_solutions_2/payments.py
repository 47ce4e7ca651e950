"""Idempotency keys for payments: a retried charge is executed once, however it is retried.

The client makes one key per logical payment (a UUID v4) and sends it with
every attempt. The server records the key with a fingerprint of the request
body *before* charging, under a lock, so that of many concurrent attempts
exactly one runs the charge; the others wait for it and get the saved
response. Reusing a key with a different body is a client bug and gets an
error, as Stripe documents ("The idempotency layer compares incoming
parameters to those of the original request and errors if they're not the
same"); the IETF draft *The Idempotency-Key HTTP Header Field* (-07,
section 2.7) recommends 422 for it, and 409 for a retry that arrives while the
first attempt is still running (:class:`RequestInProgressError` here, when
the caller will not wait).

A declined payment is a result like any other and is replayed. A crash of
the charge itself (the gateway raised) leaves the outcome unknown; the record
is released so a retry runs again, which is only safe because the gateway is
itself idempotent on the same key, as real payment networks are.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from studybook._validate import check_callable, check_int, check_real, check_str

__all__ = [
    "ChargeResult",
    "IdempotencyKeyReuseError",
    "PaymentDeclinedError",
    "PaymentService",
    "RequestInProgressError",
]

MAX_KEY_LENGTH = 255
"""Stripe's documented maximum idempotency-key length, in characters."""


class IdempotencyKeyReuseError(ValueError):
    """The key was already used with a different request body (HTTP 422)."""


class RequestInProgressError(RuntimeError):
    """An attempt with this key is still running and the caller chose not to wait (HTTP 409)."""


class PaymentDeclinedError(Exception):
    """Raised by a gateway to decline a charge: a final answer, saved and replayed."""


@dataclass(frozen=True)
class ChargeResult:
    """The saved response: ``status`` is ``"succeeded"`` or ``"declined"``."""

    status: str
    charge_id: str | None
    amount_cents: int
    currency: str
    message: str = ""


@dataclass
class _Record:
    fingerprint: str
    created: float
    done: threading.Event = field(default_factory=threading.Event)
    result: ChargeResult | None = None


Gateway = Callable[[str, int, str, str], str]
"""``gateway(key, amount_cents, currency, customer) -> charge_id``; may decline by raising."""


class PaymentService:
    """Charges through a gateway, at most once per idempotency key.

    Args:
        gateway: performs the real charge (a fake ledger by default: see ``charges``).
        ttl: seconds a key is remembered (Stripe prunes keys "at least 24 hours old").
        clock: returns seconds.

    Raises:
        ValueError, TypeError: bad arguments.

    Complexity: O(1) amortised per request plus the gateway; memory O(keys within ``ttl``).

    >>> svc = PaymentService()
    >>> first = svc.charge("key-1", 1999, "usd", "cus_42")
    >>> again = svc.charge("key-1", 1999, "usd", "cus_42")
    >>> first == again, first.status, len(svc.charges), svc.replays
    (True, 'succeeded', 1, 1)
    >>> try:
    ...     svc.charge("key-1", 2999, "usd", "cus_42")
    ... except IdempotencyKeyReuseError as e:
    ...     print(e)
    idempotency key 'key-1' was used with a different request body
    """

    def __init__(
        self,
        gateway: Gateway | None = None,
        *,
        ttl: float = 86_400.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if gateway is not None:
            check_callable(gateway, "gateway")
        check_callable(clock, "clock")
        self.ttl = check_real(ttl, "ttl", positive=True)
        self._gateway = gateway if gateway is not None else self._ledger_charge
        self._clock = clock
        self._lock = threading.Lock()
        self._records: dict[str, _Record] = {}
        self.charges: list[tuple[str, int, str, str]] = []
        """The default gateway's ledger, one ``(key, amount, currency, customer)`` per charge."""
        self.replays = 0
        """Requests answered from a saved result instead of charging."""

    def _ledger_charge(self, key: str, amount_cents: int, currency: str, customer: str) -> str:
        with self._lock:  # append and number in one step: concurrent keys get distinct ids
            self.charges.append((key, amount_cents, currency, customer))
            return f"ch_{len(self.charges):06d}"

    def charge(
        self,
        key: str,
        amount_cents: int,
        currency: str,
        customer: str,
        *,
        wait: bool = True,
    ) -> ChargeResult:
        """Charge once for ``key``; a retry with the same body returns the saved result.

        Args:
            key: the client's idempotency key (1..255 characters).
            amount_cents: a positive amount in the currency's minor unit.
            currency: a three-letter code, e.g. ``"usd"``.
            customer: who pays.
            wait: if an attempt with this key is running, wait for it (else raise).

        Raises:
            IdempotencyKeyReuseError: ``key`` was used with a different body.
            RequestInProgressError: ``wait`` is false and an attempt is running.
            ValueError, TypeError: bad arguments.
            Exception: whatever the gateway raised, other than a decline.

        Complexity: O(1) plus the gateway.
        """
        check_str(key, "key", nonempty=True)
        if len(key) > MAX_KEY_LENGTH:
            raise ValueError(f"key must be at most {MAX_KEY_LENGTH} characters, got {len(key)}")
        check_int(amount_cents, "amount_cents", minimum=1)
        check_str(currency, "currency")
        if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
            raise ValueError(f"currency must be a three-letter code, got {currency!r}")
        check_str(customer, "customer", nonempty=True)
        fingerprint = _fingerprint(amount_cents, currency.lower(), customer)
        with self._lock:
            self._expire()
            record = self._records.get(key)
            owner = record is None
            if record is None:
                record = _Record(fingerprint, self._now())
                self._records[key] = record
        if record.fingerprint != fingerprint:
            raise IdempotencyKeyReuseError(
                f"idempotency key {key!r} was used with a different request body"
            )
        if not owner:
            if not record.done.is_set() and not wait:
                raise RequestInProgressError(f"a request with key {key!r} is in progress")
            record.done.wait()
            if record.result is None:  # the owner crashed; try again as a new attempt
                return self.charge(key, amount_cents, currency, customer, wait=wait)
            with self._lock:
                self.replays += 1
            return record.result
        try:
            charge_id = self._gateway(key, amount_cents, currency.lower(), customer)
            record.result = ChargeResult("succeeded", charge_id, amount_cents, currency.lower())
        except PaymentDeclinedError as declined:
            record.result = ChargeResult(
                "declined", None, amount_cents, currency.lower(), str(declined)
            )
        except BaseException:
            with self._lock:
                del self._records[key]
            raise
        finally:
            record.done.set()
        return record.result

    def _expire(self) -> None:
        # Records sit in insertion order, which is creation order, so the stale ones are
        # a prefix: drop it and stop at the first live (or still running) record. A scan
        # of every record here made each request O(keys), so n requests O(n^2).
        now = self._now()
        while self._records:
            key, record = next(iter(self._records.items()))
            if not record.done.is_set() or now - record.created < self.ttl:
                return
            del self._records[key]

    def _now(self) -> float:
        # A clock that returns NaN would make every record look fresh forever.
        return check_real(self._clock(), "clock()")


def _fingerprint(amount_cents: int, currency: str, customer: str) -> str:
    body = json.dumps(
        {"amount": amount_cents, "currency": currency, "customer": customer}, sort_keys=True
    )
    return hashlib.sha256(body.encode()).hexdigest()
