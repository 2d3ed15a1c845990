"""tabnakbato.ir: www.tabnakbato.ir, the toolbar pattern."""

from dataclasses import replace

from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import Archive, SiteProfile

PROFILE = SiteProfile(
    name="tabnakbato",
    base_url="https://www.tabnakbato.ir",
    hosts=("tabnakbato.ir",),
    # Undated crawler: <archive>?service_id=4&cat_id=&page=N, the articles a.title_List.
    archive=Archive(params=(("service_id", "{service_id}"), ("cat_id", "{cat_id}")), page_param="page",
                    items="a.title_List"),
    generations=(
        replace(CMS, generation="toolbar", detect=".khabar-body", article_root=".khabar-body"),
    ),
    evidence=("2023-10..2025-01 Targoman IranSamanehBased.ts (iransamaneh-sites.md §1.2 row 38); "
              "undated iransamaneh-family.md §3"),
    pattern="toolbar",
)
