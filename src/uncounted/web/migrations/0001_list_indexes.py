"""Indexes for the web app's filtered and sorted lists of reports and interviews.

A year filter compares both ends of a report's date range, a charge filter matches codes
inside the ``;``-joined charges, and lists sort by date or id within a province, a way
of knowing or a collection: these composite indexes let the database count and page
from an index instead of reading every report. (They belong with the store's models; they live here until
the store declares them.)
"""

from django.db import migrations

INDEXES = {
    "web_report_dates": "store_report (date_start, date_end, charges)",
    "web_report_charges": "store_report (charges)",
    "web_report_province_charges": "store_report (place_iso, charges)",
    "web_report_province_dates": "store_report (place_iso, date_start, date_end)",
    "web_report_how_known_date": "store_report (how_known, date_start)",
    "web_report_collection_date": "store_report (collection_id, date_start)",
    "web_report_collection_id": "store_report (collection_id, report_id)",
    "web_report_province_id": "store_report (place_iso, report_id)",
    "web_report_how_known_id": "store_report (how_known, report_id)",
    "web_report_told": "store_report (place_as_told, date_as_told, report_id, source_id)",
    "web_interview_date": "store_interview (date)",
}


class Migration(migrations.Migration):
    dependencies = [("store", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {target}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, target in INDEXES.items()
    ]
