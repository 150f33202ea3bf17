"""A förbund's participant breakdowns (kommun, age, gender, income source, time in the intervention):
reported by its writers, read by anyone with small counts suppressed."""
