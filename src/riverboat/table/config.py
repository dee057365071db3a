"""Table configuration: variant, seats, forced bets, betting structure, buy-ins, clock."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from riverboat.table.errors import ConfigError


class Variant(Enum):
    """The games the runtime can deal; values are the PHH variant codes pokerkit uses."""

    NLHE = "NT"  # no-limit Texas hold'em
    FLHE = "FT"  # fixed-limit Texas hold'em
    PLO = "PO"  # pot-limit Omaha
    FLO8 = "FO/8"  # fixed-limit Omaha hi/lo eight or better
    NLSD = "NS"  # no-limit short-deck hold'em
    STUD = "F7S"  # fixed-limit seven card stud
    STUD8 = "F7S/8"  # fixed-limit seven card stud hi/lo eight or better
    RAZZ = "FR"  # fixed-limit razz
    NL27SD = "N2L1D"  # no-limit deuce-to-seven single draw
    FL27TD = "F2L3D"  # fixed-limit deuce-to-seven triple draw
    BADUGI = "FB"  # fixed-limit badugi

    @classmethod
    def from_name(cls, name: str) -> Variant:
        """Look a variant up by its name (``NLHE``) or its PHH code (``NT``)."""
        key = name.strip().upper()
        for variant in cls:
            if key in (variant.name, variant.value):
                return variant
        known = ", ".join(v.name for v in cls)
        raise ConfigError(f"unknown variant {name!r}; known: {known}")

    @property
    def fixed_limit(self) -> bool:
        return self.value.startswith("F")

    @property
    def uses_bring_in(self) -> bool:
        return self in (Variant.STUD, Variant.STUD8, Variant.RAZZ)

    @property
    def is_draw(self) -> bool:
        return self in (Variant.NL27SD, Variant.FL27TD, Variant.BADUGI)


class Mode(Enum):
    CASH = "cash"
    TOURNAMENT = "tournament"


@dataclass(frozen=True, slots=True)
class TableConfig:
    """Everything that defines a table. Amounts are whole chips.

    ``blinds`` and ``antes`` follow pokerkit's positional convention: position 0 is the first
    player after the button (the small blind), position 1 the next (the big blind) and so on; an
    ``int`` ante is posted by every player. ``min_bet`` is the no-limit / pot-limit minimum bet
    (default: the largest blind); ``small_bet`` / ``big_bet`` are the fixed-limit bet sizes.
    """

    variant: Variant = Variant.NLHE
    seats: int = 6
    blinds: tuple[int, ...] = (1, 2)
    antes: int | tuple[int, ...] = 0
    bring_in: int = 0
    min_bet: int = 0
    small_bet: int = 0
    big_bet: int = 0
    min_buy_in: int = 0
    max_buy_in: int = 0
    default_buy_in: int = 0
    mode: Mode = Mode.CASH
    action_time: float = 20.0
    time_bank: float = 30.0
    max_timeouts: int = 2
    name: str = ""

    def __post_init__(self) -> None:
        if not 2 <= self.seats <= 10:
            raise ConfigError(f"seats must be between 2 and 10, not {self.seats}")
        if any(b < 0 for b in self.blinds) or self.bring_in < 0:
            raise ConfigError("forced bets cannot be negative")
        if self.variant.uses_bring_in:
            if self.bring_in <= 0 or any(self.blinds):
                raise ConfigError(f"{self.variant.name} needs a bring-in and no blinds")
        elif not any(self.blinds) and not self.ante_values():
            raise ConfigError(f"{self.variant.name} needs blinds or antes")
        if self.variant.fixed_limit and not (0 < self.small_bet <= self.big_bet):
            raise ConfigError(
                f"{self.variant.name} needs 0 < small_bet <= big_bet, "
                f"not {self.small_bet} and {self.big_bet}"
            )
        if self.max_buy_in and self.min_buy_in > self.max_buy_in:
            raise ConfigError(
                f"min buy-in {self.min_buy_in} is above max buy-in {self.max_buy_in}"
            )
        if self.action_time <= 0 or self.time_bank < 0 or self.max_timeouts < 1:
            raise ConfigError("action time must be positive and time bank not negative")

    def ante_values(self) -> tuple[int, ...]:
        return (self.antes,) if isinstance(self.antes, int) else self.antes

    @property
    def big_blind(self) -> int:
        """The unit of the game: the largest blind, else the small bet, the bring-in, the ante."""
        return (
            max(self.blinds, default=0) or self.small_bet or self.bring_in
            or max(self.ante_values(), default=0)
        )

    @property
    def effective_min_bet(self) -> int:
        return self.min_bet or self.big_blind

    @property
    def buy_in_range(self) -> tuple[int, int]:
        """Allowed buy-in (min, max); defaults to 20 to 100 big blinds (a common cash game)."""
        low = self.min_buy_in or 20 * self.big_blind
        high = self.max_buy_in or 100 * self.big_blind
        return low, max(low, high)

    @property
    def buy_in(self) -> int:
        """The default buy-in a bare ``sit`` brings."""
        low, high = self.buy_in_range
        return min(max(self.default_buy_in or high, low), high)

    @property
    def stakes(self) -> str:
        """Human-readable stakes, as a lobby shows them: ``1/2``, ``10/20 fixed``, ``ante 5``."""
        if self.variant.fixed_limit:
            return f"{self.small_bet}/{self.big_bet}"
        if any(self.blinds):
            return "/".join(str(b) for b in self.blinds if b)
        return f"ante {max(self.ante_values())}"
