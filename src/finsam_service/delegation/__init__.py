"""Delegation and per capsulam (``/v1/forbund/{org_nr}/delegation``, ``/v1/forbund/{org_nr}/per-capsulam``)."""
