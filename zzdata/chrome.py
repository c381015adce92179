"""Chrome: the lines a web page or forum export adds around an article.

A page saved from a news site, a government portal or a forum carries the
site's name and menu, a breadcrumb (当前位置:首页 > …), a release line
(发布时间/来源/作者/浏览次数), share, print and close links, previous/next
links, related-article lists, and copyright and ICP footers.  ``chrome_kind``
names the kind of such a line, or returns "" for a line of the article; the
layout makes them furniture.  Lines are judged on the reading copy
(simplified, full-width digits as printed).

>>> chrome_kind("当前位置:首页 > 新闻中心 > 部门动态"), chrome_kind("发布时间:2021-04-22 来源:青竹区")
('breadcrumb', 'release')
>>> chrome_kind("4月21日,青竹区开展防汛应急演练,参演人员二百余人。"), chrome_kind("时间:2021年4月22日上午9时")
('', '')
"""

from __future__ import annotations

import re
from functools import lru_cache

MAX_CHROME = 80  # chrome is a short line; a long one is text
_BULLET = re.compile(r"^[\s•·●◆■▪►\-–—*]*(?:\d{1,2}[.、]\s*)?")
_BREADCRUMB = re.compile(
    r"^(?:您?(?:现在|当前)?(?:的|所在)?位置|当前位置|本页位置|所在位置)\s*[:：]"
    r"|^\S{1,12}(?:\s*(?:>>?|›|»|＞|→)\s*\S{1,16}){2,}\s*(?:>>)?$"
    r"|(?:>>|›|»|＞)\s*$"
)
_RELEASE = re.compile(
    r"^(?:发布|发表|更新)(?:时间|日期)\s*[:：]"
    r"|^(?:时间|日期)\s*[:：]\s*\d{4}.*(?:\d{1,2}:\d{2}|来源|作者|浏览|点击)"  # not a notice's 时间:2021年4月22日上午9时
    r"|^(?:来源|作者|编辑|责任编辑|审核|核稿|浏览次数|点击数|阅读数|信息来源|文章来源)\s*[:：]"
    r"|[\[【(（]\s*(?:责任编辑|编辑)\s*[:：][^\]】)）]*[\]】)）]$"
    r"|^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:$|\s*(?:次浏览|浏览|来源|作者|编辑|分类|点击|阅读))"
    r"|(?:发布时间|来源|浏览次数|点击数)\s*[:：].*(?:来源|作者|浏览|点击|编辑)"
    r"|^日期\s*[:：]\s*[\[【]|版次\s*[:：]"
    r"|^(?:\S{1,10}\s+){2,}\d{4}-\d{1,2}-\d{1,2}$"  # a tag line ending in the date: 株洲 湘江 株洲日报 2019-07-29
)
_LINKS = re.compile(
    r"^(?:上一篇|下一篇|上一条|下一条|返回顶部|返回首页|返回列表|更多相关\S*|相关阅读|相关报道|相关新闻|相关链接|友情链接"
    r"|热门推荐|推荐阅读|分享到\S*|分享至\S*|分享|扫一扫\S*|打印\S{0,2}|关闭\S{0,2}|收藏|我要评论|相关评论|放大字体|缩小字体|字号|字体)"
    r"(?:$|[\s:：|【\[])"
    r"|【\s*(?:打印|关闭|字体|字号|收藏|返回)"
    r"|^(?:\S{1,6}\s*\|\s*){2,}\S{0,6}\s*\|?$"
    r"|\(\d{4}-\d{2}-\d{2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\)$"
)
_FOOTER = re.compile(
    r"版权所有|copyright|©|icp\s*备|icp\s*证|网站标识码|公网安备|不代表\S{0,12}观点|务经书面授权|未经授权"
    r"|^(?:untitled document|logo|en|english)$|^https?://\S+$",
    re.IGNORECASE,
)
_FORUM = re.compile(r"^(?:楼主|沙发|板凳|地板|\d+\s*楼|#\d+)\b|发表于\s*\d{4}|只看该作者|^(?:回复|举报|引用|支持|反对)(?:\s+(?:回复|举报|引用|支持|反对))*$")
_SITE = re.compile(r"^\S{2,16}(?:门户网站|网站|论坛|新闻网|融媒体中心|客户端)$")


# Some sites print the pinyin of a character after it: 發(fā)布時間
_PINYIN = re.compile(r"\([a-zü\u00e0-\u00fc\u0101-\u01dc]{1,6}\)")


def plain(line: str) -> str:
    """A line without inline pinyin notes, for matching only.

    >>> plain("发(fā)布时间:2023-08-26")
    '发布时间:2023-08-26'
    """
    return _PINYIN.sub("", line)


@lru_cache(maxsize=4096)  # layout, dates and segment each ask of the same lines
def chrome_kind(line: str) -> str:
    """The kind of page chrome a line is (breadcrumb, release, links,
    footer, forum, site), or "" when it belongs to the article.

    >>> chrome_kind("楼主 发表于 2021-4-23 08:12:05 | 只看该作者"), chrome_kind("【打印本页】【关闭窗口】")
    ('forum', 'links')
    """
    ink = plain(line).strip()
    if not ink or len(ink) > MAX_CHROME and not _FOOTER.search(ink):
        return ""
    bare = ink[_BULLET.match(ink).end() :].strip() or ink
    for kind, pattern in (("footer", _FOOTER), ("forum", _FORUM), ("breadcrumb", _BREADCRUMB),
                          ("release", _RELEASE), ("links", _LINKS), ("site", _SITE)):
        if pattern.search(bare):
            return kind
    return ""


_OUTLET = re.compile(r"(?:来源|信息来源|文章来源)\s*[:：]\s*([^\s:：|]{2,20})")


def outlet_span(line: str) -> tuple[int, int] | None:
    """[start, end) of the outlet a release line names after 来源 (None
    when it names none); pinyin notes are left in place (offsets hold).

    >>> line = "发布时间:2021-04-22 来源:青竹区应急管理局  作者:何静"
    >>> start, end = outlet_span(line); line[start:end]
    '青竹区应急管理局'
    """
    match = _OUTLET.search(line)
    return match.span(1) if match else None


def is_release_line(line: str) -> bool:
    """Does a line say when and where a web article was released?"""
    return chrome_kind(line) == "release"
