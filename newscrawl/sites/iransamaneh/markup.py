"""Everything this project knows about IranSamaneh article markup, in one place.

Evidence: shared/reference/asriran-markup.md (§2 article DOM, §2a trailing junk) and the real yjc
page in fixtures/yjc/. Selectors are tried in order; the first that matches wins.
"""

# A selector list ("a, b") matches its alternatives in one pass and the first match in document
# order wins; the alternatives are the markup generations, which never share a page.

# The article column; sidebars and the ticker sit outside it. Last resort: the whole page.
ARTICLE_ROOT = "div.col1-news, div.news_p_box"

TITLE = "h1.title, div.title > h1"
SUPERTITLE = "div.rutitr, div.rutitr_body"
LEAD = "div.subtitle, div.sub_ax, div.subtitle_photo"
BODY = "div.body"
ALBUM = "div.album_listi"  # photo pages; may sit after div.body
LEAD_IMAGE = "img.lead_image"
# The desktop toolbar comes first; its mobile copies use *_mobile classes, which these do not match.
NEWS_ID = "div.news_id_c"
PUBLISHED = "div.news_pdate_c"
LABEL = "span.news_nav_title"  # «کد خبر:», «تاریخ انتشار:» inside the toolbar items
PATH_LINKS = "div.news_path a"  # [0] service, [1] category
TAG_LINKS = "div.tags_container a.tags_item, div.tags_title a, a.tags_item"
TAGS_TEXT = "div.tags_title"  # oldest form: tags as text separated by «،»
TAGS_LABEL = "برچسب ها"
SHORT_LINK = "div.short-link a, a.link_en"
NOT_FOUND = "div.error_container"

# Comments (markup §2): top-level items and the editors' replies inside them.
COMMENT = "div.comments_item"
COMMENT_AUTHOR = ".comm_info_name"
COMMENT_DATE = ".comm_info_date"
COMMENT_TEXT = ".comments"
COMMENT_REPLY = ".comm_answer_line"
REPLY_AUTHOR = ".comment_answer_2"
REPLY_DATE = ".comment_answer_5"
# A reply's text is a `.comments` inside it or, in later themes, its bare text beside the name/date.
REPLY_OWN_TEXT = ".//text()[not(ancestor::*[contains(@class, 'comment_answer_')])]"  # XPath
ANSWER_BOX = "comm_answer"  # class of the reply container inside a comment

# Which markup generation a page is, told by its date layout (newscrawl.text.jalali layouts).
GENERATION_BY_DATE_LAYOUT = {
    "time-ymd": "2014",
    "time-dmonthy": "2020",
    "time-dmy": "2023",
    "dmonthy-time": "2020-yjc",
}

# ---- Boilerplate inside div.body (markup §2a) ----
# Everything from this marker to the end of the body is widgets, never article text.
CUT_AT = "#MV_afterBody"
DROP = (
    "div.news_end", "span.close_adv", "script", "style", "noscript", "iframe", "form",
    "#js-news", "li.news-item", "div.ticker_container", "div.linear_news",
    "div.more_video", ".news_emails_botton", ".news_print_botton", "a.news_save_botton",
)
# Blocks dropped by what they say (text folded: ي→ی, ك→ک, spaces collapsed).
DROP_BLOCK_PREFIXES = (
    "کانال عصر ایران در تلگرام", "عضویت در اینستاگرام عصر ایران", "تماشاخانه", "ارسال به دوستان",
    "فیلم بیشتر", "فیلم های دیگر", "برای خواندن سایر مطالب سلامت", "این لحظه با حافظ",
)
DROP_BLOCK_PATTERNS = (r"^[\d۰-۹]+ سال پیش در چنین روزی",)
# Short blocks that only promote the site's channels.
PROMO_LINK_HOSTS = ("t.me", "telegram.me", "instagram.com", "www.instagram.com")
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
