"""Accounts' security events, as named signals: debate.mail (a higher domain) answers each with a
notice e-mailed to the account's owner, so that accounts never imports mail."""

from blinker import Namespace

_signals = Namespace()

# Sent by accounts.operations.change_password and create_or_promote_admin once a new password is
# set (sender: the User; `how`: "changed" by its owner, "reset" through an e-mailed link, or set by
# the "operator" on the command line).
password_changed = _signals.signal("password-changed")

# Sent by accounts.operations.issue_api_token (sender: the User; `token`: the ApiToken row, whose
# clear value is never passed on).
api_token_created = _signals.signal("api-token-created")
