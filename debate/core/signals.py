"""Named signals: reactions that would otherwise run against the import order (lower → higher domain)."""

from blinker import Namespace

_signals = Namespace()

# Sent by arguments.operations.report_argument after a report is written (sender: the argument).
# The moderation hides the argument once enough distinct people reported it.
argument_reported = _signals.signal("argument-reported")

# Sent by accounts.operations.notify after a notification is written (sender: the Notification).
# debate.mail queues the e-mail according to the user's preference for that kind.
notification_created = _signals.signal("notification-created")

# Sent by accounts.operations.register_user (sender: the new User). debate.mail queues the e-mail
# with the confirmation link.
user_registered = _signals.signal("user-registered")
