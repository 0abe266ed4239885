"""The demo office's review work: mentor pairs, sign-off chains and drafts in every review state.

A first-time visitor of ``drafter serve --demo`` sees a realistic state: 李明华 guides 张晓宇 and 刘洋,
陈静 guides 赵婷; drafts go to 科长 周卫东 and then 办公室主任 王建国 (信息科 drafts straight to the 主任);
drafts wait for review, sit with the 科长 past their due date, have come back with annotations, or are
approved. Everything happens through the same operations the web app uses, with back-dated times, so the
timelines and the audit log read like a few weeks of real work. All texts were written for this project.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from drafter.services import annotations, office, review
from drafter.services.drafts import create_draft, save_version, today_local
from drafter.store.db import Database
from drafter.store.models import User, utcnow
from drafter.store.workflow import Draft, Verdict

SUMMARY_V1 = """综合一科2024年上半年工作总结

今年以来，综合一科在办公室党组的坚强领导下，高度重视、精心组织、周密部署、狠抓落实，较好完成了各项工作任务。现将有关情况总结如下。
一、主要工作
（一）文稿起草质量稳步提升。上半年共起草各类文稿86篇，其中领导讲话稿21篇、工作报告9篇，办文数量大幅增长。
（三）督查督办扎实推进。围绕市委重点工作部署开展专项督查4次，形成督查通报6期，以经推动解决问题31个。
二、存在的不足
一是文稿起草时间紧、任务重，个别稿件打磨不够；二是调研不够深入，掌握基层一手材料不多。
三、下半年工作打算
（一）持续抓好文稿质量。坚持“一稿一评”，完善以老带新机制。
（二）加强调查研究。每名同志每季度至少参加一次基层调研，形成一篇调研报告。
"""

SUMMARY_V2 = """综合一科2024年上半年工作总结

今年以来，综合一科在办公室党组的领导下，坚持每周研究一次重点文稿、每月开展一次文稿讲评，较好完成了各项工作任务。现将有关情况总结如下。
一、主要工作
（一）文稿起草质量稳步提升。上半年共起草各类文稿86篇，其中领导讲话稿21篇、工作报告9篇，办文数量同比增长18.6%。
（二）督查督办扎实推进。围绕市委重点工作部署开展专项督查4次，形成督查通报6期，已经推动解决问题31个。
二、存在的不足
一是文稿起草时间紧、任务重，个别稿件打磨不够；二是调研不够深入，掌握基层一手材料不多。
三、下半年工作打算
（一）持续抓好文稿质量。坚持“一稿一评”，完善以老带新机制。
（二）加强调查研究。每名同志每季度至少参加一次基层调研，形成一篇调研报告。
"""

FLOOD_V1 = """关于做好2024年防汛值班工作的通知

各科室：
根据市防汛抗旱指挥部《关于切实做好2024年汛期防汛工作的通知》（江汛指[2024]3号）要求，为确保汛期各项工作有序开展，现就做好我办防汛值班工作通知如下。
一、严格执行值班制度。汛期实行24小时值班和领导带班制度，值班人员不得擅自离岗。
二、及时报送信息。遇有突发汛情险情，值班人员要第一时间报告带班领导，并按规定报送市防汛办。
三、做好后勤保障。办公室负责值班室通讯设备、应急物资的检查和补充。
请各科室于6月10日前将值班人员名单报办公室综合一科。

江澜市委办公室
2024年6月3日
"""

FLOOD_V2 = FLOOD_V1.replace("江汛指[2024]3号", "江汛指〔2024〕3号").replace(
    "值班人员要第一时间报告带班领导", "值班人员要在30分钟内报告带班领导")

INFO_V1 = """我市“一网通办”改革取得阶段性成效

今年以来，我市深入推进政务服务“一网通办”改革，群众办事更加便捷。截至5月底，全市1368项政务服务事项实现网上可办，网上可办率达到96.2%；其中“最多跑一次”事项1102项。市政务服务中心推出“周末不打烊”服务，累计接待群众办事2.3万人次。下一步，我市将重点推进高频事项“掌上办”，力争年底前实现200项高频事项手机端办理。
"""

SPEECH_V1 = """在全市机关作风建设推进会上的讲话
（代拟稿）

同志们：
今天召开全市机关作风建设推进会，主要任务是总结前一阶段工作，部署下一步任务。刚才，几个单位作了交流发言，讲得都很好，我都同意。下面，我讲三点意见。
一、提高认识，切实增强抓作风建设的责任感
作风建设永远在路上。近年来，全市各级机关坚持问题导向,持续整治“四风”问题，机关作风明显好转。但也要看到，一些单位仍然存在文山会海、推诿扯皮等现象。
三、突出重点，扎实推进作风建设各项任务
（一）持续精简文件会议。严格控制发文数量和会议规模，能合并的合并，能套开的套开。
（二）深入开展调查研究。各级领导干部要带头深入基层，每年调研时间不少于2个月。
同志们，作风建设关系人心向背。让我们以更加饱满的精神状态，推动机关作风建设不断取得新成效！
"""

BULLETIN_V1 = """关于2024年第二季度政务信息报送情况的通报

各县（市、区）委办公室，市直各单位办公室：
第二季度，各地各单位认真做好政务信息报送工作，共向市委办公室报送信息1520条，采用386条，采用率25.4%。其中，被省委办公厅采用42条。
一、总体情况
从报送数量看，江北区、临川县、市发展改革委报送数量位居前列；从采用质量看，南湖区、市农业农村局被省委办公厅采用较多。
二、存在问题
部分单位报送信息内容空泛，反映问题的信息偏少；个别单位全季度未报送信息。
三、有关要求
各地各单位要进一步提高思想认识，围绕中心工作抓好信息报送，及时反映工作中的新情况新问题。

中共江澜市委办公室
2024年7月8日
"""


PLAN_V1 = """关于开展机关文稿质量提升年活动的实施方案

为进一步提高机关文稿质量，经研究，决定在办公室系统开展文稿质量提升年活动。现制定如下实施方案。
一、目标任务
通过一年时间，建立健全文稿起草、审核、讲评工作机制，力争重要文稿一次审核通过率达到90%以上。
二、主要措施
（一）实行以老带新。每名新入职同志由一名业务骨干结对指导，共同完成不少于10篇文稿。
（二）开展文稿讲评。每月召开一次文稿点评交流会，选取2至3篇文稿集中讲评。
（三）建立文稿档案。将历年优秀文稿分类归档，供起草时参考借鉴。
三、工作要求
各科室要高度重视，明确专人负责，于每季度末报送活动开展情况。
"""


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def _note(session: Session, draft: Draft, who: User, quote: str, category: str, comment: str,
          replacement: str | None, at: dt.datetime):  # type: ignore[no-untyped-def]
    version = draft.latest_version
    start, end = _span(version.text, quote)
    return annotations.add_annotation(session, draft, version, who, start, end, category, comment, replacement,
                                      now=at)


def seed_review_demo(db: Database, now: dt.datetime | None = None) -> bool:
    """Create the demo pairs, chains and drafts once (returns False when drafts already exist)."""
    now = now or utcnow()
    with db.session() as session:
        if session.scalar(select(Draft.id).limit(1)) is not None:
            return False
        people = {u.username: u for u in session.scalars(select(User))}
        needed = ("wangjg", "limh", "chenj", "zhouwd", "zhangxy", "liuy", "zhaot")
        if any(name not in people for name in needed):
            return False
        _seed(session, people, now)
    return True


def _seed(session: Session, p: dict[str, User], now: dt.datetime) -> None:
    def ago(days: float, hours: float = 0) -> dt.datetime:
        return now - dt.timedelta(days=days, hours=hours)

    today = today_local(now)
    admin, limh, chenj, zhouwd = p["wangjg"], p["limh"], p["chenj"], p["zhouwd"]
    zhangxy, liuy, zhaot = p["zhangxy"], p["liuy"], p["zhaot"]

    office.create_pair(session, admin, limh, zhangxy, today - dt.timedelta(days=90), note="2024年新入职人员以老带新")
    office.create_pair(session, admin, limh, liuy, today - dt.timedelta(days=60), note="跨科室结对，重点练公文格式")
    office.create_pair(session, admin, chenj, zhaot, today - dt.timedelta(days=120), note="信息写作")
    office.add_step(session, admin, "科长", zhouwd)
    office.add_step(session, admin, "办公室主任", admin)
    office.add_step(session, admin, "办公室主任", admin, unit="江澜市委办公室信息科")

    # 1. A summary the mentor returned with annotations; revised and waiting for the mentor again.
    summary = create_draft(session, limh, "综合一科2024年上半年工作总结", "工作总结", today + dt.timedelta(days=5),
                           "围绕上半年重点工作，突出数据和成效，查找不足要实，3000字以内。", owner=zhangxy, now=ago(12))
    save_version(session, summary, zhangxy, SUMMARY_V1, 0, note="初稿", now=ago(10, 3))
    review.submit(session, summary, zhangxy, now=ago(10, 2))
    words = _note(session, summary, limh, "高度重视、精心组织、周密部署、狠抓落实", "wording",
                  "四个四字短语堆在一起，哪个科室都能用，读者记不住。建议写出一两项具体做法。", None, ago(9, 5))
    data = _note(session, summary, limh, "办文数量大幅增长", "data",
                 "“大幅增长”缺少数据支撑，请核实后写明同比数字。", "办文数量同比增长18.6%", ago(9, 5))
    _note(session, summary, limh, "（三）督查督办扎实推进。", "structure",
          "“（一）”之后直接是“（三）”，缺少“（二）”，请检查序号。", None, ago(9, 4))
    typo = _note(session, summary, limh, "以经", "typo", "“以经”应为“已经”。", "已经", ago(9, 4))
    view = _note(session, summary, limh, "一是文稿起草时间紧、任务重，个别稿件打磨不够", "viewpoint",
                 "不足部分只讲客观原因，建议从主观上找差距，如精品意识不强、研究不够深入。", None, ago(9, 4))
    review.decide(session, summary, limh, Verdict.RETURN,
                  "整体结构清楚，数据翔实。主要问题：一是开头套话较多；二是序号有跳号；三是不足部分要从主观上找原因。"
                  "请按批注修改后再提交。", now=ago(9, 3))
    annotations.reply(session, summary, words, zhangxy, "已改为两项具体做法，请老师再看看是否合适。", now=ago(7, 6))
    annotations.reply(session, summary, view, zhangxy, "这部分我再想想，下一稿补上主观原因。", now=ago(7, 6))
    save_version(session, summary, zhangxy, SUMMARY_V2, 1, note="按指导老师批注修改", now=ago(7, 5))
    annotations.set_resolved(session, summary, data, zhangxy, True, now=ago(7, 5))
    annotations.set_resolved(session, summary, typo, zhangxy, True, now=ago(7, 5))
    review.submit(session, summary, zhangxy, now=ago(5, 2))

    # 2. A notice passed by the mentor, now with the 科长 and past its due date.
    flood = create_draft(session, liuy, "关于做好2024年防汛值班工作的通知", "通知", today - dt.timedelta(days=3),
                         now=ago(8, 6))
    save_version(session, flood, liuy, FLOOD_V1, 0, now=ago(8, 5))
    review.submit(session, flood, liuy, now=ago(8, 4))
    bracket = _note(session, flood, limh, "江汛指[2024]3号", "format",
                    "发文字号中的年份应使用六角括号“〔〕”（GB/T 9704）。", "江汛指〔2024〕3号", ago(7, 8))
    _note(session, flood, limh, "值班人员要第一时间报告带班领导", "wording",
          "“第一时间”不好把握，建议写明具体时限。", "值班人员要在30分钟内报告带班领导", ago(7, 8))
    review.decide(session, flood, limh, Verdict.RETURN, "格式问题请改正；第二条写明报送时限。", now=ago(7, 7))
    annotations.reply(session, flood, bracket, liuy, "已改为六角括号。", now=ago(6, 9))
    save_version(session, flood, liuy, FLOOD_V2, 1, note="改正发文字号格式，明确时限", now=ago(6, 9))
    annotations.set_resolved(session, flood, bracket, liuy, True, now=ago(6, 9))
    review.submit(session, flood, liuy, now=ago(6, 8))
    review.decide(session, flood, limh, Verdict.PASS, "修改到位，可以报科长。", now=ago(4, 7))

    # 3. A piece of information approved all the way (信息科: mentor, then the 办公室主任).
    info = create_draft(session, zhaot, "我市“一网通办”改革取得阶段性成效", "信息", today - dt.timedelta(days=14),
                        now=ago(20))
    save_version(session, info, zhaot, INFO_V1, 0, now=ago(19, 6))
    review.submit(session, info, zhaot, now=ago(19, 5))
    review.decide(session, info, chenj, Verdict.PASS, "信息要素齐全，数据准确，可以报送。", now=ago(18, 8))
    review.decide(session, info, admin, Verdict.PASS, "同意报送。", now=ago(17, 4))

    # 4. A speech still being written (structure and punctuation problems for the checks to find).
    speech = create_draft(session, zhangxy, "在全市机关作风建设推进会上的讲话（代拟稿）", "讲话稿",
                          today + dt.timedelta(days=10), "以市委副书记名义讲话，讲三点意见，4000字左右。",
                          now=ago(2, 5))
    save_version(session, speech, zhangxy, SPEECH_V1, 0, note="框架稿", now=ago(2, 4))

    # 6. A plan passed by the mentor and the 科长, waiting for the 办公室主任.
    plan = create_draft(session, limh, "关于开展机关文稿质量提升年活动的实施方案", "方案",
                        today + dt.timedelta(days=4), "方案要有量化目标和具体措施，篇幅控制在一页半。", owner=liuy,
                        now=ago(5, 8))
    save_version(session, plan, liuy, PLAN_V1, 0, now=ago(4, 9))
    review.submit(session, plan, liuy, now=ago(4, 8))
    review.decide(session, plan, limh, Verdict.PASS, "目标明确，措施可行。", now=ago(3, 7))
    _note(session, plan, zhouwd, "高度重视", "wording", "“高度重视”偏空，可改为具体要求。", "把活动列入科室年度重点工作",
          ago(1, 9))
    review.decide(session, plan, zhouwd, Verdict.PASS, "同意，请主任审定。措辞问题可在定稿时一并修改。", now=ago(1, 8))

    # 5. A bulletin the 办公室主任 returned at sign-off, with his annotations.
    bulletin = create_draft(session, zhaot, "关于2024年第二季度政务信息报送情况的通报", "通报",
                            today + dt.timedelta(days=2), now=ago(6, 5))
    save_version(session, bulletin, zhaot, BULLETIN_V1, 0, now=ago(6, 4))
    review.submit(session, bulletin, zhaot, now=ago(6, 3))
    review.decide(session, bulletin, chenj, Verdict.PASS, "结构完整，请主任审定。", now=ago(5, 6))
    _note(session, bulletin, admin, "采用率25.4%", "data",
          "请核对采用条数是否含被省委办公厅采用的42条，口径要与第一季度通报一致。", None, ago(1, 6))
    _note(session, bulletin, admin, "个别单位全季度未报送信息", "viewpoint",
          "既然是通报，就应点名；如不点名，请说明考虑。", None, ago(1, 6))
    review.decide(session, bulletin, admin, Verdict.RETURN, "数据口径请与第一季度通报一致，存在问题部分要具体。",
                  now=ago(1, 5))
