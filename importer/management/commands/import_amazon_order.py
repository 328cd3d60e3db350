"""``manage.py import_amazon_order STORE_ID AMAZON_ORDER_ID``: recover one order by id."""

from django.core.management.base import BaseCommand, CommandError

from importer.exceptions import RecoveryFailed
from importer.services.recovery import amazon_order_recover
from settings_app.models import AmazonStore


class Command(BaseCommand):
    help = (
        "Fetch one Amazon order by id (getOrder), store it in the mirror and decide it now: "
        "recovers an order the poller never saw. Prints the decision in one line."
    )

    def add_arguments(self, parser):
        parser.add_argument("store_id", help="the Amazon store's id (see /stores/)")
        parser.add_argument("amazon_order_id", help="e.g. 113-1234567-1234567")

    def handle(self, *args, store_id: str, amazon_order_id: str, **options):
        if not store_id.isascii() or not store_id.isdigit():
            raise CommandError(f"The store id must be a number, not {store_id!r}.")
        store = AmazonStore.objects.filter(pk=int(store_id)).first()
        if store is None:
            raise CommandError(f"Amazon store {store_id} does not exist.")
        try:
            row = amazon_order_recover(store=store, amazon_order_id=amazon_order_id)
        except RecoveryFailed as failed:
            raise CommandError(str(failed)) from None
        self.stdout.write(decision_line(row))


def decision_line(row) -> str:
    number = f" (Commerce order {row.commerce_order.increment_id})" if row.commerce_order else ""
    return (
        f"Amazon order {row.amazon_order_id}: {row.get_decision_display().lower()}{number}. "
        f"{row.decision_reason}"
    ).strip()
