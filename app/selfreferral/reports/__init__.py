"""Reports on referrals: `figures` counts, `charts` draws, `csv` exports; the pages are in views/reports.py."""
