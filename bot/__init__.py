"""Telegram companion bot for Mobility Mentoring participants and their coaches."""
