"""Pure rules: no Telegram, no SQL, no clock reads (the time is passed in)."""
