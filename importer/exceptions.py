"""What the import's actions refuse, with a message for the person who asked."""


class ActionRefused(Exception):
    """The action does not apply to this order now (e.g. retrying an order already created)."""


class RecoveryFailed(Exception):
    """An order could not be recovered from Amazon (unknown id, Amazon unreachable)."""
