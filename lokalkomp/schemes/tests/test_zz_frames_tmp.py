import pytest, time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lokalkomp.accounts.models import User
from lokalkomp.demo.build import build

@pytest.mark.parametrize("email", [None, "koordinator@lokalkomp.test", "leser@lokalkomp.test", "statsforvalter@lokalkomp.test", "forum@lokalkomp.test"])
def test_count(client, db, email):
    with time_machine.travel("2026-11-22 10:00 +01:00", tick=False):
        build()
        if email: client.force_login(User.objects.get(email=email))
        client.get(reverse("schemes:round", args=["nordland", 2024]))
        with CaptureQueriesContext(connection) as c:
            client.get(reverse("schemes:round", args=["nordland", 2024]))
        print("\nCOUNT", email, len(c))
        for q in c.captured_queries: print("   ", q["sql"][:150])
