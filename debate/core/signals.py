"""Named signals: reactions that would otherwise run against the import order (lower → higher domain)."""

from blinker import Namespace

_signals = Namespace()

# Sent by arguments.operations.report_argument after a report is written (sender: the argument).
# The moderation hides the argument once enough distinct people reported it.
argument_reported = _signals.signal("argument-reported")
