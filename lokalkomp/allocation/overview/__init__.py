"""The round's assessment overview: every submitted measure with the forum's assessments side by side.

Per measure: how many of the counted assessments scored each criterion met / partly / not met, the
overall recommendations («prioritise», «possible», «do not fund»), a score (met 2, partly 1, not
met 0 points, as a share of the most possible), the network's priority (its place in the latest
delivered version of the network's compilation) and the amount asked.

Which assessments count:

- a viewer counts only those `visible_assessments_q` lets them read (the forum's members and
  deputies: their own and the shared ones; the secretariat: all, drafts too);
- an assessment written by someone disqualified from the measure's partnership (`conflicts`)
  counts for no one; the secretariat sees those listed apart, «written by a disqualified member»;
- a viewer disqualified from a partnership sees its measures marked and nothing of their
  assessments: no scores, no votes, no link to the assessment form (the query for the numbers
  leaves those measures out, and the row is marked before anything is attached to it).

A fixed number of queries whatever the size of the round: the measures, the criteria (two), the
assessors' names, who is disqualified (four, for the viewer and every assessor at once), the
numbers (one UNION of grouped queries), and the delivered compilations. The filters and the sort
work on the rows in memory: a round has at most a few hundred measures.

The package: `rows.py` (what a row holds), `filters.py` (the address's filters, and the sort),
`queries.py` (the queries), `measure.py` (one measure's assessments side by side), `export.py` (Excel).
"""

from .filters import NO_NETWORK, Filters, OverviewFilter, Quantifier, Sort, criterion_key, criterion_label
from .queries import build, written_by_disqualified_q
from .rows import ByDisqualified, Overview, Row, Tally

__all__ = [
    "NO_NETWORK",
    "ByDisqualified",
    "Filters",
    "Overview",
    "OverviewFilter",
    "Quantifier",
    "Row",
    "Sort",
    "Tally",
    "build",
    "criterion_key",
    "criterion_label",
    "written_by_disqualified_q",
]
