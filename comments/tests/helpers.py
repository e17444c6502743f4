"""Helpers shared by the comments tests."""


def comment_form_data(article, **changes):
    """What a reader's browser sends from the "Leave a Reply" form of ``article``, with ``changes`` applied."""
    data = {
        "comment": "A fair point.",
        "author": "Ann Lee",
        "email": "ann@readers.example",
        "url": "",
        "comment_parent": "0",
    }
    data.update(changes)
    return data
