"""The benchmarks drop their databases: they must refuse any database not named for them."""

import pytest

from bench.harness import disposable_database_name


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres@127.0.0.1:5432/amazon_orders",
        "postgres://postgres@127.0.0.1:5432/test_amazon_orders",
        "postgres://postgres@127.0.0.1:5432/",
    ],
)
def test_the_benchmark_refuses_to_drop_a_working_or_test_database(url):
    # given a DATABASE_URL left pointing at a database the benchmark does not own
    # when the benchmark checks it
    # then it stops before touching anything
    with pytest.raises(SystemExit, match="Refusing to drop"):
        disposable_database_name(url)


def test_the_benchmark_accepts_its_own_database():
    # given the benchmark's default database
    url = "postgres://postgres@127.0.0.1:5432/amazon_orders_bench"

    # when it is checked
    name = disposable_database_name(url)

    # then it is the one to recreate
    assert name == "amazon_orders_bench"
