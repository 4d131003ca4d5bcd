"""Make sync_en.ts: the English of the sync GUI (a maintenance script).

    python ui/translations/fill_sync_en.py

Runs pyside6-lupdate over the sync GUI's modules (all their strings) and over the two shared
windows the sync feature added strings to (the profile dialog and the visit editor: only the
strings no other .ts translates), then fills the English below. It fails, listing them, if a
source string has no English here.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OWN = [
    "ui/sync_control.py",
    "ui/sync_login.py",
    "ui/conflicts_dialog.py",
    "ui/views/sync.py",
    "ui/sync_display.py",
]
SHARED = ["ui/profile.py", "ui/editors/visit_editor.py"]
TARGET = HERE / "sync_en.ts"

ENGLISH = {
    # conflicts view
    "处理同步冲突": "Resolve sync conflicts",
    "下面的记录在本机和服务器上都被修改过，而且改的是同一处，系统没有替您决定，两边的内容都保留着。"
    "请逐项选择保留哪一个版本，然后点“应用选择”；记录随后回到待同步队列，下次同步时发送。": "These records were changed both on this computer and on the server, in the same place. Nothing was "
    "decided for you: both versions are kept. Choose the version to keep for each item, then click "
    "\u201cApply choices\u201d; the record goes back to the queue and is sent at the next sync.",
    "标有“他人的版本”的记录：服务器保留的是您的版本，另一方的修改与之冲突、尚未被接受。"
    "任何一方处理即可，同步后另一方的冲突也随之关闭。": "Records marked \u201csomeone else's version\u201d: the server kept your version, and the other "
    "side's change conflicts with it and was not accepted. Either side may decide; after the next "
    "syncs the conflict closes on the other side too.",
    "您的值（服务器上）": "Yours (on the server)",
    "对方的值（未被接受）": "Theirs (not accepted)",
    "我的": "Mine",
    "对方的": "Theirs",
    "全部保留我的": "Keep all of mine",
    "全部采用对方的": "Take all of theirs",
    "他人的版本与您的冲突：{0}（或您在另一台电脑上）改了同一处，服务器保留的是您的版本。"
    "请决定保留哪一个；同步后对方也会看到结果。": "Someone else's version conflicts with yours: {0} (or you, on another computer) changed the same "
    "place, and the server kept your version. Decide which one to keep; the other side sees the "
    "outcome after syncing.",
    "另一方": "the other side",
    "{0}：{1}\n他人的版本，{2} 处冲突": "{0}: {1}\nsomeone else's version, {2} conflicts",
    "请为每一项选择“我的”或“对方的”。": "Choose \u201cMine\u201d or \u201cTheirs\u201d for each item.",
    "字段": "Field",
    "本机的值": "On this computer",
    "服务器上的值": "On the server",
    "修改前": "Before both edits",
    "保留": "Keep",
    "全部保留本机": "Keep all from this computer",
    "全部采用服务器": "Take all from the server",
    "应用选择": "Apply choices",
    "关闭": "Close",
    "本机": "This computer",
    "服务器": "Server",
    "正在读取冲突…": "Reading the conflicts…",
    "{0}：{1}\n{2} 处冲突": "{0}: {1}\n{2} conflicting fields",
    "{0}：{1}": "{0}: {1}",
    "没有需要处理的冲突。": "No conflicts to resolve.",
    "请为每一项选择“本机”或“服务器”。": "Choose \u201cThis computer\u201d or \u201cServer\u201d for every item.",
    "正在保存选择…": "Saving the choices…",
    # login
    "登录市科技局服务器": "Log in to the bureau's server",
    "填写科技局提供的服务器地址和您的账户。登录后，本机记录可与服务器同步；密码不会保存在本机。": "Enter the server address the bureau gave you and your account. Once logged in, the records on this "
    "computer sync with the server; the password is not kept on this computer.",
    "服务器地址": "Server address",
    "CA 证书（可选）": "CA certificate (optional)",
    "科技局自己的证书颁发机构文件（.pem）；不填则使用系统的证书": "the bureau's own certificate authority file (.pem); empty: the system's certificates",
    "选择科技局的 CA 证书": "Choose the bureau's CA certificate",
    "证书文件 (*.pem *.crt *.cer);;所有文件 (*)": "Certificate files (*.pem *.crt *.cer);;All files (*)",
    "选择…": "Choose…",
    "用户名": "Username",
    "密码": "Password",
    "例如：https://kjtpy.example.gov.cn": "e.g. https://kjtpy.example.gov.cn",
    "本电脑没有可用的系统密钥环（如 GNOME 密钥环、KWallet、Windows 凭据管理器），无法安全保存登录凭据。"
    "可以安装并启用密钥环后再登录；或勾选下面的选项，将凭据保存在数据目录中仅本账户可读的文件里"
    "（安全性较低：能使用本电脑账户的人都可以用它同步数据）。": "This computer has no system keyring (such as GNOME Keyring, KWallet or Windows Credential Manager) to "
    "keep the login token safely. Install and unlock a keyring, then log in; or tick the option below to "
    "keep the token in a file in the data folder that only your account can read (less safe: anyone who "
    "can use this computer account can sync with it).",
    "我了解风险，将登录凭据保存在数据目录的文件中（仅本账户可读）": "I understand the risk: keep the login token in a file in the data folder (readable by my account only)",
    "登录": "Log in",
    "取消": "Cancel",
    "请填写：{0}": "Please fill in: {0}",
    "本电脑没有系统密钥环。要继续登录，请勾选上面的选项，明确同意将凭据保存在文件中；或安装密钥环后再登录。": "This computer has no system keyring. To log in anyway, tick the option above to agree to keep the "
    "token in a file; or install a keyring and log in then.",
    "正在连接服务器…": "Connecting to the server…",
    "无法连接到服务器。请检查服务器地址是否正确、电脑是否已联网，然后再试。": "Cannot reach the server. Check that the address is right and that this computer is online, then try "
    "again.",
    "用户名或密码不正确，请重新输入。连续输错多次后需等待片刻才能再试。": "Wrong username or password; please enter them again. After several wrong attempts you must wait a "
    "moment before trying again.",
    "本程序版本过旧，服务器已不再支持。请先更新程序，再登录。本机记录不受影响。": "This version of the application is too old for the server. Please update the application, then log "
    "in. The records on this computer are not affected.",
    "服务器拒绝了登录：{0}": "The server refused the login: {0}",
    "登录失败：{0}": "Login failed: {0}",
    # profile (first start)
    "连接科技局服务器…": "Connect to the bureau's server…",
    "已有科技局服务器账户？登录后自动填入服务器上的个人资料，并可同步记录": "Have an account on the bureau's server? Log in to fill in your profile from the server and sync "
    "your records",
    "已登录 {0}。正在从服务器读取您的资料…": "Logged in to {0}. Reading your profile from the server…",
    "已登录。未能从服务器读取个人资料，请手动填写后保存。": "Logged in. Your profile could not be read from the server; please fill it in and save.",
    "已登录。服务器上还没有您的个人资料，请填写后保存，下次同步时上传。": "Logged in. The server has no profile of yours yet; fill it in and save, and the next sync sends it.",
    "已登录，并从服务器填入了您的个人资料。请核对后点“保存”。": "Logged in; your profile was filled in from the server. Check it, then click \u201cSave\u201d.",
    # visit editor
    "状态：被服务器拒绝（%1）。修改后保存，下次同步会再次发送。": "State: rejected by the server (%1). Correct it and save; the next sync sends it again.",
    "处理冲突…": "Resolve the conflict…",
    # sync page
    "正在取消…已完成的部分会保留": "Cancelling… what is done stays done",
    "自动同步：正在连接服务器…": "Automatic sync: connecting to the server…",
    "{0}：已接收 {1} 条": "{0}: {1} received",
    "尚未设置": "Not set",
    "未登录": "Not logged in",
    "{0}，已退出登录": "{0}, logged out",
    "更换账户…": "Change account…",
    "登录…": "Log in…",
    "登录后才能同步": "Log in to sync",
    "尚未检查": "Not checked yet",
    "可以连接服务器": "The server is reachable",
    "暂时无法连接服务器；网络恢复后会自动同步": "The server cannot be reached now; sync starts by itself when it can",
    "暂时无法连接服务器": "The server cannot be reached now",
    "上次同步未完成：{0}": "The last sync did not finish: {0}",
    "从未同步": "Never",
    "服务记录": "Visits",
    "技术难题": "Problems",
    "解决方案": "Solutions",
    "服务对象": "Service targets",
    "附件": "Attachments",
    "{0} 条": "{0} records",
    "其他 {0}": "other {0}",
    "另有 {0} 条因冲突或被拒绝暂不发送，需要您先处理": "{0} more are held back by a conflict or a rejection and need you first",
    "快": "ahead of",
    "慢": "behind",
    "本机时钟比服务器{0}约 {1} 分钟。请校准电脑的日期和时间：同步不受影响，但新记录的时间可能不准。": "This computer's clock is about {1} minutes {0} the server's. Please set the date and time: sync is "
    "not affected, but the times of new records may be wrong.",
    "还没有同步过。": "No sync yet.",
    "发送 {0} 条（其中合并 {1} 条），接收 {2} 条，删除 {3} 条，冲突 {4} 条，被拒绝 {5} 条，上传附件 {6} 个。": "Sent {0} (merged {1}), received {2}, deleted {3}, conflicts {4}, rejected {5}, attachments uploaded "
    "{6}.",
    "同步被取消，已完成的部分已保存。": "The sync was cancelled; what was done is saved. ",
    "处理冲突（{0} 条记录）…": "Resolve conflicts ({0} records)…",
    "被服务器拒绝的记录（{0} 条）：请按原因修改后保存，下次同步会再次发送": "Records the server rejected ({0}): correct them as the reason says and save; the next sync sends "
    "them again",
    "没有被服务器拒绝的记录。": "No records were rejected by the server.",
    "同步": "Sync",
    "服务器与账户": "Server and account",
    "账户": "Account",
    "退出登录": "Log out",
    "立即同步（F5）": "Sync now (F5)",
    "上次同步": "Last sync",
    "等待同步": "Waiting to sync",
    "连接状态": "Connection",
    "能连接服务器时自动同步（每分钟检查一次）": "Sync automatically when the server is reachable (checked every minute)",
    "上次同步的结果": "Result of the last sync",
    "类型": "Kind",
    "记录": "Record",
    "拒绝原因": "Reason",
}


def translated_elsewhere() -> set[tuple[str, str]]:
    done = set()
    for ts in HERE.glob("*_en.ts"):
        if ts == TARGET:
            continue
        for context in ET.parse(ts).getroot().iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                translation = message.find("translation")
                if (
                    translation is not None
                    and (translation.text or "").strip()
                    and translation.get("type") not in ("unfinished", "vanished", "obsolete")
                ):
                    done.add((name, message.findtext("source") or ""))
    return done


def lupdate(files: list[str], out: Path) -> ET.ElementTree:
    lupdate_exe = Path(sys.executable).parent / "pyside6-lupdate"
    subprocess.run(
        [str(lupdate_exe), *files, "-no-obsolete", "-ts", str(out)], cwd=ROOT, check=True, capture_output=True
    )
    return ET.parse(out)


def main() -> int:
    # Written beside the target so that the source locations are relative to ui/translations.
    with tempfile.TemporaryDirectory(dir=HERE) as tmp:
        own = lupdate(OWN, Path(tmp).parent / f"{Path(tmp).name}-own.ts")
        shared = lupdate(SHARED, Path(tmp).parent / f"{Path(tmp).name}-shared.ts")
        for leftover in HERE.glob(f"{Path(tmp).name}-*.ts"):
            leftover.unlink()
    done = translated_elsewhere()
    root = own.getroot()
    root.set("language", "en")
    root.set("sourcelanguage", "zh_CN")
    for context in shared.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in list(context.iter("message")):
            if (name, message.findtext("source") or "") in done:
                context.remove(message)
        if context.find("message") is not None:
            root.append(context)
    missing = []
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if source not in ENGLISH:
            missing.append(source)
            continue
        translation.text = ENGLISH[source]
        translation.attrib.pop("type", None)
    ET.indent(own)
    own.write(TARGET, encoding="utf-8", xml_declaration=True)
    if missing:
        print("no English for:", *missing, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
