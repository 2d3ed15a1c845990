"""The sites this project knows, as data. Every URL written to the dataset is resolved against the
profile's `base_url` (the real site), never against the address a page was fetched from."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class SiteProfile:
    name: str
    base_url: str              # scheme + host of the real site, no trailing slash
    hosts: tuple[str, ...]     # hosts (without "www.") whose pages belong to this site
    cms: str = "iransamaneh"
    # Lines that close every article and no reader wants as text, e.g. yjc's «انتهای پیام/ی»
    # (the part after the slash is an editor's initial).
    body_sign_offs: tuple[str, ...] = ()

    def owns(self, url: str) -> bool:
        """Whether an absolute URL is a page of this site."""
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        return host in self.hosts


PROFILES: dict[str, SiteProfile] = {
    p.name: p
    for p in (
        SiteProfile("asriran", "https://www.asriran.com", ("asriran.com", "asriran.ir")),
        SiteProfile("yjc", "https://www.yjc.ir", ("yjc.ir", "yjc.news"), body_sign_offs=("انتهای پیام",)),
        SiteProfile("tabnak", "https://www.tabnak.ir", ("tabnak.ir",)),
    )
}
DEFAULT_SITE = "asriran"


def profile_for_url(url: str | None) -> SiteProfile:
    """The site a URL belongs to; the default site for anything else (a mirror on 127.0.0.1, a file)."""
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.removeprefix("www.")
    for profile in PROFILES.values():
        if host in profile.hosts:
            return profile
    return PROFILES[DEFAULT_SITE]

