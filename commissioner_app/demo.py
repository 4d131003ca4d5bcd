"""Realistic, reproducible Chinese demo data for first starts, tests and benchmarks.

The same seed and end date always give the same records (ids included).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from commissioner_app import demo_evidence
from commissioner_app.credit_code import ALPHABET, make_credit_code
from commissioner_app.domain import now_iso
from commissioner_app.reference import reference
from commissioner_app.store import Store

SURNAMES = (
    "李王张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韩唐冯邓曹彭曾萧田董潘袁蔡蒋余杜叶程苏魏吕丁任沈姚卢钟谭廖"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华文辉建国志红玲海燕晓雪丹鹏飞宇浩然嘉欣子轩俊杰梓涵思远"
)
TITLES = ["教授", "副教授", "研究员", "副研究员", "高级工程师", "高级农艺师", "农艺师", "讲师", "主任医师"]
VILLAGE_WORDS = "东南西北上下新大小龙凤石塘岗坑洞田埔头尾沙湾"
VILLAGE_SUFFIX = ["村", "村", "村", "社区"]

# industry code -> (specialty, [(problem, description, solution, technology)], [visit content templates])
TOPICS: dict[str, tuple[str, list[tuple[str, str, str, str]], list[str]]] = {
    "chenpi": (
        "陈皮加工与柑橘栽培",
        [
            (
                "柑橘黄龙病防治",
                "果园部分植株叶片斑驳黄化、果实畸形，疑似黄龙病扩散。",
                "挖除病株，统一防治柑橘木虱，建立无病苗圃并定期巡查。",
                "黄龙病综合防控技术",
            ),
            (
                "陈皮仓储霉变",
                "陈化仓湿度偏高，部分陈皮出现霉点，影响品质等级。",
                "改造仓库通风除湿，控制相对湿度在60%以下，分批翻晒并建立温湿度记录。",
                "陈皮陈化仓储温湿度控制",
            ),
            (
                "茶枝柑果皮开片不均",
                "手工开皮效率低，三瓣开片不规整，影响成品外观。",
                "引进开皮辅助工装，开展开皮标准化培训。",
                "陈皮标准化加工工艺",
            ),
        ],
        [
            "到{target}查看茶枝柑果园长势，指导春梢期水肥管理和木虱监测。",
            "在{target}讲解新会陈皮晒制与陈化要点，现场检查仓储条件。",
            "为{target}开展柑橘病虫害绿色防控培训，示范黄板诱杀与精准施药。",
        ],
    ),
    "rice": (
        "水稻栽培",
        [
            (
                "水稻稻瘟病发生偏重",
                "连续阴雨后稻田出现叶瘟病斑，部分田块穗颈瘟风险高。",
                "推荐抗病品种，破口前后各施药一次，调整氮肥用量。",
                "稻瘟病预测预报与统防统治",
            ),
            (
                "机插秧漏插率高",
                "插秧机作业漏插、伤秧较多，基本苗不足。",
                "调整秧盘育秧密度与插秧机取秧量，培训机手规范操作。",
                "水稻机械化育插秧技术",
            ),
        ],
        [
            "到{target}指导早稻育秧和机插作业，查看秧苗素质。",
            "在{target}开展水稻病虫害统防统治现场会，讲解稻瘟病识别。",
            "为{target}示范水稻侧深施肥技术，测算减肥增效。",
        ],
    ),
    "eel": (
        "水产养殖",
        [
            (
                "鳗鱼烂鳃病",
                "高温季节鳗鱼摄食下降，镜检发现鳃丝腐烂，死亡率上升。",
                "改善水质，增加增氧设备运行时间，按规范使用药物并做好休药期记录。",
                "鳗鱼病害诊断与生态防治",
            ),
            (
                "养殖尾水排放超标",
                "尾水氨氮偏高，面临环保整改。",
                "建设三池两坝尾水处理设施，配置生物滤材。",
                "池塘养殖尾水生态处理",
            ),
        ],
        ["到{target}检测鳗鱼池水质，指导投喂和增氧管理。", "在{target}讲解鳗鱼常见病害防控与规范用药。"],
    ),
    "tea": (
        "茶叶栽培与加工",
        [
            (
                "红茶发酵程度不稳定",
                "不同批次鹤山红茶发酵程度差异大，香气不足。",
                "制定发酵温湿度与时间标准，配置发酵室温湿度计。",
                "红茶标准化加工工艺",
            ),
            (
                "茶园小绿叶蝉危害",
                "夏秋茶园小绿叶蝉虫口密度高，芽叶受害。",
                "采用色板诱杀、及时分批采摘与生物农药防治。",
                "茶园病虫害绿色防控",
            ),
        ],
        ["到{target}指导茶园修剪与夏秋茶管理。", "在{target}开展红茶加工技术培训，现场品评茶样。"],
    ),
    "magang_goose": (
        "家禽养殖",
        [
            (
                "马冈鹅育雏成活率低",
                "育雏期温度波动大，雏鹅腹泻与死亡较多。",
                "改善保温设施，分群饲养，完善免疫程序与消毒制度。",
                "马冈鹅健康养殖技术",
            ),
        ],
        ["到{target}查看鹅舍环境，指导育雏温度控制和免疫。", "在{target}讲解马冈鹅饲养管理与疫病防控。"],
    ),
    "inshore_aquaculture": (
        "海水养殖",
        [
            (
                "生蚝养殖密度过大",
                "吊养生蚝生长缓慢、肥满度不足。",
                "降低吊养密度，优化筏架布局，开展生蚝养殖固碳监测。",
                "生蚝生态养殖技术",
            ),
        ],
        ["到{target}查看生蚝养殖筏架，指导养殖密度和采收期。"],
    ),
    "prepared_food": (
        "食品加工",
        [
            (
                "预制菜冷链保鲜期短",
                "产品出厂后保质期短，物流损耗大。",
                "优化杀菌工艺与包装，建立冷链温度记录。",
                "预制菜杀菌与冷链保鲜技术",
            ),
        ],
        ["到{target}调研预制菜生产线，指导HACCP体系建设。", "为{target}开展食品安全与标准化生产培训。"],
    ),
    "batteries": (
        "新能源材料",
        [
            (
                "电池极片涂布厚度不均",
                "涂布机横向面密度波动超标，电芯一致性差。",
                "调整浆料黏度与模头间隙，增加在线测厚闭环控制。",
                "极片涂布工艺优化",
            ),
        ],
        ["到{target}诊断锂电池极片涂布工序，提出工艺改进建议。", "与{target}技术团队开展产学研合作洽谈。"],
    ),
    "silicon_energy": (
        "光伏硅材料",
        [
            (
                "硅片切割良率偏低",
                "金刚线切割后硅片TTV超标、崩边较多。",
                "优化线速与张力参数，改进冷却液配方。",
                "金刚线切割工艺优化",
            ),
        ],
        ["到{target}分析硅片切割工序良率，现场测试参数。"],
    ),
    "motorcycles": (
        "机械工程",
        [
            (
                "摩托车发动机异响",
                "新款发动机怠速时有异响，客户投诉增多。",
                "排查配气机构间隙，优化凸轮型线，增加出厂噪声检测。",
                "发动机NVH分析",
            ),
        ],
        ["到{target}开展发动机噪声测试与分析。"],
    ),
    "audio": (
        "电声工程",
        [
            (
                "扬声器低频失真",
                "小型音箱低频段失真度偏高。",
                "调整振膜材料与磁路设计，改进箱体阻尼。",
                "扬声器有限元仿真优化",
            ),
        ],
        ["到{target}测试扬声器频响和失真，提出改进方案。"],
    ),
    "primary_care": (
        "基层医疗",
        [
            (
                "慢病随访管理不规范",
                "高血压、糖尿病患者随访记录缺失较多。",
                "建立家庭医生签约随访流程，培训信息系统录入。",
                "慢病规范化管理",
            ),
        ],
        ["到{target}开展慢病管理业务指导和远程会诊。", "为{target}医务人员开展适宜技术培训。"],
    ),
    "sludge": (
        "环境工程",
        [
            (
                "污泥含水率高处置成本大",
                "污水厂脱水污泥含水率约80%，外运处置费用高。",
                "引入低温干化与资源化利用工艺，开展中试。",
                "污泥低温干化资源化",
            ),
        ],
        ["到{target}调研污泥处理现状，评估资源化方案。"],
    ),
}

INDUSTRY_TARGETS = {
    "chenpi": ["cooperative", "enterprise", "family_farm", "village"],
    "rice": ["village", "cooperative", "large_grower", "family_farm"],
    "eel": ["large_grower", "cooperative", "enterprise"],
    "tea": ["cooperative", "enterprise", "village"],
    "magang_goose": ["family_farm", "cooperative", "large_grower"],
    "inshore_aquaculture": ["cooperative", "village", "large_grower"],
    "prepared_food": ["enterprise", "industrial_park"],
    "batteries": ["enterprise", "industrial_park"],
    "silicon_energy": ["enterprise"],
    "motorcycles": ["enterprise"],
    "audio": ["enterprise"],
    "primary_care": ["medical"],
    "sludge": ["enterprise", "town"],
}

COUNTY_INDUSTRIES = {
    "新会区": ["chenpi", "chenpi", "prepared_food", "batteries", "rice"],
    "台山市": ["eel", "rice", "inshore_aquaculture", "prepared_food"],
    "开平市": ["magang_goose", "rice", "audio", "primary_care"],
    "鹤山市": ["tea", "motorcycles", "audio", "rice"],
    "恩平市": ["rice", "primary_care", "audio", "magang_goose"],
    "蓬江区": ["motorcycles", "batteries", "sludge", "primary_care"],
    "江海区": ["silicon_energy", "batteries", "sludge", "prepared_food"],
}

SATISFACTION = [3, 4, 4, 5, 5, 5, 5]


@dataclass
class DemoResult:
    commissioners: int
    targets: int
    visits: int
    problems: int
    solutions: int
    self_id: str


def generate_demo(
    store: Store,
    *,
    visits: int = 500,
    seed: int = 1,
    commissioners: int | None = None,
    end: date | None = None,
    all_local: bool = False,
    photos: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> DemoResult:
    """Fill the store with demo records; the first commissioner becomes the local profile.

    With `photos` (and a store on disk), about a third of the visits get small JPEG photos with EXIF
    time and GPS, and some a scan of the signed confirmation sheet."""
    rng = random.Random(seed)
    end = end or date.today()
    n_comm = commissioners or max(1, min(1000, visits // 250))
    industry_names = {r.code: r.name_zh for r in reference(store, "industry")}
    counties = {
        r.name_zh: [t.name_zh for t in reference(store, "town", r.code)] for r in reference(store, "county")
    }
    units = [r.name_zh for r in reference(store, "sending_unit") if r.code != "other"]
    now = now_iso()

    uid = demo_evidence.SeededIds(rng, end - timedelta(days=366))

    def person() -> str:
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))

    def phone() -> str:
        return "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))

    def meta(i: int, synced: bool) -> dict[str, Any]:
        if synced and not all_local:
            return {
                "rev": 1,
                "server_seq": i + 1,
                "dirty": 0,
                "base_rev": 1,
                "created_at": now,
                "updated_at": now,
            }
        return {"rev": 0, "server_seq": 0, "dirty": 1, "base_rev": 0, "created_at": now, "updated_at": now}

    # Teams (one per county) and workstations (in some towns).
    teams: list[dict[str, Any]] = []
    stations: list[dict[str, Any]] = []
    for county, towns in counties.items():
        industry = COUNTY_INDUSTRIES[county][0]
        teams.append(
            {
                "id": uid(),
                "name": f"{county}{industry_names[industry]}产业科技特派团",
                "county": county,
                "partner_university": rng.choice(units),
                **meta(len(teams), True),
            }
        )
        for town in rng.sample(towns, 2):
            stations.append(
                {
                    "id": uid(),
                    "name": f"{town}科技特派员工作站",
                    "county": county,
                    "town": town,
                    **meta(len(stations), True),
                }
            )

    # Commissioners.
    people = []
    for i in range(n_comm):
        county = rng.choice(list(counties))
        industry = rng.choice(COUNTY_INDUSTRIES[county])
        team = next(t for t in teams if t["county"] == county)
        station = rng.choice([s for s in stations if s["county"] == county])
        people.append(
            {
                "id": uid(),
                "name": person(),
                "phone": phone(),
                "sending_unit": rng.choice(units),
                "title": rng.choice(TITLES),
                "specialty": TOPICS[industry][0],
                "industries": json.dumps([industry_names[industry]], ensure_ascii=False),
                "team_id": team["id"],
                "workstation_id": station["id"],
                "username": f"user{i + 1:04d}",
                **meta(i, True),
            }
        )
    for team in teams:
        members = [p for p in people if p["team_id"] == team["id"]]
        team["leader_id"] = members[0]["id"] if members else None
    for station in stations:
        members = [p for p in people if p["workstation_id"] == station["id"]]
        station["manager_id"] = members[0]["id"] if members else None
    home_county = {p["id"]: next(t["county"] for t in teams if t["id"] == p["team_id"]) for p in people}

    # Service targets across the towns.
    n_targets = max(30, min(5000, visits // 20))
    targets = []
    for i in range(n_targets):
        county = rng.choice(list(counties))
        town = rng.choice(counties[county])
        industry = rng.choice(COUNTY_INDUSTRIES[county])
        ttype = rng.choice(INDUSTRY_TARGETS[industry])
        village = rng.choice(VILLAGE_WORDS) + rng.choice(VILLAGE_WORDS) + rng.choice(VILLAGE_SUFFIX)
        place = town.removesuffix("镇").removesuffix("街道")
        name = {
            "enterprise": f"江门市{place}{rng.choice(['恒', '立', '华', '新', '嘉', '盛', '达'])}"
            f"{rng.choice(['鑫', '宇', '利', '丰', '源', '泰'])}{industry_names[industry]}有限公司",
            "village": f"{town}{village}",
            "town": f"{county}{town}",
            "cooperative": f"{county}{place}{industry_names[industry]}专业合作社",
            "family_farm": f"{place}{person()}家庭农场",
            "large_grower": f"{place}{industry_names[industry]}种养大户{person()}",
            "medical": f"{county}{town}卫生院",
            "industrial_park": f"{county}{place}产业园",
            "school": f"{town}中心小学",
        }[ttype]
        credit = ""
        if ttype == "enterprise":
            org8 = "".join(rng.choice(ALPHABET[:10] + "MA") for _ in range(8))
            credit = make_credit_code("914407" + rng.choice(["03", "04", "05", "81", "83", "84", "85"]), org8)
        targets.append(
            {
                "id": uid(),
                "type": ttype,
                "name": name,
                "county": county,
                "town": town,
                "village": village if ttype == "village" else "",
                "industry": industry_names[industry],
                "contact_name": person(),
                "contact_phone": phone(),
                "credit_code": credit,
                "address": f"{county}{town}{village}",
                "notes": "",
                "_industry_code": industry,
                **meta(i, True),
            }
        )
    targets_by_county: dict[str, list[dict[str, Any]]] = {}
    for t in targets:
        targets_by_county.setdefault(t["county"], []).append(t)

    # Visits over the last two years, with problems and solutions.
    visit_rows: list[dict[str, Any]] = []
    problem_rows: list[dict[str, Any]] = []
    solution_rows: list[dict[str, Any]] = []
    span = 730
    for i in range(visits):
        who = people[0] if i % 3 == 0 or n_comm == 1 else rng.choice(people)
        county = home_county[who["id"]] if rng.random() < 0.8 else rng.choice(list(counties))
        target = rng.choice(targets_by_county.get(county) or targets)
        industry = target["_industry_code"]
        specialty, problems, contents = TOPICS[industry]
        day = end - timedelta(days=int(rng.random() ** 1.3 * span))
        start_h = rng.randint(8, 15)
        start = f"{start_h:02d}:{rng.choice(['00', '15', '30', '45'])}"
        end_t = f"{min(start_h + rng.randint(1, 4), 21):02d}:{start[3:]}"
        types = ["guidance"]
        training = rng.random() < 0.25
        if training:
            types.append("training")
        types += rng.sample(
            ["consulting", "promotion", "needs_survey", "research", "transfer", "project_coaching"],
            rng.randint(0, 2),
        )
        if industry == "primary_care":
            types.append("medical")
        recent = (end - day).days < 14
        mine = who is people[0]
        # Only the laptop's own commissioner has work waiting to sync: a colleague's recent visit
        # arrived from the server (not yet reviewed), as it does on a manager's computer.
        synced = not recent or not mine
        review = "pending"
        opinion = ""
        if not recent and not all_local:
            roll = rng.random()
            review, opinion = (
                ("approved", "")
                if roll < 0.9
                else ("returned", "佐证材料不足，请补充现场照片和服务确认单。")
                if roll < 0.93
                else ("pending", "")
            )
        vid = uid()
        visit_rows.append(
            {
                "id": vid,
                "commissioner_id": who["id"],
                "target_id": target["id"],
                "visit_date": day.isoformat(),
                "start_time": start,
                "end_time": end_t,
                "county": target["county"],
                "town": target["town"],
                "village": target["village"],
                "service_types": json.dumps(types),
                "industry": target["industry"],
                "content": rng.choice(contents).format(target=target["name"])
                + rng.choice(
                    [
                        "与负责人交流了下一步生产计划。",
                        "发放技术资料若干份。",
                        "约定下次回访时间。",
                        "现场解答农户提问。",
                        "",
                    ]
                ),
                "training_sessions": 1 if training else 0,
                "people_trained": rng.randint(15, 80) if training else 0,
                "techniques_promoted": rng.choice([0, 0, 1, 1, 2]),
                "varieties_introduced": rng.choice([0, 0, 0, 1]),
                "demo_bases": 1 if rng.random() < 0.03 else 0,
                "demo_households": rng.choice([0, 0, 0, 1, 2]),
                "jobs_created": rng.choice([0, 0, 0, 2, 5]),
                "economic_benefit": round(rng.choice([0, 0, 0.5, 1, 2, 5, 10]) * rng.random(), 2),
                "confirm_contact": target["contact_name"],
                "confirm_satisfaction": rng.choice(SATISFACTION),
                "confirm_remark": rng.choice(["", "指导很及时", "希望多来几次", "讲解清楚，很实用"]),
                "confirm_sheet_sha256": "",
                "review_status": review,
                # The served party signed the visit sheet and the reviewer accepted it with the visit.
                "confirm_sheet_accepted": int(review == "approved"),
                "review_opinion": opinion,
                **meta(i, synced),
            }
        )
        if rng.random() < 0.4:
            title, desc, sol, tech = rng.choice(problems)
            pid = uid()
            solved = rng.random() < 0.75
            status = "solved" if solved else rng.choice(["open", "in_progress", "in_progress", "referred"])
            problem_rows.append(
                {
                    "id": pid,
                    "commissioner_id": who["id"],
                    "target_id": target["id"],
                    "visit_id": vid,
                    "title": title,
                    "description": desc,
                    "industry": target["industry"],
                    "source": rng.choice(["visit", "visit", "target_request"]),
                    "urgency": rng.choice(["low", "normal", "high"]),
                    "status": status,
                    "status_reason": "需更专业团队攻关，已转交对口高校实验室。"
                    if status == "referred"
                    else "",
                    "raised_on": day.isoformat(),
                    "solved_on": day.isoformat() if solved else None,
                    **meta(len(problem_rows), synced),
                }
            )
            if solved:
                solution_rows.append(
                    {
                        "id": uid(),
                        "problem_id": pid,
                        "visit_id": vid,
                        "commissioner_id": who["id"],
                        "description": sol,
                        "technology": tech,
                        "outcome": rng.choice(["问题基本解决", "效果明显", "已恢复正常生产"]),
                        "economic_benefit": round(rng.random() * 8, 2),
                        "confirmed": 1,
                        **meta(len(solution_rows), synced),
                    }
                )
        if progress and i % 5000 == 0:
            progress(i, visits)
    # A few unfinished drafts, as a commissioner would have (their own: a draft never leaves a laptop).
    own_visits = [row for row in visit_rows if row["commissioner_id"] == people[0]["id"]]
    drafts = [row for row in visit_rows[-3:] if row["commissioner_id"] == people[0]["id"]] or own_visits[-1:]
    for row in drafts if visits >= 10 else []:
        row.update(is_draft=1, dirty=1, rev=0, server_seq=0, review_status="")
    attachment_rows = demo_evidence.attach(store, visit_rows, seed) if photos and store.data_dir else []
    agreement_rows = demo_evidence.agreements(targets, visit_rows, seed, end)
    if all_local:  # (their scans take these too)
        for row in agreement_rows:
            row.update(rev=0, server_seq=0, dirty=1, base_rev=0)
    if photos and store.data_dir:
        attachment_rows += demo_evidence.agreement_scans(store, agreement_rows, seed)

    for t in targets:
        del t["_industry_code"]
    with store.atomic():
        for table, rows in (
            ("teams", teams),
            ("workstations", stations),
            ("commissioners", people),
            ("service_targets", targets),
            ("visits", visit_rows),
            ("problems", problem_rows),
            ("solutions", solution_rows),
            ("attachments", attachment_rows),
            ("service_agreements", agreement_rows),
        ):
            _insert_many(store, table, rows)
        store.set_meta("self_commissioner_id", people[0]["id"])
        store.set_meta("demo_seed", str(seed))
    store.actor = people[0]["id"]
    if progress:
        progress(visits, visits)
    return DemoResult(
        len(people), len(targets), len(visit_rows), len(problem_rows), len(solution_rows), people[0]["id"]
    )


def _insert_many(store: Store, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = sorted({k for r in rows for k in r})
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    defaults = {"is_draft": 0}
    store.db.conn.executemany(sql, ([r.get(c, defaults.get(c)) for c in columns] for r in rows))
