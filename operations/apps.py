from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """The pages and API ops people live in; it sits above the import and owns no tables."""

    name = "operations"
    verbose_name = "Operations"
