"""Writes of the import, one module per subject: the mirror, the poll, the decisions."""
