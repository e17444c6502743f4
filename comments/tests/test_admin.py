import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_editors_can_list_search_and_open_comments(admin_client, make_comment):
    comment = make_comment(author="Ann Lee", email="ann@readers.example")

    changelist = admin_client.get(
        reverse("admin:comments_comment_changelist"), {"q": "ann@readers", "status": "approved"}
    )
    change = admin_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))

    assert changelist.status_code == 200
    assert "Ann Lee" in changelist.content.decode()
    assert change.status_code == 200
    assert "ann@readers.example" in change.content.decode()
