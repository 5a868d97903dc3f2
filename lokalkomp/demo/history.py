"""Indre Helgeland's 2021–2023 history (seed 004's slide: 3 559 240 + 2 444 482 + 6 022 232 = 12 025 954).

Loaded through the history import, as a Statsforvalter would load it (data/indre_helgeland_history.csv).
The seed gives 2021 and 2022 only as totals, so they are rows «without a list of measures». For 2023 the
demo decides the measures of seed 004's table in the app (4 157 752, late.py); the file holds only the
rest of the slide's total, 1 864 480, as a row that says so. Nothing in the file is invented beyond the
seed's figures. Loading the demo twice imports the file once.
"""

from __future__ import annotations

from pathlib import Path

from lokalkomp.directory.models import Network
from lokalkomp.reporting.models import HistoryImport
from lokalkomp.reporting.statistics import history_import

FILE = Path(__file__).resolve().parent / "data" / "indre_helgeland_history.csv"


def build() -> HistoryImport:
    network = Network.objects.get(office__slug="nordland", slug="indre-helgeland")
    done = HistoryImport.objects.filter(network=network, file_name=FILE.name).first()
    if done is not None:
        return done
    with FILE.open("rb") as upload:
        cells = history_import.read_cells(upload, FILE.name)
    return history_import.save(cells=cells, network=network, file_name=FILE.name, by=None)
