import pytest

from pagecache.pages import recent_pages


@pytest.fixture
def page_cache(settings):
    """The page cache and the fragment cache on, in this process's memory, with views counted in the cache."""
    settings.PAGE_CACHE_SECONDS = 300
    settings.FRAGMENT_CACHE_SECONDS = 60
    settings.VIEW_COUNTS_IN_CACHE = True
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0  # readers here post as soon as they have read the page
    recent_pages.clear()
    return settings
