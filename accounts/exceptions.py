class ApiTokenLimitReached(Exception):
    """The user already holds as many live API tokens as one person may."""
