"""Riverboat's XMPP protocol: namespace, payload codec, intents and text commands, errors."""
