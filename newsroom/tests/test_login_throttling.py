"""Admin logins are throttled per account and per client (django-axes), with a clear message and ways to unlock."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "correct horse battery staple"  # noqa: S105 - a test user's


@pytest.fixture
def throttling(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    return settings


@pytest.fixture
def staff(django_user_model):
    for username in ("ed", "jo"):
        django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)


def log_in(client, username, password=PASSWORD, address="203.0.113.9"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, times, username="ed", address="203.0.113.9"):
    """Log in with a wrong password ``times`` times; the answers' statuses."""
    return [log_in(client, username, "guess", address).status_code for _ in range(times)]


def assert_locked_out(response):
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed logins" in html
    assert "After 3 failed logins, logins to this account and from this computer are paused." in html
    assert "Please try again in 15 minutes." in html
    assert "ask an administrator to unlock your account" in html


def test_a_client_guessing_passwords_is_locked_out_even_with_the_right_one(client, throttling, staff):
    assert fail(client, 2) == [200, 200]
    assert log_in(client, "ed").status_code == 302  # a success before the limit starts the count again
    assert fail(client, 3) == [200, 200, 429]

    assert_locked_out(log_in(client, "ed"))
    assert_locked_out(log_in(client, "jo"))  # the same client, another account
    assert log_in(client, "jo", address="198.51.100.1").status_code == 302  # another client, another account


def test_an_account_guessed_from_many_clients_is_locked_out(client, throttling, staff):
    statuses = [fail(client, 1, address=f"198.51.100.{number}")[0] for number in range(3)]

    assert statuses == [200, 200, 429]
    assert_locked_out(log_in(client, "ed", address="192.0.2.50"))


def test_the_lockout_ends_after_its_time(client, throttling, staff):
    fail(client, 3)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert log_in(client, "ed").status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert log_in(client, "ed").status_code == 302


@pytest.mark.parametrize(
    ("command", "argument"), [("axes_reset_username", "ed"), ("axes_reset_ip", "203.0.113.9"), ("axes_reset", None)]
)
def test_an_administrator_can_unlock(client, throttling, staff, command, argument):
    fail(client, 3)

    call_command(command, *([argument] if argument else []), stdout=None)

    assert log_in(client, "ed").status_code == 302


def test_the_client_is_the_address_the_trusted_proxy_saw(client, throttling, staff):
    throttling.TRUSTED_PROXY_COUNT = 1
    for number in range(3):
        client.post(
            LOGIN,
            {"username": f"nobody{number}", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.9",
        )

    response = client.post(
        LOGIN, {"username": "ed", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9"
    )

    assert response.status_code == 429
