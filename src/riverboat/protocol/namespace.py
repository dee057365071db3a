"""Names on the wire."""

NS = "urn:riverboat:0"
"""Riverboat's namespace: the ``event``, ``action``, ``table`` payloads and error conditions."""

STANZAS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas"
DISCO_FORM_TYPE = "urn:riverboat:0#table"
"""FORM_TYPE of the XEP-0128 form in a table's disco#info."""

DEALER_NICK = "Dealer"
DEALER_NODE = "dealer"
"""The dealer's JID is ``dealer@<component>/<table id>``."""
