"""Fault injection: a share of SP-API calls answered the ways a real service fails."""

import random
import threading
from dataclasses import dataclass, field

FAULT_KINDS = ("500", "503", "slow", "drop", "malformed_json")
FAULTABLE_OPERATIONS = ("searchOrders", "getOrder", "token")


@dataclass
class FaultSettings:
    rate: float = 0.0
    kinds: list[str] = field(default_factory=lambda: ["500", "503"])
    slow_seconds: float = 2.0
    operations: list[str] = field(default_factory=lambda: ["searchOrders", "getOrder"])

    @classmethod
    def from_json(cls, body: dict) -> "FaultSettings":
        settings = cls()
        unknown = sorted(set(body) - {"rate", "kinds", "slow_seconds", "operations"})
        if unknown:
            raise ValueError(f"Unknown fault options: {', '.join(unknown)}.")
        settings.rate = float(body.get("rate", 0.0))
        if not 0.0 <= settings.rate <= 1.0:
            raise ValueError("rate must be between 0 and 1.")
        settings.kinds = list(body.get("kinds", settings.kinds))
        bad_kinds = [kind for kind in settings.kinds if kind not in FAULT_KINDS]
        if bad_kinds or not settings.kinds:
            raise ValueError(f"kinds must be a non-empty list drawn from {', '.join(FAULT_KINDS)}.")
        settings.slow_seconds = float(body.get("slow_seconds", settings.slow_seconds))
        settings.operations = list(body.get("operations", settings.operations))
        bad_operations = [op for op in settings.operations if op not in FAULTABLE_OPERATIONS]
        if bad_operations:
            raise ValueError(f"operations must be drawn from {', '.join(FAULTABLE_OPERATIONS)}.")
        return settings

    def to_json(self) -> dict:
        return {
            "rate": self.rate,
            "kinds": self.kinds,
            "slow_seconds": self.slow_seconds,
            "operations": self.operations,
        }


class FaultInjector:
    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self.settings = FaultSettings()

    def configure(self, settings: FaultSettings) -> None:
        with self._lock:
            self.settings = settings

    def draw(self, operation: str) -> tuple[str | None, float]:
        """The fault to serve for this call, if any, and how long a slow answer waits."""
        with self._lock:
            settings = self.settings
            if operation not in settings.operations or settings.rate <= 0:
                return None, 0.0
            if self._rng.random() >= settings.rate:
                return None, 0.0
            return self._rng.choice(settings.kinds), settings.slow_seconds
