"""Moderation: the queue, decisions against the charter, reports review, merges and the public log."""
