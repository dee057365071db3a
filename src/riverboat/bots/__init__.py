"""Bots: ordinary XMPP users on :mod:`riverboat.client` that fill tables and play.

``riverboat bots`` (``cli.py``) runs a :class:`~riverboat.bots.fleet.BotFleet`; each
:class:`~riverboat.bots.player.Bot` plays one seat with a strategy from
:mod:`riverboat.bots.strategy` (random, calling station) or :mod:`riverboat.bots.equity`.
"""
