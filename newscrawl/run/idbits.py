"""A set of article ids as a bitmap: one bit an id, so its size follows the highest id (125 KB at
1,000,000), not how many ids it holds. What a run remembers per article (asked for, written) without
growing with the size of the run: the dupefilter (newscrawl.middlewares.dupefilter) and the
duplicates pipeline."""

from __future__ import annotations


class IdBits:
    def __init__(self, data: bytes = b"") -> None:
        self.data = bytearray(data)

    def add(self, news_id: int) -> bool:
        """Add a positive id; True when it was there already."""
        byte, bit = divmod(news_id, 8)
        if byte >= len(self.data):  # grown by half again: amortised O(1) per id
            self.data.extend(bytes(byte + 1 - len(self.data) + len(self.data) // 2))
        if self.data[byte] >> bit & 1:
            return True
        self.data[byte] |= 1 << bit
        return False

    def __contains__(self, news_id: int) -> bool:
        byte, bit = divmod(news_id, 8)
        return byte < len(self.data) and bool(self.data[byte] >> bit & 1)

    def __len__(self) -> int:
        """Bytes held (not ids)."""
        return len(self.data)
