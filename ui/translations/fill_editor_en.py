"""Fill the English translations of editor_en.ts after pyside6-lupdate (a maintenance script).

    pyside6-lupdate ui/editors/*.py ui/widgets/*.py -ts ui/translations/editor_en.ts
    python ui/translations/fill_editor_en.py ui/translations/editor_en.ts

It fails, listing them, if a source string has no English here.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

ENGLISH = {
    # attachments
    "添加签字确认单扫描件…": "Add the signed sheet scan…",
    "添加照片或文档…": "Add photos or documents…",
    "打开": "Open",
    "移除": "Remove",
    "也可以把文件直接拖到这里": "You can also drop files here",
    "附件": "Attachments",
    "扫描件 (*.jpg *.jpeg *.png *.pdf);;所有文件 (*)": "Scans (*.jpg *.jpeg *.png *.pdf);;All files (*)",
    "照片和文档 (*.jpg *.jpeg *.png *.heic *.pdf *.doc *.docx *.xls *.xlsx);;所有文件 (*)":
        "Photos and documents (*.jpg *.jpeg *.png *.heic *.pdf *.doc *.docx *.xls *.xlsx);;All files (*)",
    "选择附件": "Choose attachments",
    "无法打开附件：%1": "Cannot open the attachment: %1",
    "系统中没有可以打开此类文件的程序。文件位于：%1": "No program on this computer opens this kind of file. The file is at: %1",
    "拍摄时间：%1": "Taken: %1",
    "拍摄地点：%1": "Place: %1",
    "照片中没有位置信息": "The photo has no location",
    # draft recovery
    "恢复未保存的服务记录": "Recover unsaved visits",
    "上次关闭程序时，以下服务记录还有未保存的内容（已自动保存）。请选择继续编辑或丢弃。":
        "When the application last closed, these visits had unsaved work (kept by autosave). "
        "Resume editing or discard each.",
    "继续编辑": "Resume editing",
    "丢弃": "Discard",
    "以后再说": "Later",
    "%1 %2\u3000服务对象：%3\n%4\n自动保存于 %5": "%1 %2  Target: %3\n%4\nAutosaved at %5",
    "未选择": "not chosen",
    "（无内容）": "(no content)",
    # problem card and dialog
    "本次发现的技术难题": "Problem found on this visit",
    "已有技术难题（%1起）": "Existing problem (since %1)",
    "难题标题": "Problem",
    "难题描述": "Description",
    "紧急程度": "Urgency",
    "处理状态": "Status",
    "本次解决方案": "Solution given",
    "采用技术": "Technology used",
    "效果": "Outcome",
    "效益（万元）": "Benefit (10k yuan)",
    "一句话说明难题，如：柑橘黄龙病防控": "The problem in a few words, e.g. citrus greening control",
    "本次给出的解决办法；标记“已解决”时必填": "The solution given on this visit; required when marked solved",
    "服务对象已确认此方案": "Confirmed by the served party",
    "从本记录移除": "Remove from this visit",
    "已保存的难题请在“技术难题”中修改状态": "Change a saved problem's status under \u201cProblems\u201d",
    "原因说明（必填）": "Reason (required)",
    "原因说明": "Reason",
    "技术难题：%1": "Technical problem: %1",
    "标题": "Title",
    "服务对象": "Service target",
    "描述": "Description",
    "产业": "Industry",
    "来源": "Source",
    "状态": "Status",
    "相关服务记录（双击打开）": "Related visits (double-click to open)",
    "解决方案": "Solutions",
    "新增解决方案（标记为已解决前至少需要一个）：": "Add a solution (a problem needs one before it is marked solved):",
    "做了什么": "What was done",
    "经济效益（万元）": "Economic benefit (10k yuan)",
    "服务对象已确认": "Confirmed by the served party",
    "保存": "Save",
    "取消": "Cancel",
    "（暂无）": "(none yet)",
    "（尚无解决方案）": "(no solution yet)",
    # region, target dialog and picker
    "县（市、区）": "County / district",
    "镇（街道）": "Town / sub-district",
    "村（社区），可不填": "Village / community (optional)",
    "新建服务对象": "New service target",
    "类型": "Type",
    "名称": "Name",
    "所在地区": "Region",
    "联系人": "Contact",
    "联系电话": "Contact phone",
    "统一社会信用代码": "Unified social credit code",
    "地址": "Address",
    "备注": "Notes",
    "如：新会区某某陈皮有限公司": "e.g. Xinhui Example Chenpi Co., Ltd.",
    "18位，企业填写，如 91440705MA4UXXXXXX": "18 characters, for enterprises, e.g. 91440705MA4UXXXXXX",
    "手机或固定电话": "Mobile or landline",
    "企业请填写统一社会信用代码": "Enter the enterprise's unified social credit code",
    "✓ 统一社会信用代码校验通过": "\u2713 The credit code is valid",
    "输入名称、地区或联系人查找服务对象": "Type a name, place or contact to find the service target",
    "查找服务对象": "Find service target",
    "新建服务对象…": "New service target…",
    "没有找到，可点“新建服务对象…”": "Nothing found; click \u201cNew service target…\u201d",
    "尚未选择服务对象": "No service target chosen yet",
    "联系人：%1": "Contact: %1",
    # visit editor
    "新建服务记录": "New visit",
    "服务记录 %1": "Visit %1",
    "服务时间": "When",
    "日期": "Date",
    "开始": "From",
    "结束": "To",
    "服务地点": "Place",
    "服务类型": "Service types",
    "服务内容": "Content",
    "确认人": "Confirmed by",
    "满意度": "Satisfaction",
    "服务对象意见": "Served party's remark",
    "签字确认单": "Signed sheet",
    "举办培训班（期）": "Training sessions",
    "培训人次": "People trained",
    "推广新技术（项）": "Techniques promoted",
    "引进推广新品种新产品（个）": "Varieties / products introduced",
    "建立示范基地（个）": "Demonstration bases",
    "培育示范户（户）": "Demonstration households",
    "带动就业（人）": "Jobs created",
    "做了什么、为谁、效果如何（至少5个字）": "What was done, for whom, with what effect (at least 5 characters)",
    "只填本次服务的数字；没有的保持0。经济效益以万元计，可带两位小数。":
        "Only this visit's figures; leave 0 where none. Economic benefit in 10k yuan, two decimals allowed.",
    "未评价": "Not rated",
    "1 很不满意": "1 Very dissatisfied",
    "2 不满意": "2 Dissatisfied",
    "3 一般": "3 Neutral",
    "4 满意": "4 Satisfied",
    "5 非常满意": "5 Very satisfied",
    "服务对象一方的确认人姓名": "Name of the served party's contact who confirms",
    "现场照片、培训签到表、文档等佐证材料。照片的拍摄时间和地点从照片信息中读取。":
        "Evidence: site photos, training sign-in sheets, documents. A photo's time and place are read from "
        "the photo itself.",
    "新增本次发现的难题": "Add a problem found on this visit",
    "关联此难题": "Link this problem",
    "把难题标记为“已解决”时，须填写本次解决方案；转交或暂无法解决时须说明原因。":
        "A problem marked solved needs this visit's solution; referred or unresolved needs a reason.",
    "基本信息": "Basics",
    "服务成效": "Results",
    "服务对象确认": "Confirmation",
    "保存为草稿": "Save as draft",
    "保存未填完的记录（Ctrl+Shift+S），草稿不会同步": "Keep an unfinished record (Ctrl+Shift+S); drafts are not synced",
    "保存 (Ctrl+S)": "Save (Ctrl+S)",
    "关闭": "Close",
    "恢复未保存的修改": "Restore unsaved changes",
    "难题与方案（%1）": "Problems and solutions (%1)",
    "照片与附件（%1）": "Photos and files (%1)",
    "（未填写意见）": "(no opinion given)",
    "审核退回，意见：%1\u3000请修改后重新保存提交。": "Returned by the reviewer: %1  Please correct and save again.",
    "此记录已通过审核。保存修改后将退回“待审核”，需要重新审核。":
        "This record is approved. Saving a change sends it back to \u201cwaiting for review\u201d.",
    "状态：未保存": "State: not saved",
    "状态：%1": "State: %1",
    "选择一个未解决的已有难题…": "Choose an existing open problem…",
    "已保存为草稿 %1": "Saved as draft at %1",
    "有 %1 处需要修改，已在相应位置标出。": "%1 problem(s) to correct, marked next to the fields.",
    "自动保存失败：%1": "Autosave failed: %1",
    "已自动保存 %1": "Autosaved at %1",
    "此记录有 %1 自动保存但未保存的修改。": "This record has unsaved changes autosaved at %1.",
    "尚未保存": "Not saved",
    "这条服务记录有未保存的修改。": "This visit has unsaved changes.",
    "放弃修改": "Discard changes",
}


def fill(path: str) -> list[str]:
    tree = ET.parse(path)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if source in ENGLISH:
            translation.text = ENGLISH[source]
            translation.attrib.pop("type", None)
        else:
            missing.append(source)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return missing


if __name__ == "__main__":
    missing = fill(sys.argv[1])
    if missing:
        sys.exit("no English for: " + ", ".join(missing))
