"""Payments: a decision's amount and the spending against it, and the members' payments of their contributions."""
