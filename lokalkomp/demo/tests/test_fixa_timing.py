import time
import pytest
from lokalkomp.demo import national
from lokalkomp.demo.national.builder import NationalData
from lokalkomp.needs.models import NeedsReportVersion, NeedsReport, Measure

pytestmark = pytest.mark.django_db

def test_timing(monkeypatch):
    spent = []
    original = NationalData.versions
    def timed(self, submissions):
        import cProfile, pstats; pr=cProfile.Profile(); t = time.monotonic(); pr.enable(); original(self, submissions); pr.disable(); spent.append(time.monotonic() - t); pstats.Stats(pr).sort_stats('cumulative').print_stats(25)
    monkeypatch.setattr(NationalData, "versions", timed)
    t = time.monotonic()
    national.generate(years=3, scale=0.1, last_year=2027, seed=1, log=lambda _l: None)
    total = time.monotonic() - t
    print(f"\nTOTAL {total:.1f}s versions {sum(spent):.2f}s reports {NeedsReport.objects.count()} versions {NeedsReportVersion.objects.count()} measures {Measure.objects.count()}")
