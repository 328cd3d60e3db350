"""What the Commerce services refuse, as exceptions callers can catch by name."""


class CommerceError(Exception):
    """Base of every rule the Commerce services enforce."""


class StatusNotAssignedToState(CommerceError):
    """An order may only carry a status that is assigned to its state."""


class IllegalStateTransition(CommerceError):
    """The order's state may not move to the requested one (see ``STATE_TRANSITIONS``)."""


class DefaultStatusRequired(CommerceError):
    """Every state keeps exactly one default status; it can be moved, never removed."""


class CustomerWebsiteMismatch(CommerceError):
    """A customer account belongs to one website; its orders must be placed there."""
