"""The family's markup patterns, one authored page each (18-fixtures: fixtures/README.md «Pattern pages»,
each with a hand-written expected file), read by the parser through profiles that say everything as
data: each pattern's representative site gets a minimal generation here, written from the evidence
(iransamaneh-sites.md §1.2 Targoman's overrides, §2 the dated per-site facts), not in
sites/publishers/ (the registry's profiles are 18-sites'). Then the same pages with the profile's
markup removed: what the generic reader (`markup.GENERIC`) gets right without any configuration.

The pages live in fixtures/<site>-patterns/news/; NEWSCRAWL_PATTERN_PAGES names another folder of the same layout.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from newscrawl.replay.fixtures import FIXTURES_DIR, REPLAY_CRAWLED_AT, load_expected, outcome_as_expected
from newscrawl.replay.processor import Processor
from newscrawl.sites import PROFILES
from newscrawl.sites.iransamaneh.markup import CMS
from newscrawl.sites.profiles import Archive, SiteProfile


def _pattern_pages() -> list[Path]:
    other = os.environ.get("NEWSCRAWL_PATTERN_PAGES")
    return [*(sorted(Path(other).glob("*/news/*.html")) if other else []),
            *sorted((FIXTURES_DIR / "patterns").glob("*/news/*.html")),
            *sorted(FIXTURES_DIR.glob("*-patterns/news/*.html"))]


def _site(page: Path) -> str:
    return page.parent.parent.name.removesuffix("-patterns")


PAGES = _pattern_pages()
if not PAGES:
    pytest.skip("the pattern pages arrive with 18-fixtures (fixtures/patterns/)", allow_module_level=True)


def _profile(name: str, base_url: str, *generations: object, like: str | None = None) -> SiteProfile:
    if like:  # a registered site: its text rules (sign-offs, widgets) stay, its markup is ours
        return replace(PROFILES[like], generations=generations)
    host = base_url.split("://", 1)[1].removeprefix("www.")
    return SiteProfile(name=name, base_url=base_url, hosts=(host,), archive=Archive(start="1384/01/01"),
                       generations=generations)


# One generation per pattern, as its site's profile would say it. The overrides only: what the CMS's
# markup already reads is not repeated.
PATTERN_PROFILES = {
    # toolbar (33 sites): Targoman parsine {article: ".general-news-body"}.
    "parsine": _profile("parsine", "https://www.parsine.com", replace(
        CMS, generation="toolbar", detect="div.general-news-body", article_root="div.general-news-body")),
    # page-toolbar (32): Targoman kayhan {article: ".margin_bt_fari div[style='direction: rtl;']",
    # datetime: page:".news_pdate_c", category: page-all:".news_path a"}; no www.
    "kayhan": _profile("kayhan", "https://kayhan.ir", replace(
        CMS, generation="page-toolbar", detect="div.margin_bt_fari",
        article_root="div.margin_bt_fari div[style='direction: rtl;']",
        page_fields=frozenset({"published_at", "path"}))),
    # meta-date (22): Targoman 598 {article: "div[style='direction: right;']", title: "h1 a", datetime:
    # page:meta[article:published_time] content[0:10], category: page-all:".news_path a", tags:
    # page-all:".tags_title a"}: the date is the meta's only.
    "s598": _profile("s598", "https://www.598.ir", replace(
        CMS, generation="meta-date", detect="div[style='direction: right;']",
        article_root="div[style='direction: right;']", title="h1 a", date_sources=("meta",),
        page_fields=frozenset({"path", "tags"}), tag_links="div.tags_title a")),
    # classed-date (12): Targoman bultannews {article: ".main_body .col-md-27", title: "h1", aboveTitle:
    # ".rutitr", subtitle: ".subtitle", datetime: "time"}.
    "bultannews": _profile("bultannews", "https://www.bultannews.com", replace(
        CMS, generation="classed-date", detect="div.main_body div.col-md-27",
        article_root="div.main_body div.col-md-27", title="h1", date_sources=("css", "jsonld", "meta"),
        date_css="time")),
    # boursenews: a 2024 scraper (.newsId after ":", .newsPreTitle, .newsDate, .newsServiceName,
    # .newsSubjectName, .newsTags > a, body minus .newsBottomBar/.advBox, replies .comm_admin_reply with
    # .cmReplyName span / .cmReplyDate / .cmReplyTxt) + Targoman {article: ".newsContent", title: "h1"}.
    "boursenews": _profile("boursenews", "https://www.boursenews.ir", replace(
        CMS, generation="boursenews", detect="div.newsContent", article_root="div.newsContent", title="h1",
        supertitle=".newsPreTitle", toolbar_items=".newsId", id_item_classes=("newsId",),
        date_sources=("css", "jsonld", "meta"), date_css=".newsDate", service="a.newsServiceName",
        category="a.newsSubjectName", tag_links=".newsTags > a", drop=(".newsBottomBar", ".advBox"),
        reply=".comm_admin_reply", reply_author=".cmReplyName span", reply_date=".cmReplyDate",
        reply_text=".cmReplyTxt")),
    # yjc.news (2022+ scraper): span.title-news, span.number-news, the lead in strong.news_strong, the
    # lead image div.parent-lead-img img, a.cat-news-details the category, div.path_bottom_body a the
    # tags, div.baznashr-body; Targoman: .date-color-news, ignoring det-1, parent-lead-img, path_bottom_body.
    "yjc": _profile("yjc", "https://www.yjc.ir", replace(
        CMS, generation="2023-yjcnews", detect="span.number-news", article_root="div.news-box",
        title=".title-news", lead="div.subtitle .news_strong", body="div.baznashr-body",
        lead_image="div.parent-lead-img img", toolbar_items="span.number-news", id_item_classes=("number-news",),
        date_sources=("css", "meta"), date_css=".date-color-news", category="a.cat-news-details",
        tag_links="div.path_bottom_body a", drop=(".det-1", ".parent-lead-img", ".path_bottom_body")),
        like="yjc"),
    # jamejamonline 2023-24: Targoman {article: ".bg-shadow-news .row", title: "h1", datetime:
    # page:"span.news-pdate", category: page-all:"section.padd-breadcrumb div a"}; JameJamCorpus: the body in
    # three parts, tags a.tag-item, the service a.service-name-news, the lead in meta itemprop=description.
    "jamejamonline": _profile("jamejamonline", "https://jamejamonline.ir", replace(
        CMS, generation="2023-shadow", detect="span.news-pdate", article_root="div.bg-shadow-news div.row",
        title="h1", body="div.text-justify, p[style='text-align:justify;'], section.body", body_parts=True,
        date_sources=("css",), date_css="span.news-pdate", path_links="section.padd-breadcrumb div a",
        service="a.service-name-news", tag_links="a.tag-item",
        page_fields=frozenset({"published_at", "path", "tags"})), like="jamejamonline"),
    # tabnak 2023-25: span.news_id, span.fa_date + span.en_date, div#newsMainBody, input#foo's value the
    # short link, #box-top-news's links the service and category; Targoman .gutter_news.
    "tabnak": _profile("tabnak", "https://www.tabnak.ir", replace(
        CMS, generation="2023-mainbody", detect="#newsMainBody", article_root="div.gutter_news",
        title="div.top_news_title div.title > h1, h1.Htag", body="#newsMainBody", toolbar="div.news_navbox",
        toolbar_labels=".news_title, .news_nav_title", path_links="#box-top-news > div > div > a",
        tag_links="div.tag_items a", short_link="input#foo"), like="tabnak"),
    # namehnews 2020: h1.title.h_title_news > a, div.subtitle.sub_news, div.news_nav.news_pdate_c (icons,
    # no label text), div.tags_title a, div.body.body_news; no root documented.
    "namehnews": _profile("namehnews", "https://www.namehnews.com", replace(
        CMS, generation="bootstrap-icon-toolbar", detect="h1.h_title_news", title="h1.title.h_title_news > a",
        lead="div.subtitle.sub_news", body="div.body.body_news", tag_links="div.tags_title a")),
}


def _read(page: Path, profile: SiteProfile, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setitem(PROFILES, profile.name, profile)
    expected = load_expected(page) or {}
    outcome = Processor().process(page.read_text(encoding="utf-8"), expected.get("url"), site=profile.name,
                                  crawled_at=REPLAY_CRAWLED_AT)
    return outcome_as_expected(outcome)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{_site(p)}-{p.stem}")
def test_each_pattern_page_reads_as_its_expected_file_with_its_sites_markup_as_data(page, monkeypatch):
    expected = load_expected(page)
    actual = _read(page, PATTERN_PROFILES[_site(page)], monkeypatch)
    assert list(actual) == list(expected)
    wrong = {key: (actual[key], expected[key]) for key in expected if actual[key] != expected[key]}
    assert not wrong, "fields that differ (actual, expected): " + repr(wrong)


# What the generic reader gets wrong on each page with no markup configured (the rest is right).
GENERIC_MISSES = {
    "jamejamonline": {"body"},  # its body is three parts; the generic reader takes section.body only
}
GENERIC_FIELDS = ("news_id", "url", "title", "supertitle", "lead", "body", "published_at", "service", "category",
                  "tags", "lead_image", "images", "related", "comments", "short_url", "videos")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{_site(p)}-{p.stem}")
def test_the_generic_reader_reads_each_pattern_page_with_no_configuration(page, monkeypatch):
    site = _site(page)
    bare = replace(PATTERN_PROFILES[site], generations=())
    expected = load_expected(page)
    actual = _read(page, bare, monkeypatch)
    assert "outcome" not in actual, actual
    assert actual["parser_version"] == "iransamaneh/3:generic" and actual["site"] == site
    wrong = {f for f in GENERIC_FIELDS if actual[f] != expected[f]}
    assert wrong == GENERIC_MISSES.get(site, set()), {f: (actual[f], expected[f]) for f in wrong}
