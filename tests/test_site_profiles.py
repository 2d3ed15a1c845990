"""Sites as data: what a profile declares reaches the parser, the arguments and the spider, and a
site can differ from its CMS in nothing but data and one field's function."""

from dataclasses import fields, replace
from pathlib import Path

import pytest

from newscrawl import sites as sites_module
from newscrawl.exceptions import BadArgument, NotAnArticle
from newscrawl.replay.fixtures import FIXTURES_DIR as FIXTURES
from newscrawl.run.args import parse_spider_args
from newscrawl.sites import (
    DEFAULT_SITE,
    HOSTS,
    PROFILES,
    Cms,
    cms_for,
    mirror_for,
    not_registered,
    parse_page,
    profile_for_url,
    profile_named,
    profiles,
    publishers,
    site_name,
)
from newscrawl.sites.iransamaneh import article, markup
from newscrawl.sites.iransamaneh.markup import CMS, Markup
from newscrawl.spiders.site import SPIDERS, SiteSpider


def page(body: str, root: str = "col1-news") -> str:
    return (f"<html><body><div class='{root}'><div class='news_toolbar'><div class='news_nav news_id_c'>"
            "<span class='news_nav_title'>کد خبر: </span>۱۲۳</div><div class='news_nav news_pdate_c'>"
            "<span class='news_nav_title'>تاریخ انتشار: </span>۱۴:۰۵ - ۱۸-۰۲-۱۴۰۴</div></div>"
            f"<h1 class='title'>عنوان خبر</h1><div class='body'>{body}</div></div></body></html>")


def test_every_site_has_a_profile_a_cms_and_a_spider():
    modules = sorted(p.stem for p in Path(publishers.__file__).parent.glob("*.py") if p.stem != "__init__")
    assert list(PROFILES) == modules and len(PROFILES) > 100  # every module of publishers/ is a site
    for name, profile in PROFILES.items():
        assert isinstance(cms_for(profile), Cms) and profile.registered
        assert issubclass(SPIDERS[name], SiteSpider) and SPIDERS[name].name == name == SPIDERS[name].site
        assert profile.evidence[:4].isdigit(), f"{name}: evidence starts with its year: {profile.evidence!r}"
        assert profile.pattern, f"{name} names no markup pattern"


def test_a_generation_is_the_cms_markup_with_some_fields_replaced():
    for profile in PROFILES.values():
        for generation in profile.generations:
            assert type(generation) is Markup and generation.detect
            replaced = [f.name for f in fields(Markup) if getattr(generation, f.name) != getattr(CMS, f.name)]
            assert "generation" in replaced and "not_found" not in replaced  # the CMS's own stays


def test_each_site_detects_its_own_generations_only():
    yjc_page = page("<p>متن</p>").replace("<h1 class='title'>", "<div class='title'><h1 class='Htags'>")
    yjc_page = yjc_page.replace("عنوان خبر</h1>", "عنوان خبر</h1></div>")
    assert parse_page(yjc_page, None, site="yjc").parser_version.endswith(":2019-htags")
    # The same page is no generation asriran has (asriran 2014 is div.title > h1, taken by markup).
    assert not parse_page(yjc_page, None, site="asriran").parser_version.endswith(":2019-htags")


def test_asriran_widgets_are_asrirans_not_the_cms():
    promo = "<p>متن خبر که به اندازه کافی بلند است.</p><p>کانال عصر ایران در تلگرام را دنبال کنید</p>"
    assert "کانال عصر ایران در تلگرام" in PROFILES["asriran"].boilerplate_phrases
    assert "کانال عصر ایران در تلگرام" not in markup.DROP_BLOCK_PREFIXES
    assert "تلگرام" not in parse_page(page(promo), None, site="asriran").body
    assert "تلگرام" in parse_page(page(promo), None, site="tabnak").body  # another site's text stays


def test_the_archive_start_is_the_sites():
    custom = replace(PROFILES["fararu"], archive=replace(PROFILES["fararu"].archive, start="1390/01/01"))
    assert parse_spider_args(custom, {"mode": "archive", "to_date": "1400/01/01"}).from_date == "1390/01/01"


def test_a_service_can_be_named_by_the_sites_name_for_it():
    args = parse_spider_args(PROFILES["tabnak"], {"mode": "archive", "service_id": "political"})
    assert args.service_id == "24"
    with pytest.raises(BadArgument, match="one of tabnak's services: political"):
        parse_spider_args(PROFILES["tabnak"], {"mode": "archive", "service_id": "politcal"})


def test_the_archive_is_asked_the_way_the_site_takes_it():
    query = {"from_date": "1399/01/01", "to_date": "1399/01/31", "service_id": -1, "cat_id": -1, "page": 2}
    entekhab = cms_for("entekhab").archive_request(PROFILES["entekhab"], "http://127.0.0.1:9", **query)
    assert (entekhab.method, entekhab.url) == ("POST", "http://127.0.0.1:9/fa/archive")
    assert entekhab.form["p"] == "2" and entekhab.form["rpp"] == "50" and entekhab.form["from_date"] == "1399/01/01"
    tabnak = cms_for("tabnak").archive_request(PROFILES["tabnak"], "http://127.0.0.1:9", **query)
    assert tabnak.method == "GET" and tabnak.form is None
    assert "rpp=100" in tabnak.url and "from_date=1399/01/01" in tabnak.url and tabnak.url.endswith("&p=2")


def test_a_site_may_replace_one_fields_function():
    def lead_from_the_first_paragraph(p, item):
        item.lead = "بند اول"

    custom = replace(PROFILES["fararu"], name="fararu", field_readers={"lead": lead_from_the_first_paragraph})
    item = article.parse_article(page("<p>بند اول</p><p>بند دوم</p>"), None, profile=custom)
    assert item.lead == "بند اول" and item.title == "عنوان خبر"  # the other fields as the CMS reads them


def test_a_field_reader_for_no_field_is_refused():
    custom = replace(PROFILES["fararu"], field_readers={"headline": lambda p, item: None})
    with pytest.raises(ValueError, match="names no field of the CMS: \\['headline'\\]"):
        article.parse_article(page("<p>بند</p>"), None, profile=custom)


def test_a_publishers_module_is_named_for_its_site():
    for name, profile in PROFILES.items():
        assert profile.name == name == site_name(profile.hosts[0]) and name.isidentifier()
        assert profile.base_url.startswith(("https://", "http://")) and not profile.base_url.endswith("/")
        assert all(not host.startswith("www.") for host in profile.hosts)
        assert profile.owns(profile.base_url + "/fa/news/1")


def test_site_names_are_identifiers_from_the_domain():
    assert [site_name(h) for h in ("www.yjc.ir", "598.ir", "shia-news.com", "khordad.news", "8sobh.ir")] == [
        "yjc", "s598", "shia_news", "khordad", "s8sobh"]


def test_a_url_of_every_registered_host_resolves_to_its_site():
    for profile in PROFILES.values():
        for host in profile.hosts:
            for url in (f"https://{host}/fa/news/1", f"http://www.{host}/fa/news/1/slug"):
                assert profile_for_url(url) is profile
            assert HOSTS[host] is profile
    assert profile_for_url("https://www.yjc.news/fa/news/1").name == "yjc"  # a site with two domains
    assert profile_for_url(None).name == profile_for_url("/tmp/page.html").name == DEFAULT_SITE  # no URL: the default


def test_two_profiles_claiming_one_host_is_an_error():
    twin = replace(PROFILES["fararu"], name="fararu2")
    with pytest.raises(ValueError, match="fararu.com is claimed by two profiles: fararu and fararu2"):
        profiles._hosts({"fararu": PROFILES["fararu"], "fararu2": twin})


def test_an_unknown_host_is_its_own_site_never_another_sites():
    unknown = profile_for_url("https://www.unknown.ir/fa/news/1")
    assert (unknown.name, unknown.base_url, unknown.hosts, unknown.registered) == (
        "unknown", "https://www.unknown.ir", ("unknown.ir",), False)
    assert profile_for_url("http://unknown.ir/x").base_url == "http://unknown.ir"  # the scheme and host as given
    assert profile_for_url("https://asriran.net/fa/news/5").name == "asriran_net"  # a registered site's name
    assert profile_for_url("http://127.0.0.1:8000/fa/news/5").name == "s127_0_0_1"
    assert not_registered(unknown) == ("www.unknown.ir is not a registered site: read with the IranSamaneh "
                                       "generic reader (add it: README 'Adding a site')")
    assert not_registered(PROFILES["fararu"]) is None
    item = parse_page(page("<p>متن خبر که به اندازه کافی بلند است.</p>"), "https://www.unknown.ir/fa/news/123/x")
    assert (item.site, item.url) == ("unknown", "https://www.unknown.ir/fa/news/123")
    assert profile_named("unknown", item.url) == unknown and profile_named("unknown") is None


@pytest.mark.parametrize("site", sorted(PROFILES))
def test_each_site_has_its_not_found_page_and_the_parser_knows_it(site):
    profile = PROFILES[site]
    page = mirror_for(profile).not_found_page(profile).decode("utf-8")
    assert f"<title>{profile.display_name or profile.name}</title>" in page
    with pytest.raises(NotAnArticle, match="not-found page"):
        parse_page(page, None, site=site)


def test_a_profile_with_other_generations_detects_with_them():
    fararu = PROFILES["fararu"]
    html = (FIXTURES / "fararu" / "news" / "996210.html").read_text(encoding="utf-8")
    assert article.parse_article(html, None, profile=fararu).parser_version.endswith(":2025-echo")
    older = replace(fararu, generations=fararu.generations[1:])  # without 2025-echo
    assert article.parse_article(html, None, profile=older).parser_version.endswith(":generic")


def test_a_page_in_a_sister_sites_theme_is_read_with_the_generic_reader_not_the_sisters_markup(monkeypatch):
    html = (FIXTURES / "yjc" / "news" / "8912345.html").read_text(encoding="utf-8")
    own = parse_page(html, None, site="yjc")
    assert own.parser_version.endswith(":2023-newsbox")
    moved = parse_page(html, None, site="asriran")  # asriran declares no such theme: the generic reader
    assert moved.parser_version.endswith(":generic") and moved.site == "asriran"
    assert moved.title == own.title and moved.body.startswith(own.body)  # yjc's sign-off is yjc's own
    assert moved.url == "https://www.asriran.com/fa/news/8912345"
    # Nothing another profile declares takes part: with asriran alone registered, the page reads the same.
    assert not hasattr(sites_module, "family_generations") and not hasattr(profiles, "family_generations")
    for name in [n for n in PROFILES if n != "asriran"]:
        monkeypatch.delitem(PROFILES, name)
    alone = parse_page(html, None, site="asriran")
    assert (alone.parser_version, alone.title, alone.body, alone.published_at) == (
        moved.parser_version, moved.title, moved.body, moved.published_at)

