"""Verksamhetsplaner over HTTP: a förbund's plan and yearly follow-up, and goal fulfilment across the network."""
