<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>AnnualBatchPanel</name>
    <message>
        <location filename="../views/annual_batch.py" line="112" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../views/annual_batch.py" line="121" />
        <source>选择保存年度服务记录的文件夹</source>
        <translation>Choose the folder for the annual records</translation>
    </message>
    <message>
        <location filename="../views/annual_batch.py" line="131" />
        <source>正在生成{0}年度服务记录…</source>
        <translation>Writing the annual records of {0}…</translation>
    </message>
    <message>
        <location filename="../views/annual_batch.py" line="141" />
        <source>正在取消…（已开始的几份写完后停止）</source>
        <translation>Cancelling… (stops once the documents already started are written)</translation>
    </message>
    <message>
        <location filename="../views/annual_batch.py" line="148" />
        <source>已生成 {0}/{1}：{2}</source>
        <translation>Written {0}/{1}: {2}</translation>
    </message>
    <message>
        <location filename="../views/annual_batch.py" line="158" />
        <source>已取消：已生成 {0} 份（共 {1} 份），保存在 {2}</source>
        <translation>Cancelled: {0} of {1} written, in {2}</translation>
    </message>
    <message>
        <location filename="../views/annual_batch.py" line="161" />
        <source>已生成 {0} 份年度服务记录，保存在 {1}</source>
        <translation>{0} annual records written, in {1}</translation>
    </message>
</context>
<context>
    <name>AssessmentView</name>
    <message>
        <location filename="../views/assessment.py" line="298" />
        <source>正在计算考核结果…</source>
        <translation>Computing the assessment…</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="332" />
        <source>没有可显示的考核结果：请先在“设置”中填写本人信息，或同步团队数据。</source>
        <translation>Nothing to show: enter your profile in Settings first, or sync the team's data.</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="342" />
        <source>考核部分</source>
        <translation>Part</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="342" />
        <source>考核指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="342" />
        <source>年度目标</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="342" />
        <source>完成值</source>
        <translation>Actual</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="342" />
        <source>分值</source>
        <translation>Points</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="343" />
        <source>上限</source>
        <translation>Cap</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="343" />
        <source>得分</source>
        <translation>Score</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="353" />
        <source>{0}（{1}分）</source>
        <translation>{0} ({1} pts)</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="356" />
        <source>小计</source>
        <translation>Subtotal</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="357" />
        <source>总分</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="379" />
        <source>{0}：总分 {1}　等级 {2}</source>
        <translation>{0}: total {1}, grade {2}</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="383" />
        <source>得分达到优秀，受优秀比例上限调整为良好。</source>
        <translation>Scored 优秀 (excellent), lowered to 良好 (good) by the share cap.</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="384" />
        <source>等级线：优秀 ≥ {0}，良好 ≥ {1}，合格 ≥ {2}。评分细则：{3}</source>
        <translation>Grades: excellent ≥ {0}, good ≥ {1}, pass ≥ {2}. Rules: {3}</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="395" />
        <source>本年度没有计入考核的服务记录</source>
        <translation>No counted visits this year</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="397" />
        <source>各月计入考核的服务次数（月）</source>
        <translation>Counted visits per month</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="431" />
        <source>由特派员本人填写</source>
        <translation>Written by the commissioner</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="433" />
        <source>未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="435" />
        <source>已保存 {0}</source>
        <translation>Saved {0}</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="449" />
        <source>正在保存年度工作总结…</source>
        <translation>Saving the annual summary…</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="463" />
        <source>{0}年度服务记录_{1}.pdf</source>
        <translation>annual-record-{0}_{1}.pdf</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="466" />
        <source>正在生成年度服务记录…</source>
        <translation>Writing the annual record…</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="489" />
        <source>{0}年没有服务记录。</source>
        <translation>No visits in {0}.</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="499" />
        <source>服务记录单_{0}.pdf</source>
        <translation>visit-sheet_{0}.pdf</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="504" />
        <source>正在生成服务记录单…</source>
        <translation>Writing the visit sheet…</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="535" />
        <source>考核</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="536" />
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="537" />
        <source>科技特派员</source>
        <translation>Commissioner</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="538" />
        <source>打印年度服务记录…</source>
        <translation>Print annual record…</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="539" />
        <source>打印服务记录单…</source>
        <translation>Print visit sheet…</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="540" />
        <source>批量生成年度服务记录…</source>
        <translation>Annual records for everyone…</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="542" />
        <source>年度工作总结</source>
        <translation>Annual summary</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="543" />
        <source>保存总结</source>
        <translation>Save summary</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="544" />
        <source>写下本年度的服务工作、取得的成效和下一步打算（将印在年度服务记录上）。</source>
        <translation>Write about this year's service, its results and your plans (printed on the annual record).</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <location filename="../views/pdf_preview.py" line="63" />
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <location filename="../views/pdf_preview.py" line="83" />
        <source>保存为 PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <location filename="../views/pdf_preview.py" line="84" />
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../views/pdf_preview.py" line="92" />
        <source>预览：{0} 页。确认无误后保存，再用 PDF 阅读器打印。</source>
        <translation>Preview: {0} page(s). Save it when it is right, then print it from a PDF reader.</translation>
    </message>
    <message>
        <location filename="../views/pdf_preview.py" line="94" />
        <source>预览前 {0} 页；保存的文件包含全部页面。</source>
        <translation>Preview of the first {0} pages; the saved file has them all.</translation>
    </message>
    <message>
        <location filename="../views/pdf_preview.py" line="98" />
        <location filename="../views/pdf_preview.py" line="124" />
        <source>保存 PDF</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <location filename="../views/pdf_preview.py" line="99" />
        <location filename="../views/pdf_preview.py" line="125" />
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../views/pdf_preview.py" line="107" />
        <source>无法保存</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <location filename="../views/pdf_preview.py" line="107" />
        <source>无法保存到 {0}：{1}</source>
        <translation>Cannot save to {0}: {1}</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../views/review.py" line="112" />
        <source>服务日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="112" />
        <source>科技特派员</source>
        <translation>Commissioner</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="112" />
        <source>服务对象</source>
        <translation>Served party</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="112" />
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="112" />
        <source>服务内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="113" />
        <source>佐证</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="113" />
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="148" />
        <source>照片{0}张</source>
        <translation>{0} photo(s)</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="150" />
        <source>已确认</source>
        <translation>confirmed</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="151" />
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="153" />
        <source>批准后又修改</source>
        <translation>Edited after approval</translation>
    </message>
</context>
<context>
    <name>ReviewView</name>
    <message>
        <location filename="../views/review.py" line="252" />
        <source>正在加载待审核记录…</source>
        <translation>Loading the records to review…</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="284" />
        <source>审核供工作站站长或团长使用：请在“同步”页面用站长账户登录。</source>
        <translation>Review is for workstation managers and team leaders: log in with a manager account on the Sync page.</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="286" />
        <source>正在加载…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="288" />
        <source>没有待审核的服务记录。</source>
        <translation>No visits wait for review.</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="291" />
        <source>待审核 {0} 条，按服务日期从新到旧排列；按住 Ctrl 或 Shift 可选择多条一起通过。</source>
        <translation>{0} waiting for review, newest first; hold Ctrl or Shift to approve several at once.</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="294" />
        <source>其中 {0} 条批准后又被修改。</source>
        <translation> {0} of them were edited after approval.</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="341" />
        <source>选择一条记录查看详情。</source>
        <translation>Choose a record to see its details.</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="348" />
        <source>通过所选（{0} 条）</source>
        <translation>Approve {0} selected</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="348" />
        <source>通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="349" />
        <source>退回所选（{0} 条）</source>
        <translation>Return {0} selected</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="349" />
        <source>退回修改</source>
        <translation>Return for correction</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="358" />
        <source>服务对象</source>
        <translation>Served party</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="358" />
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="358" />
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="359" />
        <source>服务类型</source>
        <translation>Service types</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="359" />
        <source>项目</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="359" />
        <source>批准时</source>
        <translation>When approved</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="359" />
        <source>现在</source>
        <translation>Now</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="360" />
        <source>本次服务没有记录技术难题。</source>
        <translation>No technical problem was recorded on this visit.</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="360" />
        <source>没有照片。</source>
        <translation>No photos.</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="361" />
        <source>服务对象确认</source>
        <translation>Confirmed by</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="361" />
        <source>满意度</source>
        <translation>satisfaction</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="362" />
        <source>服务对象尚未确认。</source>
        <translation>The served party has not confirmed yet.</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="363" />
        <source>近一年：已通过 {0} 条，已退回 {1} 条，待审核 {2} 条</source>
        <translation>Last 12 months: {0} approved, {1} returned, {2} waiting for review</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="364" />
        <source>点击照片可查看原图。</source>
        <translation>Click a photo to see it in full.</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="378" />
        <source>批准后修改的内容</source>
        <translation>Changed since approval</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="386" />
        <source>服务内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="390" />
        <source>经济效益（万元）</source>
        <translation>Economic benefit (10,000 yuan)</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="394" />
        <source>技术难题与解决方案</source>
        <translation>Problems and solutions</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="402" />
        <source>佐证材料</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="425" />
        <source>本记录的审核经过</source>
        <translation>Reviews of this record</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="427" />
        <source>已通过</source>
        <translation>approved</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="427" />
        <source>已退回</source>
        <translation>returned</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="430" />
        <source>{0}的服务情况</source>
        <translation>{0}'s service record</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="450" />
        <source>退回时必须填写审核意见，说明需要修改或补充什么。</source>
        <translation>Returning needs an opinion: say what to correct or add.</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="465" />
        <source>正在保存审核结果…</source>
        <translation>Saving the review…</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="470" />
        <source>已通过 {0} 条记录，下次同步时发送。</source>
        <translation>{0} record(s) approved; sent at the next sync.</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="472" />
        <source>已退回 {0} 条记录，特派员同步后会看到您的意见。</source>
        <translation>{0} record(s) returned; the commissioner sees your opinion after their next sync.</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="487" />
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="488" />
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="489" />
        <source>审核意见（退回时必填，特派员同步后可见）</source>
        <translation>Opinion (required to return; the commissioner sees it after syncing)</translation>
    </message>
    <message>
        <location filename="../views/review.py" line="490" />
        <source>例如：请补充现场照片和服务对象签字确认单。</source>
        <translation>E.g.: please add photos on site and the served party's signed sheet.</translation>
    </message>
</context>
<context>
    <name>TeamView</name>
    <message>
        <location filename="../views/team.py" line="225" />
        <source>团队情况供工作站站长或团长使用：请在“同步”页面用站长账户登录。</source>
        <translation>The team view is for workstation managers and team leaders: log in with a manager account on the Sync page.</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="230" />
        <source>开始日期晚于结束日期。</source>
        <translation>The start date is after the end date.</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="233" />
        <source>正在统计团队情况…</source>
        <translation>Counting the team's activity…</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="254" />
        <location filename="../views/team.py" line="293" />
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="254" />
        <source>派出单位</source>
        <translation>Sending unit</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="254" />
        <location filename="../views/team.py" line="293" />
        <source>服务次数</source>
        <translation>Visits</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="254" />
        <source>服务天数</source>
        <translation>Service days</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="254" />
        <source>解决难题</source>
        <translation>Problems solved</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="255" />
        <source>待审核</source>
        <translation>To review</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="255" />
        <source>最近服务</source>
        <translation>Last visit</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="261" />
        <source>从未</source>
        <translation>never</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="265" />
        <source>已超过 {0} 天没有服务记录</source>
        <translation>No visit for more than {0} days</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="276" />
        <source>{0}，成员 {1} 人</source>
        <translation>{0}, {1} members</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="278" />
        <source>本期共服务 {0} 次。</source>
        <translation>{0} visits in the period.</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="280" />
        <source>{0} 名成员已超过 {1} 天没有服务记录（以橙色标出）。</source>
        <translation> {0} member(s) without a visit for {1} days (in orange).</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="283" />
        <source>本期没有服务记录</source>
        <translation>No visits in the period</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="285" />
        <source>每周服务次数（周一起）</source>
        <translation>Visits per week (weeks from Monday)</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="293" />
        <source>总分</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="293" />
        <source>等级</source>
        <translation>Grade</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="310" />
        <source>{0}考核（与团队汇总 PDF 相同的计算）。{1}</source>
        <translation>Assessment of {0} (computed as in the team summary PDF). {1}</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="321" />
        <source>{0}年度团队工作汇总.pdf</source>
        <translation>team-summary-{0}.pdf</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="323" />
        <source>保存团队汇总</source>
        <translation>Save the team summary</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="324" />
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="331" />
        <source>正在生成团队汇总…</source>
        <translation>Writing the team summary…</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="335" />
        <source>团队汇总已保存：{0}</source>
        <translation>Team summary saved: {0}</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="350" />
        <source>团队</source>
        <translation>Team</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="351" />
        <source>统计期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="352" />
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="353" />
        <source>近30天</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="353" />
        <source>本月</source>
        <translation>This month</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="353" />
        <source>本季度</source>
        <translation>This quarter</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="354" />
        <source>本年度</source>
        <translation>This year</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="354" />
        <source>上一年度</source>
        <translation>Last year</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="354" />
        <source>自定义</source>
        <translation>Custom</translation>
    </message>
    <message>
        <location filename="../views/team.py" line="361" />
        <source>团队汇总 PDF…</source>
        <translation>Team summary PDF…</translation>
    </message>
</context>
<context>
    <name>VisitPicker</name>
    <message>
        <location filename="../views/assessment.py" line="117" />
        <source>选择服务记录</source>
        <translation>Choose a visit</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="120" />
        <source>服务日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="120" />
        <source>服务对象</source>
        <translation>Served party</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="120" />
        <source>服务内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="134" />
        <source>预览服务记录单</source>
        <translation>Preview the visit sheet</translation>
    </message>
    <message>
        <location filename="../views/assessment.py" line="135" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
        <message>
            <source>输入日期、服务对象或内容查找</source>
            <translation>Type a date, target or content to search</translation>
        </message>
</context>
<context>
    <name>roles</name>
    <message>
        <location filename="../roles.py" line="80" />
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../roles.py" line="82" />
        <source>团队</source>
        <translation>Team</translation>
    </message>
    <message>
        <location filename="../roles.py" line="84" />
        <source>考核</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <location filename="../roles.py" line="85" />
        <source>全市概况</source>
        <translation>City</translation>
    </message>
    <message>
        <location filename="../roles.py" line="87" />
        <source>年度考核</source>
        <translation>Assessment run</translation>
    </message>
    <message>
        <location filename="../roles.py" line="89" />
        <source>基础数据</source>
        <translation>Reference data</translation>
    </message>
    <message>
        <location filename="../roles.py" line="90" />
        <source>技术需求</source>
        <translation>Demands</translation>
    </message>
</context>
</TS>