from datetime import UTC

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.settings import Settings

from newscrawl import settings as project_settings
from newscrawl.middlewares.retry import BackoffRetryMiddleware, retry_after_seconds
from newscrawl.spiders.site import AsriranSpider


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "sitemap"}, "unknown mode 'sitemap'"),
        ({"mode": "ids"}, "mode=ids needs"),
        ({"mode": "urls"}, "mode=urls needs"),
    ],
)
def test_bad_arguments_are_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        AsriranSpider(**kwargs)


def test_defaults_crawl_the_real_site_feed_up_to_today():
    spider = AsriranSpider()
    assert spider.mode == "rss" and spider.base_url == "https://www.asriran.com"
    assert spider.from_date == "1384/01/01" and spider.to_date.startswith("14")


@pytest.mark.parametrize(
    ("header", "seconds"),
    [(b"120", 120.0), (b"0", 0.0), (b"Wed, 21 Oct 2015 07:28:30 GMT", 30.0), (b"soon", None), (None, None)],
)
def test_retry_after_header(header, seconds):
    from datetime import datetime

    now = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert retry_after_seconds(header, now=now) == seconds


def test_backoff_doubles_up_to_a_cap_and_retry_after_wins_within_its_cap():
    settings = Settings()
    settings.setmodule(project_settings)
    middleware = BackoffRetryMiddleware(settings)
    request = Request("https://www.asriran.com/fa/news/1")
    waits = [middleware.delay_for(request.replace(meta={"retry_times": n})) for n in range(1, 10)]
    assert waits[:4] == [2.0, 4.0, 8.0, 16.0] and max(waits) == 120.0
    response = Response(request.url, status=429, headers={"Retry-After": "30"})
    assert middleware.delay_for(request, response) == 30.0
    response = Response(request.url, status=503, headers={"Retry-After": "86400"})
    assert middleware.delay_for(request, response) == 600.0


def test_the_user_agent_names_the_contact_url_setting():
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(AsriranSpider, {"USER_AGENT": project_settings.USER_AGENT,
                                          "CONTACT_URL": "https://example.org/contact"})
    assert crawler.settings["USER_AGENT"] == (
        "newscrawl/0.1 (+https://example.org/contact; Persian news dataset crawler)")


def test_days_means_the_archive_of_the_last_days_in_tehran():
    from datetime import datetime, timedelta

    import jdatetime

    from newscrawl.text.jalali import TEHRAN

    spider = AsriranSpider(mode="archive", days="3")
    today = jdatetime.date.fromgregorian(date=datetime.now(TEHRAN).date())
    assert spider.from_date == (today - timedelta(days=3)).strftime("%Y/%m/%d")
    assert spider.to_date == today.strftime("%Y/%m/%d")
