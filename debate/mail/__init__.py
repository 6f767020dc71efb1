"""E-mail: address confirmation, password reset, notification e-mails with per-kind preferences,
unsubscribe links, and the outbox that `flask --app debate send-mail` delivers.

Sits just above accounts in the import order (core ← accounts ← mail): it reacts to accounts'
signals (`user_registered`, `notification_created`) and never imports a higher domain.
"""
