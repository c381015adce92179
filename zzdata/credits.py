"""Credits: who wrote, reported, photographed and edited — bylines, photo
credits in captions and the page's editor credit line.

Every function here looks at one line of text (already cut by the layout
stage) and answers with plain strings; nothing here knows about offsets
beyond "how far into this line does the byline reach".

>>> match_byline("本报讯(记者/王小明 通讯员/刘芳)昨日,全市…")
18
>>> parse_credit("记者/王小明 陈思远 通讯员/刘芳").reporters
('王小明', '陈思远')
>>> caption_credit("志愿者在清理河道。王小明摄").photographers
('王小明',)
>>> parse_page_credits("1234567 责任编辑:王小明 校对:刘芳")["proofreaders"]
('刘芳',)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NAME = re.compile(rf"[{_CJK}][{_CJK}·•・]{{1,6}}")
# Role words of bylines; the one-character roles (文/图/摄) only count when a
# slash or colon follows them, so a name such as 李文 is never cut.
_ROLE_WORDS = {
    "本报记者": "reporters",
    "特约记者": "reporters",
    "见习记者": "reporters",
    "首席记者": "reporters",
    "融媒体记者": "reporters",
    "全媒体记者": "reporters",
    "摄影记者": "photographers",
    "记者": "reporters",
    "本报通讯员": "correspondents",
    "特约通讯员": "correspondents",
    "通讯员": "correspondents",
    "实习生": "reporters",
    "摄影": "photographers",
    "文字": "reporters",
}
_SHORT_ROLES = {"文": "reporters", "图": "photographers", "摄": "photographers"}
_ROLE = re.compile(
    "(" + "|".join(sorted(_ROLE_WORDS, key=len, reverse=True)) + rf"|(?<![{_CJK}])[文图摄](?=\s*[/／:：]))"
)
_STOP_WORDS = {"报道", "供图", "摄", "摄影", "讯", "报", "图", "文", "本报"}
_SEPARATORS = re.compile(r"[\s/／:：、,，;；]+")
_PAREN_BYLINE = re.compile(
    rf"(?:[^\s()（）,，。:：]{{0,24}}?(?:讯|电|报道|消息))?\s*[(（]\s*(?:{_ROLE.pattern})[^()（）\n]{{0,80}}[)）]"
)
# "XX日报·掌上XX记者 甲 通讯员/乙": an organisation glued to the first role.
_ORG_THEN_ROLE = re.compile(rf"(?P<org>[^\s()（）,，。:：!！?？]{{0,24}}?)\s*(?P<role>{_ROLE.pattern})")
# "(王小明 刘芳)" alone on a line: the credit many papers print at an article's end.
_NAMES_IN_BRACKETS = re.compile(rf"[(（]\s*[{_CJK}]{{2,4}}(?:[\s、/][{_CJK}]{{2,4}}){{0,5}}\s*[)）]")
_CAPTION_TAIL = re.compile(r"(?:^|[。!！?？…\s)）])(?P<credit>[^。!！?？…]{0,20}?)\s*(?:摄|供图|摄影)\s*[)）]?$")
_CAPTION_HEAD = re.compile(r"^[(（]?(?:图为|图:|图：|上图|下图|左图|右图|资料图片|图片来源|图/)")
_PAGE_ROLES = {
    "责任编辑": "editors",
    "本版编辑": "editors",
    "编辑": "editors",
    "美术编辑": "art_editors",
    "美编": "art_editors",
    "版式设计": "art_editors",
    "版式": "art_editors",
    "校对": "proofreaders",
}
_PAGE_ROLE = re.compile(
    "(" + "|".join(sorted(_PAGE_ROLES, key=len, reverse=True)) + r")\s*[:：]"
)
_PAGE_ROLE_BARE = re.compile(
    "(" + "|".join(sorted(_PAGE_ROLES, key=len, reverse=True)) + r")\s+(?=[\u4e00-\u9fff])"
)


@dataclass(frozen=True)
class Credit:
    """Names found in a byline or caption, by role, in printed order."""

    reporters: tuple[str, ...] = ()
    correspondents: tuple[str, ...] = ()
    photographers: tuple[str, ...] = ()

    def __add__(self, other: "Credit") -> "Credit":
        return Credit(
            _unique(self.reporters + other.reporters),
            _unique(self.correspondents + other.correspondents),
            _unique(self.photographers + other.photographers),
        )


def _unique(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _role_of(word: str) -> str:
    word = word.strip()
    return _ROLE_WORDS.get(word) or _SHORT_ROLES[word]


def parse_credit(credit: str) -> Credit:
    """Names by role from the words of a byline or photo credit.

    >>> parse_credit("记者 王小明 摄影 刘芳").photographers
    ('刘芳',)
    >>> parse_credit("文/陈思远 图/李文").reporters, parse_credit("文/陈思远 图/李文").photographers
    (('陈思远',), ('李文',))
    """
    found: dict[str, list[str]] = {"reporters": [], "correspondents": [], "photographers": []}
    role = None if _ROLE.search(credit) else "reporters"  # bare names are the writers
    for index, part in enumerate(_ROLE.split(credit)):
        if index % 2:  # re.split puts the captured role words at odd places
            role = _role_of(part)
            continue
        if role is None:
            continue
        for token in _SEPARATORS.split(part):
            token = token.strip("()（）")
            if token and token not in _STOP_WORDS and _NAME.fullmatch(token) and token[-1] not in "讯电":
                found[role].append(token)
    return Credit(*(tuple(found[k]) for k in ("reporters", "correspondents", "photographers")))


def match_byline(line: str) -> int | None:
    """How far a byline reaches into a line (0-based end), or None.

    Two shapes: a dateline with the credit in brackets, after which the body
    may follow on the same line; or a line that is nothing but an
    organisation, role words and names.

    >>> match_byline("(记者 王小明 通讯员/刘芳 陈思远)")
    19
    >>> match_byline("XX日报记者 王小明 通讯员/刘芳") is None
    False
    >>> match_byline("记者了解到,今年全市…") is None
    True
    """
    paren = _PAREN_BYLINE.match(line)
    if paren and _has_names(line[: paren.end()]):
        return paren.end()
    if _NAMES_IN_BRACKETS.fullmatch(line.strip()):
        return len(line.rstrip())
    glued = _ORG_THEN_ROLE.match(line)
    if not glued or not _whole_credit(line[glued.start("role") :]):
        return None
    org = glued.group("org")
    if org and not re.search(r"(?:讯|报|网|端|台|社|刊|新闻|株洲|中心)[·•・]?$|[·•・]", org):
        return None
    return len(line.rstrip())


def _has_names(credit: str) -> bool:
    parsed = parse_credit(credit)
    return bool(parsed.reporters or parsed.correspondents or parsed.photographers)


def _whole_credit(rest: str) -> bool:
    """True when a line is only role words, separators and names."""
    if not re.match(rf"(?:{_ROLE.pattern})\s*[/／:：\s]", rest):
        return False
    tokens = _name_tokens(rest)
    return bool(tokens) and all(t in _STOP_WORDS or _NAME.fullmatch(t) and len(t) <= 4 for t in tokens)


def _name_tokens(credit: str) -> list[str]:
    """The words of a credit that are not role words (names, 报道, 供图…)."""
    pieces = _ROLE.split(credit)[::2]
    return [t for piece in pieces for t in _SEPARATORS.split(piece) if t]


def is_caption(line: str) -> bool:
    """A photo caption: ends in a photo credit (…摄, …供图) or starts 图为….

    >>> is_caption("首期培训班现场。通讯员 供图")
    True
    >>> is_caption("他们正在进行拍摄")
    False
    """
    line = line.strip()
    if len(line) > 160:
        return False
    if _CAPTION_HEAD.match(line):
        return True
    tail = _CAPTION_TAIL.search(line)
    if not tail:
        return False
    if line.rstrip(")）").endswith("供图"):
        return True  # provided by a person or an organisation
    tokens = _name_tokens(tail.group("credit"))
    return bool(tokens) and all(_NAME.fullmatch(t) and len(t) <= 4 for t in tokens)


def caption_credit(line: str) -> Credit:
    """Photographers named in a caption's credit ("…。王小明摄")."""
    tail = _CAPTION_TAIL.search(line.strip())
    if not tail or line.strip().rstrip(")）").endswith("供图"):
        return Credit()
    credit = tail.group("credit").strip()
    parsed = parse_credit(credit)
    if parsed.reporters or parsed.correspondents or parsed.photographers:
        names = parsed.reporters + parsed.correspondents + parsed.photographers
    else:
        names = tuple(t for t in _name_tokens(credit) if t not in _STOP_WORDS and _NAME.fullmatch(t) and len(t) <= 4)
    return Credit(photographers=names)


def is_page_credit(line: str) -> bool:
    """An editor credit line: 责任编辑:… 美术编辑:… 校对:…  (a role word
    with a colon, or two role words without).

    >>> is_page_credit("责任编辑 王小明  校对 刘芳"), is_page_credit("校对工作很重要。")
    (True, False)
    """
    if len(line) > 120 or "。" in line:
        return False
    return bool(_PAGE_ROLE.search(line)) or len(set(_PAGE_ROLE_BARE.findall(line))) >= 2


def parse_page_credits(line: str) -> dict[str, tuple[str, ...] | str]:
    """Editors by role and the printed page code from a credit line."""
    found: dict[str, list[str]] = {"editors": [], "art_editors": [], "proofreaders": []}
    role = None
    code = re.match(r"\s*([0-9A-Za-z]{1,12})\s", line)
    splitter = _PAGE_ROLE if _PAGE_ROLE.search(line) else _PAGE_ROLE_BARE
    for part in splitter.split(line):
        if part in _PAGE_ROLES:
            role = _PAGE_ROLES[part]
        elif role:
            found[role].extend(t for t in _SEPARATORS.split(part) if _NAME.fullmatch(t))
    result: dict[str, tuple[str, ...] | str] = {k: tuple(v) for k, v in found.items()}
    result["page_code"] = code.group(1) if code else ""
    return result
