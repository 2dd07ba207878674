"""Telling people: an email per (notice, recipient), through SendGrid or a file outbox."""

from radar_pipeline.notify.senders import FileOutbox, Mail, Sender, SendGridSender, sender_from_settings

__all__ = ["FileOutbox", "Mail", "SendGridSender", "Sender", "sender_from_settings"]
