"""Replies: templates rendered to messages, and the senders that hand them to SMTP."""
