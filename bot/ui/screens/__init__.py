"""What each screen says and which buttons it has: plain data in, (text, keyboard) out.

One module per feature, in the current locale (`bot.i18n`). Used by the handlers for direct
answers and by the dispatcher (`bot/notify/dispatcher.py`) for planned messages. No database,
no sending: the callers fetch and send.
"""
