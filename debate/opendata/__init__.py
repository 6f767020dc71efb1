"""Open data: exports (JSON, CSV, AIF), import and backup."""
