"""Bans: an email address or a network whose comments are refused, until the ban expires."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import moderation
from comments.models import Comment, CommentBan
from comments.tests.helpers import comment_form_data

pytestmark = pytest.mark.django_db

NEUTRAL = "Your comment could not be posted."


def banned(email="ann@readers.example", ip_address="198.51.100.7"):
    return CommentBan.objects.matching(email, ip_address).exists()


@pytest.fixture(autouse=True)
def no_waiting(settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0


def test_a_banned_email_is_refused_with_a_neutral_403_keeping_the_text(client, article):
    CommentBan.objects.create(email="Ann@Readers.example", note="Abuse.")
    data = comment_form_data(article, comment="Typed with care.", email="ANN@readers.example")

    response = client.post(reverse("comments:post", args=[article.pk]), data)

    assert response.status_code == 403
    page = response.content.decode()
    assert NEUTRAL in page
    assert "banned" not in page.lower()
    assert "Typed with care." in page
    assert not Comment.objects.exists()


def test_a_banned_address_is_refused_whatever_the_email(client, article):
    CommentBan.objects.create(network="203.0.113.9")
    url = reverse("comments:post", args=[article.pk])

    refused = client.post(url, comment_form_data(article, email="new@readers.example"), REMOTE_ADDR="203.0.113.9")
    accepted = client.post(url, comment_form_data(article, email="new@readers.example"), REMOTE_ADDR="203.0.113.10")

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert Comment.objects.count() == 1


def test_an_ipv4_network_holds_its_addresses_only():
    CommentBan.objects.create(network="198.51.100.0/24")

    assert banned(ip_address="198.51.100.0")
    assert banned(ip_address="198.51.100.255")
    assert banned(email="", ip_address="::ffff:198.51.100.7")
    assert not banned(ip_address="198.51.101.0")
    assert not banned(ip_address="198.51.99.255")


def test_an_ipv6_slash_64_holds_every_address_of_the_subscriber():
    CommentBan.objects.create(network="2001:db8:1:2::/64")

    assert banned(ip_address="2001:db8:1:2::1")
    assert banned(ip_address="2001:db8:1:2:ffff:ffff:ffff:ffff")
    assert not banned(ip_address="2001:db8:1:3::1")
    assert not banned(ip_address="198.51.100.7")


def test_an_email_ban_holds_that_address_only():
    CommentBan.objects.create(email="ann@readers.example")

    assert banned(email="ANN@readers.example", ip_address=None)
    assert not banned(email="anne@readers.example", ip_address=None)
    assert not banned(email="", ip_address=None)


def test_an_expired_ban_no_longer_applies():
    now = timezone.now()
    CommentBan.objects.create(email="ann@readers.example", expires_at=now - timedelta(minutes=1))
    CommentBan.objects.create(network="198.51.100.7", expires_at=now + timedelta(days=1))

    assert not banned(ip_address=None)
    assert banned(email="", ip_address="198.51.100.7")


def test_checking_a_post_against_the_bans_is_one_query(article):
    for number in range(20):
        CommentBan.objects.create(email=f"banned{number}@readers.example")
        CommentBan.objects.create(network=f"10.{number}.0.0/16")
    comment = Comment(article=article, author="Ann", email="ann@readers.example", ip_address="2001:db8::1", body="Hi")

    with CaptureQueriesContext(connection) as queries:
        moderation.refuse_banned(comment)

    assert len(queries) == 1


def test_a_network_is_stored_as_its_network():
    ban = CommentBan(network=" 203.0.113.77/24 ")
    ban.full_clean()
    ban.save()

    assert ban.network == "203.0.113.0/24"
    assert (ban.range_start, ban.range_end) == ("00000000000000000000ffffcb007100", "00000000000000000000ffffcb0071ff")


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({}, "not both"),
        ({"email": "ann@readers.example", "network": "203.0.113.1"}, "not both"),
        ({"network": "203.0.113.300"}, "Enter an IP address or a network"),
        ({"network": "2001:db8::/129"}, "Enter an IP address or a network"),
    ],
)
def test_a_ban_names_an_email_or_a_network_and_nothing_else(fields, error):
    with pytest.raises(ValidationError, match=error):
        CommentBan(**fields).full_clean()


def test_editors_add_a_ban_in_the_admin_signed_with_their_name(editor_client, editor):
    response = editor_client.post(
        reverse("admin:comments_commentban_add"),
        {"email": "", "network": "2001:db8:5::/48", "expires_at_0": "", "expires_at_1": "", "note": "Flooding."},
    )

    assert response.status_code == 302
    ban = CommentBan.objects.get()
    assert (ban.network, ban.created_by, ban.note) == ("2001:db8:5::/48", editor, "Flooding.")
    assert banned(email="", ip_address="2001:db8:5:ffff::1")


def test_the_ban_list_says_which_bans_apply_now(editor_client):
    CommentBan.objects.create(email="old@readers.example", expires_at=timezone.now() - timedelta(days=1))
    CommentBan.objects.create(email="current@readers.example")

    listing = editor_client.get(reverse("admin:comments_commentban_changelist")).content.decode()

    assert listing.count('alt="True"') == 1
    assert listing.count('alt="False"') == 1


def test_the_admin_form_says_once_what_a_ban_needs(editor_client):
    response = editor_client.post(
        reverse("admin:comments_commentban_add"),
        {"email": "ann@readers.example", "network": "203.0.113.1", "expires_at_0": "", "expires_at_1": "", "note": ""},
    )

    assert response.status_code == 200
    assert response.content.decode().count("Give an email address or an IP address or network, not both.") == 1
    assert not CommentBan.objects.exists()
