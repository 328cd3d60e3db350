"""Production mode (PRODUCTION=1): HTTPS only, secure cookies, and Django's deploy check clean."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet
from django.urls import reverse

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]

PRINT_SECURITY_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    name: getattr(settings, name)
    for name in [
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
    ]
}))
"""


def environment(tmp_path, **overrides: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "ENCRYPTION_KEYS", "DEBUG", "REQUIRE_PRODUCTION_SECRETS"}
        and not name.startswith("SECURE_")
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "amazon_orders.settings",
        "VAR_DIR": str(tmp_path / "var"),
        "ALLOWED_HOSTS": "orders.example.com",
        **overrides,
    }


def production(tmp_path, **overrides: str) -> dict[str, str]:
    secrets_of_its_own = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }
    return environment(tmp_path, PRODUCTION="1", **{**secrets_of_its_own, **overrides})


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args],
        cwd=REPOSITORY_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def security_settings(env: dict[str, str]) -> dict:
    finished = run(["-c", f"import django; django.setup(){PRINT_SECURITY_SETTINGS}"], env)
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout)


def test_the_deploy_check_is_clean_in_production(tmp_path):
    # when Django's deployment checklist runs on the production settings
    finished = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production(tmp_path)
    )

    # then it finds nothing to warn about
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "System check identified no issues" in finished.stdout


def test_the_deploy_check_warns_without_the_production_switch(tmp_path):
    # when the checklist runs on the embedded default
    finished = run(["manage.py", "check", "--deploy"], environment(tmp_path))

    # then it names what production mode turns on
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in finished.stderr + finished.stdout


def test_production_asks_for_https_everywhere(tmp_path):
    # when the production settings are loaded
    settings = security_settings(production(tmp_path))

    # then HTTP is redirected, HSTS is sent for a year and cookies travel only over HTTPS
    assert settings == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_the_proxys_https_header_is_trusted_only_when_named(tmp_path):
    # when the settings are loaded behind a proxy that sets X-Forwarded-Proto
    settings = security_settings(
        production(tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    )

    # then a request it marks https is one
    assert settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.parametrize(
    ("overrides", "refusal"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY and ENCRYPTION_KEYS must be set"),
        ({"ENCRYPTION_KEYS": ""}, "SECRET_KEY and ENCRYPTION_KEYS must be set"),
        ({"DEBUG": "1"}, "DEBUG must be off in production"),
    ],
    ids=["no-secret-key", "no-encryption-keys", "debug"],
)
def test_production_refuses_to_start_unsafely(tmp_path, overrides, refusal):
    # when production settings lack a secret or have DEBUG on
    finished = run(["-c", "import amazon_orders.settings"], production(tmp_path, **overrides))

    # then nothing starts, and no secret was made up in var/
    assert finished.returncode != 0
    assert refusal in finished.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize(
    "url",
    ["settings_app:store-list", "api-store-list", "admin:index", "api-docs", "login"],
)
def test_every_answer_carries_a_content_security_policy_without_inline_code(
    admin_client, db, url
):
    # when a page, the API, the admin, the API docs or the login page is opened
    response = admin_client.get(reverse(url))

    # then the browser is told to run only the site's own files
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_compose_publishes_only_the_tls_proxy():
    # given the compose file
    compose = yaml.safe_load((REPOSITORY_ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    # then only the proxy publishes ports: HTTPS, and HTTP that redirects to it
    published = {name: service.get("ports", []) for name, service in services.items()}
    assert published == {name: [] for name in services} | {"proxy": ["443:443", "80:80"]}
    app = services["web"]["environment"]
    assert app["PRODUCTION"] == "1"
    assert app["SECURE_PROXY_SSL_HEADER"] == "X-Forwarded-Proto"
    assert app["TRUSTED_PROXY_COUNT"] == "1"
    caddyfile = (REPOSITORY_ROOT / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile
