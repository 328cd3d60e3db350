"""The import listens to the inventory: released stock may let blocked orders through."""

from django.dispatch import receiver

from importer.dispatch import decide_for_skus_on_commit
from inventory.signals import stock_released


@receiver(stock_released, dispatch_uid="importer-decide-when-stock-released")
def orders_waiting_for_stock_decide(sender, *, skus, stock_id, **kwargs) -> None:
    # The signal is sent after the inventory's commit; this hands the work to a worker.
    decide_for_skus_on_commit(skus=skus, stock_id=stock_id)
