"""Mail: every email the site sends goes through this package.

A feature calls `outbox.queue()` inside its own transaction; the mail is
rendered there and stored in `mail_outbox`, so it is sent if and only if the
change that caused it commits. `sender` drains the table over SMTP (or into
instance/mail/*.eml without MAIL_SERVER), retrying with backoff while the
server is away.
"""
