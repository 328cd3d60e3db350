import os
import socket
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from importer.models import PollOutcome, PollRun
from settings_app.models import AmazonStore

pytestmark = pytest.mark.integration

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_poll_prints_its_summary(simulated_store, sp_api):
    # given
    sp_api.generate(simulated_store.seller_id, count=6, seed=8)
    out = StringIO()

    # when
    call_command("poll_amazon", "--store", str(simulated_store.pk), "--once", stdout=out)

    # then
    assert out.getvalue().splitlines()[0] == (
        f"Store {simulated_store.pk}: completed; 1 pages, 6 orders: 6 new, 0 changed, "
        "0 unchanged; 0 errors"
    )


def test_orders_that_could_not_be_read_are_listed_under_the_summary(simulated_store, sp_api):
    # given
    an_hour_ago = (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    broken = sp_api.create_order(
        simulated_store.seller_id,
        order={"createdTime": an_hour_ago, "lastUpdatedTime": an_hour_ago},
        malformed="bad_enum",
    )
    out = StringIO()

    # when
    call_command("poll_amazon", "--store", str(simulated_store.pk), "--once", stdout=out)

    # then
    lines = out.getvalue().splitlines()
    assert "1 errors" in lines[0]
    assert lines[1].startswith(f"  order {broken['orderId']}: ")


def test_orders_with_multi_megabyte_titles_print_short_lines(simulated_store, sp_api):
    # given three orders whose 3 MB titles no database can store
    an_hour_ago = (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for _ in range(3):
        sp_api.create_order(
            simulated_store.seller_id,
            order={
                "createdTime": an_hour_ago,
                "lastUpdatedTime": an_hour_ago,
                "orderItems": [{"product": {"title": "Kettle " * 450_000 + "\x00"}}],
            },
        )
    out = StringIO()

    # when
    call_command("poll_amazon", "--store", str(simulated_store.pk), "--once", stdout=out)

    # then every order has its line, a readable one
    lines = out.getvalue().splitlines()
    assert "3 errors" in lines[0]
    assert len(lines) == 4
    assert all(len(line) < 700 and "more characters cut)" in line for line in lines[1:])


def test_an_unknown_store_exits_non_zero_with_one_readable_line(transactional_db):
    # given
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}",
    }

    # when
    finished = subprocess.run(
        [sys.executable, "manage.py", "poll_amazon", "--store", "987654", "--once"],
        cwd=REPOSITORY_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    # then
    assert finished.returncode != 0
    assert finished.stderr.strip().splitlines() == [
        "CommandError: Amazon store 987654 does not exist."
    ]


def test_an_inactive_store_is_refused(store):
    # given
    AmazonStore.objects.filter(pk=store.pk).update(is_active=False)

    # when
    with pytest.raises(CommandError) as refused:
        call_command("poll_amazon", "--store", str(store.pk), "--once")

    # then
    assert str(refused.value) == f"Amazon store {store.pk} ({store.name}) is inactive."
    assert not PollRun.objects.filter(store=store).exists()


def test_an_unreachable_endpoint_fails_with_a_clear_error_and_a_failed_run(store, settings):
    # given
    unreachable = f"http://127.0.0.1:{closed_port()}"
    settings.SP_API_ENDPOINT = unreachable
    settings.LWA_TOKEN_URL = f"{unreachable}/auth/o2/token"
    settings.SP_API_RETRY_ATTEMPTS = 2
    settings.SP_API_RETRY_BASE_SECONDS = 0.01

    # when
    with pytest.raises(CommandError) as failed:
        call_command("poll_amazon", "--store", str(store.pk), "--once")

    # then
    assert "endpoint unreachable" in str(failed.value)
    assert f"at {unreachable}/auth/o2/token" in str(failed.value)
    assert "\n" not in str(failed.value)
    assert store.refresh_token not in str(failed.value)
    run = PollRun.objects.get(store=store)
    assert run.outcome == PollOutcome.FAILED
    assert "endpoint unreachable" in run.message


def test_refused_credentials_fail_with_amazons_reason_and_no_secret(simulated_store, sp_api):
    # given: the merchant pasted a client secret Login with Amazon does not know
    simulated_store.lwa_client_secret = "pasted-the-wrong-secret"
    simulated_store.save(update_fields=["lwa_client_secret"])

    # when
    with pytest.raises(CommandError) as failed:
        call_command("poll_amazon", "--store", str(simulated_store.pk), "--once")

    # then
    run = PollRun.objects.get(store=simulated_store)
    assert run.outcome == PollOutcome.FAILED
    for text in (str(failed.value), run.message):
        assert "Login with Amazon: HTTP 401 invalid_client" in text
        assert "pasted-the-wrong-secret" not in text
        assert simulated_store.refresh_token not in text
    assert sp_api.stats()["calls"]["searchOrders"] == 0
