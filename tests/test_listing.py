"""Archive pages and feeds: which articles they name, from the listing area only."""

import pytest
from parsel import Selector

from newscrawl.replay.fixtures import FIXTURES_DIR
from newscrawl.replay.pages import read_page
from newscrawl.sites.iransamaneh.listing import parse_archive, parse_feed
from newscrawl.sites.iransamaneh.urls import news_id_from_url

LISTINGS = FIXTURES_DIR / "listings"
ARCHIVE = FIXTURES_DIR / "asriran" / "archive"


def test_the_real_2014_asriran_archive_page_gives_its_100_links_and_the_next_page():
    page = parse_archive(read_page(LISTINGS / "asriran-archive-1393-03-03.html"))
    assert len(page.news_ids) == 100
    assert page.news_ids[:3] == [337582, 337581, 337580]
    assert page.next_href == ("http://www.asriran.com/fa/archive?service_id=-1&sec_id=-1&cat_id=-1&rpp=100"
                              "&from_date=1384/01/01&to_date=1393/03/03&p=2")


def test_the_real_2014_tabnak_archive_page_same_cms_gives_its_100_links():
    page = parse_archive(read_page(LISTINGS / "tabnak-archive-2014.html"))
    assert len(page.news_ids) == 100 and page.next_href.endswith("&p=2")


@pytest.mark.parametrize(
    ("page", "ids", "has_next"),
    [
        (1, [1150502, 1150501, 1150500, 1150486, 1120033, 1098765, 1077602], True),     # article.vizhe_cv
        (2, [1150600, 918040, 917512, 862177, 850412, 760311], True),                   # a.vizhe_title
        (3, [742968, 742950, 719877, 719860, 407215, 369845, 337590], False),           # .linear_news a.title5
    ],
)
def test_each_listing_generation_reads_only_its_list_area(page, ids, has_next):
    html = read_page(ARCHIVE / f"{page}.html")
    listing = parse_archive(html)
    assert listing.news_ids == ids
    assert (listing.next_href is not None) == has_next
    # the page's sidebars and ticker link many other articles, some in the same `linear_news` markup
    everywhere = {news_id_from_url(h) for h in Selector(text=html).css("a::attr(href)").getall()} - {None}
    assert len(everywhere - set(ids)) > 50


def test_a_page_without_a_listing_gives_nothing():
    listing = parse_archive(read_page(FIXTURES_DIR / "asriran" / "news" / "917512.html"))
    assert listing.news_ids == [] and listing.next_href is None


def test_feed_links_in_order_each_once():
    ids = parse_feed((FIXTURES_DIR / "asriran" / "rss" / "allnews.xml").read_bytes())
    assert ids[:3] == [1150999, 1150600, 1150501]
    assert len(ids) == 21 and 1077602 in ids  # listed twice in the feed, once here


def test_the_next_page_link_is_the_sites_pager():
    """tabnak 2025 links the next archive page from div.pagination by «»», with no a.next; its
    profile says so, and the real 2014 page's a.next still reads."""
    from newscrawl.sites import PROFILES

    page = read_page(FIXTURES_DIR / "tabnak" / "archive" / "1.html")
    assert parse_archive(page).next_href is None  # the CMS's a.next alone misses it
    assert parse_archive(page, PROFILES["tabnak"]).next_href.endswith("&p=2")
    old = parse_archive(read_page(LISTINGS / "tabnak-archive-2014.html"), PROFILES["tabnak"])
    assert old.next_href.endswith("&p=2")
