import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from importer.models import PollOutcome, PollRun
from importer.services.polling import PollRefused, amazon_store_poll


class Command(BaseCommand):
    help = (
        "Poll Amazon for one store's orders updated since its cursor and store them in the "
        "mirror. With --once, one poll; otherwise poll every SP_API_POLL_INTERVAL_SECONDS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--store", type=int, required=True, help="Amazon store id")
        parser.add_argument("--once", action="store_true", help="poll once and exit")

    def handle(self, *args, store: int, once: bool, **options):
        while True:
            run = self._poll(store)
            if once:
                if run.outcome == PollOutcome.FAILED:
                    raise CommandError(f"Poll of store {store} failed: {run.message}")
                return
            if run.outcome == PollOutcome.FAILED:
                self.stderr.write(f"Poll of store {store} failed: {run.message}")
            time.sleep(settings.SP_API_POLL_INTERVAL_SECONDS)

    def _poll(self, store_id: int) -> PollRun:
        try:
            run = amazon_store_poll(store_id=store_id)
        except PollRefused as refused:
            raise CommandError(str(refused)) from None
        if run.outcome != PollOutcome.FAILED:
            self.stdout.write(summary(run))
            for error in run.errors:
                self.stdout.write(f"  order {error['order_id'] or '(no id)'}: {error['reason']}")
        return run


def summary(run: PollRun) -> str:
    line = (
        f"Store {run.store_id}: {run.get_outcome_display().lower()}; {run.pages} pages, "
        f"{run.orders_seen} orders: {run.orders_created} new, {run.orders_changed} changed, "
        f"{run.orders_unchanged} unchanged; {run.error_count} errors"
    )
    return f"{line}. {run.message}" if run.message else line
