"""Deadline day: owner contacts autosave their own draft reports while some of them read.

Started by bench/load.py, which writes the people (session cookie, CSRF token, report,
measure and the fields' current values) to the file named by LOKALKOMP_LOAD_PEOPLE and
reads back the acknowledged saves from LOKALKOMP_LOAD_ACKED when the run ends.
Every simulated user is a different person writing in their own report, so no save may
ever be refused as a conflict: any refusal counts as a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from typing import Any

from locust import FastHttpUser, between, events, task

PEOPLE: list[dict[str, Any]] = json.loads(open(os.environ["LOKALKOMP_LOAD_PEOPLE"], encoding="utf-8").read())  # noqa: SIM115
ACKED: dict[str, dict[str, str]] = {}  # person index → {key: the last value the server acknowledged}
SLOTS = itertools.count()
WORDS = (
    "Vi prøver ut nye arbeidsmåter i språk, lesing og skriving.",
    "Personalet drøfter erfaringene i profesjonsfellesskapet.",
    "Tiltaket evalueres sammen med høgskolen ved slutten av semesteret.",
    "Ressurspersonene leder refleksjon mellom samlingene.",
)


class OwnerContact(FastHttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.slot = next(SLOTS) % len(PEOPLE)
        self.person = PEOPLE[self.slot]
        self.base: dict[str, str] = dict(self.person["values"])
        self.saves = 0
        self.headers = {"Cookie": self.person["cookie"], "X-CSRFToken": self.person["csrf"], "HX-Request": "true"}

    @task(8)
    def autosave(self) -> None:
        key = random.choice(sorted(self.base))
        self.saves += 1
        if key.endswith("amount"):
            value = str(10_000 + self.slot * 1000 + self.saves)  # distinct per save, so a lost one shows
        else:
            value = f"{random.choice(WORDS)} (lagring {self.slot}-{self.saves})"
        data = {"key": key, key: value, f"base:{key}": self.base[key]}
        url = f"/behovsmeldinger/{self.person['report']}/lagre/"
        with self.client.post(url, data=data, headers=self.headers, name="autosave", catch_response=True) as response:
            if response.status_code == 200 and "lk-saved" in (response.text or ""):
                self.base[key] = value
                ACKED.setdefault(str(self.slot), {})[key] = value
                response.success()
            else:
                response.failure(f"{response.status_code}: not saved")

    @task(1)
    def read_report(self) -> None:
        self.client.get(f"/behovsmeldinger/{self.person['report']}/", headers=self.headers, name="report page")

    @task(1)
    def read_form(self) -> None:
        url = f"/behovsmeldinger/{self.person['report']}/tiltak/{self.person['measure']}/"
        self.client.get(url, headers=self.headers, name="measure form")


@events.quitting.add_listener
def write_results(environment: Any, **_kwargs: Any) -> None:
    """The acknowledged values and the final statistics (the CSV files may lag the last requests)."""
    stats = environment.stats
    rows = {
        name: stats.get(name, method)
        for name, method in (("autosave", "POST"), ("report page", "GET"), ("measure form", "GET"))
    }
    rows["Aggregated"] = stats.total
    summary = {
        name: {
            "requests": row.num_requests,
            "failures": row.num_failures,
            "rps": row.num_requests / max(stats.total.last_request_timestamp - stats.total.start_time, 1e-9),
            "p50": row.get_response_time_percentile(0.5),
            "p95": row.get_response_time_percentile(0.95),
            "p99": row.get_response_time_percentile(0.99),
        }
        for name, row in rows.items()
    }
    errors = [f"{e.occurrences} × {e.method} {e.name}: {e.error}" for e in stats.errors.values()]
    with open(os.environ["LOKALKOMP_LOAD_ACKED"], "w", encoding="utf-8") as output:
        json.dump({"acked": ACKED, "stats": summary, "errors": errors}, output)
