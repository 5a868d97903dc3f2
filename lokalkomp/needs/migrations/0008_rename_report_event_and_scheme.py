from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    """ReportEvent and ReportScheme become NeedsReportEvent and NeedsReportScheme (the reporting app's «report»)."""

    dependencies = [
        ("needs", "0007_version_earlier_submissions"),
        ("schemes", "0003_milestone_changed_and_calendar_feed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("ReportEvent", "NeedsReportEvent"),
        migrations.RenameModel("ReportScheme", "NeedsReportScheme"),
    ]
