"""The game server: an XEP-0114 component that referees tables in MUC rooms."""
