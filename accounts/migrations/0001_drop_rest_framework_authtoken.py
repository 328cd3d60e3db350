"""Drop the clear-text tokens of rest_framework.authtoken, replaced by hashed knox tokens.

Their holders make new tokens on the API tokens page. Nothing is kept: a stored token was
a password in clear, and the app that read it is gone.
"""

from django.db import migrations

OLD_TABLE = "authtoken_token"


def drop_clear_text_tokens(apps, schema_editor):
    if OLD_TABLE in schema_editor.connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(OLD_TABLE)}")
    apps.get_model("contenttypes", "ContentType").objects.filter(app_label="authtoken").delete()
    schema_editor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(drop_clear_text_tokens, migrations.RunPython.noop)]
