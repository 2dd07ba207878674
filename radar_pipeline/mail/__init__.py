"""Mail as a channel: RFC 5322 messages, SendGrid Inbound Parse, the inbox."""
