"""Ready for the next Django: its deprecation warnings are errors, in the test suite and in the site itself."""

import secrets
import warnings

import pytest
from django.utils.deprecation import RemovedAfterNextVersionWarning, RemovedInNextVersionWarning

from newsroom.tests.helpers import run_python

WARNINGS_AS_ERRORS = ("-W", "error::DeprecationWarning", "-W", "error::PendingDeprecationWarning")


@pytest.mark.parametrize("warning", [RemovedInNextVersionWarning, RemovedAfterNextVersionWarning, DeprecationWarning])
def test_the_suite_turns_deprecation_warnings_into_errors(warning):
    with pytest.raises(warning):
        warnings.warn("this will be removed", warning, stacklevel=1)


@pytest.mark.slow
def test_the_site_loads_every_module_and_url_without_a_deprecation_warning():
    result = run_python(
        *WARNINGS_AS_ERRORS,
        "manage.py",
        "check",
        "--deploy",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example",
        HTTPS="on",
    )

    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr
