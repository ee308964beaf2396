"""Excel in and out: roster import, historical report import, filtered exports."""
