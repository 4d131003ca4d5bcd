"""Fill the English translations of manager_en.ts after pyside6-lupdate (a maintenance script).

    pyside6-lupdate ui/roles.py ui/views/review.py ui/views/team.py ui/views/assessment.py ui/views/annual_batch.py \\
        ui/views/pdf_preview.py ui/views/chart.py -ts ui/translations/manager_en.ts -no-obsolete
    python ui/translations/fill_manager_en.py ui/translations/manager_en.ts

It fails, listing them, if a source string has no English here.
"""

from __future__ import annotations

from fill_ts import main

ENGLISH = {
    # rail
    "审核": "Review",
    "团队": "Team",
    "考核": "Assessment",
    # the bureau's views, named in ui/roles.py too (bureau_en.ts has them as well)
    "全市概况": "City",
    "年度考核": "Assessment run",
    "基础数据": "Reference data",
    "技术需求": "Demands",
    # review
    "服务日期": "Date",
    "科技特派员": "Commissioner",
    "服务对象": "Served party",
    "地点": "Place",
    "服务内容": "Content",
    "佐证": "Evidence",
    "备注": "Note",
    "照片{0}张": "{0} photo(s)",
    "点击照片可查看原图。": "Click a photo to see it in full.",
    "已确认": "confirmed",
    "无": "none",
    "批准后又修改": "Edited after approval",
    "正在加载待审核记录…": "Loading the records to review…",
    "审核供工作站站长或团长使用：请在“同步”页面用站长账户登录。":
        "Review is for workstation managers and team leaders: log in with a manager account on the Sync page.",
    "正在加载…": "Loading…",
    "没有待审核的服务记录。": "No visits wait for review.",
    "待审核 {0} 条，按服务日期从新到旧排列；按住 Ctrl 或 Shift 可选择多条一起通过。":
        "{0} waiting for review, newest first; hold Ctrl or Shift to approve several at once.",
    "其中 {0} 条批准后又被修改。": " {0} of them were edited after approval.",
    "选择一条记录查看详情。": "Choose a record to see its details.",
    "通过所选（{0} 条）": "Approve {0} selected",
    "通过": "Approve",
    "退回所选（{0} 条）": "Return {0} selected",
    "退回修改": "Return for correction",
    "产业": "Industry",
    "服务类型": "Service types",
    "项目": "Field",
    "批准时": "When approved",
    "现在": "Now",
    "本次服务没有记录技术难题。": "No technical problem was recorded on this visit.",
    "没有照片。": "No photos.",
    "服务对象确认": "Confirmed by",
    "满意度": "satisfaction",
    "服务对象尚未确认。": "The served party has not confirmed yet.",
    "近一年：已通过 {0} 条，已退回 {1} 条，待审核 {2} 条":
        "Last 12 months: {0} approved, {1} returned, {2} waiting for review",
    "批准后修改的内容": "Changed since approval",
    "经济效益（万元）": "Economic benefit (10,000 yuan)",
    "技术难题与解决方案": "Problems and solutions",
    "佐证材料": "Evidence",
    "本记录的审核经过": "Reviews of this record",
    "已通过": "approved",
    "已退回": "returned",
    "{0}的服务情况": "{0}'s service record",
    "退回时必须填写审核意见，说明需要修改或补充什么。":
        "Returning needs an opinion: say what to correct or add.",
    "正在保存审核结果…": "Saving the review…",
    "已通过 {0} 条记录，下次同步时发送。": "{0} record(s) approved; sent at the next sync.",
    "已退回 {0} 条记录，特派员同步后会看到您的意见。":
        "{0} record(s) returned; the commissioner sees your opinion after their next sync.",
    "刷新": "Refresh",
    "审核意见（退回时必填，特派员同步后可见）": "Opinion (required to return; the commissioner sees it after syncing)",
    "例如：请补充现场照片和服务对象签字确认单。": "E.g.: please add photos on site and the served party's signed sheet.",
    # team
    "团队情况供工作站站长或团长使用：请在“同步”页面用站长账户登录。":
        "The team view is for workstation managers and team leaders: log in with a manager account on the Sync page.",
    "开始日期晚于结束日期。": "The start date is after the end date.",
    "正在统计团队情况…": "Counting the team's activity…",
    "成员": "Member",
    "派出单位": "Sending unit",
    "服务次数": "Visits",
    "服务天数": "Service days",
    "解决难题": "Problems solved",
    "待审核": "To review",
    "最近服务": "Last visit",
    "从未": "never",
    "已超过 {0} 天没有服务记录": "No visit for more than {0} days",
    "{0}，成员 {1} 人": "{0}, {1} members",
    "本期共服务 {0} 次。": "{0} visits in the period.",
    "{0} 名成员已超过 {1} 天没有服务记录（以橙色标出）。": " {0} member(s) without a visit for {1} days (in orange).",
    "本期没有服务记录": "No visits in the period",
    "每周服务次数（周一起）": "Visits per week (weeks from Monday)",
    "总分": "Total",
    "等级": "Grade",
    "{0}考核（与团队汇总 PDF 相同的计算）。{1}": "Assessment of {0} (computed as in the team summary PDF). {1}",
    "{0}年度团队工作汇总.pdf": "team-summary-{0}.pdf",
    "保存团队汇总": "Save the team summary",
    "PDF 文件 (*.pdf)": "PDF files (*.pdf)",
    "正在生成团队汇总…": "Writing the team summary…",
    "团队汇总已保存：{0}": "Team summary saved: {0}",
    "统计期间": "Period",
    "至": "to",
    "近30天": "Last 30 days",
    "本月": "This month",
    "本季度": "This quarter",
    "本年度": "This year",
    "上一年度": "Last year",
    "自定义": "Custom",
    "团队汇总 PDF…": "Team summary PDF…",
    # assessment
    "正在计算考核结果…": "Computing the assessment…",
    "没有可显示的考核结果：请先在“设置”中填写本人信息，或同步团队数据。":
        "Nothing to show: enter your profile in Settings first, or sync the team's data.",
    "考核部分": "Part",
    "考核指标": "Indicator",
    "年度目标": "Target",
    "完成值": "Actual",
    "分值": "Points",
    "上限": "Cap",
    "得分": "Score",
    "小计": "Subtotal",
    "{0}（{1}分）": "{0} ({1} pts)",
    "{0}：总分 {1}\u3000等级 {2}": "{0}: total {1}, grade {2}",
    "得分达到优秀，受优秀比例上限调整为良好。": "Scored 优秀 (excellent), lowered to 良好 (good) by the share cap.",
    "等级线：优秀 ≥ {0}，良好 ≥ {1}，合格 ≥ {2}。评分细则：{3}":
        "Grades: excellent ≥ {0}, good ≥ {1}, pass ≥ {2}. Rules: {3}",
    "本年度没有计入考核的服务记录": "No counted visits this year",
    "各月计入考核的服务次数（月）": "Counted visits per month",
    "由特派员本人填写": "Written by the commissioner",
    "未保存": "Not saved",
    "已保存 {0}": "Saved {0}",
    "正在保存年度工作总结…": "Saving the annual summary…",
    "{0}年度服务记录_{1}.pdf": "annual-record-{0}_{1}.pdf",
    "正在生成年度服务记录…": "Writing the annual record…",
    "{0}年没有服务记录。": "No visits in {0}.",
    "服务记录单_{0}.pdf": "visit-sheet_{0}.pdf",
    "正在生成服务记录单…": "Writing the visit sheet…",
    "选择保存年度服务记录的文件夹": "Choose the folder for the annual records",
    "正在生成{0}年度服务记录…": "Writing the annual records of {0}…",
    "正在取消…（已开始的几份写完后停止）": "Cancelling… (stops once the documents already started are written)",
    "已生成 {0}/{1}：{2}": "Written {0}/{1}: {2}",
    "已取消：已生成 {0} 份（共 {1} 份），保存在 {2}": "Cancelled: {0} of {1} written, in {2}",
    "已生成 {0} 份年度服务记录，保存在 {1}": "{0} annual records written, in {1}",
    "年度": "Year",
    "打印年度服务记录…": "Print annual record…",
    "打印服务记录单…": "Print visit sheet…",
    "批量生成年度服务记录…": "Annual records for everyone…",
    "取消": "Cancel",
    "年度工作总结": "Annual summary",
    "保存总结": "Save summary",
    "写下本年度的服务工作、取得的成效和下一步打算（将印在年度服务记录上）。":
        "Write about this year's service, its results and your plans (printed on the annual record).",
    "选择服务记录": "Choose a visit",
    "预览服务记录单": "Preview the visit sheet",
    # preview
    "打印预览": "Print preview",
    "保存为 PDF…": "Save as PDF…",
    "关闭": "Close",
    "预览：{0} 页。确认无误后保存，再用 PDF 阅读器打印。":
        "Preview: {0} page(s). Save it when it is right, then print it from a PDF reader.",
    "预览前 {0} 页；保存的文件包含全部页面。": "Preview of the first {0} pages; the saved file has them all.",
    "保存 PDF": "Save PDF",
    "无法保存": "Cannot save",
    "无法保存到 {0}：{1}": "Cannot save to {0}: {1}",
}


if __name__ == "__main__":
    main(ENGLISH)
