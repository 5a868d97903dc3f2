"""The cast, with the Statsforvalter and forum people past the two-factor setup."""

import pytest

from .helpers import with_totp


@pytest.fixture
def people(cast):
    with_totp(cast.governor, cast.forum_member, cast.other_office_governor)
    return cast
