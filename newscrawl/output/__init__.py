"""The files a run writes, each whole or not at all: JSON lines (`jsonl`), the quarantine, the WARC
archive, and where they go (`paths`); the `.part` convention they share (`parts`). Nothing here knows
the state store: whoever finalizes a file is told what it held."""
