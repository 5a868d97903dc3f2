"""The permission predicates of compilation and assessment (the `rules` library), with Q twins for lists.

`compilation.py` holds the network's and the Statsforvalter's rules about compilations;
`assessment.py` the forum's rules about assessments and conflicts of interest (habilitet);
`overview.py` who sees the round's assessment overview and overlap finder.
"""

from .assessment import *  # noqa: F403
from .compilation import *  # noqa: F403
from .decision import *  # noqa: F403
from .overview import *  # noqa: F403
from .payment import *  # noqa: F403
from .recommendation import *  # noqa: F403
