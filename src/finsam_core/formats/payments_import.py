"""Recording the kind ``betalningar``: the members' payment plans, then their payments, in file order."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from finsam_core.application import Finsam
from finsam_core.formats.payments_schema import Betalningar

__all__ = ["record_payments"]

At = Callable[[str, str], AbstractContextManager[None]]


def record_payments(app: Finsam, doc: Betalningar, at: At) -> str:
    """Set each member's plan and record each payment; returns the summary line."""
    for key, plan in doc.plan.items():
        with at(f"$.plan.{key}", ""):
            app.set_payment_plan(doc.forbund, doc.ar, key, plan.plan, plan.forfaller or None)
    for index, payment in enumerate(doc.betalning):
        with at(f"$.betalning[{index}]", ""):
            app.record_member_payment(
                doc.forbund, doc.ar, payment.medlem, payment.belopp, payment.datum, payment.anteckning
            )
    plans = len(doc.plan)
    payments = len(doc.betalning)
    return (
        f"registrerade {plans} betalningsplan{'er' if plans != 1 else ''} och {payments} "
        f"inbetalning{'ar' if payments != 1 else ''} för {doc.ar} för {doc.forbund}."
    )
