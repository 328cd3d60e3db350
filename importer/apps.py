from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "importer"
    verbose_name = "Amazon order import"

    def ready(self):
        from importer import receivers  # noqa: F401 - connects the inventory listeners
