<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AttachmentsWidget</name>
    <message>
        <location filename="../widgets/attachments.py" line="139" />
        <source>添加签字确认单扫描件…</source>
        <translation>Add the signed sheet scan…</translation>
    </message>
    <message>
        <location filename="../widgets/attachments.py" line="141" />
        <source>添加照片或文档…</source>
        <translation>Add photos or documents…</translation>
    </message>
    <message>
        <location filename="../widgets/attachments.py" line="142" />
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../widgets/attachments.py" line="143" />
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../widgets/attachments.py" line="144" />
        <source>也可以把文件直接拖到这里</source>
        <translation>You can also drop files here</translation>
    </message>
    <message>
        <location filename="../widgets/attachments.py" line="145" />
        <source>附件</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location filename="../widgets/attachments.py" line="201" />
        <source>扫描件 (*.jpg *.jpeg *.png *.pdf);;所有文件 (*)</source>
        <translation>Scans (*.jpg *.jpeg *.png *.pdf);;All files (*)</translation>
    </message>
    <message>
        <location filename="../widgets/attachments.py" line="203" />
        <source>照片和文档 (*.jpg *.jpeg *.png *.heic *.pdf *.doc *.docx *.xls *.xlsx);;所有文件 (*)</source>
        <translation>Photos and documents (*.jpg *.jpeg *.png *.heic *.pdf *.doc *.docx *.xls *.xlsx);;All files (*)</translation>
    </message>
    <message>
        <location filename="../widgets/attachments.py" line="204" />
        <source>选择附件</source>
        <translation>Choose attachments</translation>
    </message>
    <message>
        <location filename="../widgets/attachments.py" line="236" />
        <source>无法打开附件：%1</source>
        <translation>Cannot open the attachment: %1</translation>
    </message>
    <message>
        <location filename="../widgets/attachments.py" line="240" />
        <source>系统中没有可以打开此类文件的程序。文件位于：%1</source>
        <translation>No program on this computer opens this kind of file. The file is at: %1</translation>
    </message>
    <message>
        <location filename="../widgets/attachments.py" line="311" />
        <source>拍摄时间：%1</source>
        <translation>Taken: %1</translation>
    </message>
    <message>
        <location filename="../widgets/attachments.py" line="315" />
        <source>拍摄地点：%1</source>
        <translation>Place: %1</translation>
    </message>
    <message>
        <location filename="../widgets/attachments.py" line="317" />
        <source>照片中没有位置信息</source>
        <translation>The photo has no location</translation>
    </message>
</context>
<context>
    <name>DraftRecoveryDialog</name>
    <message>
        <location filename="../editors/recovery.py" line="62" />
        <source>恢复未保存的服务记录</source>
        <translation>Recover unsaved visits</translation>
    </message>
    <message>
        <location filename="../editors/recovery.py" line="64" />
        <source>上次关闭程序时，以下服务记录还有未保存的内容（已自动保存）。请选择继续编辑或丢弃。</source>
        <translation>When the application last closed, these visits had unsaved work (kept by autosave). Resume editing or discard each.</translation>
    </message>
    <message>
        <location filename="../editors/recovery.py" line="65" />
        <source>继续编辑</source>
        <translation>Resume editing</translation>
    </message>
    <message>
        <location filename="../editors/recovery.py" line="66" />
        <source>丢弃</source>
        <translation>Discard</translation>
    </message>
    <message>
        <location filename="../editors/recovery.py" line="67" />
        <source>以后再说</source>
        <translation>Later</translation>
    </message>
    <message>
        <location filename="../editors/recovery.py" line="82" />
        <source>%1 %2　服务对象：%3
%4
自动保存于 %5</source>
        <translation>%1 %2  Target: %3
%4
Autosaved at %5</translation>
    </message>
    <message>
        <location filename="../editors/recovery.py" line="84" />
        <source>未选择</source>
        <translation>not chosen</translation>
    </message>
    <message>
        <location filename="../editors/recovery.py" line="85" />
        <source>（无内容）</source>
        <translation>(no content)</translation>
    </message>
</context>
<context>
    <name>ProblemCard</name>
    <message>
        <location filename="../editors/problem_card.py" line="125" />
        <source>本次发现的技术难题</source>
        <translation>Problem found on this visit</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="127" />
        <source>已有技术难题（%1起）</source>
        <translation>Existing problem (since %1)</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="130" />
        <source>难题标题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="130" />
        <source>难题描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="130" />
        <source>紧急程度</source>
        <translation>Urgency</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="131" />
        <source>处理状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="131" />
        <source>本次解决方案</source>
        <translation>Solution given</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="132" />
        <source>采用技术</source>
        <translation>Technology used</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="132" />
        <source>效果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="133" />
        <source>效益（万元）</source>
        <translation>Benefit (10k yuan)</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="140" />
        <source>一句话说明难题，如：柑橘黄龙病防控</source>
        <translation>The problem in a few words, e.g. citrus greening control</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="141" />
        <source>本次给出的解决办法；标记“已解决”时必填</source>
        <translation>The solution given on this visit; required when marked solved</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="142" />
        <source>服务对象已确认此方案</source>
        <translation>Confirmed by the served party</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="143" />
        <source>从本记录移除</source>
        <translation>Remove from this visit</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="145" />
        <source>已保存的难题请在“技术难题”中修改状态</source>
        <translation>Change a saved problem's status under “Problems”</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="156" />
        <source>原因说明（必填）</source>
        <translation>Reason (required)</translation>
    </message>
    <message>
        <location filename="../editors/problem_card.py" line="156" />
        <source>原因说明</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>ProblemDialog</name>
    <message>
        <location filename="../editors/problem_dialog.py" line="155" />
        <source>技术难题：%1</source>
        <translation>Technical problem: %1</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="157" />
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="157" />
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="157" />
        <source>描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="158" />
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="158" />
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="158" />
        <source>紧急程度</source>
        <translation>Urgency</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="159" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="159" />
        <location filename="../editors/problem_dialog.py" line="225" />
        <source>原因说明</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="167" />
        <source>相关服务记录（双击打开）</source>
        <translation>Related visits (double-click to open)</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="168" />
        <source>解决方案</source>
        <translation>Solutions</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="169" />
        <source>新增解决方案（标记为已解决前至少需要一个）：</source>
        <translation>Add a solution (a problem needs one before it is marked solved):</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="170" />
        <source>做了什么</source>
        <translation>What was done</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="171" />
        <source>采用技术</source>
        <translation>Technology used</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="172" />
        <source>效果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="173" />
        <source>经济效益（万元）</source>
        <translation>Economic benefit (10k yuan)</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="174" />
        <source>服务对象已确认</source>
        <translation>Confirmed by the served party</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="175" />
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="176" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="207" />
        <source>（暂无）</source>
        <translation>(none yet)</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="213" />
        <source>（尚无解决方案）</source>
        <translation>(no solution yet)</translation>
    </message>
    <message>
        <location filename="../editors/problem_dialog.py" line="225" />
        <source>原因说明（必填）</source>
        <translation>Reason (required)</translation>
    </message>
</context>
<context>
    <name>RegionPicker</name>
    <message>
        <location filename="../editors/fields.py" line="145" />
        <location filename="../editors/fields.py" line="148" />
        <source>县（市、区）</source>
        <translation>County / district</translation>
    </message>
    <message>
        <location filename="../editors/fields.py" line="146" />
        <location filename="../editors/fields.py" line="149" />
        <source>镇（街道）</source>
        <translation>Town / sub-district</translation>
    </message>
    <message>
        <location filename="../editors/fields.py" line="147" />
        <source>村（社区），可不填</source>
        <translation>Village / community (optional)</translation>
    </message>
</context>
<context>
    <name>TargetDialog</name>
    <message>
        <location filename="../editors/target_dialog.py" line="88" />
        <source>新建服务对象</source>
        <translation>New service target</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="88" />
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="90" />
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="90" />
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="90" />
        <source>所在地区</source>
        <translation>Region</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="91" />
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="91" />
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="91" />
        <source>联系电话</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="92" />
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="92" />
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="92" />
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="98" />
        <source>如：新会区某某陈皮有限公司</source>
        <translation>e.g. Xinhui Example Chenpi Co., Ltd.</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="99" />
        <source>18位，企业填写，如 91440705MA4UXXXXXX</source>
        <translation>18 characters, for enterprises, e.g. 91440705MA4UXXXXXX</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="100" />
        <source>手机或固定电话</source>
        <translation>Mobile or landline</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="101" />
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="102" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="130" />
        <source>企业请填写统一社会信用代码</source>
        <translation>Enter the enterprise's unified social credit code</translation>
    </message>
    <message>
        <location filename="../editors/target_dialog.py" line="135" />
        <source>✓ 统一社会信用代码校验通过</source>
        <translation>✓ The credit code is valid</translation>
    </message>
</context>
<context>
    <name>TargetPicker</name>
    <message>
        <location filename="../editors/target_picker.py" line="67" />
        <source>输入名称、地区或联系人查找服务对象</source>
        <translation>Type a name, place or contact to find the service target</translation>
    </message>
    <message>
        <location filename="../editors/target_picker.py" line="68" />
        <source>查找服务对象</source>
        <translation>Find service target</translation>
    </message>
    <message>
        <location filename="../editors/target_picker.py" line="69" />
        <source>新建服务对象…</source>
        <translation>New service target…</translation>
    </message>
    <message>
        <location filename="../editors/target_picker.py" line="82" />
        <source>没有找到，可点“新建服务对象…”</source>
        <translation>Nothing found; click “New service target…”</translation>
    </message>
    <message>
        <location filename="../editors/target_picker.py" line="115" />
        <source>尚未选择服务对象</source>
        <translation>No service target chosen yet</translation>
    </message>
    <message>
        <location filename="../editors/target_picker.py" line="121" />
        <source>联系人：%1</source>
        <translation>Contact: %1</translation>
    </message>
</context>
<context>
    <name>VisitEditor</name>
    <message>
        <location filename="../editors/visit_editor.py" line="322" />
        <source>新建服务记录</source>
        <translation>New visit</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="324" />
        <source>服务记录 %1</source>
        <translation>Visit %1</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="327" />
        <source>服务时间</source>
        <translation>When</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="327" />
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="327" />
        <source>开始</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="328" />
        <source>结束</source>
        <translation>To</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="328" />
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="328" />
        <source>服务地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="329" />
        <source>服务类型</source>
        <translation>Service types</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="329" />
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="329" />
        <source>服务内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="330" />
        <source>经济效益（万元）</source>
        <translation>Economic benefit (10k yuan)</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="330" />
        <source>确认人</source>
        <translation>Confirmed by</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="331" />
        <source>满意度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="331" />
        <source>服务对象意见</source>
        <translation>Served party's remark</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="332" />
        <source>签字确认单</source>
        <translation>Signed sheet</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="335" />
        <source>举办培训班（期）</source>
        <translation>Training sessions</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="335" />
        <source>培训人次</source>
        <translation>People trained</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="336" />
        <source>推广新技术（项）</source>
        <translation>Techniques promoted</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="337" />
        <source>引进推广新品种新产品（个）</source>
        <translation>Varieties / products introduced</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="338" />
        <source>建立示范基地（个）</source>
        <translation>Demonstration bases</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="338" />
        <source>培育示范户（户）</source>
        <translation>Demonstration households</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="339" />
        <source>带动就业（人）</source>
        <translation>Jobs created</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="345" />
        <source>做了什么、为谁、效果如何（至少5个字）</source>
        <translation>What was done, for whom, with what effect (at least 5 characters)</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="346" />
        <source>只填本次服务的数字；没有的保持0。经济效益以万元计，可带两位小数。</source>
        <translation>Only this visit's figures; leave 0 where none. Economic benefit in 10k yuan, two decimals allowed.</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="347" />
        <source>未评价</source>
        <translation>Not rated</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="347" />
        <source>1 很不满意</source>
        <translation>1 Very dissatisfied</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="347" />
        <source>2 不满意</source>
        <translation>2 Dissatisfied</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="347" />
        <source>3 一般</source>
        <translation>3 Neutral</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="348" />
        <source>4 满意</source>
        <translation>4 Satisfied</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="348" />
        <source>5 非常满意</source>
        <translation>5 Very satisfied</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="351" />
        <source>服务对象一方的确认人姓名</source>
        <translation>Name of the served party's contact who confirms</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="353" />
        <source>现场照片、培训签到表、文档等佐证材料。照片的拍摄时间和地点从照片信息中读取。</source>
        <translation>Evidence: site photos, training sign-in sheets, documents. A photo's time and place are read from the photo itself.</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="354" />
        <source>新增本次发现的难题</source>
        <translation>Add a problem found on this visit</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="355" />
        <source>关联此难题</source>
        <translation>Link this problem</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="357" />
        <source>把难题标记为“已解决”时，须填写本次解决方案；转交或暂无法解决时须说明原因。</source>
        <translation>A problem marked solved needs this visit's solution; referred or unresolved needs a reason.</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="359" />
        <source>基本信息</source>
        <translation>Basics</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="360" />
        <source>服务成效</source>
        <translation>Results</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="361" />
        <source>服务对象确认</source>
        <translation>Confirmation</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="363" />
        <location filename="../editors/visit_editor.py" line="793" />
        <source>保存为草稿</source>
        <translation>Save as draft</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="364" />
        <source>保存未填完的记录（Ctrl+Shift+S），草稿不会同步</source>
        <translation>Keep an unfinished record (Ctrl+Shift+S); drafts are not synced</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="365" />
        <source>保存 (Ctrl+S)</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="366" />
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="367" />
        <source>恢复未保存的修改</source>
        <translation>Restore unsaved changes</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="368" />
        <source>丢弃</source>
        <translation>Discard</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="387" />
        <source>难题与方案（%1）</source>
        <translation>Problems and solutions (%1)</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="388" />
        <source>照片与附件（%1）</source>
        <translation>Photos and files (%1)</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="393" />
        <source>（未填写意见）</source>
        <translation>(no opinion given)</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="394" />
        <source>审核退回，意见：%1　请修改后重新保存提交。</source>
        <translation>Returned by the reviewer: %1  Please correct and save again.</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="398" />
        <source>此记录已通过审核。保存修改后将退回“待审核”，需要重新审核。</source>
        <translation>This record is approved. Saving a change sends it back to “waiting for review”.</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="407" />
        <source>状态：未保存</source>
        <translation>State: not saved</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="410" />
        <source>状态：%1</source>
        <translation>State: %1</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="468" />
        <source>选择一个未解决的已有难题…</source>
        <translation>Choose an existing open problem…</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="634" />
        <source>已保存为草稿 %1</source>
        <translation>Saved as draft at %1</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="679" />
        <source>有 %1 处需要修改，已在相应位置标出。</source>
        <translation>%1 problem(s) to correct, marked next to the fields.</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="756" />
        <source>自动保存失败：%1</source>
        <translation>Autosave failed: %1</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="759" />
        <source>已自动保存 %1</source>
        <translation>Autosaved at %1</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="769" />
        <source>此记录有 %1 自动保存但未保存的修改。</source>
        <translation>This record has unsaved changes autosaved at %1.</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="790" />
        <source>尚未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="791" />
        <source>这条服务记录有未保存的修改。</source>
        <translation>This visit has unsaved changes.</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="793" />
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="794" />
        <source>放弃修改</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <location filename="../editors/visit_editor.py" line="795" />
        <source>继续编辑</source>
        <translation>Resume editing</translation>
    </message>
        <message>
            <source>打印…</source>
            <translation>Print…</translation>
        </message>
        <message>
            <source>预览并保存这条服务记录的服务记录单（PDF），用于打印</source>
            <translation>Preview the visit sheet and save it as a PDF for printing</translation>
        </message>
        <message>
            <source>请先保存，再打印：服务记录单印的是已保存的内容。</source>
            <translation>Save first, then print: the visit sheet shows what is saved.</translation>
        </message>
</context>
    <context>
        <name>PastDateEdit</name>
        <message>
            <source>不能选择将来的日期：服务记录只记已经进行的服务</source>
            <translation>A future day cannot be chosen: a visit record is of a visit that took place</translation>
        </message>
    </context>
</TS>