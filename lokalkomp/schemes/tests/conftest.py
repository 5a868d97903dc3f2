"""The cast, as the schemes tests call it (make_cast has set up two-factor for the Statsforvalter and forum)."""

import pytest


@pytest.fixture
def people(cast):
    return cast
