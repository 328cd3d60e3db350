"""Races on a real PostgreSQL: every worker thread holds its own connection.

A worker opens its transaction and reads before it meets the others at the barrier, so
all of them are provably inside open transactions, having seen the same state, when the
race starts.
"""

import threading

from django.db import connection


def run_in_threads(count: int, work) -> list:
    """Start ``count`` threads that call ``work(index, barrier)``; their results, in order.

    A worker that raises leaves its exception as its result (and releases the others from
    the barrier), so the test inspects every outcome, failures included.
    """
    barrier = threading.Barrier(count, timeout=30)
    results: list = [None] * count

    def worker(index: int) -> None:
        try:
            results[index] = work(index, barrier)
        except BaseException as error:
            barrier.abort()
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
