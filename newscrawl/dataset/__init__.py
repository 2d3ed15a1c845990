"""From run files to one dataset: Parquet build, card, verification, gaps."""
