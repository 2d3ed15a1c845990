"""Typed body blocks (`blocks`, issue 20): the body, images and videos in reading order, each typed,
from the body cleaner's one walk. The rule (items.body_of_blocks): `body` is the `text` of every block
that has one, joined by a blank line; a block has a `text` exactly when its type is a text type
(paragraph, heading, list_item, quote, table_row); the image blocks are `images` ({url, caption}) and
the video blocks `videos`, each in the same order. Held on small snippets, on every fixture page, on
generated pages, through the text pipeline, the JSON Schema, the dataset build and `reparse`."""

from __future__ import annotations

import json
from dataclasses import replace

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newscrawl.dataset.build import build
from newscrawl.items import BLOCK_TYPES, TEXT_BLOCK_TYPES, Article, Block, body_of_blocks, exported
from newscrawl.mirror.synth import FIRST_ID, synthesize
from newscrawl.pipelines.persian_text import PersianTextPipeline
from newscrawl.pipelines.validation import problems
from newscrawl.replay.fixtures import fixture_pages, load_expected, replay
from newscrawl.replay.pages import read_page
from newscrawl.replay.processor import Processor
from newscrawl.sites import PROFILES
from newscrawl.sites.iransamaneh import markup
from tests.conftest import article_pages, read_jsonl, run
from tests.test_body_rules import clean, p
from tests.test_dataset import fixture_articles, write_run


def text(kind: str, value: str) -> Block:
    return Block(type=kind, text=value, url=None, caption=None)


def assert_the_rule(item: dict) -> None:
    """`blocks` against `body`, `images` and `videos` of one exported item."""
    blocks = item["blocks"]
    assert {b["type"] for b in blocks} <= set(BLOCK_TYPES)
    assert all((b["text"] is not None) == (b["type"] in TEXT_BLOCK_TYPES) for b in blocks)
    assert body_of_blocks(blocks) == item["body"]
    assert [{"url": b["url"], "caption": b["caption"]} for b in blocks if b["type"] == "image"] == item["images"]
    assert [b["url"] for b in blocks if b["type"] == "video"] == item["videos"]


# ---- the walk: each type, in reading order ---------------------------------------------------------

PROSE = "عضو کمیسیون بهداشت مجلس گفت: تصمیم درباره تعطیلی مدارس باید بر اساس نظر کارشناسان گرفته شود."
PROSE2 = "او افزود: کمبود ماسک و مواد ضدعفونی‌کننده در داروخانه‌ها هنوز به طور کامل برطرف نشده است."


def test_every_block_type_in_reading_order_and_the_body_unchanged():
    result = clean(
        "<h3>نشست امروز مجلس</h3>" + p(PROSE)
        + '<p><span style="color:#0000ff"><strong>موج گرما در راه ۱۲ استان</strong></span></p>'
        + '<p style="text-align: center;"><img src="/files/fa/news/1/a.jpg"></p>'
        + '<p style="text-align: center;">آسمان تهران از فراز برج میلاد</p>'
        + "<ul><li>بند اول فهرست</li><li><p>بند دوم فهرست</p></li></ul>"
        + "<blockquote><p>نقل قولی از سخنگو</p></blockquote>"
        + "<table><tr><th>شهر</th><th>دما</th></tr><tr><td>اهواز</td><td>۴۸</td></tr></table>"
        + '<video src="/files/fa/news/1/v.mp4"></video>' + p(PROSE2))
    assert result.blocks == [
        text("heading", "نشست امروز مجلس"),
        text("paragraph", PROSE),
        text("heading", "موج گرما در راه ۱۲ استان"),
        Block(type="image", text=None, url="https://www.asriran.com/files/fa/news/1/a.jpg",
              caption="آسمان تهران از فراز برج میلاد"),
        text("list_item", "بند اول فهرست"),
        text("list_item", "بند دوم فهرست"),
        text("quote", "نقل قولی از سخنگو"),
        text("table_row", "شهر | دما"),
        text("table_row", "اهواز | ۴۸"),
        Block(type="video", text=None, url="https://www.asriran.com/files/fa/news/1/v.mp4", caption=None),
        text("paragraph", PROSE2),
    ]
    # the body as it always was: every text, the caption not among them
    assert result.text == "\n\n".join(result.paragraphs) == body_of_blocks(result.blocks)
    assert result.paragraphs == [b["text"] for b in result.blocks if b["text"] is not None]
    assert result.images == [{"url": "https://www.asriran.com/files/fa/news/1/a.jpg",
                              "caption": "آسمان تهران از فراز برج میلاد"}]


@pytest.mark.parametrize("html", [
    p(f"به گزارش عصر ایران، <strong>۱۴۷ امضا</strong> {PROSE}"),  # bold mid-sentence
    p("<strong>او گفت:</strong>"),  # a lead-in, not a subhead
    p(f"<strong>{PROSE}</strong>"),  # a whole sentence in bold ends as one
    p("<b>" + "واژه " * 30 + "</b>"),  # longer than a subhead
    p("<strong>«ما اجازه نمی‌دهیم کسی امنیت کشور را به خطر بیندازد.»</strong>"),  # a quoted sentence
    p("<strong>به گزارش ایسنا،</strong>"),  # a lead-in ending with the Persian comma
], ids=["mid-sentence", "lead-in", "sentence", "long", "quoted-sentence", "comma-lead-in"])
def test_bold_that_is_no_subhead_stays_a_paragraph(html):
    [block] = clean(html).blocks
    assert block["type"] == "paragraph"
    assert len("واژه " * 30) > markup.SUBHEAD_MAX_CHARS


def test_a_bold_list_item_is_a_list_item_and_a_heading_in_a_quote_a_quote():
    blocks = clean("<ul><li><strong>بند پررنگ</strong></li></ul>"
                   "<blockquote><p><b>سخن کوتاه</b></p></blockquote>").blocks
    assert [b["type"] for b in blocks] == ["list_item", "quote"]


def test_text_after_a_list_in_its_block_is_a_paragraph_again():
    blocks = clean("<div><ul><li>بند فهرست</li></ul>متن پس از فهرست</div>").blocks
    assert blocks == [text("list_item", "بند فهرست"), text("paragraph", "متن پس از فهرست")]


def test_an_image_twice_is_one_block_at_its_first_place():
    img = '<p><img src="/files/fa/news/1/a.jpg"></p>'
    blocks = clean(img + p(PROSE) + img).blocks
    assert [b["type"] for b in blocks] == ["image", "paragraph"]


def test_a_sign_off_leaves_the_blocks_with_the_body():
    yjc = PROFILES["yjc"]
    result = clean(p(PROSE) + p("انتهای پیام/"), profile=replace(PROFILES["asriran"],
                                                               body_sign_offs=yjc.body_sign_offs))
    assert result.blocks == [text("paragraph", PROSE)] and result.paragraphs == [PROSE]


# ---- the text pipeline keeps body and blocks one --------------------------------------------------

def test_the_text_policy_applies_to_blocks_as_to_the_body():
    item = Article(site="asriran", news_id=1, url=None, body="كتاب يك\n\n\u200f\n\nدوم",
                   images=[{"url": "https://a.ir/x.jpg", "caption": "عكس"}],
                   blocks=[text("heading", "كتاب يك"), text("paragraph", "\u200f"),
                           Block(type="image", text=None, url="https://a.ir/x.jpg", caption="عكس"),
                           text("paragraph", "دوم")])
    item = PersianTextPipeline().process_item(item)
    assert item.body == "کتاب یک\n\nدوم" == body_of_blocks(item.blocks)
    assert [b["type"] for b in item.blocks] == ["heading", "image", "paragraph"]
    assert item.blocks[1]["caption"] == item.images[0]["caption"] == "عکس"


# ---- the rule over every page ---------------------------------------------------------------------

@pytest.mark.parametrize("page", article_pages(), ids=lambda page: f"{page.parent.parent.name}-{page.stem}")
def test_the_rule_holds_on_every_fixture_page(page):
    assert_the_rule(replay(page))


def test_the_fixture_subheads_are_headings():
    """The family's subheads: `<p><span><strong>…</strong></span></p>` (tabnak 2018), `<p><strong>…`
    (the real yjc page)."""
    def headings(site, news_id):
        item = load_expected(next(p for p in fixture_pages() if p.parent.parent.name == site and p.stem == news_id))
        return [b["text"] for b in item["blocks"] if b["type"] == "heading"]

    assert headings("tabnak", "818300")[:2] == ["موج گرما در راه ۱۲ استان", "زمان اعلام نتایج اولیه کنکور"]
    assert len(headings("tabnak", "818300")) == 7
    assert headings("yjc", "7349926")[0] == "کشف موتورسیکلت سی بی ۴۰۰ در یزد"
    assert headings("asriran", "337590") == []


def test_the_rule_holds_on_generated_pages(tmp_path):
    synthesize(tmp_path, 40, seed=3)
    processor = Processor()
    kinds = set()
    for news_id in range(FIRST_ID, FIRST_ID + 40):
        outcome = processor.process(read_page(tmp_path / "news" / f"{news_id}.html"),
                                    f"https://www.asriran.com/fa/news/{news_id}")
        assert outcome.article is not None, outcome.quarantined
        item = exported(outcome.article)
        assert_the_rule(item)
        kinds.update(b["type"] for b in item["blocks"])
    assert {"paragraph", "image"} <= kinds


# ---- the JSON Schema -------------------------------------------------------------------------------

def _valid_article() -> Article:
    return Article(site="asriran", news_id=1, url="https://www.asriran.com/fa/news/1", title="خبر",
                   body="متن", published_at="2024-03-20T10:00:00+03:30", published_at_jalali="1403-01-01T10:00:00",
                   published_raw="۱۰:۰۰ - ۱۴۰۳/۰۱/۰۱", crawled_at="2026-01-01T00:00:00Z",
                   parser_version="iransamaneh/3:2023", blocks=[text("paragraph", "متن")])


@pytest.mark.parametrize(("block", "where"), [
    ({"type": "image", "text": "متن", "url": "https://a.ir/x.jpg", "caption": None}, "text"),
    ({"type": "paragraph", "text": "متن", "url": "https://a.ir/x.jpg", "caption": None}, "url"),
    ({"type": "subhead", "text": "متن", "url": None, "caption": None}, "type"),
    ({"type": "paragraph", "text": "متن", "url": None}, "caption"),
], ids=["image-with-text", "text-with-url", "unknown-type", "missing-key"])
def test_the_schema_rejects_a_malformed_block(block, where):
    assert problems(_valid_article()) == []
    reasons = problems(replace(_valid_article(), blocks=[block]))
    assert len(reasons) == 1 and reasons[0].startswith("blocks: schema: blocks"), reasons
    assert where in reasons[0]


# ---- the dataset: a list<struct> column; lines written before blocks existed still load ----------

def test_old_lines_without_blocks_and_new_lines_with_them_build_into_one_dataset(tmp_path):
    runs = tmp_path / "output"
    articles = fixture_articles()
    old = [{k: v for k, v in a.items() if k != "blocks"} for a in articles]
    write_run(runs, "20260101T000000Z-archive-aaaaaa", old)
    # the same fetch re-read by a release that writes blocks (same crawled_at, a later run file)
    write_run(runs, "20260201T000000Z-reparse-bbbbbb", articles[:3], day="2026-02-01")
    out = tmp_path / "ds"
    result = build(out, runs)
    assert result.invalid_lines == 0
    assert result.rows == {"latest": len(articles), "versions": 0}  # blocks make no new version
    table = pq.read_table(out / "latest")
    assert table.schema.field("blocks").type == pa.list_(pa.struct(
        [("type", pa.string()), ("text", pa.string()), ("url", pa.string()), ("caption", pa.string())]))
    rows = {r["news_id"]: r for r in table.to_pylist()}
    for article in articles:
        want = article["blocks"] if article in articles[:3] else None
        assert rows[article["news_id"]]["blocks"] == want
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "| blocks | " in card and "- name: \"blocks\"" in card


# ---- reparse fills blocks for pages archived before they existed ---------------------------------

def test_reparse_fills_blocks_for_an_archived_page(tmp_path):
    page = next(p for p in fixture_pages() if p.parent.parent.name == "tabnak" and p.stem == "818300")
    archive, out = tmp_path / "old.warc.gz", tmp_path / "again.jsonl"
    assert run("-m", "newscrawl", "warc", str(archive), str(page)).returncode == 0
    result = run("-m", "newscrawl", "reparse", str(archive), "-O", str(out))
    assert result.returncode == 0, result.stderr
    [item] = read_jsonl(out)
    assert item["blocks"] == load_expected(page)["blocks"]
    assert_the_rule(item)
    assert sum(b["type"] == "heading" for b in item["blocks"]) == 7
    assert json.loads(result.stdout)["articles"] == 1
