"""A set of article ids as a compressed bitmap (pyroaring's Roaring bitmap): its size follows how the
ids cluster, not the highest id nor how many there are. A feed's 20 recent ids take a few dozen bytes
even at id 9,000,000 (a flat bitmap took 1.1 MB there, per structure and site: a sweep of a hundred
sites held ~30 MB of them), a backfill of 1,000,000 consecutive ids ~230 bytes, half of them at random
~130 KB. What a run remembers per article (asked for, written, listed) without growing with the size
of the run: the dupefilter (newscrawl.middlewares.dupefilter), the duplicates pipeline and the archive
walk's listed ids."""

from __future__ import annotations

from pyroaring import BitMap


class IdBits:
    def __init__(self, saved: bytes = b"") -> None:
        """Empty, or read back from `saved` (what `to_bytes` gave: Roaring's portable format)."""
        self.bits = BitMap.deserialize(saved) if saved else BitMap()

    @classmethod
    def from_flat(cls, data: bytes) -> IdBits:
        """From a flat bitmap, bit i of byte j being id 8j+i: what earlier versions saved in a JOBDIR."""
        ids = cls()
        ids.bits.update(8 * j + i for j, byte in enumerate(data) if byte for i in range(8) if byte >> i & 1)
        return ids

    def add(self, news_id: int) -> bool:
        """Add a positive id; True when it was there already."""
        if news_id in self.bits:
            return True
        self.bits.add(news_id)
        return False

    def discard(self, news_id: int) -> None:
        """Take an id out (not there: nothing happens)."""
        self.bits.discard(news_id)

    def __contains__(self, news_id: int) -> bool:
        return news_id in self.bits

    def __len__(self) -> int:
        """How many ids it holds."""
        return len(self.bits)

    def nbytes(self) -> int:
        """Bytes its containers hold."""
        stats = self.bits.get_statistics()
        return stats["n_bytes_array_containers"] + stats["n_bytes_run_containers"] + stats["n_bytes_bitset_containers"]

    def to_bytes(self) -> bytes:
        """Roaring's portable serialization (read back by IdBits(saved))."""
        self.bits.run_optimize()
        return self.bits.serialize()
