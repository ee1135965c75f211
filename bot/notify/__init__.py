"""Messages the bot sends on its own: the outbox dispatcher and its scheduling."""
