"""Everything this project knows about IranSamaneh article markup, in one place.

Evidence: shared/reference/asriran-markup.md (§2 article DOM, §2a trailing junk) and the real yjc
page in fixtures/yjc/. Selectors are tried in order; the first that matches wins.
"""

from dataclasses import dataclass, replace
from typing import Any

# A selector list ("a, b") matches its alternatives in one pass and the first match in document
# order wins.

# Toolbar labels (folded: ي→ی, ك→ک, no colon): the news id and the publish date. Longest first.
NEWS_ID_LABELS = ("کد خبر", "کد")
PUBLISHED_LABELS = ("تاریخ انتشار", "انتشار")
# The site clock, never the article date: header dates and «updated at» stamps.
SITE_CLOCK_CLASSES = frozenset({"update_date", "today_date", "last_update", "logo_date", "logo_date_en",
                                "header_date_c"})
SITE_CLOCK_TEXT = "به روز شده در"

# Comments (markup §2): top-level items and the editors' replies inside them.
COMMENT = "div.comments_item"
COMMENT_AUTHOR = ".comm_info_name"
COMMENT_DATE = ".comm_info_date"
COMMENT_TEXT = ".comments"
COMMENT_REPLY = ".comm_answer_line"
REPLY_AUTHOR = ".comment_answer_2"
REPLY_DATE = ".comment_answer_5"
# The related-news block after the body (iransamaneh-family.md §1.1, real tabnak 2018; real yjc
# 2019-2020): (heading CSS, the heading's text, CSS of the links among the blocks that follow it).
RELATED_BLOCKS = (("header.top_title", "خبرهای مرتبط", "div.linear_news a"),
                  ("div.page_title2", "مطالب مرتبط", "div.linear_news3 a"))
# What `Markup.page_fields` may name: the fields a generation can read from the whole page.
PAGE_FIELDS = frozenset({"title", "supertitle", "lead", "published_at", "news_id", "path", "tags", "lead_image",
                         "short_url"})
DATE_SOURCES = frozenset({"toolbar", "jsonld", "meta", "css"})
DATE_LAYOUTS = frozenset({"jalali", "gregorian", "iso"})


@dataclass(frozen=True)
class Markup:
    """The selectors of the CMS's article page, as one generation of its themes prints it.

    `CMS` holds what every generation shares (and, where they differ, every known alternative: it
    reads a page of a generation nobody has seen yet). A site's generation is `replace(CMS, ...)`
    with the fields that are its own, declared on the site's profile (sites/publishers/)."""

    generation: str = "unknown"
    # CSS that matches on pages of this generation only; detection tries generations in order.
    detect: str | None = None
    # The article column; sidebars and the ticker sit outside it. Last resort: the whole page.
    article_root: str = "div.col1-news"
    title: str = "h1.title, div.title > h1"
    supertitle: str = "div.rutitr"
    lead: str = "div.subtitle, div.sub_ax, div.subtitle_photo"
    body: str = "div.body"
    album: str = "div.album_listi"  # photo pages; may sit after div.body
    lead_image: str = "img.lead_image"
    # Toolbar items («کد خبر», «تاریخ انتشار») are recognised by label text and content shape
    # (toolbar.py); these only say where to look: in the toolbar first, else the whole article
    # column. The desktop copy comes first.
    toolbar: str = "div.news_toolbar"
    toolbar_items: str = "div.news_nav, div.news_id_c, div.news_pdate_c, div.header_pdate"
    toolbar_labels: str = ".news_nav_title"
    # The date value inside a date item, any tag: the real tabnak page writes <sapn class="fa_date">.
    toolbar_date_value: str = ".fa_date"
    toolbar_aside: str = ".en_date"  # the Gregorian copy of the date, beside the Jalali one
    path_links: str = "div.news_path a"  # [0] service, [1] category
    tag_links: str = "div.tags_container a.tags_item, div.tags_title a, a.tags_item"
    tags_text: str = "div.tags_title"  # oldest form: tags as text separated by «،»
    short_link: str = "div.short-link a, a.link_en"
    not_found: str = "div.error_container"
    # Toolbar items without a label are told by class: the news id's and the publish date's.
    id_item_classes: tuple[str, ...] = ("news_id_c",)
    date_item_classes: tuple[str, ...] = ("news_pdate_c",)

    # ---- Where each field is read (issue 18) ----
    # "page": `detect` is searched in the whole page; "root": inside this generation's article root.
    detect_scope: str = "page"
    # The root is the first `article_root` match that contains this (CSS; None: the generation's title
    # or body): an inline-style root `div[style='direction: rtl;']` is not a sidebar with the same style.
    root_must_contain: str | None = None
    # Fields read from the whole page, not from the root (names in PAGE_FIELDS): themes whose toolbar,
    # path or tags sit outside the article wrapper.
    page_fields: frozenset[str] = frozenset()

    # ---- The publish date ----
    # Sources in priority order: "toolbar" (by label and shape), "jsonld" (datePublished), "meta"
    # (article:published_time), "css" (the element `date_css`: its attribute `date_attr`, else its text).
    date_sources: tuple[str, ...] = ("toolbar", "jsonld", "meta")
    date_css: str | None = None
    date_attr: str | None = None
    # How the page prints its date: "jalali" (text/jalali.py's layouts), "gregorian" («2024-03-20
    # 10:00», «20 March 2024»: Tehran wall-clock), "iso" (ISO 8601 with an offset).
    date_layout: str = "jalali"

    # ---- Toolbar labels (folded, no colon) and the site clock ----
    id_labels: tuple[str, ...] = NEWS_ID_LABELS
    date_labels: tuple[str, ...] = PUBLISHED_LABELS
    site_clock_classes: frozenset[str] = SITE_CLOCK_CLASSES

    # ---- The category path: which link is the service, which the category ----
    path_service_index: int | None = 0   # None: the path names no service; negative: from the end
    path_category_index: int | None = 1
    service: str | None = None    # CSS of the service's own element; wins over the path
    category: str | None = None   # CSS of the category's own element; wins over the path
    path_skip_texts: tuple[str, ...] = ()  # path links that are no section («صفحه نخست»), compared folded

    # ---- The body ----
    body_parts: bool = False          # the body is every `body` match, in document order
    drop: tuple[str, ...] = ()        # CSS of nodes dropped from the body besides the CMS's DROP
    short_link_attr: str = "href"     # an <input> short link's `value` is read whatever this says
    related_blocks: tuple[tuple[str, str, str], ...] = RELATED_BLOCKS

    # ---- Comments ----
    comment: str = COMMENT
    comment_author: str = COMMENT_AUTHOR
    comment_date: str = COMMENT_DATE
    comment_text: str = COMMENT_TEXT
    reply: str = COMMENT_REPLY
    reply_author: str = REPLY_AUTHOR
    reply_date: str = REPLY_DATE
    reply_text: str = COMMENT_TEXT  # a reply without one is its own text beside the name and date

    def __post_init__(self) -> None:
        """A name no reader knows is a profile's typo: an error when the profile loads, not a field
        that silently reads from the wrong place."""
        problems = []
        if self.page_fields - PAGE_FIELDS:
            problems.append(f"page_fields names no field: {sorted(self.page_fields - PAGE_FIELDS)}")
        if set(self.date_sources) - DATE_SOURCES:
            problems.append(f"date_sources names no source: {sorted(set(self.date_sources) - DATE_SOURCES)}")
        if "css" in self.date_sources and not self.date_css:
            problems.append("date_sources has 'css' but date_css is None")
        if self.date_layout not in DATE_LAYOUTS:
            problems.append(f"date_layout {self.date_layout!r} is none of {sorted(DATE_LAYOUTS)}")
        if self.detect_scope not in ("page", "root"):
            problems.append(f"detect_scope {self.detect_scope!r} is neither 'page' nor 'root'")
        if problems:
            raise ValueError(f"markup generation {self.generation!r}: " + "; ".join(problems))


CMS = Markup()
# Markup every site of the CMS shares, whatever its theme: tried after the site's own generations.
GENERATIONS: tuple[Markup, ...] = ()


def merged(generations: tuple[Markup, ...], base: Markup = CMS) -> Markup:
    """The markup a page no generation detects is read with: every selector of `base` and of each
    generation, as one selector list per field (document order decides, not the list's order)."""
    values: dict[str, Any] = {}  # selector lists (str) and class tuples
    for name in ("article_root", "title", "supertitle", "lead", "body", "album", "lead_image", "toolbar",
                 "toolbar_items", "toolbar_labels", "toolbar_date_value", "toolbar_aside", "path_links",
                 "tag_links", "tags_text", "short_link", "not_found"):
        parts = [p.strip() for m in (base, *generations) for p in getattr(m, name).split(",")]
        values[name] = ", ".join(dict.fromkeys(p for p in parts if p))
    for name in ("id_item_classes", "date_item_classes"):
        values[name] = tuple(dict.fromkeys(c for m in (base, *generations) for c in getattr(m, name)))
    return replace(base, generation="unknown", detect=None, **values)




# The same selectors under their old names (the synthetic-site writer and the listing parser).
ARTICLE_ROOT = CMS.article_root
TITLE = CMS.title
SUPERTITLE = CMS.supertitle
LEAD = CMS.lead
BODY = CMS.body
ALBUM = CMS.album
LEAD_IMAGE = CMS.lead_image
PATH_LINKS = CMS.path_links
TAG_LINKS = CMS.tag_links
TAGS_TEXT = CMS.tags_text
TAGS_LABEL = "برچسب ها"
SHORT_LINK = CMS.short_link
NOT_FOUND = CMS.not_found

# Page metadata, a second source (iransamaneh-family.md §1.1, §1.4, §5): JSON-LD NewsArticle
# (`headLine`, ISO `datePublished`; its articleBody and breadcrumb are unreliable), Jalali
# `article:published_time`, `og:url` / `dc.identifier` (the id), `og:image`, `description`.
JSON_LD = "script[type='application/ld+json']"
JSON_LD_TYPES = ("NewsArticle", "Article", "ReportageNewsArticle")
META_PUBLISHED = "article:published_time"
META_ID_URLS = ("og:url", "dc.identifier")
META_IMAGE = "og:image"
META_DESCRIPTION = "description"
# Attributes a well-formed <meta> has; any other means its quotes broke (real tabnak 2018).
META_ATTRIBUTES = frozenset({"name", "property", "content", "itemprop", "lang", "scheme", "http-equiv",
                             "charset"})

# A reply's text is a `.comments` inside it or, in later themes, its bare text beside the name/date.
REPLY_OWN_TEXT = ".//text()[not(ancestor::*[contains(@class, 'comment_answer_')])]"  # XPath
ANSWER_BOX = "comm_answer"  # class of the reply container inside a comment

# ---- Boilerplate inside div.body (markup §2a) ----
# Everything from this marker to the end of the body is widgets, never article text.
CUT_AT = "#MV_afterBody"
DROP = (
    "div.news_end", "span.close_adv", "script", "style", "noscript", "iframe", "form",
    "#js-news", "li.news-item", "div.ticker_container", "div.linear_news",
    "div.more_video", ".news_emails_botton", ".news_print_botton", "a.news_save_botton",
)
# Blocks dropped by what they say (text folded: ي→ی, ك→ک, spaces collapsed): the CMS's own; a
# site adds its widgets' phrases, patterns and promo hosts on its profile.
DROP_BLOCK_PREFIXES = ("ارسال به دوستان",)
DROP_BLOCK_PATTERNS: tuple[str, ...] = ()
# Short blocks that only promote the site's channels (hosts on the profile) are at most this long.
PROMO_MAX_CHARS = 120
# «بیشتر بخوانید» (read more): the related-articles block, kept as data, removed from the body.
RELATED_HEADING_TEXT = "بیشتر بخوانید"
RULE_CHARS = "-–—ـ_=*."
RELATED_HEADING = rf"^(?:[-–—ـ]+\s*)?{RELATED_HEADING_TEXT}\s*[:：]?"
RULE = rf"^[{RULE_CHARS}]{{4,}}$"  # a «-----» separator line
# An in-body image caption: its own short centered paragraph next to the image.
CAPTION_MAX_CHARS = 200
CENTERED = r"text-align\s*:\s*center"

# ---- Listings (markup §3) ----
# The archive's own list area; the ticker and the sidebars (which reuse `linear_news`) sit outside.
# 2014 pages have no class on it: there it is the nearest block around the pager with article links.
ARCHIVE_AREA = "div.archive_content, div.inner-content"
ARCHIVE_AREA_2014 = "//*[@id='pager']/ancestor::div[.//a[contains(@href, '/fa/news/')]][1]"  # XPath
# Item links by generation: 2023 `article.vizhe_cv`, 2022 `a.vizhe_title`, 2018-2020 `a.title5`,
# 2014 `a.title4`.
ARCHIVE_ITEM_LINKS = "article.vizhe_cv a[href], a.vizhe_title, div.linear_news a.title5, a.title5, a.title4"
ARCHIVE_NEXT = "a.next"
RSS_LINKS = "//item/link/text()"  # XPath, RSS 2.0

# Every copy of the toolbar items (desktop and mobile). The parser reads only the first copy; the
# synthetic-site generator writes them all.
ALL_NEWS_ID_COPIES = "[class*=news_id_c]"
ALL_PUBLISHED_COPIES = "[class*=news_pdate_c]"
