<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AgreementDialog</name>
    <message>
        <source>新建服务协议</source>
        <translation>New service agreement</translation>
    </message>
    <message>
        <source>服务协议</source>
        <translation>Agreements</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <source>科技特派员</source>
        <translation>Commissioner</translation>
    </message>
    <message>
        <source>共同履约的特派员</source>
        <translation>Co-commissioners</translation>
    </message>
    <message>
        <source>开始日期</source>
        <translation>Start date</translation>
    </message>
    <message>
        <source>结束日期</source>
        <translation>End date</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>其他约定成果</source>
        <translation>Other deliverables</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>协议签字盖章件</source>
        <translation>Signed agreement</translation>
    </message>
    <message>
        <source>约定指标（右侧为已审核通过的服务记录计算的完成数）</source>
        <translation>Agreed targets (on the right: done, from approved visits)</translation>
    </message>
    <message>
        <source>无法计数的约定成果，如：建立示范基地1个</source>
        <translation>Agreed results that are no count, e.g. one demonstration base built</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>已完成 {0}</source>
        <translation>Done {0}</translation>
    </message>
    <message>
        <source>已过协议期一半（{0}），以下指标未完成一半：{1}</source>
        <translation>Past mid-period ({0}) with these targets under half reached: {1}</translation>
    </message>
    <message>
        <source>只计入本协议期内、已审核通过的服务记录。</source>
        <translation>Only approved visits within the agreement&apos;s period count.</translation>
    </message>
</context>
<context>
    <name>AgreementsView</name>
    <message>
        <source>服务协议</source>
        <translation>Agreements</translation>
    </message>
    <message>
        <source>新建服务协议</source>
        <translation>New service agreement</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <source>科技特派员</source>
        <translation>Commissioner</translation>
    </message>
    <message>
        <source>协议期限</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>进度</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>约定指标完成情况</source>
        <translation>Agreed targets reached</translation>
    </message>
    <message>
        <source>共 {0} 份服务协议；{1} 份已过协议期一半而有约定指标未完成一半（标为橙色）。双击查看或编辑。</source>
        <translation>{0} service agreements; {1} past mid-period with an agreed target under half reached (in orange). Double-click to view or edit.</translation>
    </message>
    <message>
        <source>进度落后</source>
        <translation>Behind</translation>
    </message>
</context>
<context>
    <name>AnnualBatchPanel</name>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>选择保存年度服务记录的文件夹</source>
        <translation>Choose the folder for the annual records</translation>
    </message>
    <message>
        <source>正在生成{0}年度服务记录…</source>
        <translation>Writing the annual records of {0}…</translation>
    </message>
    <message>
        <source>正在取消…（已开始的几份写完后停止）</source>
        <translation>Cancelling… (stops once the documents already started are written)</translation>
    </message>
    <message>
        <source>已生成 {0}/{1}：{2}</source>
        <translation>Written {0}/{1}: {2}</translation>
    </message>
    <message>
        <source>正在下载照片预览图 {0}/{1}…</source>
        <translation>Fetching photo previews {0}/{1}…</translation>
    </message>
    <message>
        <source>已取消：已生成 {0} 份（共 {1} 份），保存在 {2}</source>
        <translation>Cancelled: {0} of {1} written, in {2}</translation>
    </message>
    <message>
        <source>已生成 {0} 份年度服务记录，保存在 {1}</source>
        <translation>{0} annual records written, in {1}</translation>
    </message>
</context>
<context>
    <name>AssessmentRunView</name>
    <message>
        <source>年度考核</source>
        <translation>Assessment run</translation>
    </message>
    <message>
        <source>{0}年度考核</source>
        <translation>Annual assessment: {0}</translation>
    </message>
    <message>
        <source>科技特派员考核</source>
        <translation>Commissioners</translation>
    </message>
    <message>
        <source>团队与工作站考核</source>
        <translation>Teams and workstations</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>导出考核表（Excel）</source>
        <translation>Export table (Excel)</translation>
    </message>
    <message>
        <source>发布正式结果…</source>
        <translation>Publish official results…</translation>
    </message>
    <message>
        <source>按本机已同步的全市数据发布本年度正式考核结果；请先同步，发布后再同步。</source>
        <translation>Publish this year&apos;s official results from the city&apos;s data synced to this computer; sync before and after.</translation>
    </message>
    <message>
        <source>批量生成年度服务记录（PDF）</source>
        <translation>Annual records of everyone (PDF)</translation>
    </message>
    <message>
        <source>本年度暂无考核结果</source>
        <translation>No assessment results for this year</translation>
    </message>
    <message>
        <source>名次</source>
        <translation>Rank</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>派出单位</source>
        <translation>Sending unit</translation>
    </message>
    <message>
        <source>区县</source>
        <translation>County</translation>
    </message>
    <message>
        <source>服务记录</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>服务天数</source>
        <translation>Service days</translation>
    </message>
    <message>
        <source>解决难题</source>
        <translation>Problems solved</translation>
    </message>
    <message>
        <source>得分</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>等次</source>
        <translation>Grade</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>正在计算全市考核结果…</source>
        <translation>Computing the city&apos;s assessment…</translation>
    </message>
    <message>
        <source>等次分布（人）</source>
        <translation>Grades (commissioners)</translation>
    </message>
    <message>
        <source>参评 {0} 人：</source>
        <translation>{0} assessed: </translation>
    </message>
    <message>
        <source>正式结果，{0} 发布。</source>
        <translation>Official results, published {0}.</translation>
    </message>
    <message>
        <source>预估结果，尚未发布。</source>
        <translation>Estimated results, not yet published.</translation>
    </message>
    <message>
        <source>按优秀比例上限由优秀调为良好</source>
        <translation>Lowered from 优秀 to 良好 by the share cap</translation>
    </message>
    <message>
        <source>注意：本年度还有 {0} 条服务记录待审核，它们不计入这次发布的结果。</source>
        <translation>Note: {0} service records of this year still wait for review; they do not count in the results published now.</translation>
    </message>
    <message>
        <source>发布正式结果</source>
        <translation>Publish official results</translation>
    </message>
    <message>
        <source>按本机已同步的全市数据发布 {0} 年度正式考核结果？
请确认刚刚同步过。发布后，每位特派员同步后的年度考核表都显示这一结果；再次发布会替换之前的结果。</source>
        <translation>Publish the official {0} results from the city&apos;s data synced to this computer?
Make sure you have just synced. Once published, every commissioner&apos;s annual record shows these results after their next sync; publishing again replaces them.</translation>
    </message>
    <message>
        <source>市科技局</source>
        <translation>Science and Technology Bureau</translation>
    </message>
    <message>
        <source>正在发布考核结果…</source>
        <translation>Publishing the results…</translation>
    </message>
    <message>
        <source>已发布 {0} 年度 {1} 人的正式结果，下次同步时发送。</source>
        <translation>Published the official {0} results of {1} commissioners; they go out with the next sync.</translation>
    </message>
    <message>
        <source>导出考核表</source>
        <translation>Export the assessment table</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>已导出：{0}</source>
        <translation>Exported: {0}</translation>
    </message>
    <message>
        <source>正在导出考核表…</source>
        <translation>Exporting the assessment table…</translation>
    </message>
</context>
<context>
    <name>AssessmentView</name>
    <message>
        <source>正在计算考核结果…</source>
        <translation>Computing the assessment…</translation>
    </message>
    <message>
        <source>没有可显示的考核结果：请先在“设置”中填写本人信息，或同步团队数据。</source>
        <translation>Nothing to show: enter your profile in Settings first, or sync the team&apos;s data.</translation>
    </message>
    <message>
        <source>考核部分</source>
        <translation>Part</translation>
    </message>
    <message>
        <source>考核指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>年度目标</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>完成值</source>
        <translation>Actual</translation>
    </message>
    <message>
        <source>分值</source>
        <translation>Points</translation>
    </message>
    <message>
        <source>上限</source>
        <translation>Cap</translation>
    </message>
    <message>
        <source>得分</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>小计</source>
        <translation>Subtotal</translation>
    </message>
    <message>
        <source>总分</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>{0}：总分 {1}&#x3000;等级 {2}</source>
        <translation>{0}: total {1}, grade {2}</translation>
    </message>
    <message>
        <source>得分达到优秀，受优秀比例上限调整为良好。</source>
        <translation>Scored 优秀 (excellent), lowered to 良好 (good) by the share cap.</translation>
    </message>
    <message>
        <source>等级线：优秀 ≥ {0}，良好 ≥ {1}，合格 ≥ {2}。评分细则：{3}</source>
        <translation>Grades: excellent ≥ {0}, good ≥ {1}, pass ≥ {2}. Rules: {3}</translation>
    </message>
    <message>
        <source>本年度没有计入考核的服务记录</source>
        <translation>No counted visits this year</translation>
    </message>
    <message>
        <source>各月计入考核的服务次数（月）</source>
        <translation>Counted visits per month</translation>
    </message>
    <message>
        <source>由特派员本人填写</source>
        <translation>Written by the commissioner</translation>
    </message>
    <message>
        <source>未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <source>已保存 {0}</source>
        <translation>Saved {0}</translation>
    </message>
    <message>
        <source>正在保存年度工作总结…</source>
        <translation>Saving the annual summary…</translation>
    </message>
    <message>
        <source>{0}年度服务记录_{1}.pdf</source>
        <translation>annual-record-{0}_{1}.pdf</translation>
    </message>
    <message>
        <source>正在下载年度服务记录的照片预览图…</source>
        <translation>Downloading the previews of the annual record&apos;s photos…</translation>
    </message>
    <message>
        <source>正在生成年度服务记录…</source>
        <translation>Writing the annual record…</translation>
    </message>
    <message>
        <source>{0}年没有服务记录。</source>
        <translation>No visits in {0}.</translation>
    </message>
    <message>
        <source>服务记录单_{0}.pdf</source>
        <translation>visit-sheet_{0}.pdf</translation>
    </message>
    <message>
        <source>正在生成服务记录单…</source>
        <translation>Writing the visit sheet…</translation>
    </message>
    <message>
        <source>已保存：{0}</source>
        <translation>Saved: {0}</translation>
    </message>
    <message>
        <source>考核</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>科技特派员</source>
        <translation>Commissioner</translation>
    </message>
    <message>
        <source>打印年度服务记录…</source>
        <translation>Print annual record…</translation>
    </message>
    <message>
        <source>打印服务记录单…</source>
        <translation>Print visit sheet…</translation>
    </message>
    <message>
        <source>批量生成年度服务记录…</source>
        <translation>Annual records for everyone…</translation>
    </message>
    <message>
        <source>年度工作总结</source>
        <translation>Annual summary</translation>
    </message>
    <message>
        <source>保存总结</source>
        <translation>Save summary</translation>
    </message>
    <message>
        <source>写下本年度的服务工作、取得的成效和下一步打算（将印在年度服务记录上）。</source>
        <translation>Write about this year&apos;s service, its results and your plans (printed on the annual record).</translation>
    </message>
</context>
<context>
    <name>AttachmentsWidget</name>
    <message>
        <source>添加签字确认单扫描件…</source>
        <translation>Add the signed sheet scan…</translation>
    </message>
    <message>
        <source>添加照片或文档…</source>
        <translation>Add photos or documents…</translation>
    </message>
    <message>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>也可以把文件直接拖到这里</source>
        <translation>You can also drop files here</translation>
    </message>
    <message>
        <source>附件</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <source>扫描件 (*.jpg *.jpeg *.png *.pdf);;所有文件 (*)</source>
        <translation>Scans (*.jpg *.jpeg *.png *.pdf);;All files (*)</translation>
    </message>
    <message>
        <source>照片和文档 (*.jpg *.jpeg *.png *.heic *.pdf *.doc *.docx *.xls *.xlsx);;所有文件 (*)</source>
        <translation>Photos and documents (*.jpg *.jpeg *.png *.heic *.pdf *.doc *.docx *.xls *.xlsx);;All files (*)</translation>
    </message>
    <message>
        <source>选择附件</source>
        <translation>Choose attachments</translation>
    </message>
    <message>
        <source>尚未下载</source>
        <translation>Not yet downloaded</translation>
    </message>
    <message>
        <source>拍摄时间：%1</source>
        <translation>Taken: %1</translation>
    </message>
    <message>
        <source>拍摄地点：%1</source>
        <translation>Place: %1</translation>
    </message>
    <message>
        <source>照片中没有位置信息</source>
        <translation>The photo has no location</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <source>操作日志</source>
        <translation>Audit trail</translation>
    </message>
    <message>
        <source>操作人</source>
        <translation>By</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>For</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>记录编号或账号</source>
        <translation>Record id or account</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>导出（CSV）…</source>
        <translation>Export (CSV)…</translation>
    </message>
    <message>
        <source>全部操作</source>
        <translation>All actions</translation>
    </message>
    <message>
        <source>变更内容</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>正在从服务器读取操作日志…</source>
        <translation>Reading the audit trail from the server…</translation>
    </message>
    <message>
        <source>共 {0} 条，按时间从新到旧排列。</source>
        <translation>{0} entries, newest first.</translation>
    </message>
    <message>
        <source>显示最新的 {0} 条；导出包含全部。</source>
        <translation> The newest {0} are shown; the export has all of them.</translation>
    </message>
    <message>
        <source>显示最新的 {0} 条；导出一次最多包含最新的 {1} 条，请缩小日期范围分批导出。</source>
        <translation> The newest {0} are shown; an export holds at most the newest {1}: narrow the dates to export the rest in parts.</translation>
    </message>
    <message>
        <source>没有符合条件的操作记录。</source>
        <translation>No entries match.</translation>
    </message>
    <message>
        <source>（符合条件的共 {0} 条，一次最多导出最新的 {1} 条；请缩小日期范围分批导出其余的。）</source>
        <translation> ({0} entries match; an export holds at most the newest {1}: narrow the dates to export the rest in parts.)</translation>
    </message>
    <message>
        <source>之前：</source>
        <translation>Before: </translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>之后：</source>
        <translation>After: </translation>
    </message>
    <message>
        <source>导出操作日志</source>
        <translation>Export the audit trail</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>已导出 {0} 条到 {1}</source>
        <translation>{0} entries exported to {1}</translation>
    </message>
</context>
<context>
    <name>BackupPanel</name>
    <message>
        <source>数据备份与恢复</source>
        <translation>Backup and restore</translation>
    </message>
    <message>
        <source>备份文件包含全部记录和附件照片，可保存到U盘或其他电脑；换电脑或数据损坏时用它恢复。</source>
        <translation>A backup file holds every record and attached photo; keep it on a USB stick or another computer and restore from it on a new laptop or after damage.</translation>
    </message>
    <message>
        <source>备份到文件…</source>
        <translation>Back up to a file…</translation>
    </message>
    <message>
        <source>从备份恢复…</source>
        <translation>Restore from a backup…</translation>
    </message>
    <message>
        <source>日志文件（技术支持可能需要）：{0}</source>
        <translation>Log file (technical support may ask for it): {0}</translation>
    </message>
    <message>
        <source>打开日志文件夹</source>
        <translation>Open the log folder</translation>
    </message>
    <message>
        <source>备份到文件</source>
        <translation>Back up to a file</translation>
    </message>
    <message>
        <source>备份文件 (*.zip)</source>
        <translation>Backup files (*.zip)</translation>
    </message>
    <message>
        <source>正在备份…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <source>已备份 {0} 条记录和 {1} 个附件文件（{2:.1f} MB）到：
{3}</source>
        <translation>Backed up {0} records and {1} attachment files ({2:.1f} MB) to:
{3}</translation>
    </message>
    <message>
        <source>注意：{0} 个附件的文件原本就缺失，未能备份。</source>
        <translation>Note: the files of {0} attachments were already missing and are not in the backup.</translation>
    </message>
    <message>
        <source>备份完成</source>
        <translation>Backup done</translation>
    </message>
    <message>
        <source>操作未完成</source>
        <translation>Not completed</translation>
    </message>
    <message>
        <source>从备份恢复</source>
        <translation>Restore from a backup</translation>
    </message>
    <message>
        <source>正在检查备份文件…</source>
        <translation>Checking the backup file…</translation>
    </message>
    <message>
        <source>备份文件完好：{0} 备份，含 {1} 条服务记录。

恢复后，当前数据将被替换（当前数据会另存在数据目录的 backups 文件夹中）；程序随后关闭，请重新启动。

确定恢复吗？</source>
        <translation>The backup file is intact: made {0}, with {1} visits.

Restoring replaces the current data (which is kept in the backups folder of the data directory); the application then closes: start it again.

Restore now?</translation>
    </message>
    <message>
        <source>恢复未完成</source>
        <translation>Restore not done</translation>
    </message>
    <message>
        <source>请重新启动程序。</source>
        <translation>Please start the application again.</translation>
    </message>
    <message>
        <source>已恢复。请重新启动程序。</source>
        <translation>Restored. Please start the application again.</translation>
    </message>
    <message>
        <source>原有数据已保留在：{0}</source>
        <translation>The previous data was kept in: {0}</translation>
    </message>
    <message>
        <source>恢复完成</source>
        <translation>Restore done</translation>
    </message>
</context>
<context>
    <name>BonusDialog</name>
    <message>
        <source>录入加分项</source>
        <translation>Enter a bonus</translation>
    </message>
    <message>
        <source>如：获评省级优秀科技特派团</source>
        <translation>e.g. named an outstanding team by the province</translation>
    </message>
    <message>
        <source>如：文件编号、获奖证书、新闻报道</source>
        <translation>e.g. document number, award certificate, news report</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>For</translation>
    </message>
    <message>
        <source>加分</source>
        <translation>Bonus</translation>
    </message>
    <message>
        <source>加分理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>佐证材料</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>请填写加分理由和佐证材料。</source>
        <translation>Give the reason and the evidence.</translation>
    </message>
</context>
<context>
    <name>CityProjectsPanel</name>
    <message>
        <source>揭榜挂帅项目（按状态）</source>
        <translation>Open-call projects by status</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>项目数</source>
        <translation>Projects</translation>
    </message>
    <message>
        <source>经费（万元）</source>
        <translation>Budget (10k yuan)</translation>
    </message>
    <message>
        <source>成果转化（已审核通过，按服务对象所在区县）</source>
        <translation>Achievements transferred (approved, by the served party&apos;s county)</translation>
    </message>
    <message>
        <source>区县</source>
        <translation>County</translation>
    </message>
    <message>
        <source>成果数</source>
        <translation>Achievements</translation>
    </message>
    <message>
        <source>技术交易额（万元）</source>
        <translation>Technology transactions (10k yuan)</translation>
    </message>
    <message>
        <source>{0}年：揭榜挂帅项目 {1} 个；成果转化 {2} 项，技术交易额 {3:.2f} 万元（另有 {4} 项待审核）。</source>
        <translation>{0}: {1} open-call projects; {2} achievements transferred, technology transactions {3:.2f} (10k yuan) ({4} more waiting for review).</translation>
    </message>
    <message>
        <source>（未填写）</source>
        <translation>(not given)</translation>
    </message>
</context>
<context>
    <name>CityView</name>
    <message>
        <source>全市概况</source>
        <translation>City</translation>
    </message>
    <message>
        <source>{0}概况</source>
        <translation>{0} overview</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>{0}汇总 PDF…</source>
        <translation>{0} summary PDF…</translation>
    </message>
    <message>
        <source>全市汇总 PDF…</source>
        <translation>City summary PDF…</translation>
    </message>
    <message>
        <source>在岗服务的科技特派员（人）</source>
        <translation>Active commissioners</translation>
    </message>
    <message>
        <source>解决技术难题（项）</source>
        <translation>Technical problems solved</translation>
    </message>
    <message>
        <source>服务记录（条）</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>区县与镇街</source>
        <translation>Counties, towns</translation>
    </message>
    <message>
        <source>产业与服务类型</source>
        <translation>Industries</translation>
    </message>
    <message>
        <source>科技特派员考核</source>
        <translation>Commissioners</translation>
    </message>
    <message>
        <source>揭榜与成果转化</source>
        <translation>Projects</translation>
    </message>
    <message>
        <source>年度清单（分县）</source>
        <translation>By county</translation>
    </message>
    <message>
        <source>区县</source>
        <translation>County</translation>
    </message>
    <message>
        <source>成果转化（项）</source>
        <translation>Achievements transferred</translation>
    </message>
    <message>
        <source>技术交易额（万元）</source>
        <translation>Technology transactions (10k yuan)</translation>
    </message>
    <message>
        <source>服务记录</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>科技特派员</source>
        <translation>Commissioner</translation>
    </message>
    <message>
        <source>服务镇街</source>
        <translation>Towns served</translation>
    </message>
    <message>
        <source>解决难题</source>
        <translation>Problems solved</translation>
    </message>
    <message>
        <source>平均得分</source>
        <translation>Average score</translation>
    </message>
    <message>
        <source>优秀</source>
        <translation>Excellent</translation>
    </message>
    <message>
        <source>镇街</source>
        <translation>Town</translation>
    </message>
    <message>
        <source>服务日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>服务内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>服务类型</source>
        <translation>Service types</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>派出单位</source>
        <translation>Sending unit</translation>
    </message>
    <message>
        <source>得分</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>等次</source>
        <translation>Grade</translation>
    </message>
    <message>
        <source>本年度暂无服务记录</source>
        <translation>No visits this year</translation>
    </message>
    <message>
        <source>全市</source>
        <translation>City</translation>
    </message>
    <message>
        <source>{0}年度{1}科技特派员工作汇总.pdf</source>
        <translation>{1} commissioners summary {0}.pdf</translation>
    </message>
    <message>
        <source>保存汇总</source>
        <translation>Save the summary</translation>
    </message>
    <message>
        <source>正在生成汇总…</source>
        <translation>Making the summary…</translation>
    </message>
    <message>
        <source>{0}汇总已保存：{1}</source>
        <translation>{0} summary saved: {1}</translation>
    </message>
    <message>
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <source>正在统计全市数据…</source>
        <translation>Counting the city&apos;s figures…</translation>
    </message>
    <message>
        <source>正在计算考核得分…</source>
        <translation>Computing the scores…</translation>
    </message>
    <message>
        <source>计划目标 {0:,} 人；含待审核的记录，考核只计审核通过的</source>
        <translation>Target {0:,}; unreviewed records included (assessment: approved only)</translation>
    </message>
    <message>
        <source>计划目标 {0:,} 项；含待审核的记录，考核只计审核通过的</source>
        <translation>Target {0:,}; unreviewed records included (assessment: approved only)</translation>
    </message>
    <message>
        <source>已提交的服务记录（不含草稿）</source>
        <translation>Submitted visits (drafts not counted)</translation>
    </message>
    <message>
        <source>不含草稿；考核计入 {0:,} 条</source>
        <translation>Drafts excluded; the assessment counts {0:,}</translation>
    </message>
    <message>
        <source>（未填写）</source>
        <translation>(not given)</translation>
    </message>
    <message>
        <source>各区县服务记录</source>
        <translation>Visits by county</translation>
    </message>
    <message>
        <source>各产业服务记录（前 12 个）</source>
        <translation>Visits by industry (top 12)</translation>
    </message>
    <message>
        <source>各服务类型服务记录</source>
        <translation>Visits by service type</translation>
    </message>
    <message>
        <source>计划目标 {0:,} 人；考核计入 {1:,} 人</source>
        <translation>Target {0:,}; the assessment counts {1:,}</translation>
    </message>
    <message>
        <source>计划目标 {0:,} 项；考核计入 {1:,} 项</source>
        <translation>Target {0:,}; the assessment counts {1:,}</translation>
    </message>
    <message>
        <source>无目标</source>
        <translation>no target</translation>
    </message>
    <message>
        <source>各县（市、区）按本年度考核细则中的分县目标统计（完成 / 目标）；成果转化和技术交易额按服务对象所在县统计已审核通过的成果登记；在岗人数和解决难题含待审核的记录（全市汇总 PDF 按考核口径统计）。全市目标：科技特派员 {0:,} 人，解决难题 {1:,} 项。</source>
        <translation>Each county against its own targets in this year&apos;s rules (achieved / target); achievements and transaction value count the approved entries of the achievements register, by the served party&apos;s county; active commissioners and problems solved include records awaiting review (the city summary PDF counts as the assessment does). City targets: {0:,} commissioners, {1:,} problems solved.</translation>
    </message>
    <message>
        <source>{0}共 {1} 名科技特派员参评。</source>
        <translation>{0} {1} commissioners assessed.</translation>
    </message>
    <message>
        <source>选择左侧的区县，查看其各镇街的服务情况。</source>
        <translation>Choose a county on the left to see its towns.</translation>
    </message>
    <message>
        <source>{0}：各镇街</source>
        <translation>{0}: towns</translation>
    </message>
    <message>
        <source>选择镇街，查看其服务记录。</source>
        <translation>Choose a town to see its visits.</translation>
    </message>
    <message>
        <source>{0}：{1:,} 条服务记录</source>
        <translation>{0}: {1:,} visits</translation>
    </message>
    <message>
        <source>（显示最近 {0} 条）</source>
        <translation> (the latest {0} shown)</translation>
    </message>
</context>
<context>
    <name>ColumnFitter</name>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>窗口较窄，未显示这些列：{0}。加宽窗口即可看到；各行的提示里也有。</source>
        <translation>Not shown in this narrow window: {0}. A wider window shows them; so does each row&apos;s tooltip.</translation>
    </message>
</context>
<context>
    <name>ConfirmDeletion</name>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <source>处理同步冲突</source>
        <translation>Resolve sync conflicts</translation>
    </message>
    <message>
        <source>下面的记录在本机和服务器上都被修改过，而且改的是同一处，系统没有替您决定，两边的内容都保留着。请逐项选择保留哪一个版本，然后点“应用选择”；记录随后回到待同步队列，下次同步时发送。</source>
        <translation>These records were changed both on this computer and on the server, in the same place. Nothing was decided for you: both versions are kept. Choose the version to keep for each item, then click “Apply choices”; the record goes back to the queue and is sent at the next sync.</translation>
    </message>
    <message>
        <source>标有“他人的版本”的记录：服务器保留的是您的版本，另一方的修改与之冲突、尚未被接受。任何一方处理即可，同步后另一方的冲突也随之关闭。</source>
        <translation>Records marked “someone else&apos;s version”: the server kept your version, and the other side&apos;s change conflicts with it and was not accepted. Either side may decide; after the next syncs the conflict closes on the other side too.</translation>
    </message>
    <message>
        <source>应用选择</source>
        <translation>Apply choices</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>您的值（服务器上）</source>
        <translation>Yours (on the server)</translation>
    </message>
    <message>
        <source>对方的值（未被接受）</source>
        <translation>Theirs (not accepted)</translation>
    </message>
    <message>
        <source>修改前</source>
        <translation>Before both edits</translation>
    </message>
    <message>
        <source>保留</source>
        <translation>Keep</translation>
    </message>
    <message>
        <source>我的</source>
        <translation>Mine</translation>
    </message>
    <message>
        <source>对方的</source>
        <translation>Theirs</translation>
    </message>
    <message>
        <source>全部保留我的</source>
        <translation>Keep all of mine</translation>
    </message>
    <message>
        <source>全部采用对方的</source>
        <translation>Take all of theirs</translation>
    </message>
    <message>
        <source>他人的版本与您的冲突：{0}（或您在另一台电脑上）改了同一处，服务器保留的是您的版本。请决定保留哪一个；同步后对方也会看到结果。</source>
        <translation>Someone else&apos;s version conflicts with yours: {0} (or you, on another computer) changed the same place, and the server kept your version. Decide which one to keep; the other side sees the outcome after syncing.</translation>
    </message>
    <message>
        <source>另一方</source>
        <translation>the other side</translation>
    </message>
    <message>
        <source>本机的值</source>
        <translation>On this computer</translation>
    </message>
    <message>
        <source>服务器上的值</source>
        <translation>On the server</translation>
    </message>
    <message>
        <source>本机</source>
        <translation>This computer</translation>
    </message>
    <message>
        <source>服务器</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>全部保留本机</source>
        <translation>Keep all from this computer</translation>
    </message>
    <message>
        <source>全部采用服务器</source>
        <translation>Take all from the server</translation>
    </message>
    <message>
        <source>正在读取冲突…</source>
        <translation>Reading the conflicts…</translation>
    </message>
    <message>
        <source>{0}：{1}
他人的版本，{2} 处冲突</source>
        <translation>{0}: {1}
someone else&apos;s version, {2} conflicts</translation>
    </message>
    <message>
        <source>{0}：{1}
{2} 处冲突</source>
        <translation>{0}: {1}
{2} conflicting fields</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>没有需要处理的冲突。</source>
        <translation>No conflicts to resolve.</translation>
    </message>
    <message>
        <source>请为每一项选择“我的”或“对方的”。</source>
        <translation>Choose “Mine” or “Theirs” for each item.</translation>
    </message>
    <message>
        <source>请为每一项选择“本机”或“服务器”。</source>
        <translation>Choose “This computer” or “Server” for every item.</translation>
    </message>
    <message>
        <source>正在保存选择…</source>
        <translation>Saving the choices…</translation>
    </message>
</context>
<context>
    <name>DemandsView</name>
    <message>
        <source>发布技术需求（来自村、企业或局里的清单）；同步后送达各科技特派员，揭榜后可在此查看揭榜人和难题进展。</source>
        <translation>Publish technical demands (from villages, enterprises or the bureau&apos;s own list); they reach every commissioner at the next sync, and here you see who took each up and how the problem progresses.</translation>
    </message>
    <message>
        <source>市科技局发布的技术需求，及各需求的揭榜人和难题进展（只读）。</source>
        <translation>The technical demands the city bureau published, who took each up and how the problem goes (read only).</translation>
    </message>
    <message>
        <source>市科技局发布的待揭榜技术需求，与您产业相符的排在前面。揭榜后该需求成为您的技术难题（见“技术难题”），下次同步时告知市科技局。</source>
        <translation>Open demands published by the bureau, those of your industries first. Taking one up makes it your technical problem (see Problems); the bureau learns of it at the next sync.</translation>
    </message>
    <message>
        <source>技术需求（揭榜）</source>
        <translation>Technical demands</translation>
    </message>
    <message>
        <source>发布新需求</source>
        <translation>Publish a demand</translation>
    </message>
    <message>
        <source>修改需求</source>
        <translation>Change the demand</translation>
    </message>
    <message>
        <source>需求标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>需求描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>区县</source>
        <translation>County</translation>
    </message>
    <message>
        <source>镇街</source>
        <translation>Town</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <source>揭榜截止日期</source>
        <translation>Take up by</translation>
    </message>
    <message>
        <source>如：柑橘黄龙病绿色防控技术</source>
        <translation>e.g. green control of citrus greening</translation>
    </message>
    <message>
        <source>提出需求的村、企业或合作社</source>
        <translation>The village, enterprise or cooperative asking</translation>
    </message>
    <message>
        <source>发布需求</source>
        <translation>Publish</translation>
    </message>
    <message>
        <source>保存修改</source>
        <translation>Save changes</translation>
    </message>
    <message>
        <source>取消修改</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>修改…</source>
        <translation>Change…</translation>
    </message>
    <message>
        <source>关闭需求…</source>
        <translation>Close…</translation>
    </message>
    <message>
        <source>重新发布</source>
        <translation>Publish again</translation>
    </message>
    <message>
        <source>已发布需求的进展</source>
        <translation>Published demands</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>揭榜人</source>
        <translation>Taken up by</translation>
    </message>
    <message>
        <source>难题进展</source>
        <translation>Problem status</translation>
    </message>
    <message>
        <source>揭榜</source>
        <translation>Take up</translation>
    </message>
    <message>
        <source>正在加载技术需求…</source>
        <translation>Loading the demands…</translation>
    </message>
    <message>
        <source>未收到难题</source>
        <translation>No problem received</translation>
    </message>
    <message>
        <source>目前没有待揭榜的技术需求。同步后可收到市科技局新发布的需求。</source>
        <translation>No open demands. New demands from the bureau arrive with the next sync.</translation>
    </message>
    <message>
        <source>关闭需求</source>
        <translation>Close the demand</translation>
    </message>
    <message>
        <source>关闭后科技特派员将不能再揭榜“{0}”（同步后生效）。以后可以重新发布。确定关闭？</source>
        <translation>Once closed, commissioners can no longer take up “{0}” (from the next sync). It can be published again later. Close it?</translation>
    </message>
    <message>
        <source>已关闭“{0}”，下次同步后科技特派员不能再揭榜。</source>
        <translation>Closed “{0}”: after the next sync commissioners can no longer take it up.</translation>
    </message>
    <message>
        <source>正在关闭需求…</source>
        <translation>Closing the demand…</translation>
    </message>
    <message>
        <source>已收回“{0}”；其揭榜截止日期已过，请修改截止日期后再重新发布。</source>
        <translation>Took back “{0}”; its deadline has passed: change the deadline, then publish it again.</translation>
    </message>
    <message>
        <source>已重新发布“{0}”，下次同步时送达各科技特派员。</source>
        <translation>Published “{0}” again: it reaches commissioners with the next sync.</translation>
    </message>
    <message>
        <source>市科技局</source>
        <translation>Science and Technology Bureau</translation>
    </message>
    <message>
        <source>请填写需求标题和需求描述。</source>
        <translation>Enter the demand&apos;s title and description.</translation>
    </message>
    <message>
        <source>揭榜截止日期不能早于今天。</source>
        <translation>The deadline cannot be before today.</translation>
    </message>
    <message>
        <source>已揭榜“{0}”：它已成为您的技术难题。服务对象“{1}”已新登记，类型按名称定为“{2}”，如有不符请在“服务对象”中修改。下次同步时告知市科技局。</source>
        <translation>You took up “{0}”: it is now your technical problem. The served party “{1}” was registered as “{2}”, going by its name: correct that under Service target if it is wrong. The bureau learns of it at the next sync.</translation>
    </message>
    <message>
        <source>已揭榜“{0}”：它已成为您对服务对象“{1}”的技术难题，下次同步时告知市科技局。</source>
        <translation>You took up “{0}”: it is now your technical problem for the service target “{1}”; the bureau learns of it at the next sync.</translation>
    </message>
    <message>
        <source>正在发布需求…</source>
        <translation>Publishing…</translation>
    </message>
    <message>
        <source>正在保存修改…</source>
        <translation>Saving the changes…</translation>
    </message>
    <message>
        <source>已发布“{0}”，下次同步时送达各科技特派员。</source>
        <translation>Published “{0}”; it reaches the commissioners at the next sync.</translation>
    </message>
    <message>
        <source>已修改“{0}”，下次同步时送达各科技特派员。</source>
        <translation>Changed “{0}”: the change reaches commissioners with the next sync.</translation>
    </message>
    <message>
        <source>揭榜“{0}”？它将成为您的技术难题（见“技术难题”），下次同步时告知市科技局，不能撤回。</source>
        <translation>Take up “{0}”? It becomes your technical problem (see Problems) and the bureau learns of it at the next sync; it cannot be taken back.</translation>
    </message>
    <message>
        <source>正在揭榜…</source>
        <translation>Taking it up…</translation>
    </message>
    <message>
        <source>已揭榜“{0}”：它已成为您的技术难题，下次同步时告知市科技局。</source>
        <translation>You took up “{0}”: it is now your technical problem; the bureau learns of it at the next sync.</translation>
    </message>
</context>
<context>
    <name>DraftRecoveryDialog</name>
    <message>
        <source>恢复未保存的服务记录</source>
        <translation>Recover unsaved visits</translation>
    </message>
    <message>
        <source>上次关闭程序时，以下服务记录还有未保存的内容（已自动保存）。请选择继续编辑或丢弃。</source>
        <translation>When the application last closed, these visits had unsaved work (kept by autosave). Resume editing or discard each.</translation>
    </message>
    <message>
        <source>继续编辑</source>
        <translation>Resume editing</translation>
    </message>
    <message>
        <source>丢弃</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>以后再说</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>%1 %2&#x3000;服务对象：%3
%4
自动保存于 %5</source>
        <translation>%1 %2  Target: %3
%4
Autosaved at %5</translation>
    </message>
    <message>
        <source>未选择</source>
        <translation>not chosen</translation>
    </message>
    <message>
        <source>（无内容）</source>
        <translation>(no content)</translation>
    </message>
</context>
<context>
    <name>EvidenceFiles</name>
    <message>
        <source>尚未下载：连接服务器后将自动下载。</source>
        <translation>Not yet downloaded: it will be fetched when the server is reachable.</translation>
    </message>
    <message>
        <source>无法打开附件：%1</source>
        <translation>Cannot open the attachment: %1</translation>
    </message>
    <message>
        <source>系统中没有可以打开此类文件的程序。文件位于：%1</source>
        <translation>No program on this computer opens this kind of file. The file is at: %1</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>下载佐证材料</source>
        <translation>Downloading evidence</translation>
    </message>
    <message>
        <source>正在下载原图…</source>
        <translation>Downloading the full file…</translation>
    </message>
    <message>
        <source>已接收 {0} KB</source>
        <translation>{0} KB received</translation>
    </message>
    <message>
        <source>已取消下载；下次打开时从中断处继续。</source>
        <translation>Download cancelled; it continues where it stopped the next time.</translation>
    </message>
    <message>
        <source>已接收 {0}/{1} 张预览图</source>
        <translation>Received {0} of {1} previews</translation>
    </message>
</context>
<context>
    <name>ExemplarDialog</name>
    <message>
        <source>评选先进典型</source>
        <translation>Name an exemplar</translation>
    </message>
    <message>
        <source>优秀科技特派员</source>
        <translation>Outstanding commissioner</translation>
    </message>
    <message>
        <source>主要事迹</source>
        <translation>Citation</translation>
    </message>
    <message>
        <source>先进典型从已发布的年度考核结果中评选。</source>
        <translation>Exemplars are named from the published assessment results.</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>For</translation>
    </message>
    <message>
        <source>称号</source>
        <translation>Honour</translation>
    </message>
    <message>
        <source>请选择对象并填写主要事迹。</source>
        <translation>Choose who and write the citation.</translation>
    </message>
</context>
<context>
    <name>FieldBox</name>
    <message>
        <source>有 %1 处需要修改，已在相应位置标出。</source>
        <translation>%1 problem(s) to correct, marked next to the fields.</translation>
    </message>
</context>
<context>
    <name>GroupAssessmentView</name>
    <message>
        <source>团队考核</source>
        <translation>Team scores</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>录入加分项…</source>
        <translation>Enter a bonus…</translation>
    </message>
    <message>
        <source>通过加分项</source>
        <translation>Approve bonus</translation>
    </message>
    <message>
        <source>不予通过…</source>
        <translation>Reject…</translation>
    </message>
    <message>
        <source>评选先进典型…</source>
        <translation>Name an exemplar…</translation>
    </message>
    <message>
        <source>先进典型名单（PDF）…</source>
        <translation>Commendation list (PDF)…</translation>
    </message>
    <message>
        <source>科技特派团</source>
        <translation>Commissioner team</translation>
    </message>
    <message>
        <source>工作站</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <source>先进典型</source>
        <translation>Exemplars</translation>
    </message>
    <message>
        <source>名次</source>
        <translation>Rank</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>指标得分</source>
        <translation>Indicators</translation>
    </message>
    <message>
        <source>加分</source>
        <translation>Bonus</translation>
    </message>
    <message>
        <source>总分</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>等次</source>
        <translation>Grade</translation>
    </message>
    <message>
        <source>考核指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Actual</translation>
    </message>
    <message>
        <source>目标</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>分值</source>
        <translation>Points</translation>
    </message>
    <message>
        <source>得分</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>佐证材料</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>称号</source>
        <translation>Honour</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>单位 / 地区</source>
        <translation>Unit / area</translation>
    </message>
    <message>
        <source>主要事迹</source>
        <translation>Citation</translation>
    </message>
    <message>
        <source>正在计算团队与工作站考核…</source>
        <translation>Computing the team and workstation assessment…</translation>
    </message>
    <message>
        <source>科技特派团加分上限 {0} 分，工作站加分上限 {1} 分；仅计市科技局审核通过的加分项。</source>
        <translation>Bonus cap: {0} points for a team, {1} for a workstation; only bonuses the bureau approved count. </translation>
    </message>
    <message>
        <source>{0}：成员 {1} 人（在岗服务 {2} 人）；</source>
        <translation>{0}: {1} members ({2} serving); </translation>
    </message>
    <message>
        <source>市科技局</source>
        <translation>Science and Technology Bureau</translation>
    </message>
    <message>
        <source>已录入加分项，待市科技局审核；下次同步时发送。</source>
        <translation>Bonus entered; it waits for the bureau&apos;s review and is sent at the next sync.</translation>
    </message>
    <message>
        <source>不予通过</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>请填写不予通过的理由：</source>
        <translation>Why is it rejected?</translation>
    </message>
    <message>
        <source>已审核加分项；下次同步时发送。</source>
        <translation>Bonus reviewed; sent at the next sync.</translation>
    </message>
    <message>
        <source>已评选先进典型；下次同步时发送。</source>
        <translation>Exemplar named; sent at the next sync.</translation>
    </message>
    <message>
        <source>保存先进典型名单</source>
        <translation>Save the commendation list</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>已保存：{0}</source>
        <translation>Saved: {0}</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>登录市科技局服务器</source>
        <translation>Log in to the bureau&apos;s server</translation>
    </message>
    <message>
        <source>填写科技局提供的服务器地址和您的账户。登录后，本机记录可与服务器同步；密码不会保存在本机。</source>
        <translation>Enter the server address the bureau gave you and your account. Once logged in, the records on this computer sync with the server; the password is not kept on this computer.</translation>
    </message>
    <message>
        <source>服务器地址</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>再次输入新密码</source>
        <translation>New password again</translation>
    </message>
    <message>
        <source>例如：https://kjtpy.example.gov.cn</source>
        <translation>e.g. https://kjtpy.example.gov.cn</translation>
    </message>
    <message>
        <source>CA 证书（可选）</source>
        <translation>CA certificate (optional)</translation>
    </message>
    <message>
        <source>不填则使用系统的证书</source>
        <translation>empty: the system&apos;s certificates</translation>
    </message>
    <message>
        <source>科技局自己的证书颁发机构文件（.pem）；不填则使用系统的证书</source>
        <translation>the bureau&apos;s own certificate authority file (.pem); empty: the system&apos;s certificates</translation>
    </message>
    <message>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>本电脑没有可用的系统密钥环（如 GNOME 密钥环、KWallet、Windows 凭据管理器），无法安全保存登录凭据。可以安装并启用密钥环后再登录；或勾选下面的选项，将凭据保存在数据目录中仅本账户可读的文件里（安全性较低：能使用本电脑账户的人都可以用它同步数据）。</source>
        <translation>This computer has no system keyring (such as GNOME Keyring, KWallet or Windows Credential Manager) to keep the login token safely. Install and unlock a keyring, then log in; or tick the option below to keep the token in a file in the data folder that only your account can read (less safe: anyone who can use this computer account can sync with it).</translation>
    </message>
    <message>
        <source>我了解风险，将登录凭据保存在数据目录的文件中（仅本账户可读）</source>
        <translation>I understand the risk: keep the login token in a file in the data folder (readable by my account only)</translation>
    </message>
    <message>
        <source>警告：此服务器地址以 http:// 开头，连接未加密。密码、登录凭据和全部记录都将以明文传输，同一网络中的任何人都能看到或篡改。正式使用请改用 https:// 地址；只有测试服务器才可勾选下面的选项。</source>
        <translation>Warning: this server address starts with http://, so the connection is not encrypted. The password, the login token and every record would travel in clear text: anyone on the same network could read or alter them. Use an https:// address for real work; tick the option below only for a test server.</translation>
    </message>
    <message>
        <source>我了解风险，允许以不加密的连接登录此测试服务器</source>
        <translation>I understand the risk: allow an unencrypted connection to this test server</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>选择科技局的 CA 证书</source>
        <translation>Choose the bureau&apos;s CA certificate</translation>
    </message>
    <message>
        <source>证书文件 (*.pem *.crt *.cer);;所有文件 (*)</source>
        <translation>Certificate files (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <source>请填写：{0}</source>
        <translation>Please fill in: {0}</translation>
    </message>
    <message>
        <source>新密码至少需要 8 个字符。</source>
        <translation>The new password needs at least 8 characters.</translation>
    </message>
    <message>
        <source>两次输入的新密码不一致。</source>
        <translation>The two new passwords differ.</translation>
    </message>
    <message>
        <source>新密码不能与一次性密码相同。</source>
        <translation>The new password must differ from the one-time code.</translation>
    </message>
    <message>
        <source>本电脑没有系统密钥环。要继续登录，请勾选上面的选项，明确同意将凭据保存在文件中；或安装密钥环后再登录。</source>
        <translation>This computer has no system keyring. To log in anyway, tick the option above to agree to keep the token in a file; or install a keyring and log in then.</translation>
    </message>
    <message>
        <source>此服务器地址未加密（http://）。请改用 https:// 开头的地址；如确是测试服务器，请勾选上面的选项，明确允许不加密的连接。</source>
        <translation>This server address is not encrypted (http://). Use an address starting with https://; if it really is a test server, tick the option above to allow an unencrypted connection explicitly.</translation>
    </message>
    <message>
        <source>正在连接服务器…</source>
        <translation>Connecting to the server…</translation>
    </message>
    <message>
        <source>这是市科技局发放的一次性密码。请设置您自己的新密码（至少 8 个字符），再点“登录”。</source>
        <translation>This is a one-time code from the bureau. Choose a password of your own (at least 8 characters), then click &quot;Log in&quot;.</translation>
    </message>
    <message>
        <source>此数据目录已有记录</source>
        <translation>This data directory has records</translation>
    </message>
    <message>
        <source>并入此账户</source>
        <translation>Bind to this account</translation>
    </message>
    <message>
        <source>使用另一个数据目录…</source>
        <translation>Use another data directory…</translation>
    </message>
    <message>
        <source>正在把本机记录并入该账户…</source>
        <translation>Binding the records on this computer to the account…</translation>
    </message>
    <message>
        <source>选择该账户的数据目录</source>
        <translation>Choose the account&apos;s data directory</translation>
    </message>
    <message>
        <source>无法启动程序打开 {0}</source>
        <translation>Cannot start the application on {0}</translation>
    </message>
    <message>
        <source>无法连接到服务器。请检查服务器地址是否正确、电脑是否已联网，然后再试。</source>
        <translation>Cannot reach the server. Check that the address is right and that this computer is online, then try again.</translation>
    </message>
    <message>
        <source>用户名或密码不正确，请重新输入（如账号已停用，请联系管理员）。连续输错多次后需等待片刻才能再试。</source>
        <translation>Wrong username or password; please type them again (if the account has been disabled, ask your administrator). After several wrong tries, wait a moment before trying again.</translation>
    </message>
    <message>
        <source>本程序版本过旧，服务器已不再支持。请先更新程序，再登录。本机记录不受影响。</source>
        <translation>This version of the application is too old for the server. Please update the application, then log in. The records on this computer are not affected.</translation>
    </message>
    <message>
        <source>服务器拒绝了登录：{0}</source>
        <translation>The server refused the login: {0}</translation>
    </message>
    <message>
        <source>登录失败：{0}</source>
        <translation>Login failed: {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>工作台</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>服务记录</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>技术难题</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <source>服务协议</source>
        <translation>Agreements</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <source>科技特派员工作平台

离线记录服务、技术难题和解决方案，联网后与市科技局同步。
数据目录：{0}</source>
        <translation>Field Commissioner

Record visits, technical problems and solutions offline; sync with the city bureau when online.
Data folder: {0}</translation>
    </message>
    <message>
        <source>待同步：{0} 条记录</source>
        <translation>Records waiting to sync: {0}</translation>
    </message>
    <message>
        <source>尚未登录同步服务器</source>
        <translation>Not signed in to a sync server</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>所有记录均已同步</source>
        <translation>All records are synced</translation>
    </message>
    <message>
        <source>科技特派员工作平台</source>
        <translation>Field Commissioner</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>编辑(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>同步(&amp;S)</source>
        <translation>&amp;Sync</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>新建服务记录</source>
        <translation>New visit</translation>
    </message>
    <message>
        <source>打印服务记录单…</source>
        <translation>Print visit sheet…</translation>
    </message>
    <message>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>OrganisationView</name>
    <message>
        <source>组织与账号</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>账号</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <source>团队与工作站</source>
        <translation>Teams and workstations</translation>
    </message>
    <message>
        <source>名册导入</source>
        <translation>Roster import</translation>
    </message>
    <message>
        <source>从服务器刷新</source>
        <translation>Refresh from the server</translation>
    </message>
    <message>
        <source>新建账号…</source>
        <translation>New account…</translation>
    </message>
    <message>
        <source>修改角色与归属…</source>
        <translation>Change role and membership…</translation>
    </message>
    <message>
        <source>停用…</source>
        <translation>Disable…</translation>
    </message>
    <message>
        <source>重新启用</source>
        <translation>Enable again</translation>
    </message>
    <message>
        <source>重置密码</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <source>归属历史…</source>
        <translation>Membership history…</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>县（市、区）</source>
        <translation>County / district</translation>
    </message>
    <message>
        <source>科技特派团</source>
        <translation>Commissioner team</translation>
    </message>
    <message>
        <source>工作站</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>新建团队…</source>
        <translation>New team…</translation>
    </message>
    <message>
        <source>修改团队…</source>
        <translation>Edit team…</translation>
    </message>
    <message>
        <source>新建工作站…</source>
        <translation>New workstation…</translation>
    </message>
    <message>
        <source>修改工作站…</source>
        <translation>Edit workstation…</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>依托高校或派出单位</source>
        <translation>Partner university or sending unit</translation>
    </message>
    <message>
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>服务县（市、区）</source>
        <translation>Counties served</translation>
    </message>
    <message>
        <source>镇（街道）</source>
        <translation>Town / sub-district</translation>
    </message>
    <message>
        <source>依托单位</source>
        <translation>Host unit</translation>
    </message>
    <message>
        <source>名册为 Excel (.xlsx) 文件，第一行为列名：姓名、性别、派出单位、职称、专业特长、手机号码、科技特派团、工作站、服务县（市、区）、角色。先检查：列出每一处问题（行、列），不写入任何内容；没有错误后再导入，并生成账号通知（PDF 和 Excel）。</source>
        <translation>The roster is an Excel (.xlsx) file whose first row names the columns: 姓名, 性别, 派出单位, 职称, 专业特长, 手机号码, 科技特派团, 工作站, 服务县（市、区）, 角色. Check it first: every problem is listed (row, column) and nothing is written; when there are no errors, import it and write the account slips (PDF and Excel).</translation>
    </message>
    <message>
        <source>选择名册…</source>
        <translation>Choose roster…</translation>
    </message>
    <message>
        <source>检查（不写入）</source>
        <translation>Check (writes nothing)</translation>
    </message>
    <message>
        <source>导入并生成账号通知…</source>
        <translation>Import and write account slips…</translation>
    </message>
    <message>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>名册：{0}</source>
        <translation>Roster: {0}</translation>
    </message>
    <message>
        <source>尚未选择名册</source>
        <translation>No roster chosen yet</translation>
    </message>
    <message>
        <source>科技特派员</source>
        <translation>Commissioner</translation>
    </message>
    <message>
        <source>团长/站长</source>
        <translation>Team leader / station manager</translation>
    </message>
    <message>
        <source>县科技局</source>
        <translation>County bureau</translation>
    </message>
    <message>
        <source>市科技局</source>
        <translation>Science and Technology Bureau</translation>
    </message>
    <message>
        <source>未完成，未写入任何内容：{0}</source>
        <translation>Not done; nothing was written: {0}</translation>
    </message>
    <message>
        <source>无法连接服务器：程序正在关闭，或没有数据目录。</source>
        <translation>Cannot reach the server: the application is closing, or has no data directory.</translation>
    </message>
    <message>
        <source>正在从服务器读取账号…</source>
        <translation>Reading the accounts from the server…</translation>
    </message>
    <message>
        <source>共 {0} 个账号。</source>
        <translation>{0} accounts.</translation>
    </message>
    <message>
        <source>已停用：{0}</source>
        <translation>Disabled: {0}</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>待首次登录</source>
        <translation>Waiting for first login</translation>
    </message>
    <message>
        <source>请先在表格中选择一个账号。</source>
        <translation>Select an account in the table first.</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>新建账号</source>
        <translation>New account</translation>
    </message>
    <message>
        <source>用户名（建议用手机号码）</source>
        <translation>User name (the mobile number is a good choice)</translation>
    </message>
    <message>
        <source>手机号码</source>
        <translation>Mobile number</translation>
    </message>
    <message>
        <source>派出单位</source>
        <translation>Sending unit</translation>
    </message>
    <message>
        <source>请填写用户名（建议用手机号码）。</source>
        <translation>Enter a user name (a mobile number is best).</translation>
    </message>
    <message>
        <source>用户名不能含空格。</source>
        <translation>A user name cannot contain spaces.</translation>
    </message>
    <message>
        <source>请填写姓名。</source>
        <translation>Enter the name.</translation>
    </message>
    <message>
        <source>手机号码：{0}</source>
        <translation>Mobile number: {0}</translation>
    </message>
    <message>
        <source>请填写名称。</source>
        <translation>Enter the name.</translation>
    </message>
    <message>
        <source>不是本市的县（市、区）：{0}（可填：{1}）</source>
        <translation>Not a county of this city: {0} (choose from: {1})</translation>
    </message>
    <message>
        <source>请选择工作站所在的县（市、区）：县科技局按它看到站里的记录。</source>
        <translation>Choose the workstation&apos;s county: the county bureau sees the station&apos;s records by it.</translation>
    </message>
    <message>
        <source>一次性密码</source>
        <translation>One-time code</translation>
    </message>
    <message>
        <source>账号 {0} 的一次性密码：

{1}

只显示这一次，请抄下或截图交给本人；首次登录时须设置新密码。</source>
        <translation>The one-time code of {0}:

{1}

It is shown only this once: write it down or take a screenshot for the person; they choose a new password at their first login.</translation>
    </message>
    <message>
        <source>修改 {0}</source>
        <translation>Change {0}</translation>
    </message>
    <message>
        <source>停用账号</source>
        <translation>Disable account</translation>
    </message>
    <message>
        <source>停用 {0} 的原因：</source>
        <translation>Why {0} is disabled:</translation>
    </message>
    <message>
        <source>停用须填写原因。</source>
        <translation>A reason is required to disable an account.</translation>
    </message>
    <message>
        <source>为 {0} 生成新的一次性密码？其原密码立即失效。</source>
        <translation>Make a new one-time code for {0}? Their password stops working at once.</translation>
    </message>
    <message>
        <source>至今</source>
        <translation>now</translation>
    </message>
    <message>
        <source>{0} 至 {1}：{2}，{3}，团队 {4}，工作站 {5}（{6}）</source>
        <translation>{0} to {1}: {2}, {3}, team {4}, workstation {5} ({6})</translation>
    </message>
    <message>
        <source>{0} 的归属历史</source>
        <translation>Membership history of {0}</translation>
    </message>
    <message>
        <source>已保存到服务器；按名称等它建立的 {0} 个账号已加入：{1}。同步后各成员的电脑上都会显示。</source>
        <translation>Saved on the server; {0} accounts added for it by its name before it existed have joined it: {1}. It shows on every member&apos;s computer after a sync.</translation>
    </message>
    <message>
        <source>已保存到服务器；同步后本机和各成员的电脑上都会显示。</source>
        <translation>Saved on the server; it shows here and on every member&apos;s computer after a sync.</translation>
    </message>
    <message>
        <source>服务县（市、区），以顿号分隔</source>
        <translation>Counties served, separated by 、</translation>
    </message>
    <message>
        <source>选择名册</source>
        <translation>Choose roster</translation>
    </message>
    <message>
        <source>Excel 名册 (*.xlsx)</source>
        <translation>Excel roster (*.xlsx)</translation>
    </message>
    <message>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>共 {0} 行，{1} 处错误，将新建 {2} 个团队、{3} 个工作站。未写入任何内容。</source>
        <translation>{0} rows, {1} errors; {2} teams and {3} workstations would be created. Nothing was written.</translation>
    </message>
    <message>
        <source>提示</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>选择账号通知的保存文件夹</source>
        <translation>Choose the folder for the account slips</translation>
    </message>
    <message>
        <source>正在导入…（1,000 人约需半分钟）</source>
        <translation>Importing… (about half a minute for 1,000 people)</translation>
    </message>
    <message>
        <source>名册有错误，未导入任何内容。</source>
        <translation>The roster has errors; nothing was imported.</translation>
    </message>
    <message>
        <source>已创建 {0} 个账号。账号通知：{1}</source>
        <translation>Created {0} accounts. Account slips: {1}</translation>
    </message>
</context>
<context>
    <name>OverviewView</name>
    <message>
        <source>工作台</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>{0}，您好！今天是 {1}。</source>
        <translation>Hello, {0}! Today is {1}.</translation>
    </message>
    <message>
        <source>今天是 {0}。</source>
        <translation>Today is {0}.</translation>
    </message>
    <message>
        <source>新建服务记录</source>
        <translation>New visit</translation>
    </message>
    <message>
        <source>新建一条服务记录（Ctrl+N）</source>
        <translation>Record a new visit (Ctrl+N)</translation>
    </message>
    <message>
        <source>本月服务记录</source>
        <translation>Visits this month</translation>
    </message>
    <message>
        <source>待解决的技术难题</source>
        <translation>Open technical problems</translation>
    </message>
    <message>
        <source>等待同步的记录</source>
        <translation>Records waiting to sync</translation>
    </message>
    <message>
        <source>被退回待修改的记录</source>
        <translation>Returned records to correct</translation>
    </message>
    <message>
        <source>进度落后的服务协议</source>
        <translation>Service agreements behind</translation>
    </message>
    <message>
        <source>最近的服务记录</source>
        <translation>Recent visits</translation>
    </message>
    <message>
        <source>还没有服务记录。点击“新建服务记录”记下第一次服务。</source>
        <translation>No visits yet. Click “New visit” to record your first one.</translation>
    </message>
    <message>
        <source>还没有服务记录。</source>
        <translation>No visits yet.</translation>
    </message>
    <message>
        <source>退回意见：{0}</source>
        <translation>Returned: {0}</translation>
    </message>
</context>
<context>
    <name>PastDateEdit</name>
    <message>
        <source>不能选择将来的日期：服务记录只记已经进行的服务</source>
        <translation>A future day cannot be chosen: a visit record is of a visit that took place</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <source>保存为 PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>预览：{0} 页。确认无误后保存，再用 PDF 阅读器打印。</source>
        <translation>Preview: {0} page(s). Save it when it is right, then print it from a PDF reader.</translation>
    </message>
    <message>
        <source>预览前 {0} 页；保存的文件包含全部页面。</source>
        <translation>Preview of the first {0} pages; the saved file has them all.</translation>
    </message>
    <message>
        <source>保存 PDF</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>无法保存</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <source>无法保存到 {0}：{1}</source>
        <translation>Cannot save to {0}: {1}</translation>
    </message>
</context>
<context>
    <name>ProblemCard</name>
    <message>
        <source>本次发现的技术难题</source>
        <translation>Problem found on this visit</translation>
    </message>
    <message>
        <source>已有技术难题（%1起）</source>
        <translation>Existing problem (since %1)</translation>
    </message>
    <message>
        <source>难题标题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>难题描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>紧急程度</source>
        <translation>Urgency</translation>
    </message>
    <message>
        <source>处理状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>本次解决方案</source>
        <translation>Solution given</translation>
    </message>
    <message>
        <source>采用技术</source>
        <translation>Technology used</translation>
    </message>
    <message>
        <source>效果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>一句话说明难题，如：柑橘黄龙病防控</source>
        <translation>The problem in a few words, e.g. citrus greening control</translation>
    </message>
    <message>
        <source>本次给出的解决办法；标记“已解决”时必填</source>
        <translation>The solution given on this visit; required when marked solved</translation>
    </message>
    <message>
        <source>服务对象已确认此方案</source>
        <translation>Confirmed by the served party</translation>
    </message>
    <message>
        <source>从本记录移除</source>
        <translation>Remove from this visit</translation>
    </message>
    <message>
        <source>已保存的难题请在“技术难题”中修改状态</source>
        <translation>Change a saved problem&apos;s status under “Problems”</translation>
    </message>
    <message>
        <source>原因说明（必填）</source>
        <translation>Reason (required)</translation>
    </message>
    <message>
        <source>原因说明</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>ProblemDialog</name>
    <message>
        <source>技术难题：%1</source>
        <translation>Technical problem: %1</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <source>描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>紧急程度</source>
        <translation>Urgency</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>原因说明</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>相关服务记录（双击打开）</source>
        <translation>Related visits (double-click to open)</translation>
    </message>
    <message>
        <source>解决方案</source>
        <translation>Solutions</translation>
    </message>
    <message>
        <source>新增解决方案（标记为已解决前至少需要一个）：</source>
        <translation>Add a solution (a problem needs one before it is marked solved):</translation>
    </message>
    <message>
        <source>做了什么</source>
        <translation>What was done</translation>
    </message>
    <message>
        <source>采用技术</source>
        <translation>Technology used</translation>
    </message>
    <message>
        <source>效果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>服务对象已确认</source>
        <translation>Confirmed by the served party</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>（暂无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>（尚无解决方案）</source>
        <translation>(no solution yet)</translation>
    </message>
    <message>
        <source>原因说明（必填）</source>
        <translation>Reason (required)</translation>
    </message>
</context>
<context>
    <name>ProblemTableModel</name>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>难题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>进展</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>紧急程度</source>
        <translation>Urgency</translation>
    </message>
    <message>
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <source>提出日期</source>
        <translation>Raised on</translation>
    </message>
    <message>
        <source>解决方案</source>
        <translation>Solutions</translation>
    </message>
</context>
<context>
    <name>ProblemsView</name>
    <message>
        <source>搜索技术难题：标题、描述…（Ctrl+F）</source>
        <translation>Search problems: title, description… (Ctrl+F)</translation>
    </message>
    <message>
        <source>进展</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>全部产业</source>
        <translation>All industries</translation>
    </message>
    <message>
        <source>正在加载技术难题…</source>
        <translation>Loading problems…</translation>
    </message>
    <message>
        <source>共 {0} 个技术难题；双击或按回车键查看详情</source>
        <translation>Problems: {0}; double-click or press Enter for details</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>欢迎使用科技特派员工作平台</source>
        <translation>Welcome to Field Commissioner</translation>
    </message>
    <message>
        <source>个人资料</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>第一次使用：已有科技局开通的账号，请先连接科技局服务器，资料自动填入（科技局账号无需填写）；否则请填写您的个人资料。带 * 的为必填项，其余可以以后在“设置”中补充。</source>
        <translation>First start: if the bureau opened an account for you, connect to the bureau&apos;s server first and your profile fills in (a bureau account needs none); otherwise fill in your profile. Fields marked * are required; the rest can be added later in Settings.</translation>
    </message>
    <message>
        <source>修改您的个人资料。带 * 的为必填项。</source>
        <translation>Edit your profile. Fields marked * are required.</translation>
    </message>
    <message>
        <source>姓名 *</source>
        <translation>Name *</translation>
    </message>
    <message>
        <source>手机号</source>
        <translation>Mobile phone</translation>
    </message>
    <message>
        <source>派出单位 *</source>
        <translation>Sending unit *</translation>
    </message>
    <message>
        <source>职称</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>专业特长</source>
        <translation>Specialty</translation>
    </message>
    <message>
        <source>服务产业</source>
        <translation>Industries served</translation>
    </message>
    <message>
        <source>所属科技特派团</source>
        <translation>Commissioner team</translation>
    </message>
    <message>
        <source>所属工作站</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <source>例如：李明</source>
        <translation>e.g. 李明</translation>
    </message>
    <message>
        <source>例如：13800138000</source>
        <translation>e.g. 13800138000</translation>
    </message>
    <message>
        <source>从列表中选择，或直接输入单位名称</source>
        <translation>Choose from the list or type the unit&apos;s name</translation>
    </message>
    <message>
        <source>例如：高级农艺师</source>
        <translation>e.g. senior agronomist</translation>
    </message>
    <message>
        <source>例如：柑橘栽培与病虫害防治</source>
        <translation>e.g. citrus growing and pest control</translation>
    </message>
    <message>
        <source>（暂无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>连接科技局服务器…</source>
        <translation>Connect to the bureau&apos;s server…</translation>
    </message>
    <message>
        <source>已有科技局服务器账户？登录后自动填入服务器上的个人资料，并可同步记录</source>
        <translation>Have an account on the bureau&apos;s server? Log in to fill in your profile from the server and sync your records</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>以后再说</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>已登录为 {0}。服务器上还没有您的个人资料，请填写后保存，下次同步时上传。</source>
        <translation>Logged in as {0}. The server has no profile of yours yet; fill it in and save, and the next sync sends it.</translation>
    </message>
    <message>
        <source>已登录 {0}。正在从服务器读取您的资料…</source>
        <translation>Logged in to {0}. Reading your profile from the server…</translation>
    </message>
    <message>
        <source>已登录。未能从服务器读取个人资料，请手动填写后保存。</source>
        <translation>Logged in. Your profile could not be read from the server; please fill it in and save.</translation>
    </message>
    <message>
        <source>已登录。服务器上还没有您的个人资料，请填写后保存，下次同步时上传。</source>
        <translation>Logged in. The server has no profile of yours yet; fill it in and save, and the next sync sends it.</translation>
    </message>
    <message>
        <source>已登录，并从服务器填入了您的个人资料。请核对后点“保存”。</source>
        <translation>Logged in; your profile was filled in from the server. Check it, then click “Save”.</translation>
    </message>
    <message>
        <source>正在保存个人资料…</source>
        <translation>Saving the profile…</translation>
    </message>
</context>
<context>
    <name>ProjectsView</name>
    <message>
        <source>发布揭榜项目，比较各方申请后选定中榜方；攻关结束后记录验收结论并附佐证。</source>
        <translation>Publish open-call projects, compare the applications and award one; when the work ends, record the acceptance with its evidence.</translation>
    </message>
    <message>
        <source>市科技局发布的揭榜项目，及各方的申请、攻关节点和验收情况（只读）。</source>
        <translation>The bureau&apos;s open-call projects, with the applications, milestones and acceptance (read only).</translation>
    </message>
    <message>
        <source>市科技局发布的揭榜项目：截止日期前可提交攻关方案（个人或团队）；中榜后设置节点并标记完成。</source>
        <translation>Open-call projects published by the bureau: submit a plan (for yourself or your team) before the deadline; once awarded, set milestones and mark them done.</translation>
    </message>
    <message>
        <source>揭榜与成果</source>
        <translation>Open calls</translation>
    </message>
    <message>
        <source>揭榜挂帅项目</source>
        <translation>Open-call projects</translation>
    </message>
    <message>
        <source>成果转化</source>
        <translation>Achievements transferred</translation>
    </message>
    <message>
        <source>发布揭榜项目</source>
        <translation>Publish a project</translation>
    </message>
    <message>
        <source>项目名称</source>
        <translation>Project</translation>
    </message>
    <message>
        <source>经费（万元）</source>
        <translation>Budget (10k yuan)</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>申请数</source>
        <translation>Applications</translation>
    </message>
    <message>
        <source>中榜方</source>
        <translation>Awarded to</translation>
    </message>
    <message>
        <source>节点完成</source>
        <translation>Milestones done</translation>
    </message>
    <message>
        <source>申请（市科技局可见全部，申请人只见本人的）</source>
        <translation>Applications (the bureau sees all, an applicant only their own)</translation>
    </message>
    <message>
        <source>攻关方案</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>派出单位</source>
        <translation>Sending unit</translation>
    </message>
    <message>
        <source>团队</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>已通过服务记录</source>
        <translation>Approved visits</translation>
    </message>
    <message>
        <source>攻关节点</source>
        <translation>Milestones</translation>
    </message>
    <message>
        <source>节点</source>
        <translation>Milestone</translation>
    </message>
    <message>
        <source>计划完成日期</source>
        <translation>Due date</translation>
    </message>
    <message>
        <source>完成情况</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>佐证</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>来自技术需求</source>
        <translation>From a demand</translation>
    </message>
    <message>
        <source>揭榜要求</source>
        <translation>Requirements</translation>
    </message>
    <message>
        <source>申请截止日期</source>
        <translation>Application deadline</translation>
    </message>
    <message>
        <source>发布项目</source>
        <translation>Publish project</translation>
    </message>
    <message>
        <source>选定所选申请中榜</source>
        <translation>Award the chosen application</translation>
    </message>
    <message>
        <source>验收意见</source>
        <translation>Acceptance opinion</translation>
    </message>
    <message>
        <source>记录验收</source>
        <translation>Record acceptance</translation>
    </message>
    <message>
        <source>添加验收佐证…</source>
        <translation>Add acceptance evidence…</translation>
    </message>
    <message>
        <source>攻关方案（技术路线、进度安排、团队分工）</source>
        <translation>Plan (technical route, schedule, who does what)</translation>
    </message>
    <message>
        <source>以本团队名义</source>
        <translation>For my team</translation>
    </message>
    <message>
        <source>提交申请</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>节点名称</source>
        <translation>Milestone</translation>
    </message>
    <message>
        <source>添加节点</source>
        <translation>Add milestone</translation>
    </message>
    <message>
        <source>完成佐证说明</source>
        <translation>Evidence of completion</translation>
    </message>
    <message>
        <source>标记所选节点完成</source>
        <translation>Mark the chosen milestone done</translation>
    </message>
    <message>
        <source>添加节点佐证…</source>
        <translation>Add milestone evidence…</translation>
    </message>
    <message>
        <source>关联到本项目</source>
        <translation>Link to this project</translation>
    </message>
    <message>
        <source>本人的服务记录（★：已关联某个项目）</source>
        <translation>Your visits (★: already linked to a project)</translation>
    </message>
    <message>
        <source>成果名称</source>
        <translation>Achievement</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>金额（万元）</source>
        <translation>Value (10k yuan)</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>删除所选成果…</source>
        <translation>Delete selected…</translation>
    </message>
    <message>
        <source>删除记错或重复登记的成果；审核通过的须先由团队负责人退回</source>
        <translation>Delete an achievement recorded by mistake or twice; an approved one must first be returned by the team&apos;s reviewer</translation>
    </message>
    <message>
        <source>合同金额（万元）</source>
        <translation>Contract value (10k yuan)</translation>
    </message>
    <message>
        <source>合同日期</source>
        <translation>Contract date</translation>
    </message>
    <message>
        <source>受让方</source>
        <translation>Transferee</translation>
    </message>
    <message>
        <source>科技特派员</source>
        <translation>Commissioner</translation>
    </message>
    <message>
        <source>审核意见（退回时必填）</source>
        <translation>Opinion (required to return)</translation>
    </message>
    <message>
        <source>通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>退回</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>修改所选成果…</source>
        <translation>Correct the chosen achievement…</translation>
    </message>
    <message>
        <source>取消修改</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>退回意见：{0}</source>
        <translation>Returned: {0}</translation>
    </message>
    <message>
        <source>登记成果转化</source>
        <translation>Record an achievement</translation>
    </message>
    <message>
        <source>技术合同编号</source>
        <translation>Technology contract number</translation>
    </message>
    <message>
        <source>成果类型</source>
        <translation>Kind of achievement</translation>
    </message>
    <message>
        <source>转化方式</source>
        <translation>Mode of transfer</translation>
    </message>
    <message>
        <source>转让方（许可方）</source>
        <translation>Transferor (licensor)</translation>
    </message>
    <message>
        <source>受让方（被许可方）</source>
        <translation>Transferee (licensee)</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <source>关联服务记录</source>
        <translation>Linked visit</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>添加合同佐证…</source>
        <translation>Add contract evidence…</translation>
    </message>
    <message>
        <source>正在加载揭榜项目…</source>
        <translation>Loading projects…</translation>
    </message>
    <message>
        <source>（不关联，直接填写）</source>
        <translation>(none, type it in)</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>未完成</source>
        <translation>Not done</translation>
    </message>
    <message>
        <source>本年度已审核通过的成果转化 {0} 项，技术交易额 {1:.2f} 万元；待审核 {2} 项（不计入）。</source>
        <translation>This year: {0} approved achievements, technology transactions {1:.2f} (10k yuan); {2} waiting for review (not counted).</translation>
    </message>
    <message>
        <source>（未选择）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>选择一个项目查看揭榜要求、申请和节点。</source>
        <translation>Choose a project to see its requirements, applications and milestones.</translation>
    </message>
    <message>
        <source>揭榜要求：{0}</source>
        <translation>Requirements: {0}</translation>
    </message>
    <message>
        <source>验收：{0}（{1}）{2}</source>
        <translation>Acceptance: {0} ({1}) {2}</translation>
    </message>
    <message>
        <source>验收佐证</source>
        <translation>Acceptance evidence</translation>
    </message>
    <message>
        <source>节点佐证（{0}）</source>
        <translation>Milestone evidence ({0})</translation>
    </message>
    <message>
        <source>合同佐证</source>
        <translation>Contract evidence</translation>
    </message>
    <message>
        <source>此成果尚无合同佐证（技术合同扫描件、发票等）。</source>
        <translation>No contract evidence for this achievement yet (a scan of the technology contract, an invoice).</translation>
    </message>
    <message>
        <source>选择一项成果查看其合同佐证。</source>
        <translation>Choose an achievement to see its contract evidence.</translation>
    </message>
    <message>
        <source>：</source>
        <translation>: </translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>市科技局</source>
        <translation>Science and Technology Bureau</translation>
    </message>
    <message>
        <source>请填写项目名称，或选择一项技术需求。</source>
        <translation>Enter the project&apos;s name, or choose a demand.</translation>
    </message>
    <message>
        <source>已发布揭榜项目，下次同步时送达各科技特派员。</source>
        <translation>Project published; the next sync brings it to the commissioners.</translation>
    </message>
    <message>
        <source>正在发布…</source>
        <translation>Publishing…</translation>
    </message>
    <message>
        <source>请先选择项目和其中一份申请。</source>
        <translation>Choose a project and one of its applications first.</translation>
    </message>
    <message>
        <source>已选定中榜方，其余申请标记为未入选。</source>
        <translation>Awarded; the other applications are marked not chosen.</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>已记录验收结论。</source>
        <translation>Acceptance recorded.</translation>
    </message>
    <message>
        <source>请先选择项目；申请须有科技特派员档案。</source>
        <translation>Choose a project first; applying needs a commissioner profile.</translation>
    </message>
    <message>
        <source>已提交申请，下次同步时送达市科技局。</source>
        <translation>Application made; the next sync brings it to the bureau.</translation>
    </message>
    <message>
        <source>正在提交…</source>
        <translation>Submitting…</translation>
    </message>
    <message>
        <source>已添加节点。</source>
        <translation>Milestone added.</translation>
    </message>
    <message>
        <source>服务记录已关联到本项目，下次同步时送达市科技局。</source>
        <translation>The visit is linked to this project; the next sync tells the bureau.</translation>
    </message>
    <message>
        <source>请先选择一个节点。</source>
        <translation>Choose a milestone first.</translation>
    </message>
    <message>
        <source>节点已标记完成。</source>
        <translation>Milestone marked done.</translation>
    </message>
    <message>
        <source>请先选择要附佐证的记录。</source>
        <translation>Choose the record the evidence is for first.</translation>
    </message>
    <message>
        <source>选择佐证文件</source>
        <translation>Choose an evidence file</translation>
    </message>
    <message>
        <source>已添加佐证“{0}”。</source>
        <translation>Evidence “{0}” added.</translation>
    </message>
    <message>
        <source>登记成果须有科技特派员档案。</source>
        <translation>Recording an achievement needs a commissioner profile.</translation>
    </message>
    <message>
        <source>已登记，待团队负责人审核；审核通过后计入统计。</source>
        <translation>Recorded; it counts once the team leader approves it.</translation>
    </message>
    <message>
        <source>已保存修改；有改动的成果重新等待审核。</source>
        <translation>Changes saved; a changed achievement waits for review again.</translation>
    </message>
    <message>
        <source>删除成果转化</source>
        <translation>Delete achievement</translation>
    </message>
    <message>
        <source>删除成果“{0}”？下次同步后，市科技局处也将删除。</source>
        <translation>Delete the achievement “{0}”? After the next sync it is deleted at the bureau too.</translation>
    </message>
    <message>
        <source>已删除；下次同步后，市科技局处也将删除。</source>
        <translation>Deleted; after the next sync it is deleted at the bureau too.</translation>
    </message>
    <message>
        <source>正在删除…</source>
        <translation>Deleting…</translation>
    </message>
    <message>
        <source>修改成果转化：{0}</source>
        <translation>Correct the achievement: {0}</translation>
    </message>
    <message>
        <source>保存修改</source>
        <translation>Save changes</translation>
    </message>
    <message>
        <source>已审核 {0} 项成果转化。</source>
        <translation>{0} achievements reviewed.</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>服务日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>科技特派员</source>
        <translation>Commissioner</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>服务内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>佐证</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>核验提示</source>
        <translation>Checks</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>照片{0}张</source>
        <translation>{0} photo(s)</translation>
    </message>
    <message>
        <source>签字单</source>
        <translation>sheet</translation>
    </message>
    <message>
        <source>对方已确认</source>
        <translation>party OK</translation>
    </message>
    <message>
        <source>对方有异议</source>
        <translation>party objects</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>批准后又修改</source>
        <translation>Edited after approval</translation>
    </message>
</context>
<context>
    <name>RecordHistoryDialog</name>
    <message>
        <source>修改历史</source>
        <translation>History</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>修改人</source>
        <translation>Changed by</translation>
    </message>
    <message>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>原值</source>
        <translation>From</translation>
    </message>
    <message>
        <source>新值</source>
        <translation>To</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>正在从服务器读取修改历史…</source>
        <translation>Reading the history from the server…</translation>
    </message>
    <message>
        <source>服务器上保存的每个版本：共 {0} 个版本，{1} 处字段变更。</source>
        <translation>Every version the server keeps. Versions: {0}; field changes: {1}.</translation>
    </message>
</context>
<context>
    <name>ReferenceView</name>
    <message>
        <source>基础数据</source>
        <translation>Reference data</translation>
    </message>
    <message>
        <source>修改镇街、产业和年度考核细则。已有记录保留填写时的名称，不受修改影响。</source>
        <translation>Edit towns, industries and the year&apos;s assessment rules. Existing records keep the names they were saved with.</translation>
    </message>
    <message>
        <source>区县与镇街</source>
        <translation>Counties, towns</translation>
    </message>
    <message>
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>考核细则</source>
        <translation>Assessment rules</translation>
    </message>
    <message>
        <source>区县</source>
        <translation>County</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>中文名称</source>
        <translation>Chinese name</translation>
    </message>
    <message>
        <source>英文名称</source>
        <translation>English name</translation>
    </message>
    <message>
        <source>添加一行</source>
        <translation>Add a row</translation>
    </message>
    <message>
        <source>删除所选</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <source>保存镇街</source>
        <translation>Save towns</translation>
    </message>
    <message>
        <source>保存产业</source>
        <translation>Save industries</translation>
    </message>
    <message>
        <source>检查并保存考核细则</source>
        <translation>Check and save the rules</translation>
    </message>
    <message>
        <source>每一行都须填写代码和中文名称。</source>
        <translation>Every row needs a code and a Chinese name.</translation>
    </message>
    <message>
        <source>代码不能重复。</source>
        <translation>Codes must be unique.</translation>
    </message>
    <message>
        <source>已保存{0}的 {1} 个镇街。</source>
        <translation>Saved {1} towns of {0}.</translation>
    </message>
    <message>
        <source>已保存 {0} 个产业。</source>
        <translation>Saved {0} industries.</translation>
    </message>
    <message>
        <source>已保存{0}年度考核细则。</source>
        <translation>Saved the assessment rules of {0}.</translation>
    </message>
    <message>
        <source>考核细则有误，未保存：{0}</source>
        <translation>The rules were not saved: {0}</translation>
    </message>
</context>
<context>
    <name>RegionPicker</name>
    <message>
        <source>县（市、区）</source>
        <translation>County / district</translation>
    </message>
    <message>
        <source>镇（街道）</source>
        <translation>Town / sub-district</translation>
    </message>
    <message>
        <source>村（社区），可不填</source>
        <translation>Village (optional)</translation>
    </message>
</context>
<context>
    <name>ReviewView</name>
    <message>
        <source>正在加载待审核记录…</source>
        <translation>Loading the records to review…</translation>
    </message>
    <message>
        <source>审核供工作站站长或团长使用：请在“同步”页面用站长账户登录。</source>
        <translation>Review is for workstation managers and team leaders: log in with a manager account on the Sync page.</translation>
    </message>
    <message>
        <source>正在加载…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>没有待审核的服务记录。</source>
        <translation>No visits wait for review.</translation>
    </message>
    <message>
        <source>待审核 {0} 条，按服务日期从新到旧排列；按住 Ctrl 或 Shift 可选择多条一起通过。</source>
        <translation>{0} waiting for review, newest first; hold Ctrl or Shift to approve several at once.</translation>
    </message>
    <message>
        <source>其中 {0} 条批准后又被修改。</source>
        <translation> {0} of them were edited after approval.</translation>
    </message>
    <message>
        <source>照片{0}张</source>
        <translation>{0} photo(s)</translation>
    </message>
    <message>
        <source>对方已确认</source>
        <translation>party OK</translation>
    </message>
    <message>
        <source>批准后又修改</source>
        <translation>Edited after approval</translation>
    </message>
    <message>
        <source>选择一条记录查看详情。</source>
        <translation>Choose a record to see its details.</translation>
    </message>
    <message>
        <source>通过所选（{0} 条）</source>
        <translation>Approve {0} selected</translation>
    </message>
    <message>
        <source>通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>退回所选（{0} 条）</source>
        <translation>Return {0} selected</translation>
    </message>
    <message>
        <source>退回修改</source>
        <translation>Return for correction</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>服务类型</source>
        <translation>Service types</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>批准时</source>
        <translation>When approved</translation>
    </message>
    <message>
        <source>现在</source>
        <translation>Now</translation>
    </message>
    <message>
        <source>本次服务没有记录技术难题。</source>
        <translation>No technical problem was recorded on this visit.</translation>
    </message>
    <message>
        <source>没有照片。</source>
        <translation>No photos.</translation>
    </message>
    <message>
        <source>服务对象本人扫码确认</source>
        <translation>Confirmed by the served party (QR code)</translation>
    </message>
    <message>
        <source>满意度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <source>服务对象尚未确认。</source>
        <translation>The served party has not confirmed yet.</translation>
    </message>
    <message>
        <source>未评价</source>
        <translation>Not rated</translation>
    </message>
    <message>
        <source>近一年：已通过 {0} 条，已退回 {1} 条，待审核 {2} 条</source>
        <translation>Last 12 months: {0} approved, {1} returned, {2} waiting for review</translation>
    </message>
    <message>
        <source>点击照片可查看原图。</source>
        <translation>Click a photo to see it in full.</translation>
    </message>
    <message>
        <source>未填写</source>
        <translation>not given</translation>
    </message>
    <message>
        <source>批准后修改的内容</source>
        <translation>Changed since approval</translation>
    </message>
    <message>
        <source>核验提示（仅供参考，不影响审核）</source>
        <translation>Checks (for information; they do not decide the review)</translation>
    </message>
    <message>
        <source>签字确认单</source>
        <translation>Signed sheet</translation>
    </message>
    <message>
        <source>服务内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>技术难题与解决方案</source>
        <translation>Problems and solutions</translation>
    </message>
    <message>
        <source>（{0} 提出，本次服务给出解决方案；{1}）</source>
        <translation>(raised {0}; solved on this visit; {1})</translation>
    </message>
    <message>
        <source>佐证材料</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>特派员填写的现场确认</source>
        <translation>On-site confirmation (as the commissioner recorded it)</translation>
    </message>
    <message>
        <source>本记录的审核经过</source>
        <translation>Reviews of this record</translation>
    </message>
    <message>
        <source>已通过</source>
        <translation>approved</translation>
    </message>
    <message>
        <source>已退回</source>
        <translation>returned</translation>
    </message>
    <message>
        <source>{0}的服务情况</source>
        <translation>{0}&apos;s service record</translation>
    </message>
    <message>
        <source>尚未下载</source>
        <translation>Not yet downloaded</translation>
    </message>
    <message>
        <source>退回时必须填写审核意见，说明需要修改或补充什么。</source>
        <translation>Returning needs an opinion: say what to correct or add.</translation>
    </message>
    <message>
        <source>正在保存审核结果…</source>
        <translation>Saving the review…</translation>
    </message>
    <message>
        <source>已通过 {0} 条记录，下次同步时发送。</source>
        <translation>{0} record(s) approved; sent at the next sync.</translation>
    </message>
    <message>
        <source>已退回 {0} 条记录，特派员同步后会看到您的意见。</source>
        <translation>{0} record(s) returned; the commissioner sees your opinion after their next sync.</translation>
    </message>
    <message>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>历史</source>
        <translation>History</translation>
    </message>
    <message>
        <source>查看所选服务记录在服务器上的修改历史</source>
        <translation>The chosen visit&apos;s history of changes on the server</translation>
    </message>
    <message>
        <source>审核意见（退回时必填，特派员同步后可见）</source>
        <translation>Opinion (required to return; the commissioner sees it after syncing)</translation>
    </message>
    <message>
        <source>例如：请补充现场照片和服务对象签字确认单。</source>
        <translation>E.g.: please add photos on site and the served party&apos;s signed sheet.</translation>
    </message>
    <message>
        <source>签字确认单已核验</source>
        <translation>Signed sheet checked</translation>
    </message>
    <message>
        <source>勾选后，通过的记录中签字确认单上的满意度计入考核（服务对象扫码自评优先）。</source>
        <translation>When ticked, the rating on the signed sheet of the approved records counts in the assessment (the served party&apos;s own rating comes first).</translation>
    </message>
</context>
<context>
    <name>SaveDialog</name>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>文件已存在</source>
        <translation>The file exists</translation>
    </message>
    <message>
        <source>“{0}”已存在。要替换它吗？</source>
        <translation>“{0}” already exists. Replace it?</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>个人资料</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>修改个人资料…</source>
        <translation>Edit profile…</translation>
    </message>
    <message>
        <source>数据保存位置</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <source>下载缓存上限（GB）</source>
        <translation>Download cache limit (GB)</translation>
    </message>
    <message>
        <source>在本机保留团队佐证原件</source>
        <translation>Keep team evidence here</translation>
    </message>
    <message>
        <source>在本机保留我团队佐证材料的原件（每次同步时下载）</source>
        <translation>Keep full copies of my team&apos;s evidence on this computer (downloaded at each sync)</translation>
    </message>
    <message>
        <source>更改界面语言后立即生效，无需重新启动。服务记录等数据保存在上面的文件夹中，请定期同步或备份。</source>
        <translation>A new language applies at once, without a restart. Visits and all other data are kept in the folder above; sync or back it up regularly.</translation>
    </message>
    <message>
        <source>科技局账号没有科技特派员个人资料</source>
        <translation>A bureau account has no commissioner profile</translation>
    </message>
    <message>
        <source>尚未填写</source>
        <translation>Not filled in yet</translation>
    </message>
    <message>
        <source>已下载的他人佐证材料占用 {0} MB；超过上限时删除最久未用的（本人和未上传的文件从不删除）。</source>
        <translation>Other people&apos;s downloaded evidence takes {0} MB; above the limit the least recently used is removed (your own files and files not yet uploaded never are).</translation>
    </message>
</context>
<context>
    <name>SyncView</name>
    <message>
        <source>正在取消…已完成的部分会保留</source>
        <translation>Cancelling… what is done stays done</translation>
    </message>
    <message>
        <source>已退出登录，但未能连接服务器，登录凭据未在服务器上撤销：它将在 30 天内自行失效。如电脑丢失或被他人使用，请联系科技局管理员停用账号或重置密码。</source>
        <translation>Logged out, but the server could not be reached, so the login was not revoked there: it expires by itself within 30 days. If the computer was lost or used by someone else, ask the bureau&apos;s administrator to disable the account or reset its password.</translation>
    </message>
    <message>
        <source>自动同步：正在连接服务器…</source>
        <translation>Automatic sync: connecting to the server…</translation>
    </message>
    <message>
        <source>正在连接服务器…</source>
        <translation>Connecting to the server…</translation>
    </message>
    <message>
        <source>{0}：已接收 {1} 条</source>
        <translation>{0}: {1} received</translation>
    </message>
    <message>
        <source>尚未设置</source>
        <translation>Not set</translation>
    </message>
    <message>
        <source>未登录</source>
        <translation>Not logged in</translation>
    </message>
    <message>
        <source>{0}，已退出登录</source>
        <translation>{0}, logged out</translation>
    </message>
    <message>
        <source>更换账户…</source>
        <translation>Change account…</translation>
    </message>
    <message>
        <source>登录…</source>
        <translation>Log in…</translation>
    </message>
    <message>
        <source>登录后才能同步</source>
        <translation>Log in to sync</translation>
    </message>
    <message>
        <source>尚未检查</source>
        <translation>Not checked yet</translation>
    </message>
    <message>
        <source>可以连接服务器</source>
        <translation>The server is reachable</translation>
    </message>
    <message>
        <source>暂时无法连接服务器；网络恢复后会自动同步</source>
        <translation>The server cannot be reached now; sync starts by itself when it can</translation>
    </message>
    <message>
        <source>暂时无法连接服务器</source>
        <translation>The server cannot be reached now</translation>
    </message>
    <message>
        <source>上次同步未完成：{0}</source>
        <translation>The last sync did not finish: {0}</translation>
    </message>
    <message>
        <source>从未同步</source>
        <translation>Never</translation>
    </message>
    <message>
        <source>服务记录</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>技术难题</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>解决方案</source>
        <translation>Solutions</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <source>附件</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <source>个人资料</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>服务协议</source>
        <translation>Agreements</translation>
    </message>
    <message>
        <source>其他 {0}</source>
        <translation>other {0}</translation>
    </message>
    <message>
        <source>{0} 条</source>
        <translation>{0}</translation>
    </message>
    <message>
        <source>另有 {0} 条因冲突或被拒绝暂不发送，需要您先处理</source>
        <translation>Held back until you deal with a conflict or a rejection: {0}</translation>
    </message>
    <message>
        <source>快</source>
        <translation>ahead of</translation>
    </message>
    <message>
        <source>慢</source>
        <translation>behind</translation>
    </message>
    <message>
        <source>本机时钟比服务器{0}约 {1} 分钟。请校准电脑的日期和时间：同步不受影响，但新记录的时间可能不准。</source>
        <translation>This computer&apos;s clock is about {1} minutes {0} the server&apos;s. Please set the date and time: sync is not affected, but the times of new records may be wrong.</translation>
    </message>
    <message>
        <source>还没有同步过。</source>
        <translation>No sync yet.</translation>
    </message>
    <message>
        <source>发送 {0} 条（其中合并 {1} 条），接收 {2} 条，删除 {3} 条，冲突 {4} 条，被拒绝 {5} 条，上传附件 {6} 个。</source>
        <translation>Sent {0} (merged {1}), received {2}, deleted {3}, conflicts {4}, rejected {5}, attachments uploaded {6}.</translation>
    </message>
    <message>
        <source>同步被取消，已完成的部分已保存。</source>
        <translation>The sync was cancelled; what was done is saved. </translation>
    </message>
    <message>
        <source>处理冲突（{0} 条记录）…</source>
        <translation>Resolve conflicts ({0} records)…</translation>
    </message>
    <message>
        <source>被服务器拒绝的记录（{0} 条）：请按原因修改后保存，下次同步会再次发送</source>
        <translation>Records the server rejected ({0}): correct them as the reason says and save; the next sync sends them again</translation>
    </message>
    <message>
        <source>没有等待修改的被拒记录。</source>
        <translation>No refused records are waiting to be corrected.</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>服务器与账户</source>
        <translation>Server and account</translation>
    </message>
    <message>
        <source>服务器</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>账户</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
    <message>
        <source>立即同步（F5）</source>
        <translation>Sync now (F5)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>上次同步</source>
        <translation>Last sync</translation>
    </message>
    <message>
        <source>等待同步</source>
        <translation>Waiting to sync</translation>
    </message>
    <message>
        <source>连接状态</source>
        <translation>Connection</translation>
    </message>
    <message>
        <source>能连接服务器时自动同步（每分钟检查一次）</source>
        <translation>Sync automatically when online (checks every minute)</translation>
    </message>
    <message>
        <source>上次同步的结果</source>
        <translation>Result of the last sync</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>拒绝原因</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>TargetDialog</name>
    <message>
        <source>尚未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <source>放弃已填写的服务对象信息？</source>
        <translation>Discard the service target&apos;s details you typed?</translation>
    </message>
    <message>
        <source>新建服务对象</source>
        <translation>New service target</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>所在地区</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>如：新会区某某陈皮有限公司</source>
        <translation>e.g. Xinhui Example Chenpi Co., Ltd.</translation>
    </message>
    <message>
        <source>18位，企业填写，如 91440705MA4UXXXXXX</source>
        <translation>e.g. 91440705MA4UXXXXXX</translation>
    </message>
    <message>
        <source>手机或固定电话</source>
        <translation>Mobile or landline</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>使用已有的服务对象</source>
        <translation>Use the existing target</translation>
    </message>
    <message>
        <source>企业请填写统一社会信用代码</source>
        <translation>Enter the enterprise&apos;s unified social credit code</translation>
    </message>
    <message>
        <source>✓ 统一社会信用代码校验通过</source>
        <translation>✓ The credit code is valid</translation>
    </message>
</context>
<context>
    <name>TargetPageDialog</name>
    <message>
        <source>服务对象主页</source>
        <translation>Service target page</translation>
    </message>
    <message>
        <source>（已合并）</source>
        <translation>(merged)</translation>
    </message>
    <message>
        <source>联系人：{0} {1}</source>
        <translation>Contact: {0} {1}</translation>
    </message>
    <message>
        <source>统一社会信用代码：{0}</source>
        <translation>Unified social credit code: {0}</translation>
    </message>
    <message>
        <source>服务过的科技特派员：{0}</source>
        <translation>Served by: {0}</translation>
    </message>
    <message>
        <source>已并入：{0}</source>
        <translation>Merged into it: {0}</translation>
    </message>
    <message>
        <source>疑似重复：{0}</source>
        <translation>Possible duplicate: {0}</translation>
    </message>
    <message>
        <source>编辑服务对象</source>
        <translation>Edit the target</translation>
    </message>
    <message>
        <source>新建服务协议</source>
        <translation>New service agreement</translation>
    </message>
    <message>
        <source>把另一服务对象并入此处…</source>
        <translation>Merge another target into this one…</translation>
    </message>
    <message>
        <source>服务协议（{0} 份）</source>
        <translation>Service agreements ({0})</translation>
    </message>
    <message>
        <source>协议期限</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>科技特派员</source>
        <translation>Commissioner</translation>
    </message>
    <message>
        <source>约定指标完成情况</source>
        <translation>Agreed targets reached</translation>
    </message>
    <message>
        <source>进度落后</source>
        <translation>Behind</translation>
    </message>
    <message>
        <source>服务记录</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>技术难题</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>解决方案</source>
        <translation>Solutions</translation>
    </message>
    <message>
        <source>服务协议</source>
        <translation>Agreements</translation>
    </message>
    <message>
        <source>资料修改</source>
        <translation>Details changed</translation>
    </message>
    <message>
        <source>服务历史（共 {0} 条，最新在前）</source>
        <translation>Service history ({0}, newest first)</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>合并服务对象</source>
        <translation>Merge service targets</translation>
    </message>
    <message>
        <source>选择与本服务对象重复的一个，它的服务记录、难题和协议将改为指向本服务对象：</source>
        <translation>Choose the duplicate of this target; its visits, problems and agreements will point to this target:</translation>
    </message>
</context>
<context>
    <name>TargetPicker</name>
    <message>
        <source>输入名称、地区或联系人查找服务对象</source>
        <translation>Type a name, place or contact to find the service target</translation>
    </message>
    <message>
        <source>查找服务对象</source>
        <translation>Find service target</translation>
    </message>
    <message>
        <source>新建服务对象…</source>
        <translation>New service target…</translation>
    </message>
    <message>
        <source>没有找到，可点“新建服务对象…”</source>
        <translation>Nothing found; click “New service target…”</translation>
    </message>
    <message>
        <source>尚未选择服务对象</source>
        <translation>No service target chosen yet</translation>
    </message>
    <message>
        <source>联系人：%1</source>
        <translation>Contact: %1</translation>
    </message>
</context>
<context>
    <name>TargetTableModel</name>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>地区</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <source>服务次数</source>
        <translation>Visits</translation>
    </message>
</context>
<context>
    <name>TargetsView</name>
    <message>
        <source>搜索服务对象：名称、地区、联系人…（Ctrl+F）</source>
        <translation>Search service targets: name, region, contact… (Ctrl+F)</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>全部类型</source>
        <translation>All types</translation>
    </message>
    <message>
        <source>区县</source>
        <translation>County</translation>
    </message>
    <message>
        <source>全部区县</source>
        <translation>All counties</translation>
    </message>
    <message>
        <source>正在加载服务对象…</source>
        <translation>Loading service targets…</translation>
    </message>
    <message>
        <source>共 {0} 个服务对象；双击或按回车键查看服务历史</source>
        <translation>Service targets: {0}; double-click or press Enter for the service history</translation>
    </message>
</context>
<context>
    <name>TeamView</name>
    <message>
        <source>团队情况供工作站站长或团长使用：请在“同步”页面用站长账户登录。</source>
        <translation>The team view is for workstation managers and team leaders: log in with a manager account on the Sync page.</translation>
    </message>
    <message>
        <source>开始日期晚于结束日期。</source>
        <translation>The start date is after the end date.</translation>
    </message>
    <message>
        <source>正在统计团队情况…</source>
        <translation>Counting the team&apos;s activity…</translation>
    </message>
    <message>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>派出单位</source>
        <translation>Sending unit</translation>
    </message>
    <message>
        <source>服务次数</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>服务天数</source>
        <translation>Service days</translation>
    </message>
    <message>
        <source>解决难题</source>
        <translation>Problems solved</translation>
    </message>
    <message>
        <source>待审核</source>
        <translation>To review</translation>
    </message>
    <message>
        <source>最近服务</source>
        <translation>Last visit</translation>
    </message>
    <message>
        <source>从未</source>
        <translation>never</translation>
    </message>
    <message>
        <source>已超过 {0} 天没有服务记录</source>
        <translation>No visit for more than {0} days</translation>
    </message>
    <message>
        <source>本团队</source>
        <translation>This team</translation>
    </message>
    <message>
        <source>{0}，成员 {1} 人</source>
        <translation>{0}, {1} members</translation>
    </message>
    <message>
        <source>本期共服务 {0} 次。</source>
        <translation>{0} visits in the period.</translation>
    </message>
    <message>
        <source>{0} 名成员已超过 {1} 天没有服务记录（以橙色标出）。</source>
        <translation> {0} member(s) without a visit for {1} days (in orange).</translation>
    </message>
    <message>
        <source>服务协议进度落后（已过协议期一半，有约定指标未完成一半）：{0}</source>
        <translation>Service agreements behind (past mid-period, an agreed target under half reached): {0}</translation>
    </message>
    <message>
        <source>本期没有服务记录</source>
        <translation>No visits in the period</translation>
    </message>
    <message>
        <source>每周服务次数</source>
        <translation>Visits a week</translation>
    </message>
    <message>
        <source>总分</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>等级</source>
        <translation>Grade</translation>
    </message>
    <message>
        <source>得分达到优秀，受优秀比例上限调整为良好。</source>
        <translation>Scored 优秀 (excellent), lowered to 良好 (good) by the share cap.</translation>
    </message>
    <message>
        <source>{0}考核（与团队汇总 PDF 相同的计算）。{1}</source>
        <translation>Assessment of {0} (computed as in the team summary PDF). {1}</translation>
    </message>
    <message>
        <source>{0}年度团队工作汇总.pdf</source>
        <translation>team-summary-{0}.pdf</translation>
    </message>
    <message>
        <source>保存团队汇总</source>
        <translation>Save the team summary</translation>
    </message>
    <message>
        <source>正在生成团队汇总…</source>
        <translation>Writing the team summary…</translation>
    </message>
    <message>
        <source>团队汇总已保存：{0}</source>
        <translation>Team summary saved: {0}</translation>
    </message>
    <message>
        <source>团队</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>统计期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>近30天</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <source>本月</source>
        <translation>This month</translation>
    </message>
    <message>
        <source>本季度</source>
        <translation>This quarter</translation>
    </message>
    <message>
        <source>本年度</source>
        <translation>This year</translation>
    </message>
    <message>
        <source>上一年度</source>
        <translation>Last year</translation>
    </message>
    <message>
        <source>自定义</source>
        <translation>Custom</translation>
    </message>
    <message>
        <source>本年度团队汇总 PDF…</source>
        <translation>Team summary of the year (PDF)…</translation>
    </message>
</context>
<context>
    <name>VisitEditor</name>
    <message>
        <source>新建服务记录</source>
        <translation>New visit</translation>
    </message>
    <message>
        <source>服务记录 %1</source>
        <translation>Visit %1</translation>
    </message>
    <message>
        <source>服务时间</source>
        <translation>When</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>开始</source>
        <translation>From</translation>
    </message>
    <message>
        <source>结束</source>
        <translation>To</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <source>服务地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>服务类型</source>
        <translation>Service types</translation>
    </message>
    <message>
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>服务内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>确认人</source>
        <translation>Confirmed by</translation>
    </message>
    <message>
        <source>满意度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <source>服务对象意见</source>
        <translation>Served party&apos;s remark</translation>
    </message>
    <message>
        <source>签字确认单</source>
        <translation>Signed sheet</translation>
    </message>
    <message>
        <source>做了什么、为谁、效果如何（至少5个字）</source>
        <translation>What was done, for whom, with what effect (at least 5 characters)</translation>
    </message>
    <message>
        <source>只填本次服务的数字；没有的保持0。经济效益以万元计，可带两位小数。</source>
        <translation>Only this visit&apos;s figures; leave 0 where none. Economic benefit in 10k yuan, two decimals allowed.</translation>
    </message>
    <message>
        <source>未评价</source>
        <translation>Not rated</translation>
    </message>
    <message>
        <source>1 很不满意</source>
        <translation>1 Very dissatisfied</translation>
    </message>
    <message>
        <source>2 不满意</source>
        <translation>2 Dissatisfied</translation>
    </message>
    <message>
        <source>3 一般</source>
        <translation>3 Neutral</translation>
    </message>
    <message>
        <source>4 满意</source>
        <translation>4 Satisfied</translation>
    </message>
    <message>
        <source>5 非常满意</source>
        <translation>5 Very satisfied</translation>
    </message>
    <message>
        <source>服务对象一方的确认人姓名</source>
        <translation>Name of the served party&apos;s contact who confirms</translation>
    </message>
    <message>
        <source>现场照片、培训签到表、文档等佐证材料。照片的拍摄时间和地点从照片信息中读取。</source>
        <translation>Evidence: site photos, training sign-in sheets, documents. A photo&apos;s time and place are read from the photo itself.</translation>
    </message>
    <message>
        <source>新增本次发现的难题</source>
        <translation>Add a problem found on this visit</translation>
    </message>
    <message>
        <source>关联此难题</source>
        <translation>Link this problem</translation>
    </message>
    <message>
        <source>把难题标记为“已解决”时，须填写本次解决方案；转交或暂无法解决时须说明原因。</source>
        <translation>A problem marked solved needs this visit&apos;s solution; referred or unresolved needs a reason.</translation>
    </message>
    <message>
        <source>基本信息</source>
        <translation>Basics</translation>
    </message>
    <message>
        <source>服务成效</source>
        <translation>Results</translation>
    </message>
    <message>
        <source>服务对象确认</source>
        <translation>Confirmation</translation>
    </message>
    <message>
        <source>保存为草稿</source>
        <translation>Save as draft</translation>
    </message>
    <message>
        <source>保存未填完的记录（Ctrl+Shift+S），草稿不会同步</source>
        <translation>Keep an unfinished record (Ctrl+Shift+S); drafts are not synced</translation>
    </message>
    <message>
        <source>保存 (Ctrl+S)</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>删除…</source>
        <translation>Delete…</translation>
    </message>
    <message>
        <source>删除这条服务记录（记错或重复时），其中的技术难题、解决方案和照片一并删除；审核通过的不能删除</source>
        <translation>Delete this visit (logged by mistake or twice), with the problems, solutions and photos recorded on it; an approved visit cannot be deleted</translation>
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
        <source>恢复未保存的修改</source>
        <translation>Restore unsaved changes</translation>
    </message>
    <message>
        <source>丢弃</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>难题与方案（%1）</source>
        <translation>Problems and solutions (%1)</translation>
    </message>
    <message>
        <source>照片与附件（%1）</source>
        <translation>Photos and files (%1)</translation>
    </message>
    <message>
        <source>（未填写意见）</source>
        <translation>(no opinion given)</translation>
    </message>
    <message>
        <source>审核退回，意见：%1&#x3000;请修改后重新保存提交。</source>
        <translation>Returned by the reviewer: %1  Please correct and save again.</translation>
    </message>
    <message>
        <source>此记录已通过审核。保存修改后将退回“待审核”，需要重新审核。</source>
        <translation>This record is approved. Saving a change sends it back to “waiting for review”.</translation>
    </message>
    <message>
        <source>审核意见：%1</source>
        <translation>Review opinion: %1</translation>
    </message>
    <message>
        <source>状态：未保存</source>
        <translation>State: not saved</translation>
    </message>
    <message>
        <source>状态：%1</source>
        <translation>State: %1</translation>
    </message>
    <message>
        <source>状态：被服务器拒绝（%1）。修改后保存，下次同步会再次发送。</source>
        <translation>State: rejected by the server (%1). Correct it and save; the next sync sends it again.</translation>
    </message>
    <message>
        <source>处理冲突…</source>
        <translation>Resolve the conflict…</translation>
    </message>
    <message>
        <source>服务对象本人扫码确认：{0}</source>
        <translation>Confirmed by the served party (QR code): {0}</translation>
    </message>
    <message>
        <source>选择一个未解决的已有难题…</source>
        <translation>Choose an existing open problem…</translation>
    </message>
    <message>
        <source>已保存为草稿 %1</source>
        <translation>Saved as draft at %1</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>有 %1 处需要修改，已在相应位置标出。</source>
        <translation>%1 problem(s) to correct, marked next to the fields.</translation>
    </message>
    <message>
        <source>请先保存，再打印：服务记录单印的是已保存的内容。</source>
        <translation>Save first, then print: the visit sheet shows what is saved.</translation>
    </message>
    <message>
        <source>自动保存失败：%1</source>
        <translation>Autosave failed: %1</translation>
    </message>
    <message>
        <source>已自动保存 %1</source>
        <translation>Autosaved at %1</translation>
    </message>
    <message>
        <source>此记录有 %1 自动保存但未保存的修改。</source>
        <translation>This record has unsaved changes autosaved at %1.</translation>
    </message>
    <message>
        <source>删除服务记录</source>
        <translation>Delete visit</translation>
    </message>
    <message>
        <source>删除这条服务记录？其中的技术难题、解决方案和照片一并删除；下次同步后，市科技局和您的其他电脑上也将删除。</source>
        <translation>Delete this visit? The problems, solutions and photos recorded on it go with it; after the next sync it is deleted at the bureau and on your other computers too.</translation>
    </message>
    <message>
        <source>正在删除…</source>
        <translation>Deleting…</translation>
    </message>
    <message>
        <source>尚未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <source>这条服务记录有未保存的修改。</source>
        <translation>This visit has unsaved changes.</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>放弃修改</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <source>继续编辑</source>
        <translation>Resume editing</translation>
    </message>
</context>
<context>
    <name>VisitPicker</name>
    <message>
        <source>选择服务记录</source>
        <translation>Choose a visit</translation>
    </message>
    <message>
        <source>输入日期、服务对象或内容查找</source>
        <translation>Type a date, target or content to search</translation>
    </message>
    <message>
        <source>服务日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <source>服务内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>科技特派员</source>
        <translation>Commissioner</translation>
    </message>
    <message>
        <source>输入日期、特派员、服务对象或内容查找</source>
        <translation>Type a date, commissioner, target or content to search</translation>
    </message>
    <message>
        <source>预览服务记录单</source>
        <translation>Preview the visit sheet</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>VisitSheet</name>
    <message>
        <source>正在下载照片原图…</source>
        <translation>Downloading the full photos…</translation>
    </message>
    <message>
        <source>服务记录单_{0}.pdf</source>
        <translation>visit-sheet_{0}.pdf</translation>
    </message>
    <message>
        <source>正在生成服务记录单…</source>
        <translation>Writing the visit sheet…</translation>
    </message>
</context>
<context>
    <name>VisitTableModel</name>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>服务日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>服务对象</source>
        <translation>Service target</translation>
    </message>
    <message>
        <source>地区</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>服务类型</source>
        <translation>Service types</translation>
    </message>
    <message>
        <source>科技特派员</source>
        <translation>Commissioner</translation>
    </message>
</context>
<context>
    <name>VisitsView</name>
    <message>
        <source>正在统计服务记录…</source>
        <translation>Counting the visits…</translation>
    </message>
    <message>
        <source>搜索服务记录：服务对象、内容、地区、特派员…（Ctrl+F）</source>
        <translation>Search visits: target, content, region, commissioner… (Ctrl+F)</translation>
    </message>
    <message>
        <source>搜索服务记录：服务对象、内容、地区…（Ctrl+F）</source>
        <translation>Search visits: target, content, region… (Ctrl+F)</translation>
    </message>
    <message>
        <source>新建服务记录</source>
        <translation>New visit</translation>
    </message>
    <message>
        <source>新建一条服务记录（Ctrl+N）</source>
        <translation>Record a new visit (Ctrl+N)</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>全部时间</source>
        <translation>Any time</translation>
    </message>
    <message>
        <source>本月</source>
        <translation>This month</translation>
    </message>
    <message>
        <source>上月</source>
        <translation>Last month</translation>
    </message>
    <message>
        <source>近30天</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <source>今年</source>
        <translation>This year</translation>
    </message>
    <message>
        <source>去年</source>
        <translation>Last year</translation>
    </message>
    <message>
        <source>自定义</source>
        <translation>Custom</translation>
    </message>
    <message>
        <source>地区</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>全部区县</source>
        <translation>All counties</translation>
    </message>
    <message>
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>全部产业</source>
        <translation>All industries</translation>
    </message>
    <message>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>全部镇街</source>
        <translation>All towns</translation>
    </message>
    <message>
        <source>正在加载服务记录…</source>
        <translation>Loading visits…</translation>
    </message>
    <message>
        <source>符合条件的服务记录 {0} 条</source>
        <translation>{0} matching visits</translation>
    </message>
    <message>
        <source>共 {0} 条服务记录；双击或按回车键打开</source>
        <translation>Visits: {0}; double-click or press Enter to open</translation>
    </message>
    <message>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>打印服务记录单…</source>
        <translation>Print visit sheet…</translation>
    </message>
    <message>
        <source>修改历史…</source>
        <translation>History of changes…</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>正在生成演示数据（{0} 条服务记录）…</source>
        <translation>Making demo data ({0} visits)…</translation>
    </message>
    <message>
        <source>科技特派员工作平台</source>
        <translation>Field Commissioner</translation>
    </message>
</context>
<context>
    <name>models</name>
    <message>
        <source>退回意见：{0}</source>
        <translation>Returned: {0}</translation>
    </message>
    <message>
        <source>服务器拒绝：{0}</source>
        <translation>Rejected by the server: {0}</translation>
    </message>
    <message>
        <source>本机修改与服务器版本冲突，需要处理</source>
        <translation>This computer&apos;s changes conflict with the server&apos;s version; please resolve</translation>
    </message>
    <message>
        <source>（未填个人资料）</source>
        <translation>(no profile yet)</translation>
    </message>
</context>
<context>
    <name>roles</name>
    <message>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>团队</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>考核</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <source>全市概况</source>
        <translation>City</translation>
    </message>
    <message>
        <source>县域概况</source>
        <translation>County</translation>
    </message>
    <message>
        <source>年度考核</source>
        <translation>Assessment run</translation>
    </message>
    <message>
        <source>团队考核</source>
        <translation>Team scores</translation>
    </message>
    <message>
        <source>基础数据</source>
        <translation>Reference data</translation>
    </message>
    <message>
        <source>组织与账号</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>操作日志</source>
        <translation>Audit trail</translation>
    </message>
    <message>
        <source>技术需求</source>
        <translation>Demands</translation>
    </message>
    <message>
        <source>揭榜与成果</source>
        <translation>Open calls</translation>
    </message>
</context>
<context>
    <name>tasks</name>
    <message>
        <source>尚未登录同步服务器：请在“同步”页点“登录…”，登录后再试。</source>
        <translation>Not logged in to a sync server: on the Sync page click Log in…, then try again.</translation>
    </message>
    <message>
        <source>发生意外错误：{0}。数据未丢失；请重试，若仍出错请联系技术支持。</source>
        <translation>Unexpected error: {0}. No data was lost; please try again, and contact support if it persists.</translation>
    </message>
    <message>
        <source>操作未完成</source>
        <translation>Not completed</translation>
    </message>
</context>
</TS>
