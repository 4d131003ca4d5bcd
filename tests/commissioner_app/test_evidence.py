"""Evidence checks with crafted EXIF: a reused photo, a photo taken days away, a photo taken far away,
and a commissioner in two places at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from commissioner_app.attachments import add_attachment
from commissioner_app.domain import Commissioner, ServiceTarget, Visit
from commissioner_app.evidence import distance_km, evidence_warnings
from commissioner_app.store import Store

# Two points in 新会区 about 4 km apart, and one in 台山市 about 41 km away from them.
SHUANGSHUI = (22.51, 113.08)
NEAR = (22.53, 113.11)
TAISHAN = (22.25, 112.79)


def photo(path: Path, taken: str | None, where: tuple[float, float] | None, shade: int = 60) -> Path:
    img = Image.new("RGB", (320, 240), (40, 120, shade))
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken.replace("-", ":").replace("T", " ")
    if where:
        gps = exif.get_ifd(0x8825)
        lat, lon = where
        gps[1], gps[2] = "N", (float(int(lat)), float(int(lat * 60 % 60)), round(lat * 3600 % 60, 2))
        gps[3], gps[4] = "E", (float(int(lon)), float(int(lon * 60 % 60)), round(lon * 3600 % 60, 2))
    img.save(path, "JPEG", exif=exif)
    return path


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


def person(store: Store, name: str) -> Commissioner:
    return store.save(Commissioner(name=name, sending_unit="五邑大学"))


def place(store: Store, name: str, town: str = "双水镇") -> ServiceTarget:
    return store.save(ServiceTarget(type="cooperative", name=name, county="新会区", town=town))


def visit(
    store: Store, who: Commissioner, target: ServiceTarget, day: str, start: str = "09:00", end: str = "11:00"
) -> Visit:
    v = Visit(
        commissioner_id=who.id,
        target_id=target.id,
        visit_date=date.fromisoformat(day),
        start_time=start,
        end_time=end,
        county=target.county,
        town=target.town,
        service_types=["guidance"],
        content="现场指导陈皮晾晒与仓储",
    )
    store.save_visit(v)
    return v


def kinds(found: dict[str, list], visit_id: str) -> list[str]:
    return sorted(w.kind for w in found.get(visit_id, []))


def test_distance_is_great_circle_kilometres():
    assert distance_km(*SHUANGSHUI, *NEAR) == pytest.approx(3.6, abs=0.5)
    # By hand: 0.26° of latitude = 28.9 km, 0.29° of longitude at 22.4° N = 29.9 km; hypotenuse 41.6 km.
    assert distance_km(*SHUANGSHUI, *TAISHAN) == pytest.approx(41.6, abs=0.3)


def test_the_same_photo_on_two_visits_of_two_people_is_flagged_on_both(store, tmp_path):
    wang, li = person(store, "王强"), person(store, "李娜")
    coop = place(store, "双水陈皮合作社")
    first = visit(store, wang, coop, "2025-06-01")
    second = visit(store, li, coop, "2025-06-08")
    same = photo(tmp_path / "a.jpg", "2025-06-01T10:00:00", SHUANGSHUI)
    add_attachment(store, same, "visits", first.id)
    add_attachment(store, same, "visits", second.id)
    found = evidence_warnings(store, [first.id, second.id])
    assert "reused_photo" in kinds(found, first.id) and "reused_photo" in kinds(found, second.id)
    [reused] = [w for w in found[second.id] if w.kind == "reused_photo"]
    assert "另外 1 条" in reused.message.zh and "1 other visit" in reused.message.en


def test_a_photo_taken_more_than_three_days_from_the_visit_is_flagged(store, tmp_path):
    wang = person(store, "王强")
    coop = place(store, "双水陈皮合作社")
    v = visit(store, wang, coop, "2025-06-10")
    add_attachment(store, photo(tmp_path / "ok.jpg", "2025-06-07T10:00:00", None, 10), "visits", v.id)
    assert evidence_warnings(store, [v.id]) == {}  # three days: allowed
    add_attachment(store, photo(tmp_path / "old.jpg", "2025-05-01T10:00:00", None, 20), "visits", v.id)
    [w] = evidence_warnings(store, [v.id])[v.id]
    assert w.kind == "photo_date" and "2025-05-01" in w.message.zh and "40 天" in w.message.zh


def test_a_photo_far_from_the_targets_other_photos_is_flagged(store, tmp_path):
    wang = person(store, "王强")
    coop = place(store, "双水陈皮合作社")
    earlier = visit(store, wang, coop, "2025-05-01")
    add_attachment(store, photo(tmp_path / "1.jpg", None, SHUANGSHUI, 1), "visits", earlier.id)
    add_attachment(store, photo(tmp_path / "2.jpg", None, NEAR, 2), "visits", earlier.id)
    v = visit(store, wang, coop, "2025-06-01")
    add_attachment(store, photo(tmp_path / "3.jpg", None, NEAR, 3), "visits", v.id)
    assert evidence_warnings(store, [v.id]) == {}
    add_attachment(store, photo(tmp_path / "far.jpg", None, TAISHAN, 4), "visits", v.id)
    [w] = evidence_warnings(store, [v.id])[v.id]
    assert w.kind == "photo_place" and "公里" in w.message.zh and "far.jpg" in w.message.zh


def test_a_commissioner_in_two_places_at_once_is_flagged(store):
    wang, li = person(store, "王强"), person(store, "李娜")
    coop, farm = place(store, "双水陈皮合作社"), place(store, "大鳌家庭农场", "大鳌镇")
    morning = visit(store, wang, coop, "2025-06-01", "09:00", "11:00")
    clash = visit(store, wang, farm, "2025-06-01", "10:30", "12:00")
    after = visit(store, wang, farm, "2025-06-01", "11:00", "12:00")  # starts when the first ends
    colleague = visit(store, li, farm, "2025-06-01", "09:00", "11:00")  # someone else: fine
    found = evidence_warnings(store, [morning.id, clash.id, after.id, colleague.id])
    assert kinds(found, morning.id) == ["overlap"] and kinds(found, clash.id) == ["overlap", "same_day"]
    assert kinds(found, after.id) == ["same_day"]  # no overlap; but the farm twice that day
    assert colleague.id not in found
    assert "大鳌家庭农场" in found[morning.id][0].message.zh


def test_one_visit_logged_twice_or_split_into_many_is_flagged(store):
    """The same visit logged twice, or one morning split into hourly visits at the same target, each
    counted as a visit: the reviewer is told of the others that day."""
    wang, li = person(store, "王强"), person(store, "李娜")
    coop = place(store, "双水陈皮合作社")
    first = visit(store, wang, coop, "2025-06-01", "09:00", "11:00")
    again = visit(store, wang, coop, "2025-06-01", "09:00", "11:00")
    later = visit(store, wang, coop, "2025-06-01", "14:00", "15:00")
    next_day = visit(store, wang, coop, "2025-06-02", "09:00", "11:00")
    colleague = visit(store, li, coop, "2025-06-01", "09:00", "11:00")  # a colleague there too: fine
    found = evidence_warnings(store, [first.id, again.id, later.id, next_day.id, colleague.id])
    assert kinds(found, first.id) == kinds(found, again.id) == kinds(found, later.id) == ["same_day"]
    assert next_day.id not in found and colleague.id not in found
    [w] = found[first.id]
    assert w.message.zh == "同一天在“双水陈皮合作社”另有 2 条服务记录（09:00–11:00、14:00–15:00）"
    assert w.message.en == "2 more visits to “双水陈皮合作社” that day (09:00–11:00, 14:00–15:00)"
    assert w.title.zh == "同日重复"


def test_one_visit_logged_twice_under_two_records_of_one_party_is_flagged(store):
    """A cold try registered the same co-operative twice (saved again past the 疑似重复 warning) and
    logged one morning once under each: two visits counted, and the reviewer was told nothing."""
    wang = person(store, "王强")
    coop = place(store, "双水陈皮合作社")
    again = place(store, "双水 陈皮专业合作社")  # the same name as compared, in the same town
    coded, recoded = place(store, "大鳌家庭农场"), place(store, "大鳌镇鸿发家庭农场", town="大鳌镇")
    for target in (coded, recoded):  # another name, the same unified social credit code
        target.credit_code = "93440705MA4W123454"
        store.save(target)
    other = place(store, "双水柑橘合作社")  # another party in the town: fine
    namesake = place(store, "大鳌家庭农场")  # the name of the coded farm, another legal person's code
    namesake.credit_code = "93440705MA4W56786X"
    store.save(namesake)
    first = visit(store, wang, coop, "2025-06-01", "09:00", "11:00")
    second = visit(store, wang, again, "2025-06-01", "11:00", "12:00")
    fine = visit(store, wang, other, "2025-06-01", "14:00", "15:00")
    farm = visit(store, wang, coded, "2025-06-02", "09:00", "11:00")
    farm_again = visit(store, wang, recoded, "2025-06-02", "14:00", "16:00")
    next_door = visit(store, wang, namesake, "2025-06-02", "16:00", "17:00")
    found = evidence_warnings(store, [first.id, second.id, fine.id, farm.id, farm_again.id, next_door.id])
    assert kinds(found, first.id) == kinds(found, second.id) == ["same_day"]
    assert kinds(found, farm.id) == kinds(found, farm_again.id) == ["same_day"]
    assert fine.id not in found and next_door.id not in found
    [w] = found[first.id]
    assert w.message.zh == (
        "同一天在“双水陈皮合作社”另有 1 条服务记录（11:00–12:00，服务对象登记为“双水 陈皮专业合作社”）"
    )
    assert w.message.en == (
        "1 more visit to “双水陈皮合作社” that day (11:00–12:00, target recorded as “双水 陈皮专业合作社”)"
    )


def test_one_party_registered_with_and_without_its_town_or_village_suffix_is_one_party(store):
    """A cold try registered 双水陈皮合作社 twice, once in 双水镇 and once typed 双水, and a farmer
    王伟 once in 桥美村 and once in 桥美: one morning logged under each record was two visits,
    and the reviewer was told nothing."""
    wang = person(store, "王强")
    coop, again = place(store, "双水陈皮合作社"), place(store, "双水陈皮合作社", town="双水")

    def farmer(village: str) -> ServiceTarget:
        return store.save(
            ServiceTarget(type="large_grower", name="王伟", county="新会区", town="双水镇", village=village)
        )

    grower, grower_again = farmer("桥美村"), farmer(" 桥美 ")
    first = visit(store, wang, coop, "2025-06-01", "09:00", "11:00")
    second = visit(store, wang, again, "2025-06-01", "11:00", "12:00")
    third = visit(store, wang, grower, "2025-06-02", "09:00", "10:00")
    fourth = visit(store, wang, grower_again, "2025-06-02", "14:00", "15:00")
    found = evidence_warnings(store, [first.id, second.id, third.id, fourth.id])
    assert kinds(found, first.id) == kinds(found, second.id) == ["same_day"]
    assert kinds(found, third.id) == kinds(found, fourth.id) == ["same_day"]
    # Not every place is one with its neighbour: 双水 is not 双龙, a 双水 in another county is not this one.
    elsewhere = place(store, "双水陈皮合作社", town="双龙镇")
    far = store.save(ServiceTarget(type="cooperative", name="双水陈皮合作社", county="台山市", town="双水"))
    fifth = visit(store, wang, elsewhere, "2025-06-03", "09:00", "10:00")
    sixth = visit(store, wang, far, "2025-06-03", "14:00", "15:00")
    seventh = visit(store, wang, coop, "2025-06-04", "09:00", "10:00")
    eighth = visit(store, wang, far, "2025-06-04", "14:00", "15:00")
    assert evidence_warnings(store, [fifth.id, sixth.id, seventh.id, eighth.id]) == {}


def test_namesakes_are_not_taken_for_one_party(store):
    """A cold try: two farmers 王伟 in two villages of one town, two 红星合作社 in two towns called
    城关镇 of two counties, and two targets with no place at all were each taken for one party."""
    wang = person(store, "王强")

    def target(name: str, county: str, town: str, village: str = "") -> ServiceTarget:
        return store.save(
            ServiceTarget(type="large_grower", name=name, county=county, town=town, village=village)
        )

    pairs = [
        (target("王伟", "新会区", "双水镇", "桥美村"), target("王伟", "新会区", "双水镇", "豪山村")),
        (target("红星合作社", "永定区", "城关镇"), target("红星合作社", "上杭县", "城关镇")),
        (target("李家果园", "", ""), target("李家果园", "", "")),
    ]
    ids = []
    for day, (first, second) in enumerate(pairs, start=1):
        ids.append(visit(store, wang, first, f"2025-07-0{day}", "09:00", "10:00").id)
        ids.append(visit(store, wang, second, f"2025-07-0{day}", "14:00", "15:00").id)
    assert evidence_warnings(store, ids) == {}


def test_a_visit_of_most_of_a_day_is_flagged(store):
    wang = person(store, "王强")
    coop = place(store, "双水陈皮合作社")
    whole = visit(store, wang, coop, "2025-06-01", "00:00", "23:59")
    day = visit(store, wang, coop, "2025-06-03", "08:00", "18:00")  # a long field day: fine
    found = evidence_warnings(store, [whole.id, day.id])
    assert kinds(found, whole.id) == ["long_visit"] and day.id not in found
    assert found[whole.id][0].message.zh == "服务时长 23 小时 59 分，超过 12 小时"


def test_a_visit_in_another_county_than_its_target_is_flagged(store):
    """A cold try typed 台山市 (and 火星县) on visits to a 新会区 village: the team's counties covered
    went from 2 to 4, and the reviewer was told nothing."""
    wang = person(store, "王强")
    coop = place(store, "双水陈皮合作社")  # 新会区
    here = visit(store, wang, coop, "2025-06-01")
    there = visit(store, wang, coop, "2025-06-02")
    store.db.execute("UPDATE visits SET county = '台山市' WHERE id = ?", [there.id])
    found = evidence_warnings(store, [here.id, there.id])
    assert here.id not in found and kinds(found, there.id) == ["county"]
    assert found[there.id][0].message.zh == "服务记录的区县（台山市）与服务对象所在区县（新会区）不同"
