# Made-up cases: every page in tests/golden/madeup_pages/ was invented for
# these tests (people such as 王小明, 刘芳, 陈思远 and the district 青竹区 are
# fictitious).  Each page imitates one layout feature seen in the real sample
# data/zhuzhou-daily-2021-04.txt (read by hand): kickers ending in a colon,
# decks, two-line subheads, photo captions, the editor credit line with page
# id and section label, paragraphs broken across columns, a word split by a
# caption.  The expected values below were written by reading those pages.
# Encoding variants (CRLF, BOM, GB18030, undecodable bytes) are generated
# from the same made-up pages into tmp_path.
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import zzdata as zz

PAGES_DIR = Path(__file__).resolve().parent / "golden" / "madeup_pages"
ROLES = {"headline", "kicker", "deck", "subhead", "byline", "body", "caption", "furniture", "blank"}
CONTENT_COLUMNS = [
    "source", "section", "kicker", "headline", "deck", "subheads", "byline", "reporters",
    "correspondents", "photographers", "body", "n_chars", "publication_date", "is_date_inferred",
]

DECK = "今年计划完成改造小巷四十二条"

# One entry per made-up page: its articles (in order), its pages and the role
# every non-space character of a printed piece must have in the layout.
EXPECTED = {
    "kicker_deck.txt": {
        "articles": [dict(
            kicker="青竹区城管局:",
            headline="“微改造”让背街小巷换新颜",
            deck={"——" + DECK, DECK},  # either form of the printed deck is accepted
            subheads=[],
            byline="株洲日报·掌上株洲讯(记者/王小明 通讯员/刘芳)",
            reporters=["王小明"], correspondents=["刘芳"], photographers=[],
            section="",
            body="近日,青竹区城管局启动背街小巷“微改造”工程,首批十二条小巷已完成路面修复。\n"
                 "“以前一下雨就到处是积水,现在路面平整了,出门也方便了。”家住桂园小巷的居民李阿姨说。\n"
                 "据介绍,改造工程将持续到今年年底,所需资金由区财政统筹安排。",
        )],
        "pages": [dict(page_code="", section="", editors=[], art_editors=[], proofreaders=[])],
        "roles": [
            ("青竹区城管局:", "kicker"),
            ("“微改造”让背街小巷换新颜", "headline"),
            ("——" + DECK, "deck"),
            ("株洲日报·掌上株洲讯(记者/王小明 通讯员/刘芳)", "byline"),
            ("近日,青竹区城管局启动背街小巷", "body"),
            ("家住桂园小巷的居民李阿姨说。", "body"),
            ("据介绍,改造工程将持续到今年年底", "body"),
        ],
    },
    "subheads.txt": {
        "articles": [dict(
            kicker="",
            headline="青竹区推出三项便民举措",
            deck="",
            subheads=["举措一:延时服务 午休时间不打烊,下班之后也能办", "举措二:上门办理 行动不便的老人,在家就能办"],
            byline="株洲日报·掌上株洲讯(记者/陈思远 通讯员/何静)",
            reporters=["陈思远"], correspondents=["何静"], photographers=[],
            section="",
            body="今年以来,青竹区围绕群众关心的身边小事,推出多项便民举措,受到居民欢迎。\n"
                 "区政务服务中心推行“午间不断档、下班不断线”服务模式,工作日中午和傍晚均安排专人值守。\n"
                 "截至目前,延时服务已累计办理业务八百余件。\n"
                 "针对高龄老人和残疾人,区里组建了十支上门服务小分队,为他们提供证件办理、社保认证等服务。\n"
                 "“没想到不出门就把事情办好了。”八十岁的张奶奶说。",
        )],
        "pages": [dict(page_code="", section="", editors=[], art_editors=[], proofreaders=[])],
        "roles": [
            ("青竹区推出三项便民举措", "headline"),
            ("举措一:延时服务", "subhead"),
            ("午休时间不打烊,下班之后也能办", "subhead"),
            ("举措二:上门办理", "subhead"),
            ("行动不便的老人,在家就能办", "subhead"),
            ("截至目前,延时服务已累计办理业务八百余件。", "body"),
        ],
    },
    "captions.txt": {
        "articles": [dict(
            kicker="",
            headline="春日田间农事忙",
            deck="",
            subheads=[],
            byline="株洲日报·掌上株洲讯(记者/赵一鸣 通讯员/孙丽华)",
            reporters=["赵一鸣"], correspondents=["孙丽华"],
            # "陈思远 摄" names a person; "青竹区农业农村局供图" credits an office, not a photographer
            photographers=["陈思远"],
            section="",
            body="连日来,青竹区各乡镇抢抓晴好天气,组织农户开展春耕备耕,田间地头一派繁忙景象。\n"
                 "在石桥村的育秧工厂里,工人们正忙着将秧盘搬上运输车,一盘盘嫩绿的秧苗即将运往各个种植基地。\n"
                 "村党支部书记介绍,今年全村计划种植早稻一千二百亩,比去年增加两百亩。\n"
                 "在农机合作社,十余台插秧机已经检修完毕,随时可以下田作业。\n"
                 "区农业农村局还组织二十名农技人员深入田间,为农户提供技术指导。",
        )],
        "pages": [dict(page_code="", section="", editors=[], art_editors=[], proofreaders=[])],
        "roles": [
            ("石桥村育秧工厂里,工人正在搬运秧盘。陈思远 摄", "caption"),
            ("农技人员在田间指导农户施肥。青竹区农业农村局供图", "caption"),
            ("村党支部书记介绍", "body"),
            ("区农业农村局还组织二十名农技人员", "body"),
        ],
    },
    "credit_line.txt": {
        "articles": [
            dict(
                kicker="",
                headline="青竹区举办职工技能大赛",
                deck="",
                subheads=[],
                byline="株洲日报·掌上株洲讯(记者/郑浩然 通讯员/吴晓燕)",
                reporters=["郑浩然"], correspondents=["吴晓燕"], photographers=[],
                section="",
                body="4月10日,青竹区第三届职工技能大赛开幕,来自全区四十余家企业的三百多名职工同台竞技。\n"
                     "本届大赛设置焊工、电工、数控车工等八个比赛项目。",
            ),
            dict(
                kicker="",
                headline="老旧小区加装电梯提速",
                deck="",
                subheads=[],
                byline="株洲日报·掌上株洲讯(记者/吴晓燕 通讯员/郑浩然)",
                reporters=["吴晓燕"], correspondents=["郑浩然"], photographers=[],
                section="民生",
                # the body itself starts with 记者 — it is not part of the byline
                body="记者从市住建局获悉,今年全市计划为老旧小区加装电梯一百二十台。\n"
                     "目前,已有四十五台电梯完成安装并投入使用。",
            ),
        ],
        "pages": [
            dict(page_code="", section="", editors=[], art_editors=[], proofreaders=[]),
            dict(page_code="3104517", section="民生", editors=["周文博"], art_editors=["何静"],
                 proofreaders=["孙丽华"]),
        ],
        "roles": [
            ("民生\n", "furniture"),
            ("3104517 责任编辑:周文博 美术编辑:何静 校对:孙丽华", "furniture"),
            ("老旧小区加装电梯提速", "headline"),
            ("记者从市住建局获悉", "body"),
        ],
    },
    "credit_top.txt": {
        "articles": [dict(
            kicker="",
            headline="青竹区法院开展“送法进社区”活动",
            deck="",
            subheads=[],
            byline="株洲日报·掌上株洲讯(记者/刘芳 通讯员/周文博)",
            reporters=["刘芳"], correspondents=["周文博"], photographers=[],
            section="法治",
            body="4月15日,青竹区人民法院的法官走进社区,为居民讲解婚姻家庭、邻里纠纷等方面的法律知识。\n"
                 "活动现场,法官们还为居民提供了一对一的法律咨询服务。",
        )],
        "pages": [dict(page_code="2990001", section="法治", editors=["赵一鸣", "何静"], art_editors=["陈思远"],
                       proofreaders=["王小明"])],
        "roles": [
            ("2990001 责任编辑:赵一鸣 何静 美术编辑:陈思远 校对:王小明", "furniture"),
            ("法治\n", "furniture"),
            ("青竹区法院开展“送法进社区”活动", "headline"),
        ],
    },
    "column_break.txt": {
        "articles": [dict(
            kicker="",
            headline="青竹区全面推进河长制",
            deck="",
            subheads=[],
            byline="株洲日报·掌上株洲讯(记者/王小明 通讯员/陈思远)",
            reporters=["王小明"], correspondents=["陈思远"], photographers=[],
            section="",
            body="今年以来,青竹区把河湖治理作为改善民生的重要抓手,全区三十六名河长定期巡河,及时发现并处置河道问题二百余个。\n"
                 "全区共清理河道垃圾1.25万吨,拆除违章建筑四十余处,河湖面貌明显改善。\n"
                 "下一步,青竹区将继续加大投入,力争年内实现全区河湖水质稳定达标。",
        )],
        "pages": [dict(page_code="", section="", editors=[], art_editors=[], proofreaders=[])],
        "roles": [
            ("及时发现并处置河道\n", "body"),
            ("问题二百余个。", "body"),
            ("全区共清理河道垃圾1.25万\n", "body"),
            ("吨,拆除违章建筑四十余处", "body"),
        ],
    },
    "split_word_caption.txt": {
        "articles": [dict(
            kicker="",
            headline="志愿服务走进桂花村",
            deck="",
            subheads=[],
            byline="株洲日报·掌上株洲讯(记者/刘芳 通讯员/周文博)",
            reporters=["刘芳"], correspondents=["周文博"], photographers=["何静"],
            section="",
            body="4月17日,青竹区三十余名青年志愿者来到桂花村,开展义诊、理发、家电维修等志愿服务活动。\n"
                 "活动持续了一整天,共服务村民三百余人次。",
        )],
        "pages": [dict(page_code="", section="", editors=[], art_editors=[], proofreaders=[])],
        "roles": [
            ("4月17日,青竹区三十余名青年志愿者来到桂\n", "body"),
            ("志愿者为村民义诊。何静 摄", "caption"),
            ("花村,开展义诊、理发、家电维修等志愿服务活动。", "body"),
        ],
    },
    "fragment.txt": {
        "articles": [dict(
            kicker="",
            headline="市安委会召开全体会议",
            deck="",
            subheads=[],
            byline="株洲日报·掌上株洲讯(记者/孙丽华 通讯员/赵一鸣)",
            reporters=["孙丽华"], correspondents=["赵一鸣"], photographers=[],
            section="",
            body="4月25日,市安委会召开全体成员会议,分析当前安全生产形势,部署下阶段重点工作。\n"
                 "会议指出,要突出安全、消防、防汛等重点工作。\n"
                 "会议要求,各成员单位要压实责任,确保全市安全生产形势持续稳定。",
        )],
        "pages": [dict(page_code="", section="", editors=[], art_editors=[], proofreaders=[])],
        "roles": [
            ("会议指出,要突出安全、消防、防", "body"),
            ("汛等重点工作。", "body"),
        ],
    },
}

# Pages added for issue 14 (made up too; expected values from reading them):
# no_byline.txt puts three articles without a byline after a bylined one (a
# short news item opening 近日, a 应急科普 box, a statistics release opening
# 记者从…获悉); headline_deck_plain.txt prints a deck below the headline with
# no dash (the 攸县 example, renamed) and a slogan kicker without a
# colon; header_top.txt opens with a page header 第03版 要闻 and credits.
def _plain(headline, body, kicker="", deck="", byline="", reporters=(), correspondents=(), section=""):
    return dict(kicker=kicker, headline=headline, deck=deck, subheads=[], byline=byline,
                reporters=list(reporters), correspondents=list(correspondents), photographers=[],
                section=section, body=body)


EXPECTED["no_byline.txt"] = {
    "articles": [
        _plain("青竹区启动汛前隐患排查",
               "4月20日,青竹区正式启动汛前隐患排查,出动检查人员一百二十人次。\n排查将持续到5月底,发现的问题当场交办。",
               byline="株洲日报·掌上株洲讯(记者/王小明 通讯员/刘芳)", reporters=["王小明"], correspondents=["刘芳"]),
        _plain("石桥村新建文化广场投入使用",
               "近日,青竹区石桥村新建的文化广场正式投入使用,广场占地三千平方米。\n村民们纷纷来到广场跳舞、健身。"),
        _plain("雷雨天气如何防雷击",
               "雷雨天气尽量不要外出,不要在大树下避雨。\n在室内应关好门窗,远离金属管道。", kicker="应急科普"),
        _plain("一季度全区生产总值增长8.5%",
               "记者从青竹区统计局获悉,一季度全区实现生产总值一百二十亿元,同比增长8.5%。\n其中,第三产业增加值占比过半。"),
    ],
    "pages": [dict(page_code="", section="", editors=[], art_editors=[], proofreaders=[])],
    "roles": [
        ("石桥村新建文化广场投入使用", "headline"),
        ("应急科普", "kicker"),
        ("雷雨天气如何防雷击", "headline"),
        ("一季度全区生产总值增长8.5%", "headline"),
    ],
}
EXPECTED["headline_deck_plain.txt"] = {
    "articles": [
        _plain("青竹区开展安全大检查",
               "4月以来,青竹区在全区开展安全大检查,共出动执法人员900余人次,检查企业三百余家。\n检查中发现的隐患已全部整改到位。",
               deck="出动执法人员900余人次", byline="株洲日报·掌上株洲讯(记者/刘芳 通讯员/何静)",
               reporters=["刘芳"], correspondents=["何静"]),
        _plain("青竹区建成十座口袋公园", "今年以来,青竹区利用边角地建成十座口袋公园。\n居民在家门口就能休闲健身。",
               kicker="为民办实事", byline="株洲日报·掌上株洲讯(记者/王小明 通讯员/周文博)",
               reporters=["王小明"], correspondents=["周文博"]),
    ],
    "pages": [dict(page_code="", section="", editors=[], art_editors=[], proofreaders=[])],
    "roles": [("青竹区开展安全大检查\n", "headline"), ("出动执法人员900余人次\n", "deck"), ("为民办实事\n", "kicker")],
}
EXPECTED["header_top.txt"] = {
    "articles": [
        _plain("青竹区新增公交线路三条", "4月21日,青竹区新开通三条公交线路,方便沿线居民出行。\n新线路每天运行十二个小时。",
               byline="株洲日报·掌上株洲讯(记者/赵一鸣 通讯员/孙丽华)", reporters=["赵一鸣"],
               correspondents=["孙丽华"], section="要闻"),
    ],
    "pages": [dict(page_code="03", section="要闻", editors=["周敏"], art_editors=["刘洋"], proofreaders=["陈一帆"])],
    "roles": [("第03版 要闻 责任编辑:周敏 版式:刘洋 校对:陈一帆", "furniture"), ("2021年4月22日 星期四", "furniture")],
}
# header_bottom.txt: the page header and date printed below the article (item 5).
EXPECTED["header_bottom.txt"] = {
    "articles": [
        _plain("青竹区启用智慧停车系统", "4月22日,青竹区智慧停车系统启用,首批接入停车泊位两千个。\n市民可通过手机查询空余车位。",
               byline="株洲日报·掌上株洲讯(记者/何静 通讯员/陈思远)", reporters=["何静"],
               correspondents=["陈思远"], section="民生"),
    ],
    "pages": [dict(page_code="05", section="民生", editors=["何静"], art_editors=["陈思远"], proofreaders=["赵一鸣"])],
    "roles": [("第05版 民生 责任编辑:何静 美编:陈思远 校对:赵一鸣", "furniture"), ("2021年4月23日 星期五", "furniture")],
}
# web_export.txt: a government site's article page as a browser saves it
# (site name, menu, breadcrumb, 发布时间/来源/作者/浏览次数 line, print and
# close links, previous/next links, copyright and ICP footer); forum_repost.txt:
# a forum post (breadcrumb, 楼主 发表于 header, 回复 举报 links).
EXPECTED["web_export.txt"] = {
    "articles": [_plain("青竹区开展防汛应急演练",
                        "4月21日,青竹区在桂花河开展防汛应急演练,参演人员二百余人。\n演练检验了预警响应和人员转移等环节。")],
    "pages": [dict(page_code="", section="", editors=[], art_editors=[], proofreaders=[])],
    "roles": [
        ("青竹区人民政府门户网站", "furniture"),
        ("首页 | 政务公开 | 办事服务 | 互动交流", "furniture"),
        ("当前位置:首页 > 新闻中心 > 部门动态", "furniture"),
        ("发布时间:2021-04-22 09:30:12  来源:青竹区应急管理局  作者:何静  浏览次数:326", "furniture"),
        ("【打印本页】【关闭窗口】", "furniture"),
        ("上一篇:青竹区召开安全生产会议", "furniture"),
        ("下一篇:没有了", "furniture"),
        ("版权所有:青竹区人民政府 ICP备12345678号", "furniture"),
    ],
}
EXPECTED["forum_repost.txt"] = {
    "articles": [_plain("【转】石桥村建成村级应急物资仓库",
                        "近日,青竹区石桥村建成村级应急物资仓库,储备救生衣五十件、编织袋一千条。\n村干部说,汛期前还将补充一批物资。")],
    "pages": [dict(page_code="", section="", editors=[], art_editors=[], proofreaders=[])],
    "roles": [
        ("青竹论坛 › 新闻时事 › 本地新闻", "furniture"),
        ("楼主 发表于 2021-4-23 08:12:05 | 只看该作者", "furniture"),
        ("回复 举报", "furniture"),
    ],
}

# Pages added to finish issue 14 (made up; expected values from reading them):
# topic_shift.txt prints two short items without byline or lead (a school
# contest, library hours) after a long flood article: only the change of
# subject tells they are articles of their own.  subhead_same_topic.txt is
# its negative: two unnumbered headings inside a flood article, each over a
# short section on the same subject, stay subheads.  question_headline.txt
# prints a question headline under a long kicker clause (the shape of
# benchmarks/layout_devset web-03), once at the top of the page without a
# byline and once above a byline.
EXPECTED["topic_shift.txt"] = {
    "articles": [
        _plain("青竹区全力备战主汛期",
               "入汛以来,青竹区把防汛工作摆在突出位置,组织水利、应急等部门对全区水库、堤防和山塘开展拉网式排查。\n"
               "截至目前,全区共排查防汛隐患八十六处,已整改七十九处,其余隐患均落实了专人盯守和应急预案。\n"
               "青竹区还在桂花河沿线预置冲锋舟六艘、编织袋两万条,组建五支应急抢险队伍,确保汛情发生时拉得出、冲得上。\n"
               "区防汛办负责人表示,主汛期将实行二十四小时值班制度,密切关注雨情水情,及时发布预警信息。",
               byline="株洲日报·掌上株洲讯(记者/刘芳 通讯员/周文博)", reporters=["刘芳"], correspondents=["周文博"]),
        _plain("桂花小学国学诵读比赛落幕",
               "青竹区桂花小学第五届国学诵读比赛落下帷幕,全校三百多名学生参加,二十名学生获评“诵读之星”。\n"
               "比赛分低年级组和高年级组进行,诵读篇目包括《论语》选段和唐诗宋词。"),
        _plain("区图书馆周末延长开放时间",
               "从本月起,青竹区图书馆周六、周日的闭馆时间由下午五点推迟到晚上八点,方便读者借阅图书。"),
    ],
    "pages": [dict(page_code="", section="", editors=[], art_editors=[], proofreaders=[])],
    "roles": [("桂花小学国学诵读比赛落幕", "headline"), ("区图书馆周末延长开放时间", "headline")],
}
EXPECTED["subhead_same_topic.txt"] = {
    "articles": [dict(
        _plain("青竹区扎实做好防汛备汛工作",
               "眼下正值汛期,青竹区提早谋划、精心部署,全力做好今年的防汛备汛工作,确保安全度汛。\n"
               "区防汛指挥部先后召开三次专题会议,明确各乡镇街道和有关部门的防汛责任,层层压实到人。\n"
               "针对桂花河沿岸的险工险段,青竹区组织水利技术人员逐段巡查堤防,查看防汛隐患整改情况,对发现的渗漏和塌陷及时处置。\n"
               "汛前以来,全区累计巡查堤防一百二十公里,整改防汛隐患三十余处。\n"
               "青竹区在各乡镇街道设立防汛物资仓库,储备编织袋五万条、救生衣八百件,并组建防汛抢险队伍十二支,随时准备应对汛情。",
               byline="株洲日报·掌上株洲讯(记者/王小明 通讯员/刘芳)", reporters=["王小明"], correspondents=["刘芳"]),
        subheads=["险工险段逐一过筛", "物资队伍准备到位"],
    )],
    "pages": [dict(page_code="", section="", editors=[], art_editors=[], proofreaders=[])],
    "roles": [("险工险段逐一过筛", "subhead"), ("物资队伍准备到位", "subhead")],
}
EXPECTED["question_headline.txt"] = {
    "articles": [
        _plain("青竹区“一网通办”究竟快在哪里?",
               "今年以来,青竹区政务服务中心把一百二十项高频事项搬上网,群众办事平均少跑两趟。\n"
               "“以前办营业执照要跑三个窗口,现在手机上就能办完。”个体户周先生说。",
               kicker="从“人找服务”到“服务找人”,数据多跑路、群众少跑腿"),
        _plain("青竹区老街改造为何先问居民?",
               "4月19日,青竹区桂花街改造方案征求意见会在社区活动室召开,六十余名居民到场。\n"
               "居民提出的停车、排水等二十多条意见,已全部纳入改造方案。",
               kicker="城市更新——老街巷迎来新变化", byline="株洲日报·掌上株洲讯(记者/陈思远 通讯员/何静)",
               reporters=["陈思远"], correspondents=["何静"]),
    ],
    "pages": [dict(page_code="", section="", editors=[], art_editors=[], proofreaders=[])],
    "roles": [("从“人找服务”到“服务找人”,数据多跑路、群众少跑腿", "kicker"), ("城市更新——老街巷迎来新变化", "kicker")],
}

PAGE_NAMES = sorted(EXPECTED)


# ---------------------------------------------------------------- helpers

def names(value) -> list[str]:
    assert isinstance(value, str), f"expected a str, got {value!r}"
    return [] if value == "" else value.split("|")


def is_null(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def page_text(name: str) -> str:
    return (PAGES_DIR / name).read_text(encoding="utf-8")


def load_page(name: str):
    return zz.load(PAGES_DIR / name)


def sorted_layout(t) -> pd.DataFrame:
    return t.layout.sort_values("start", kind="stable").reset_index(drop=True)


def role_at(layout: pd.DataFrame, length: int) -> list:
    roles = [None] * length
    for row in layout.itertuples():
        for pos in range(int(row.start), int(row.end)):
            roles[pos] = row.role
    return roles


def assert_piece_role(text: str, layout: pd.DataFrame, piece: str, role: str):
    assert text.count(piece) == 1, f"test bug: {piece!r} must occur once"
    at = text.index(piece)
    roles = role_at(layout, len(text))
    got = {roles[pos] for pos in range(at, at + len(piece)) if not text[pos].isspace()}
    assert got == {role}, f"{piece!r}: roles {got}, expected {role}"


def assert_article(a: pd.Series, want: dict):
    assert a["headline"] == want["headline"]
    assert a["kicker"] == want["kicker"]
    if isinstance(want["deck"], set):
        assert a["deck"] in want["deck"]
    else:
        assert a["deck"] == want["deck"]
    assert names(a["subheads"]) == want["subheads"]
    assert a["byline"] == want["byline"]
    assert names(a["reporters"]) == want["reporters"]
    assert names(a["correspondents"]) == want["correspondents"]
    assert names(a["photographers"]) == want["photographers"]
    assert a["section"] == want["section"]
    assert a["body"] == want["body"]
    assert int(a["n_chars"]) == len(want["body"])


def assert_tiles(text: str, layout: pd.DataFrame):
    assert int(layout["start"].iloc[0]) == 0
    ends = [int(x) for x in layout["end"]]
    starts = [int(x) for x in layout["start"]]
    for prev_end, s in zip(ends, starts[1:]):
        assert s == prev_end, f"gap or overlap at {prev_end}/{s}"
    assert ends[-1] == len(text)
    assert all(s < e for s, e in zip(starts, ends))
    for row in layout.itertuples():
        assert row.text == text[int(row.start):int(row.end)]
        assert row.role in ROLES
        if row.role == "blank":
            assert row.text.strip() == ""
        else:
            assert row.text and row.text == row.text.strip() and "\n" not in row.text and "\r" not in row.text


def content(articles: pd.DataFrame) -> list[dict]:
    return articles[CONTENT_COLUMNS].astype(object).where(articles[CONTENT_COLUMNS].notna(), None).to_dict("records")


def nonblank(layout: pd.DataFrame) -> list[tuple[str, str]]:
    rows = layout[layout["role"] != "blank"]
    return list(zip(rows["role"], rows["text"]))


# ---------------------------------------------------------------- every page

def test_madeup_pages_are_plain_lf_utf8():
    # Made-up pages: the fixtures themselves are LF, no BOM; variants are built from them.
    for name in PAGE_NAMES:
        data = (PAGES_DIR / name).read_bytes()
        assert b"\r" not in data and not data.startswith(b"\xef\xbb\xbf")
    assert sorted(p.name for p in PAGES_DIR.glob("*.txt")) == PAGE_NAMES


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_articles_of_each_page(name):
    # Made-up page: every field of every article, including the exact body.
    t = load_page(name)
    want = EXPECTED[name]["articles"]
    assert len(t.articles) == len(want)
    for (_, a), w in zip(t.articles.iterrows(), want):
        assert_article(a, w)
        assert a["source"] == name
    assert len(t.problems) == 0


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_roles_tile_each_page(name):
    # Made-up page: layout rows tile the decoded text exactly.
    t = load_page(name)
    assert_tiles(page_text(name), sorted_layout(t))


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_roles_of_printed_pieces(name):
    # Made-up page: each listed piece of the page carries the role read from it.
    t = load_page(name)
    text = page_text(name)
    layout = sorted_layout(t)
    for piece, role in EXPECTED[name]["roles"]:
        assert_piece_role(text, layout, piece, role)
    for a, want in zip(t.articles.itertuples(), EXPECTED[name]["articles"]):
        assert_piece_role(text, layout, want["headline"], "headline")
        if want["byline"]:  # an article without a byline has none to find
            assert_piece_role(text, layout, want["byline"], "byline")


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_pages_of_each_page(name):
    # Made-up page: the pages table (page header credits and section).
    t = load_page(name)
    want = EXPECTED[name]["pages"]
    pages = t.pages.reset_index(drop=True)
    assert len(pages) == len(want)
    assert [int(x) for x in pages["page_no"]] == list(range(1, len(want) + 1))
    for (_, p), w in zip(pages.iterrows(), want):
        assert p["page_code"] == w["page_code"]
        assert p["section"] == w["section"]
        assert names(p["editors"]) == w["editors"]
        assert names(p["art_editors"]) == w["art_editors"]
        assert names(p["proofreaders"]) == w["proofreaders"]
    assert int(pages["start"].iloc[0]) == 0
    assert int(pages["end"].iloc[-1]) == len(page_text(name))


# ---------------------------------------------------------------- one feature each

def test_kicker_with_colon_above_headline():
    # Made-up page kicker_deck.txt: "青竹区城管局:" is a kicker, not the headline.
    a = load_page("kicker_deck.txt").articles.iloc[0]
    assert a["kicker"] == "青竹区城管局:"
    assert a["headline"] == "“微改造”让背街小巷换新颜"
    assert "青竹区城管局:" not in a["body"]


def test_deck_line_starting_with_dash():
    # Made-up page kicker_deck.txt: the "——" line under the headline is the deck.
    t = load_page("kicker_deck.txt")
    a = t.articles.iloc[0]
    assert a["deck"].endswith(DECK) and a["deck"] in {"——" + DECK, DECK}
    assert DECK not in a["body"] and DECK not in a["headline"]
    decks = t.layout[t.layout["role"] == "deck"]
    assert "".join(decks["text"]) == "——" + DECK


def test_two_line_subheads_inside_article():
    # Made-up page subheads.txt: two subhead groups of two lines each.
    a = load_page("subheads.txt").articles.iloc[0]
    assert a["subheads"] == "举措一:延时服务 午休时间不打烊,下班之后也能办|举措二:上门办理 行动不便的老人,在家就能办"
    for piece in ("举措一", "延时服务\n", "午休时间不打烊", "举措二", "在家就能办"):
        assert piece not in a["body"]
    assert len(a["body"].split("\n")) == 5


def test_captions_between_paragraphs():
    # Made-up page captions.txt: a "…陈思远 摄" caption and a "…供图" caption.
    t = load_page("captions.txt")
    a = t.articles.iloc[0]
    captions = t.layout[t.layout["role"] == "caption"]
    assert list(captions["text"]) == [
        "石桥村育秧工厂里,工人正在搬运秧盘。陈思远 摄",
        "农技人员在田间指导农户施肥。青竹区农业农村局供图",
    ]
    assert set(captions["article_id"]) == {a["article_id"]}
    for piece in ("搬运秧盘", "陈思远", "摄", "供图", "施肥"):
        assert piece not in a["body"]
    assert "随时可以下田作业。\n区农业农村局还组织" in a["body"]
    assert "陈思远" in names(a["photographers"])


def test_credit_line_and_section_label_head_the_next_page():
    # Made-up page credit_line.txt: "民生" + "3104517 责任编辑:… 校对:…" between two articles.
    t = load_page("credit_line.txt")
    first, second = t.articles.iloc[0], t.articles.iloc[1]
    pages = t.pages.reset_index(drop=True)
    assert len(pages) == 2
    assert first["page_id"] == pages.loc[0, "page_id"] and first["section"] == ""
    assert second["page_id"] == pages.loc[1, "page_id"] and second["section"] == "民生"
    assert pages.loc[1, "page_code"] == "3104517"
    for body in t.articles["body"]:
        for piece in ("民生", "责任编辑", "美术编辑", "校对", "3104517", "周文博", "孙丽华"):
            assert piece not in body
    furniture = t.layout[t.layout["role"] == "furniture"]
    assert len(furniture) >= 2
    assert all(is_null(v) for v in furniture["article_id"])
    text = page_text("credit_line.txt")
    credit = text.index("3104517")
    assert int(first["end"]) <= text.index("民生\n") and credit < int(second["start"])


def test_credit_line_at_top_of_file():
    # Made-up page credit_top.txt: the credit line comes first, then the section label.
    t = load_page("credit_top.txt")
    pages = t.pages
    assert len(pages) == 1
    p = pages.iloc[0]
    assert (p["page_code"], p["section"], p["editors"], p["art_editors"], p["proofreaders"]) == (
        "2990001", "法治", "赵一鸣|何静", "陈思远", "王小明")
    a = t.articles.iloc[0]
    assert a["headline"] == "青竹区法院开展“送法进社区”活动" and a["section"] == "法治"


def test_paragraph_broken_across_columns_is_rejoined():
    # Made-up page column_break.txt: "…处置河道" / blank / "问题二百余个。" and "1.25万" / blank / "吨,…".
    a = load_page("column_break.txt").articles.iloc[0]
    assert "及时发现并处置河道问题二百余个。" in a["body"]
    assert "全区共清理河道垃圾1.25万吨,拆除违章建筑四十余处" in a["body"]
    assert len(a["body"].split("\n")) == 3
    assert a["subheads"] == ""


def test_word_split_by_caption_is_rejoined():
    # Made-up page split_word_caption.txt: "…来到桂" / caption "…何静 摄" / "花村,…".
    t = load_page("split_word_caption.txt")
    a = t.articles.iloc[0]
    assert "青年志愿者来到桂花村,开展义诊" in a["body"]
    assert "义诊。何静" not in a["body"] and "志愿者为村民义诊" not in a["body"]
    assert names(a["photographers"]) == ["何静"]
    assert list(t.layout.loc[t.layout["role"] == "caption", "text"]) == ["志愿者为村民义诊。何静 摄"]


def test_short_fragment_line_is_body_not_subhead():
    # Made-up page fragment.txt: "会议指出,要突出安全、消防、防" is half a sentence, not a subhead.
    t = load_page("fragment.txt")
    a = t.articles.iloc[0]
    assert a["subheads"] == ""
    assert "会议指出,要突出安全、消防、防汛等重点工作。" in a["body"].split("\n")
    assert (t.layout["role"] == "subhead").sum() == 0


# ---------------------------------------------------------------- encodings

def _variant(data: bytes, kind: str) -> bytes:
    text = data.decode("utf-8")
    if kind == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    if kind == "bom+crlf":
        return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    if kind == "gb18030":
        encoded = text.encode("gb18030")
        with pytest.raises(UnicodeDecodeError):
            encoded.decode("utf-8")  # precondition: really not UTF-8
        return encoded
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["crlf", "bom", "bom+crlf", "gb18030"])
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_encoding_variants_give_same_articles(name, kind, tmp_path):
    # Made-up page re-encoded: CRLF line ends, a UTF-8 BOM, GB18030 bytes.
    reference = load_page(name)
    path = tmp_path / name
    raw = _variant((PAGES_DIR / name).read_bytes(), kind)
    path.write_bytes(raw)
    t = zz.load(path)
    assert len(t.problems) == 0
    assert content(t.articles) == content(reference.articles)
    decoded = raw.decode("gb18030") if kind == "gb18030" else raw.decode("utf-8-sig")
    layout = sorted_layout(t)
    assert_tiles(decoded, layout)
    assert nonblank(layout) == nonblank(sorted_layout(reference))
    if "crlf" not in kind:
        # same decoded text (the BOM is not text) -> same offsets
        assert decoded == page_text(name)
        cols = ["start", "end"]
        assert t.articles[cols].astype(int).values.tolist() == reference.articles[cols].astype(int).values.tolist()
        lcols = ["start", "end", "role", "text"]
        assert layout[lcols].values.tolist() == sorted_layout(reference)[lcols].values.tolist()


# ---------------------------------------------------------------- folders

def test_undecodable_file_in_folder_is_a_problem_and_rest_loads(tmp_path):
    # Made-up pages copied into a folder with one file of undecodable bytes.
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(PAGES_DIR / "kicker_deck.txt", folder / "sub" / "good.txt")
    shutil.copy(PAGES_DIR / "fragment.txt", folder / "another.txt")
    bad = "青竹区\n".encode("utf-8") + b"\xff\xff\xfe\x80\n"
    for enc in ("utf-8", "gb18030"):
        with pytest.raises(UnicodeDecodeError):
            bad.decode(enc)  # precondition: neither UTF-8 nor GB18030
    (folder / "bad.txt").write_bytes(bad)

    t = zz.load(folder)
    problems = t.problems
    assert {"source", "line", "offset", "kind", "message"} <= set(problems.columns)
    mine = problems[problems["source"] == "bad.txt"]
    assert len(mine) >= 1
    assert all(isinstance(k, str) and k for k in mine["kind"])
    assert all(isinstance(m, str) and m for m in mine["message"])
    assert set(problems["source"]) == {"bad.txt"}

    # What of bad.txt is read before its bad bytes (nothing, or the head that
    # reads as Chinese) is the reading stage's decision (zzdata/read.py); the
    # good files load whole either way.
    good = t.articles[t.articles["source"] != "bad.txt"]
    assert set(good["source"]) == {"sub/good.txt", "another.txt"}
    got = dict(zip(good["source"], good["headline"]))
    assert got == {"sub/good.txt": "“微改造”让背街小巷换新颜", "another.txt": "市安委会召开全体会议"}


def test_folder_load_matches_single_files():
    # All made-up pages at once: the folder gives each file's articles, named by file.
    t = zz.load(PAGES_DIR)
    assert len(t.problems) == 0
    assert set(t.articles["source"]) == set(PAGE_NAMES)
    for name in PAGE_NAMES:
        single = load_page(name).articles
        from_folder = t.articles[t.articles["source"] == name]
        assert content(from_folder) == content(single)
        layout = sorted_layout(t)
        assert_tiles(page_text(name), layout[layout["source"] == name].reset_index(drop=True))
    ids = list(t.articles["article_id"])
    assert len(set(ids)) == len(ids)


def test_a_lone_bracketed_line_is_not_a_crash():
    # Found by hypothesis (tests/test_robustness.py): a line that reads as a
    # closing credit with no title lines above it and no article before it.
    from zzdata.layout import find_layout

    spans = find_layout("(㐀㐀)").spans
    assert [(s.start, s.end) for s in spans] == [(0, 4)]


# ---------------------------------------------------------------- issue 14

def test_headline_reasons_in_layout_table():
    # no_byline.txt: each headline's row says why it opened an article.
    t = load_page("no_byline.txt")
    heads = t.layout[t.layout["role"] == "headline"].set_index("text")["reason"].to_dict()
    assert heads["青竹区启动汛前隐患排查"] == "title above a byline"
    assert heads["石桥村新建文化广场投入使用"] == "title, then a lead (dateline or 近日/记者从…)"
    assert heads["雷雨天气如何防雷击"] == "title under a box label (科普, 小贴士…)"
    assert heads["一季度全区生产总值增长8.5%"] == "title, then a lead (dateline or 近日/记者从…)"
    assert set(t.layout.loc[t.layout["role"] == "body", "reason"]) == {""}


def test_numbered_subheads_stay_subheads_with_reason():
    # subheads.txt: 举措一/举措二 are numbered like a subhead series.
    t = load_page("subheads.txt")
    reasons = t.layout[t.layout["role"] == "subhead"].set_index("text")["reason"].to_dict()
    assert reasons["举措一:延时服务"] == "numbered like a subhead series"
    assert reasons["午休时间不打烊,下班之后也能办"] == "numbered like a subhead series"  # its second line


@pytest.mark.parametrize("name, date", [("header_top.txt", "2021-04-22"), ("header_bottom.txt", "2021-04-23")])
def test_page_header_date_at_top_or_bottom(name, date):
    # the date printed in the page header, above or below the articles
    t = load_page(name)
    assert list(t.articles["publication_date"]) == [date]
    assert list(t.articles["date_basis"]) == ["page"]
    assert not t.articles["is_date_inferred"].any()


def test_page_header_date_is_the_publication_date():
    # header_top.txt prints 2021年4月22日 星期四 under its header line.
    t = load_page("header_top.txt")
    assert list(t.articles["publication_date"]) == ["2021-04-22"]
    assert list(t.articles["date_basis"]) == ["page"]
    assert list(t.pages["printed_date"]) == ["2021-04-22"]


def test_headline_and_deck_figures_are_rows_with_their_role():
    # headline_deck_plain.txt: 900余人次 is printed in the deck and in the body.
    t = load_page("headline_deck_plain.txt")
    rows = t.figures[t.figures["text"] == "900余人次"]
    assert sorted(rows["role"]) == ["body", "deck"]
    first = t.articles["article_id"].iloc[0]
    assert set(rows["article_id"]) == {first}


@pytest.mark.parametrize("name, date", [("web_export.txt", "2021-04-22"), ("forum_repost.txt", "2021-04-23")])
def test_web_release_line_dates_the_page(name, date):
    # the date of the 发布时间 line, or of the forum post header
    t = load_page(name)
    assert list(t.articles["publication_date"]) == [date]
    assert list(t.articles["date_basis"]) == ["web"]


def test_title_then_web_links_then_body():
    # Shape of a real archive page (benchmarks/layout_devset web-02): the title,
    # then 上一篇/下一篇 links, then the body; words made up.
    text = "开栏语\n  • 上一篇\n  • 下一篇\n  • 从今日起,本报开设新栏目,敬请垂注!\n  • 上一篇\n"
    from zzdata.layout import find_layout
    layout = find_layout(text)
    roles = {text[s.start:s.end]: s.role for s in layout.spans if s.role != "blank"}
    assert roles["开栏语"] == "headline"
    assert roles["• 上一篇"] == "furniture"
    assert len(layout.articles) == 1


def test_outlet_from_the_source_line():
    # web_export.txt prints 来源:青竹区应急管理局 in its release line; a printed
    # page names no outlet.
    assert list(load_page("web_export.txt").articles["outlet"]) == ["青竹区应急管理局"]
    assert list(load_page("kicker_deck.txt").articles["outlet"]) == [""]


def test_short_items_on_another_topic_open_articles():
    # topic_shift.txt: neither item has a byline or a lead; the reason says
    # the change of subject opened them.
    t = load_page("topic_shift.txt")
    heads = t.layout[t.layout["role"] == "headline"].set_index("text")["reason"].to_dict()
    assert heads["桂花小学国学诵读比赛落幕"] == "title, then text on another topic than the article above"
    assert heads["区图书馆周末延长开放时间"] == "title, then text on another topic than the article above"
    flood = t.articles.iloc[0]
    assert "诵读" not in flood["body"] and "图书馆" not in flood["body"]


def test_headings_on_the_same_topic_stay_subheads():
    # subhead_same_topic.txt: the sections under both headings are short,
    # like the short items above, but speak of the flood work too.
    t = load_page("subhead_same_topic.txt")
    assert len(t.articles) == 1
    reasons = t.layout[t.layout["role"] == "subhead"].set_index("text")["reason"].to_dict()
    assert set(reasons) == {"险工险段逐一过筛", "物资队伍准备到位"}
    assert set(reasons.values()) == {"heading inside an article: no byline, lead, box label or short text on another topic follows"}


def test_question_headline_under_a_long_kicker():
    # question_headline.txt: a question is a headline; the clause above it
    # (a comma or a dash inside) is its kicker, with or without a byline.
    t = load_page("question_headline.txt")
    assert list(t.articles["headline"]) == ["青竹区“一网通办”究竟快在哪里?", "青竹区老街改造为何先问居民?"]
    assert list(t.articles["kicker"]) == ["从“人找服务”到“服务找人”,数据多跑路、群众少跑腿", "城市更新——老街巷迎来新变化"]
    assert "究竟快在哪里" not in t.articles["body"].iloc[0]


def test_byline_with_pinyin_notes(tmp_path):
    # Shape of benchmarks/layout_devset web-03: a site prints the pinyin of
    # some characters; the credit line is still a byline, and its names are
    # read without the notes (words and names made up).
    text = "城市更新——老街巷迎来新变化\n青竹区老街改造为何先问居民?\n■本报(bào)见习(xí)记者 王小明 刘芳\n居民提出的意见已全部纳入改造方案。\n"
    (tmp_path / "p.txt").write_text(text, encoding="utf-8")
    t = zz.load(tmp_path / "p.txt")
    roles = dict(zip(t.layout["text"], t.layout["role"]))
    assert roles["■本报(bào)见习(xí)记者 王小明 刘芳"] == "byline"
    a = t.articles.iloc[0]
    assert (a["kicker"], a["headline"]) == ("城市更新——老街巷迎来新变化", "青竹区老街改造为何先问居民?")
    assert a["byline"] == "■本报(bào)见习(xí)记者 王小明 刘芳"
    assert names(a["reporters"]) == ["王小明", "刘芳"]
    assert a["body"] == "居民提出的意见已全部纳入改造方案。"


# ---------------------------------------------------------------- properties (hypothesis)

from hypothesis import given, settings, strategies as st  # noqa: E402

_CHINESE = st.text(alphabet=st.sampled_from(list("青竹区桂花村防汛比赛学生图书馆排查隐患整改开展工作,。?、“”——0123 \n")), max_size=60)


@settings(max_examples=60, deadline=None)
@given(st.lists(_CHINESE, max_size=4), st.lists(_CHINESE, max_size=4))
def test_topic_similarity_is_a_cosine(a, b):
    # Generated text: never raises; between 0 and 1; symmetric; 1 with itself.
    from zzdata import topic
    wa, wb = topic.topic_words(a), topic.topic_words(b)
    s = topic.similarity(wa, wb)
    assert 0.0 <= s <= 1.0 + 1e-9
    assert abs(s - topic.similarity(wb, wa)) < 1e-9
    if wa:
        assert abs(topic.similarity(wa, wa) - 1.0) < 1e-9


@settings(max_examples=200, deadline=None)
@given(_CHINESE)
def test_a_question_title_is_an_open_title(line):
    # Generated lines: a question title is title-shaped and may open a title block.
    from zzdata.lines import is_open_title, is_question_title, is_title_like
    if is_question_title(line):
        assert is_title_like(line) and is_open_title(line)


def test_question_title_above_a_web_release_line():
    # Made up, in the shape of web_export.txt: a question title, then the
    # release line; the site's name above it is furniture.
    from zzdata.layout import find_layout
    text = "青竹区人民政府门户网站\n青竹区为何要建口袋公园?\n发布时间:2021-04-22 09:30  来源:青竹区城管局\n今年以来,青竹区利用边角地建成十座口袋公园。\n"
    layout = find_layout(text)
    roles = {text[s.start:s.end]: (s.role, s.reason) for s in layout.spans if s.role != "blank"}
    assert roles["青竹区为何要建口袋公园?"] == ("headline", "title above a web release line (发布时间/来源…)")
    assert roles["青竹区人民政府门户网站"][0] == "furniture"
    assert len(layout.articles) == 1
