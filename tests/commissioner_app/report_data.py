"""A demo store for the document and export tests: demo data, a visit with photos and long content."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from commissioner_app.attachments import add_attachment
from commissioner_app.demo import generate_demo
from commissioner_app.domain import Solution, TechnicalProblem, Visit
from commissioner_app.store import Store

YEAR = 2026


@dataclass
class ReportData:
    store: Store
    data_dir: Path
    self_id: str
    photo_visit: str
    long_visit: str


def make_report_data(folder: Path) -> ReportData:
    store = Store.open(folder / "data")
    result = generate_demo(store, visits=900, commissioners=12, seed=21, end=date(YEAR, 11, 20))
    me = result.self_id
    target = store.db.execute("SELECT id FROM service_targets LIMIT 1").fetchone()[0]
    visit = Visit(
        commissioner_id=me,
        target_id=target,
        visit_date=date(YEAR, 3, 3),
        start_time="09:00",
        end_time="11:30",
        service_types=["guidance", "training"],
        training_sessions=1,
        people_trained=45,
        content="在东甲村开展柑橘黄龙病防控现场培训，讲解木虱监测方法。",
        confirm_satisfaction=5,
        economic_benefit=12.5,
    )
    problem = TechnicalProblem(title="柑橘木虱虫口密度高", status="solved")
    store.save_visit(
        visit,
        [problem],
        [Solution(problem_id=problem.id, description="统一喷药并悬挂黄板", technology="木虱统防统治")],
    )
    for i, size in enumerate([(2400, 1800), (900, 1200)]):
        img = Image.new("RGB", size, (40 + 90 * i, 130, 80))
        ImageDraw.Draw(img).ellipse((50, 50, size[0] - 50, size[1] - 50), fill=(220, 190, 40))
        path = folder / f"photo{i}.jpg"
        img.save(path, quality=85)
        add_attachment(store, path, "visits", visit.id)
    long_visit = Visit(
        commissioner_id=me,
        target_id=target,
        visit_date=date(YEAR, 4, 4),
        start_time="08:00",
        end_time="17:00",
        service_types=["guidance"],
        content="长篇服务内容，" * 400,
    )
    problems = [
        TechnicalProblem(title=f"第{i}个技术难题", description="描述" * 60, status="open") for i in range(8)
    ]
    store.save_visit(long_visit, problems)
    store.db.execute(
        "UPDATE visits SET review_status = 'approved' WHERE id IN (?, ?)", [visit.id, long_visit.id]
    )
    return ReportData(store, folder / "data", me, visit.id, long_visit.id)


def need_poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} (poppler-utils) is required on CI")
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return found
