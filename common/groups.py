"""Back-office groups installed by migration, the way Magento's ACL ships its roles."""

from django.contrib.auth.management import create_permissions


def group_install(apps, *, name: str, permissions: list[str]) -> None:
    """Create the group (once) holding ``app_label.codename`` permissions.

    Permissions are normally created after all migrations ran; a migration that hands
    them to a group creates them first, for the apps it names.
    """
    for app_label in sorted({permission.split(".")[0] for permission in permissions}):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _ = group_model.objects.get_or_create(name=name)
    for permission in permissions:
        app_label, codename = permission.split(".")
        group.permissions.add(
            permission_model.objects.get(content_type__app_label=app_label, codename=codename)
        )


def group_remove(apps, *, name: str) -> None:
    apps.get_model("auth", "Group").objects.filter(name=name).delete()
