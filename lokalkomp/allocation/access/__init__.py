"""Objects for a user, or 404 (a stranger) / 403 (may see, may not change)."""

from .assessment import *  # noqa: F403
from .compilation import *  # noqa: F403
from .overview import *  # noqa: F403
