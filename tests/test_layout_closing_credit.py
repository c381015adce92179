# Made-up page (no real article): a dated page header with the paper's name,
# an edition line, an article with a byline, then an article without one whose
# paragraph closes with a credit in brackets, a photo caption and the credits.
import zzdata as zz

PAGE = """株洲日报 2021年5月12日 星期三
第A03版：要闻

　　天元区：汛前检查全覆盖
　　本报讯（记者 王小明 通讯员 刘芳）5月11日，天元区防指组织12个检查组开展汛前检查，共排查隐患45处，已整改41处。

　　石峰区开展应急演练
　　5月10日上午，石峰区在清水塘街道组织防汛应急演练，参演人员300余人。（记者 陈思远）

图为演练现场。记者 陈思远 摄

责任编辑：赵一鸣 校对：孙丽华
"""


def load(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(PAGE, encoding="utf-8")
    return zz.load(path)


def test_dated_header_and_edition_are_page_furniture(tmp_path):
    t = load(tmp_path)
    assert len(t.pages) == 1
    page = t.pages.iloc[0]
    assert (page["page_code"], page["section"], page["printed_date"]) == ("A03", "要闻", "2021-05-12")
    assert (page["editors"], page["proofreaders"]) == ("赵一鸣", "孙丽华")
    assert set(t.articles["publication_date"]) == {"2021-05-12"}
    assert not t.articles["is_date_inferred"].any()


def test_a_closing_credit_opens_a_new_article_without_byline(tmp_path):
    t = load(tmp_path)
    assert t.articles["headline"].tolist() == ["天元区：汛前检查全覆盖", "石峰区开展应急演练"]
    second = t.articles.iloc[1]
    assert second["body"] == "5月10日上午，石峰区在清水塘街道组织防汛应急演练，参演人员300余人。"
    assert (second["reporters"], second["photographers"]) == ("陈思远", "陈思远")
    assert second["byline"] == "（记者 陈思远）"
    assert t.articles.iloc[0]["reporters"] == "王小明"
    roles = t.layout[t.layout["text"] == "（记者 陈思远）"]["role"].tolist()
    assert roles == ["byline"]


def test_a_closing_credit_in_an_article_without_byline_closes_it(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("全市开展防汛演练\n\n第一部分\n\n昨日，全市开展演练。\n\n第二部分\n\n参演人员300余人。（记者 陈思远）\n", encoding="utf-8")
    t = zz.load(path)
    assert t.articles["headline"].tolist() == ["全市开展防汛演练"]
    assert t.articles.iloc[0]["subheads"] == "第一部分|第二部分"
    assert t.articles.iloc[0]["reporters"] == "陈思远"
