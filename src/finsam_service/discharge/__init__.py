"""Auditors and discharge over HTTP: appointments, proposals, one member's step for several förbund,
each förbund's discharge status and the network's picture of which förbund are discharged."""
