"""Fill the English translations of bureau_en.ts after pyside6-lupdate (a maintenance script).

    pyside6-lupdate ui/roles.py ui/views/demands.py ui/views/city.py ui/views/assessment_run.py \\
        ui/views/reference.py -ts ui/translations/bureau_en.ts -no-obsolete
    python ui/translations/fill_bureau_en.py ui/translations/bureau_en.ts

It fails, listing them, if a source string has no English here.
"""

from __future__ import annotations

from fill_ts import main

ENGLISH = {
    # rail
    "审核": "Review",
    "团队": "Team",
    "考核": "Assessment",
    "全市概况": "City",
    "年度考核": "Assessment run",
    "基础数据": "Reference data",
    "技术需求": "Demands",
    # shared
    "年度": "Year",
    "取消": "Cancel",
    "姓名": "Name",
    "派出单位": "Sending unit",
    "区县": "County",
    "镇街": "Town",
    "服务记录": "Visits",
    "服务天数": "Service days",
    "解决难题": "Problems solved",
    "得分": "Score",
    "等次": "Grade",
    "说明": "Note",
    "产业": "Industry",
    "服务类型": "Service type",
    "服务日期": "Date",
    "服务对象": "Served party",
    "服务内容": "Content",
    "状态": "Status",
    "科技特派员": "Commissioners",
    "地点": "Place",
    # annual assessment run
    "导出考核表（Excel）": "Export table (Excel)",
    "批量生成年度服务记录（PDF）": "Annual records of everyone (PDF)",
    "本年度暂无考核结果": "No assessment results for this year",
    "名次": "Rank",
    "正在计算全市考核结果…": "Computing the city's assessment…",
    "等次分布（人）": "Grades (commissioners)",
    "参评 {0} 人：": "{0} assessed: ",
    "按优秀比例上限由优秀调为良好": "Lowered from 优秀 to 良好 by the share cap",
    "导出考核表": "Export the assessment table",
    "Excel 工作簿 (*.xlsx)": "Excel workbook (*.xlsx)",
    "已导出：{0}": "Exported: {0}",
    "正在导出考核表…": "Exporting the assessment table…",
    "选择保存年度服务记录的文件夹": "Choose the folder for the annual records",
    "正在生成{0}年度服务记录…": "Writing the annual records of {0}…",
    "正在取消…（当前这一份写完后停止）": "Cancelling… (stops after the current document)",
    "已生成 {0}/{1}：{2}": "Written {0}/{1}: {2}",
    "已取消：已生成 {0} 份（共 {1} 份），保存在 {2}": "Cancelled: {0} of {1} written, in {2}",
    "已生成 {0} 份年度服务记录，保存在 {1}": "{0} annual records written, in {1}",
    # city
    "在岗服务的科技特派员（人）": "Active commissioners",
    "解决技术难题（项）": "Technical problems solved",
    "服务记录（条）": "Visits",
    "区县与镇街": "Counties and towns",
    "产业与服务类型": "Industries and service types",
    "科技特派员考核": "Commissioners' assessment",
    "服务镇街": "Towns served",
    "本年度暂无服务记录": "No visits this year",
    "正在统计…": "Counting…",
    "正在统计全市数据…": "Counting the city's figures…",
    "正在计算考核得分…": "Computing the scores…",
    "计划目标 {0:,} 人；本年度有服务记录的科技特派员": "Plan: {0:,}; commissioners with a visit this year",
    "计划目标 {0:,} 项": "Plan: {0:,}",
    "已提交的服务记录（不含草稿）": "Submitted visits (drafts not counted)",
    "（未填写）": "(not given)",
    "各区县服务记录": "Visits by county",
    "各产业服务记录（前 12 个）": "Visits by industry (top 12)",
    "各服务类型服务记录": "Visits by service type",
    "{0}共 {1} 名科技特派员参评。": "{0} {1} commissioners assessed.",
    "选择左侧的区县，查看其各镇街的服务情况。": "Choose a county on the left to see its towns.",
    "{0}：各镇街": "{0}: towns",
    "选择镇街，查看其服务记录。": "Choose a town to see its visits.",
    "{0}：{1:,} 条服务记录": "{0}: {1:,} visits",
    "（显示最近 {0} 条）": " (the latest {0} shown)",
    # demands
    "发布技术需求（来自村、企业或局里的清单）；同步后送达各科技特派员，揭榜后可在此查看揭榜人和难题进展。": "Publish technical demands (from villages, enterprises or the bureau's own list); they reach every "
    "commissioner at the next sync, and here you see who took each up and how the problem progresses.",
    "市科技局发布的待揭榜技术需求，与您产业相符的排在前面。揭榜后该需求成为您的技术难题（见“技术难题”），下次同步时告知市科技局。": "Open demands published by the bureau, those of your industries first. Taking one up makes it your "
    "technical problem (see Problems); the bureau learns of it at the next sync.",
    "技术需求（揭榜）": "Technical demands",
    "发布新需求": "Publish a demand",
    "需求标题": "Title",
    "需求描述": "Description",
    "揭榜截止日期": "Take up by",
    "如：柑橘黄龙病绿色防控技术": "e.g. green control of citrus greening",
    "提出需求的村、企业或合作社": "The village, enterprise or cooperative asking",
    "发布需求": "Publish",
    "已发布需求的进展": "Published demands",
    "截止日期": "Deadline",
    "揭榜人": "Taken up by",
    "难题进展": "Problem status",
    "揭榜": "Take up",
    "正在加载技术需求…": "Loading the demands…",
    "目前没有待揭榜的技术需求。同步后可收到市科技局新发布的需求。": "No open demands. New demands from the bureau arrive with the next sync.",
    "市科技局": "Science and Technology Bureau",
    "请填写需求标题和需求描述。": "Enter the demand's title and description.",
    "揭榜截止日期不能早于今天。": "The deadline cannot be before today.",
    "正在发布需求…": "Publishing…",
    "已发布“{0}”，下次同步时送达各科技特派员。": "Published “{0}”; it reaches the commissioners at the next sync.",
    "正在揭榜…": "Taking it up…",
    "已揭榜“{0}”：它已成为您的技术难题，下次同步时告知市科技局。": "You took up “{0}”: it is now your technical problem; the bureau learns of it at the next sync.",
    # reference
    "修改镇街、产业和年度考核细则。已有记录保留填写时的名称，不受修改影响。": "Edit towns, industries and the year's assessment rules. Existing records keep the names they were "
    "saved with.",
    "考核细则": "Assessment rules",
    "代码": "Code",
    "中文名称": "Chinese name",
    "英文名称": "English name",
    "添加一行": "Add a row",
    "删除所选": "Remove selected",
    "保存镇街": "Save towns",
    "保存产业": "Save industries",
    "检查并保存考核细则": "Check and save the rules",
    "每一行都须填写代码和中文名称。": "Every row needs a code and a Chinese name.",
    "代码不能重复。": "Codes must be unique.",
    "已保存{0}的 {1} 个镇街。": "Saved {1} towns of {0}.",
    "已保存 {0} 个产业。": "Saved {0} industries.",
    "已保存{0}年度考核细则。": "Saved the assessment rules of {0}.",
    "考核细则有误，未保存：{0}": "The rules were not saved: {0}",
}


if __name__ == "__main__":
    main(ENGLISH)
