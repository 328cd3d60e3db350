import pytest
from django.db import IntegrityError, connection, transaction

from commerce.models import Customer
from commerce.services import customer_get_or_create
from tests.commerce.factories import CustomerFactory
from tests.concurrency import run_in_threads
from tests.factories import WebsiteFactory, default_website

RACERS = 10


def test_a_new_email_creates_a_customer(db):
    # given a website without customers
    website = default_website()

    # when a buyer is looked up
    customer, created = customer_get_or_create(
        website=website, email=" buyer@example.com ", firstname="Jane", lastname="Doe"
    )

    # then the account is created with the trimmed email
    assert created is True
    assert (customer.email, customer.firstname, customer.lastname) == (
        "buyer@example.com",
        "Jane",
        "Doe",
    )


def test_the_same_email_in_another_letter_case_finds_the_same_customer(db):
    # given an existing customer
    existing = CustomerFactory(email="Buyer@Example.com")

    # when the email comes back in lower case
    customer, created = customer_get_or_create(
        website=existing.website, email="buyer@example.COM", firstname="Other"
    )

    # then it is the same account, unchanged
    assert (customer.pk, created) == (existing.pk, False)
    assert Customer.objects.count() == 1


def test_the_same_email_on_another_website_is_another_customer(db):
    # given a customer on the default website
    existing = CustomerFactory(email="buyer@example.com")
    other_website = WebsiteFactory()

    # when the email is used on another website
    customer, created = customer_get_or_create(website=other_website, email="buyer@example.com")

    # then a second account exists, one per website
    assert created is True
    assert customer.pk != existing.pk
    assert Customer.objects.filter(email__iexact="buyer@example.com").count() == 2


def test_the_database_refuses_a_case_variant_duplicate(db):
    # given a customer
    existing = CustomerFactory(email="buyer@example.com")

    # when a case variant is inserted past the service
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(website=existing.website, email="BUYER@example.com")

    # then there is still one account
    assert Customer.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_lookups_of_one_email_create_one_customer():
    # given ten transactions racing for one buyer, in different letter cases, on a website
    # of the test's own (an earlier transactional test may have emptied the installed one)
    assert connection.vendor == "postgresql", "the race needs row locks: run on PostgreSQL"
    website = WebsiteFactory()

    def look_up(index: int, all_open) -> int:
        email = "Racer@Example.com" if index % 2 else "racer@example.com"
        with transaction.atomic():
            Customer.objects.exists()
            all_open.wait()
            customer, _ = customer_get_or_create(website=website, email=email)
        return customer.pk

    # when they all run at once
    outcomes = run_in_threads(RACERS, look_up)
    failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    customer_ids = [outcome for outcome in outcomes if isinstance(outcome, int)]

    # then all of them got the one account that exists
    assert failures == []
    assert len(customer_ids) == RACERS
    assert len(set(customer_ids)) == 1
    assert Customer.objects.filter(website=website).count() == 1
