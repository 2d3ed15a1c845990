"""Everything this project knows about IranSamaneh article markup, in one place.

Evidence: shared/reference/asriran-markup.md (§2 article DOM, §2a trailing junk) and the real yjc
page in fixtures/yjc/. Selectors are tried in order; the first that matches wins.
"""

from dataclasses import dataclass, replace

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
                         "short_url", "comments", "related"})
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
    toolbar_items: str = "div.news_nav, div.news_id_c, div.news_pdate_c, div.header_pdate, span.news_id"
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
    # tabnak 2023: a standalone span.news_id (iransamaneh-sites.md §2).
    id_item_classes: tuple[str, ...] = ("news_id_c", "news_id")
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
    # Fields read from the root when it has them, else from the whole page (the generic reader's way
    # for a page whose wrapper it cannot know).
    page_fallback: frozenset[str] = frozenset()

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
        for name in ("page_fields", "page_fallback"):
            if unknown := getattr(self, name) - PAGE_FIELDS:
                problems.append(f"{name} names no field: {sorted(unknown)}")
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



# The generic reader: a page of a site no profile describes (or of a generation its site has not
# declared) is read with this one markup, the CMS's known forms written down once from the evidence
# (iransamaneh-sites.md §1-§2: Targoman's base config and its 104 site overrides, 2023-2025, and the
# dated per-site facts; iransamaneh-family.md §1, §4-§6: the real tabnak 2018 and yjc 2019-2020 pages;
# the generations of this project's six sites). Never built from the registry at run time: its cost
# is the same whatever is registered. Only compound selectors where it can (a list of them costs one
# scan of the page), and no bare layout class (`.row`, `.page`, `.col-md-24`): a page whose column it
# does not know is read from the whole page, field by field.
GENERIC = replace(
    CMS,
    generation="generic",
    # Article columns: the CMS's (asriran col1-news, tabnak gutter_news, yjc news_p_box/news-box,
    # entekhab news_content, fararu col-main-news, jamejam bg-shadow-news, bartarinha sar_news_body,
    # boursenews newsContent) and Targoman's site roots but two the family uses for other boxes too
    # (iqna's .box_news is the sidebars' box, shahraranews' .news-main asriran's page container); the
    # inline-style wrappers of 44 sites, taken only when they hold the body (a sidebar carries the
    # same style).
    article_root=(
        "div.col1-news, div.gutter_news, div.news_p_box, div.news-box, div.news_body_serv2, div.news_content, "
        "div.col-main-news, div.bg-shadow-news, div.sar_news_body, div.newsContent, div.news-cnt, "
        "div.col_r_inner_news, div.body-news, div.container-newsMedia, div.main_col, "
        "div.photo_news_content, div.general-news-body, div.news-body, div.news_general_dl, div.photo_body, "
        "div.main_news_body, div.row_news_body, div.middle_news_body, div.main-body-page-news, "
        "div.main_news_col, div.news_body, div.marg-news, div.col2_inner, div.newspage_right_col, "
        "div.khabar-body, div.tj-news-container, div.newsPage, div.col1_dakheli_index, div.news-content, "
        "div.news-col-2, div.single-news, div.news-continer-p, div.news-padd, div.khabar-contents, "
        "div.pb-news-body, div.border-parent-main, section.news-content, section.news-col-2, section.single, "
        "div[style='direction: rtl;'], div[style='direction: right;'], div[style='direction: rtl; ']"
    ),
    root_must_contain=("div.body, #newsMainBody, #echo_detail, div.khabar-matn, div.baznashr-body, section.body, "
                       "div.news-content, #nt-body-ck"),
    title=("h1, .title-news, .baznashr-title, .title_c, .title_news, h2.title, h2.single-post-title, "
           "h1.newsTitle"),
    supertitle=("div.rutitr, .news-rutitr, .rutitr_body, .newsPreTitle, .newspage_rutitr, .newspage-rutitr, "
                ".rutitr-news, .rutitr_photo, .news_rutitr, .rotitr"),
    lead=("div.subtitle, div.sub_ax, div.subtitle_photo, p.subtitle, .news-subtitle, .subtitle-news, "
          ".content-lead-news, .news_body_lead, .baznashr-subtitle, .newspage_subtitle, .newspage-subtitle, "
          ".photo_subtitle, .leadi"),
    # The first in document order: tabnak 2023's #newsMainBody sits in (or is) its div.body.
    body="div.body, #newsMainBody, #echo_detail, div.khabar-matn, div.baznashr-body, section.body, #nt-body-ck",
    album="div.album_listi, div.image_set",
    lead_image="img.lead_image, div.parent-lead-img img, div.primary_files img, img.image_btn, img.news_corner_image",
    toolbar="div.news_toolbar, div.news_navbox",
    toolbar_items=("div.news_nav, div.news_id_c, div.news_pdate_c, div.header_pdate, span.news_id, .newsId, "
                   "span.number-news"),
    toolbar_labels=".news_nav_title, .news_title",
    id_item_classes=("news_id_c", "news_id", "newsId", "number-news"),
    # Classed dates outside any toolbar (S§1.2 "alternative class families"; boursenews .newsDate;
    # jamejam span.news-pdate; yjc.news .date-color-news; bultannews and tabnak 2025 `time`): after the
    # toolbar, before the page's metadata; never inside the site clock.
    date_sources=("toolbar", "css", "jsonld", "meta"),
    date_css=("span.news-pdate, .newsDate, .date-color-news, .news-publishdate, .publish-date, "
              "span.news-nav-times, li.time, .news_pdate, .photo_pdate, .photo_pub_date, time"),
    # tabnak 2023+: service and category are the first two links of #box-top-news's first column.
    path_links=("div.news_path a, div.news_path2 a, section.padd-breadcrumb div a, .pathe_news a, .path-cover a, "
                ".news-service a, #box-top-news > div > div > a"),
    service="a.newsServiceName, a.service-name-news, a.newsbody_servicename",
    category="a.newsSubjectName, a.cat-news-details",
    # yjc.news's .path_bottom_body is a path for one scraper and the tags for another: its links to
    # tag pages are tags.
    tag_links=("div.tags_container a.tags_item, div.tags_title a, a.tags_item, div.tag_items a, "
               "div.tags_container a, a.tag-item, .newsTags > a, .news-tags a, .row-tags a, "
               ".article_tags a.article_tag, a[rel='tag'], .path_bottom_body a[href*='/fa/tags/']"),
    # Widgets inside the body that sites' scrapers drop (Targoman ignoreNodeClasses; boursenews 2024).
    drop=(".newsBottomBar", ".advBox", ".det-1", ".parent-lead-img", ".path_bottom_body", ".tag_title",
          ".share_button", ".newsletter_link_news", ".row-comment", ".report-like"),
    # Replies: the CMS's .comm_answer_line and boursenews 2024's .comm_admin_reply.
    reply=".comm_answer_line, .comm_admin_reply",
    reply_author=".comment_answer_2, .cmReplyName span",
    reply_date=".comment_answer_5, .cmReplyDate",
    reply_text=".comments, .cmReplyTxt",
    short_link="div.short-link a, a.link_en, input#foo",
    # What the family's sites read outside their roots (Targoman: the date on 56 sites, the path on 51,
    # the tags on 39, the title on 2): the root's, else the page's. The rest only in the root: a
    # sidebar's rutitr or subtitle is no part of the article.
    page_fallback=frozenset({"title", "published_at", "news_id", "path", "tags"}),
)


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
RELATED_HEADING_DASHES = "-–—ـ"  # a run of them may come before the heading's words
RELATED_HEADING = rf"^(?:[{RELATED_HEADING_DASHES}]+\s*)?{RELATED_HEADING_TEXT}\s*[:：]?"
RULE = rf"^[{RULE_CHARS}]{{4,}}$"  # a «-----» separator line
# An in-body image caption: its own short centered paragraph next to the image.
CAPTION_MAX_CHARS = 200
CENTERED = r"text-align\s*:\s*center"
# A subhead (a `heading` block): an h1-h6, or a paragraph whose whole text is bold (`<p><strong>…
# </strong></p>`, the family's usual subhead), short, and not ending as a sentence or a lead-in does.
SUBHEAD_MAX_CHARS = 120
SUBHEAD_NOT_ENDING = ".!?؟:：;؛…،,"   # «،»: a lead-in («به گزارش ایسنا،») is no subhead
SUBHEAD_CLOSING = "»\"”’')）]"      # looked through: «… .» is a quoted sentence, not a subhead

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
