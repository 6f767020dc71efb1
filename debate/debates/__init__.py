"""Debates: memberships and roles, phases, scope, modalities, charter."""
