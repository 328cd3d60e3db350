import json

from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS


def test_the_schema_documents_the_store_endpoints(manager_api):
    # given a logged-in API user

    # when the OpenAPI schema is fetched
    response = manager_api.get(reverse("schema"), {"format": "json"})

    # then it lists the store endpoints with their methods, and the PATCH body is partial
    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    assert set(paths["/api/stores/"]) == {"get"}
    assert set(paths["/api/stores/{store_id}/"]) == {"get"}
    assert set(paths["/api/stores/{store_id}/order-settings/"]) == {"get", "put", "patch"}
    write = paths["/api/stores/{store_id}/order-settings/"]["put"]["responses"]
    assert {"200", "400", "403", "404"} <= set(write)
    components = schema["components"]["schemas"]
    assert "required" not in components["PatchedOrderSettings"]
    assert components["Store"]["properties"]["refresh_token"]["readOnly"] is True


def test_the_store_endpoints_generate_no_schema_warning(tmp_path, capsys):
    # given no warning recorded yet
    GENERATOR_STATS.reset()

    # when the schema is generated and validated
    call_command("spectacular", "--validate", "--file", str(tmp_path / "schema.yaml"))

    # then nothing was reported about the store endpoints
    reported = capsys.readouterr().err
    assert "settings_app" not in reported
    assert "Store" not in reported
    assert "/api/stores/" in (tmp_path / "schema.yaml").read_text()


def test_the_interactive_docs_render(manager_client):
    # given a logged-in user

    # when the API docs page is opened, with the start-up script it loads
    page = manager_client.get(reverse("api-docs"))
    script = manager_client.get(reverse("api-docs"), {"script": ""})

    # then the page loads the script as a file (no inline script), which points at the schema
    assert (page.status_code, script.status_code) == (200, 200)
    assert f'src="{reverse("api-docs")}?script="' in page.content.decode()
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("schema") in script.content.decode()
