"""Recommendations outcome: traceable recommendations, synthesis, report, officials' responses."""
