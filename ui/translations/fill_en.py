"""Fill the English translations of frame_en.ts after pyside6-lupdate (a maintenance script).

    pyside6-lupdate ui/app.py ui/context.py ui/main_window.py ui/models.py ui/profile.py ui/tasks.py \
        ui/views/*.py -ts ui/translations/frame_en.ts
    python ui/translations/fill_en.py ui/translations/frame_en.ts

It fails, listing them, if a source string has no English here.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

ENGLISH = {
    "无法打开编辑器": "Cannot open the editor",
    "本程序安装不完整，缺少编辑器组件。请重新安装程序。": "This installation is incomplete: the editors are missing. Please reinstall the application.",
    "工作台": "Overview",
    "服务记录": "Visits",
    "技术难题": "Problems",
    "服务对象": "Service targets",
    "同步": "Sync",
    "设置": "Settings",
    "关于": "About",
    "科技特派员工作平台\n\n离线记录服务、技术难题和解决方案，联网后与市科技局同步。\n数据目录：{0}": "Field Commissioner\n\nRecord visits, technical problems and solutions offline; sync with the city "
    "bureau when online.\nData folder: {0}",
    "待同步：{0} 条记录": "Waiting to sync: {0} records",
    "所有记录均已同步": "All records are synced",
    "科技特派员工作平台": "Field Commissioner",
    "文件(&F)": "&File",
    "编辑(&E)": "&Edit",
    "视图(&V)": "&View",
    "同步(&S)": "&Sync",
    "帮助(&H)": "&Help",
    "新建服务记录": "New visit",
    "打开": "Open",
    "打印服务记录单…": "Print visit sheet…",
    "服务记录单_{0}.pdf": "visit-sheet_{0}.pdf",
    "正在生成服务记录单…": "Writing the visit sheet…",
    "搜索": "Search",
    "立即同步": "Sync now",
    "退出": "Quit",
    "{0}，您好！今天是 {1}。": "Hello, {0}! Today is {1}.",
    "今天是 {0}。": "Today is {0}.",
    "新建一条服务记录（Ctrl+N）": "Record a new visit (Ctrl+N)",
    "本月服务记录": "Visits this month",
    "待解决的技术难题": "Open technical problems",
    "等待同步的记录": "Records waiting to sync",
    "被退回待修改的记录": "Returned records to correct",
    "最近的服务记录": "Recent visits",
    "还没有服务记录。点击“新建服务记录”记下第一次服务。": "No visits yet. Click \u201cNew visit\u201d to record your first one.",
    "退回意见：{0}": "Returned: {0}",
    "状态": "State",
    "难题": "Problem",
    "进展": "Progress",
    "紧急程度": "Urgency",
    "产业": "Industry",
    "提出日期": "Raised on",
    "解决方案": "Solutions",
    "搜索技术难题：标题、描述…（Ctrl+F）": "Search problems: title, description… (Ctrl+F)",
    "全部": "All",
    "全部产业": "All industries",
    "正在加载技术难题…": "Loading problems…",
    "共 {0} 个技术难题；双击或按回车键查看详情": "{0} problems; double-click or press Enter for details",
    "欢迎使用科技特派员工作平台": "Welcome to Field Commissioner",
    "个人资料": "Profile",
    "第一次使用，请先填写您的个人资料。带 * 的为必填项，其余可以以后在“设置”中补充。": "First start: please fill in your profile. Fields marked * are required; the rest can be added "
    "later in Settings.",
    "修改您的个人资料。带 * 的为必填项。": "Edit your profile. Fields marked * are required.",
    "姓名 *": "Name *",
    "手机号": "Mobile phone",
    "派出单位 *": "Sending unit *",
    "职称": "Title",
    "专业特长": "Specialty",
    "服务产业": "Industries served",
    "所属科技特派团": "Commissioner team",
    "所属工作站": "Workstation",
    "例如：李明": "e.g. 李明",
    "例如：13800138000": "e.g. 13800138000",
    "从列表中选择，或直接输入单位名称": "Choose from the list or type the unit's name",
    "例如：高级农艺师": "e.g. senior agronomist",
    "例如：柑橘栽培与病虫害防治": "e.g. citrus growing and pest control",
    "（暂无）": "(none)",
    "连接市科技局服务器（后续版本提供）": "Connect to the bureau's server (coming in a later version)",
    "保存": "Save",
    "以后再说": "Later",
    "取消": "Cancel",
    "正在保存个人资料…": "Saving the profile…",
    "界面语言": "Language",
    "修改个人资料…": "Edit profile…",
    "数据保存位置": "Data folder",
    "尚未填写": "Not filled in yet",
    "上次同步时间": "Last synced",
    "附件": "Attachments",
    "{0} 条": "{0}",
    "从未同步": "Never",
    "立即同步（F5）": "Sync now (F5)",
    "与市科技局服务器同步的功能将在后续版本提供。在此之前，所有记录都安全地保存在本机，等待同步。": "Syncing with the city bureau's server comes in a later version. Until then every record is kept "
    "safely on this computer, waiting to sync.",
    "名称": "Name",
    "类型": "Type",
    "地区": "Region",
    "联系人": "Contact",
    "联系电话": "Contact phone",
    "服务次数": "Visits",
    "搜索服务对象：名称、地区、联系人…（Ctrl+F）": "Search service targets: name, region, contact… (Ctrl+F)",
    "全部类型": "All types",
    "区县": "County",
    "全部区县": "All counties",
    "正在加载服务对象…": "Loading service targets…",
    "共 {0} 个服务对象；双击或按回车键查看详情": "{0} service targets; double-click or press Enter for details",
    "服务日期": "Date",
    "时间": "Time",
    "服务类型": "Service types",
    "培训人次": "Trained",
    "效益（万元）": "Benefit (10k ¥)",
    "搜索服务记录：服务对象、内容、地区…（Ctrl+F）": "Search visits: target, content, region… (Ctrl+F)",
    "全部时间": "Any time",
    "本月": "This month",
    "上月": "Last month",
    "近30天": "Last 30 days",
    "今年": "This year",
    "去年": "Last year",
    "自定义": "Custom",
    "审核": "Review",
    "清除筛选": "Clear filters",
    "全部镇街": "All towns",
    "正在加载服务记录…": "Loading visits…",
    "符合条件的服务记录 {0} 条": "{0} matching visits",
    "共 {0} 条服务记录；双击或按回车键打开": "{0} visits; double-click or press Enter to open",
    "正在生成演示数据（{0} 条服务记录）…": "Making demo data ({0} visits)…",
    "服务器拒绝：{0}": "Rejected by the server: {0}",
    "本机修改与服务器版本冲突，需要处理": "This computer's changes conflict with the server's version; please resolve",
    "发生意外错误：{0}。数据未丢失；请重试，若仍出错请联系技术支持。": "Unexpected error: {0}. No data was lost; please try again, and contact support if it persists.",
    "操作未完成": "Not completed",
    "更改界面语言后立即生效，无需重新启动。服务记录等数据保存在上面的文件夹中，请定期同步或备份。": "A new language applies at once, without a restart. Visits and all other data are kept in the "
    "folder above; sync or back it up regularly.",
    "正在统计服务记录…": "Counting the visits…",
}


# Where one Chinese word needs different English in one place (context, source) -> English.
IN_CONTEXT = {
    ("VisitTableModel", "服务对象"): "Service target",
    ("ProblemTableModel", "服务对象"): "Service target",
    ("VisitTableModel", "地区"): "Region",
    ("TargetsView", "类型"): "Type",
}


def fill(path: str) -> list[str]:
    tree = ET.parse(path)
    missing = []
    for context in tree.getroot().iter("context"):
        name = context.find("name").text
        for message in context.iter("message"):
            message.set("context-name", name)
    for message in tree.iter("message"):
        name = message.attrib.pop("context-name")
        source = message.find("source").text or ""
        translation = message.find("translation")
        if (name, source) in IN_CONTEXT:
            translation.text = IN_CONTEXT[(name, source)]
            translation.attrib.pop("type", None)
        elif source in ENGLISH:
            translation.text = ENGLISH[source]
            translation.attrib.pop("type", None)
        elif translation.get("type") != "vanished" and not translation.text:
            missing.append(source)
    # Drop strings no longer in the code.
    for context in tree.getroot().findall("context"):
        for message in context.findall("message"):
            if message.find("translation").get("type") in ("obsolete", "vanished"):
                context.remove(message)
    ET.indent(tree, space="    ")
    with open(path, "wb") as f:
        f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(f, encoding="utf-8", xml_declaration=False)
    return missing


if __name__ == "__main__":
    missing = fill(sys.argv[1])
    for source in missing:
        print("no English for:", repr(source), file=sys.stderr)
    sys.exit(1 if missing else 0)
