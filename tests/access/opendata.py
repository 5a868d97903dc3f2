"""Who may use open data (issue 13): the public page per office and year, the JSON/CSV API and its schema
(everyone, signed in or not, for any office), and the export to Udir (the office's Statsforvalter only: 403
for everyone else signed in, since the round itself is public)."""

from __future__ import annotations

from .assess import SECRETARIAT, only, round_kw
from .rules import EVERYONE, OWN_ONLY, Rule, same_for_both

API = "reporting:opendata_api:"
PUBLIC = same_for_both(EVERYONE)

OPENDATA_RULES: dict[str, Rule] = {
    "reporting:opendata": Rule("get", PUBLIC, sides=OWN_ONLY),
    "reporting:opendata_round": Rule("get", PUBLIC, kwargs=round_kw),
    API + "api-root": Rule("get", PUBLIC, sides=OWN_ONLY),
    API + "openapi-json": Rule("get", PUBLIC, sides=OWN_ONLY),
    API + "opendata_api_offices": Rule("get", PUBLIC, sides=OWN_ONLY),
    API + "opendata_api_rounds": Rule("get", PUBLIC, sides=OWN_ONLY),
    API + "opendata_api_round": Rule("get", PUBLIC, kwargs=round_kw),
    API + "opendata_api_grants": Rule("get", PUBLIC, kwargs=round_kw),
    API + "opendata_api_frames": Rule("get", PUBLIC, kwargs=round_kw),
    API + "opendata_api_grants_csv": Rule("get", PUBLIC, kwargs=round_kw),
    API + "opendata_api_frames_csv": Rule("get", PUBLIC, kwargs=round_kw),
    "reporting:udir_export": Rule("get", only(SECRETARIAT, 200), kwargs=round_kw),
}
