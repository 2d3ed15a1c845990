"""A test-only item pipeline placed after the written-articles pipeline: items past the first
HANG_AFTER_ITEMS wait forever once claimed, so a test can SIGKILL a run that holds claims it has not
written."""

import asyncio


class HangAfterClaim:
    def __init__(self, after: int):
        self.after = after
        self.passed = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("HANG_AFTER_ITEMS", 50))

    async def process_item(self, item):
        if self.passed >= self.after:
            await asyncio.sleep(3600)
        self.passed += 1
        return item
