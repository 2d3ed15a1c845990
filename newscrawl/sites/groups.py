"""Named sets of sites, for the commands that take `--sites all|A,B,...|GROUP` (`python -m newscrawl
crawl`, `seed`, `synth`). `python -m newscrawl sites --groups` lists them.

The groups come from the profiles' own data, so a new profile joins them by itself:

    all            every registered site
    <pattern>      the sites whose pages follow one markup pattern (SiteProfile.pattern, e.g.
                   `toolbar`, `page-toolbar`, `meta-date`; a pattern shared by two sites or more):
                   a theme change that breaks one pattern breaks them together, and after a fix of
                   the reader they are the sites to crawl again
"""

from __future__ import annotations

from collections import defaultdict
from difflib import get_close_matches

from newscrawl.exceptions import BadArgument
from newscrawl.sites.profiles import PROFILES

ALL = "all"


def groups() -> dict[str, list[str]]:
    """Group name -> its sites (sorted), `all` first."""
    by_pattern: dict[str, list[str]] = defaultdict(list)
    for profile in PROFILES.values():
        if profile.pattern:
            by_pattern[profile.pattern].append(profile.name)
    found = {ALL: sorted(PROFILES)}
    for pattern, sites in sorted(by_pattern.items()):
        if len(sites) > 1 and pattern not in PROFILES:
            found[pattern] = sorted(sites)
    return found


def resolve_sites(spec: str) -> list[str]:
    """The sites `--sites` names, in the order given (a group's sorted), each once. BadArgument (one
    line) for an empty spec or a name that is neither a site nor a group."""
    named = groups()
    sites: list[str] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        if part in named:
            sites += named[part]
        elif part in PROFILES:
            sites.append(part)
        else:
            near = get_close_matches(part, [*PROFILES, *named], n=3, cutoff=0.8)
            raise BadArgument(f"--sites: {part!r} is neither a site nor a group"
                              + (f" (did you mean {' or '.join(near)}?)" if near else "")
                              + f"; groups: {', '.join(named)}; `python -m newscrawl sites` names the sites")
    if not sites:
        raise BadArgument("--sites: name the sites: all, a group, or A,B,...")
    return list(dict.fromkeys(sites))
