"""The served party's confirmation, end to end as people do it: the commissioner prints the visit
sheet, the served party scans its QR code and confirms on a phone (Chromium at a phone's size,
driven by Playwright), and the commissioner's next sync brings the confirmation home."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest

from commissioner_app.assessment import Period, Scope, assess
from commissioner_app.assessment_rules import parse_rules
from commissioner_app.domain import ServiceTarget, Visit
from commissioner_app.reports.visit_sheet import visit_sheet
from tests.sync.fieldwork import commissioner_store, connect
from tests.sync.harness import Server

CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI") == "true"


def need(tool: str, what: str) -> None:
    if shutil.which(tool) is None and not Path(tool).exists():
        if IN_CI:
            pytest.fail(f"{what} ({tool}) is missing; dev.py installs it on Debian")
        pytest.skip(f"{what} ({tool}) is not installed")


def a_synced_visit(shared_server: Server, tmp_path: Path) -> tuple[object, Visit, str]:
    cid = str(uuid.uuid4())
    name = shared_server.add_user(f"qr{uuid.uuid4().hex[:6]}", commissioner_id=cid)
    store = commissioner_store(tmp_path / "laptop", cid, name="林志强")
    target = store.save(
        ServiceTarget(type="cooperative", name="双水陈皮专业合作社", county="新会区", town="双水镇")
    )
    visit = Visit(
        commissioner_id=cid,
        target_id=target.id,
        visit_date=date.today() - timedelta(days=1),
        start_time="09:00",
        end_time="11:30",
        county="新会区",
        town="双水镇",
        service_types=["guidance"],
        content="指导陈皮仓储防潮，检查晾晒场地",
        confirm_satisfaction=5,
    )
    store.save_visit(visit)
    assert visit.confirm_token  # made when the visit was saved
    report = connect(store, shared_server.url, name).sync()
    assert report.rejected == 0
    return store, visit, name


def test_the_printed_sheets_qr_code_is_the_visits_own_link(shared_server: Server, tmp_path: Path) -> None:
    need("zbarimg", "zbar-tools")
    need("pdftoppm", "poppler-utils")
    store, visit, _ = a_synced_visit(shared_server, tmp_path)
    sheet = tmp_path / "sheet.pdf"
    visit_sheet(store, visit.id, sheet)  # type: ignore[arg-type]
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(sheet), str(tmp_path / "page")], check=True)
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(tmp_path / "page-1.png")], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == f"{shared_server.url}/c/{visit.confirm_token}"


def test_the_served_party_confirms_on_a_phone_and_the_next_sync_brings_it(
    shared_server: Server, tmp_path: Path
) -> None:
    need(CHROMIUM, "Chromium")
    if not IN_CI:
        pytest.importorskip("playwright.sync_api")
    from playwright.sync_api import sync_playwright

    store, visit, name = a_synced_visit(shared_server, tmp_path)
    link = f"{shared_server.url}/c/{visit.confirm_token}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        phone = browser.new_context(
            viewport={"width": 360, "height": 740},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            # WeChat's built-in browser on Android
            user_agent="Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47",
        )
        page = phone.new_page()
        page.goto(link)
        assert page.get_by_text("指导陈皮仓储防潮").is_visible()
        assert page.get_by_text("林志强").is_visible() and page.get_by_text("双水陈皮专业合作社").is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the page is {width} px wide on a 360 px screen"
        page.get_by_label("4").check()
        page.get_by_label("您的姓名").fill("陈伟")
        page.get_by_label("单位职务（选填）").fill("合作社理事长")
        page.get_by_label("意见或说明（选填）").fill("讲解很实用")
        page.get_by_role("button", name="提交确认").click()
        page.get_by_text("已收到您的确认").wait_for()
        page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
        # Later the same day, from the same phone: still changeable.
        page.goto(link)
        assert page.get_by_text("24 小时内可以修改").is_visible()
        browser.close()

    report = connect(store, shared_server.url, name).sync()
    assert report.pulled >= 1
    row = store.db.execute(
        "SELECT decision, satisfaction, name, role, comment FROM confirmations WHERE visit_id = ?", [visit.id]
    ).fetchone()
    assert tuple(row) == ("confirmed", 4, "陈伟", "合作社理事长", "讲解很实用")
    # Approved, the served party's 4 counts, not the 5 the commissioner typed in.
    store.db.execute("UPDATE visits SET review_status = 'approved' WHERE id = ?", [visit.id])
    rules = parse_rules(
        f'year = {visit.visit_date.year}\nsatisfaction_source = "served_party"\n'  # type: ignore[union-attr]
        '[[parts]]\nkey = "s"\nweight = 100\n[[parts.indicators]]\nmetric = "satisfaction_mean"\n'
        "target = 5\npoints = 100\n"
    )
    period = Period.year(visit.visit_date.year)  # type: ignore[union-attr]
    figures = assess(store, Scope.commissioner(visit.commissioner_id), period, rules=rules).members[0].figures
    assert figures.satisfaction_mean == 4 and figures.satisfaction_from_party == 1
