"""``manage.py backfill_amazon_orders --store ID --since DATE [--until DATE]``."""

from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from importer.models import BackfillStatus
from importer.services.backfill import (
    BackfillRefused,
    backfill_run,
    backfill_start,
    backfill_window_checked,
)
from settings_app.models import AmazonStore


def moment(text: str) -> datetime:
    """A date (2026-11-01) or an ISO 8601 time; UTC unless it says otherwise."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"{text!r} is not a date: use 2026-11-01 or 2026-11-01T08:00:00Z."
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = (
        "Read every order Amazon updated between --since and --until (default: two minutes "
        "ago) into the mirror, page by page at Amazon's rate limits, with a progress bar; "
        "the workers decide each order as after a poll. Stopped, it resumes where it was "
        "when run again with the same window."
    )

    def add_arguments(self, parser):
        parser.add_argument("--store", type=int, required=True, help="Amazon store id")
        parser.add_argument("--since", required=True, help="start, e.g. 2026-11-01 (UTC)")
        parser.add_argument("--until", help="end (default: two minutes ago)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, store, since, until, no_progress, **options):
        found = AmazonStore.objects.filter(pk=store).first()
        if found is None:
            raise CommandError(f"Amazon store {store} does not exist.")
        try:
            window = backfill_window_checked(
                store=found,
                since=moment(since),
                until=moment(until) if until else None,
                now=timezone.now(),
            )
        except BackfillRefused as refused:
            raise CommandError(str(refused)) from None
        backfill = backfill_start(store=found, since=window[0], until=window[1])
        resumed = " (resumed)" if backfill.pages else ""
        self.stdout.write(
            f"Backfill {backfill.pk} of {found.name}{resumed}: orders updated "
            f"{window[0]:%Y-%m-%d %H:%M} to {window[1]:%Y-%m-%d %H:%M} UTC"
        )
        bar = tqdm(
            total=1000,
            disable=no_progress,
            unit="‰",
            bar_format="{l_bar}{bar}| {postfix}",
            file=self.stderr,
        )

        def shown(progress) -> None:
            bar.n = int(progress.progress * 1000)
            bar.set_postfix_str(f"{progress.pages} pages, {progress.orders_seen} orders")

        shown(backfill)
        try:
            backfill = backfill_run(backfill=backfill, on_page=shown)
        except KeyboardInterrupt:
            bar.close()
            raise CommandError("Stopped; run the same command again to resume.") from None
        shown(backfill)
        bar.close()
        line = (
            f"Backfill {backfill.pk}: {backfill.get_status_display().lower()}; "
            f"{backfill.pages} pages, {backfill.orders_seen} orders ({backfill.orders_new} new), "
            f"{backfill.error_count} unreadable."
        )
        if backfill.status != BackfillStatus.COMPLETED:
            raise CommandError(f"{line} {backfill.message}")
        self.stdout.write(line + " The workers decide the new and changed orders.")
