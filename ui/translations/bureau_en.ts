<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>AssessmentRunView</name>
    <message>
        <location filename="../views/assessment_run.py" line="101" />
        <source>年度考核</source>
        <translation>Assessment run</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="102" />
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="103" />
        <source>导出考核表（Excel）</source>
        <translation>Export table (Excel)</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="104" />
        <source>发布正式结果…</source>
        <translation>Publish official results…</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="106" />
        <source>按本机已同步的全市数据发布本年度正式考核结果；请先同步，发布后再同步。</source>
        <translation>Publish this year's official results from the city's data synced to this computer; sync before and after.</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="108" />
        <source>批量生成年度服务记录（PDF）</source>
        <translation>Annual records of everyone (PDF)</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="109" />
        <source>本年度暂无考核结果</source>
        <translation>No assessment results for this year</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="113" />
        <source>名次</source>
        <translation>Rank</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="114" />
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="115" />
        <source>派出单位</source>
        <translation>Sending unit</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="116" />
        <source>区县</source>
        <translation>County</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="117" />
        <source>服务记录</source>
        <translation>Visits</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="118" />
        <source>服务天数</source>
        <translation>Service days</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="119" />
        <source>解决难题</source>
        <translation>Problems solved</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="120" />
        <source>得分</source>
        <translation>Score</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="121" />
        <source>等次</source>
        <translation>Grade</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="122" />
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="136" />
        <source>正在计算全市考核结果…</source>
        <translation>Computing the city's assessment…</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="159" />
        <source>等次分布（人）</source>
        <translation>Grades (commissioners)</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="162" />
        <source>参评 {0} 人：</source>
        <translation>{0} assessed: </translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="169" />
        <source>正式结果，{0} 发布。</source>
        <translation>Official results, published {0}.</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="171" />
        <source>预估结果，尚未发布。</source>
        <translation>Estimated results, not yet published.</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="174" />
        <source>按优秀比例上限由优秀调为良好</source>
        <translation>Lowered from 优秀 to 良好 by the share cap</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="202" />
        <source>发布正式结果</source>
        <translation>Publish official results</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="204" />
        <source>按本机已同步的全市数据发布 {0} 年度正式考核结果？
请确认刚刚同步过。发布后，每位特派员同步后的年度考核表都显示这一结果；再次发布会替换之前的结果。</source>
        <translation>Publish the official {0} results from the city's data synced to this computer?
Make sure you have just synced. Once published, every commissioner's annual record shows these results after their next sync; publishing again replaces them.</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="212" />
        <source>市科技局</source>
        <translation>Science and Technology Bureau</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="218" />
        <source>正在发布考核结果…</source>
        <translation>Publishing the results…</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="222" />
        <source>已发布 {0} 年度 {1} 人的正式结果，下次同步时发送。</source>
        <translation>Published the official {0} results of {1} commissioners; they go out with the next sync.</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="233" />
        <source>导出考核表</source>
        <translation>Export the assessment table</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="235" />
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="251" />
        <source>已导出：{0}</source>
        <translation>Exported: {0}</translation>
    </message>
    <message>
        <location filename="../views/assessment_run.py" line="253" />
        <source>正在导出考核表…</source>
        <translation>Exporting the assessment table…</translation>
    </message>
</context>
<context>
    <name>CityView</name>
    <message>
        <location filename="../views/city.py" line="252" />
        <source>全市概况</source>
        <translation>City</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="253" />
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="254" />
        <source>在岗服务的科技特派员（人）</source>
        <translation>Active commissioners</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="255" />
        <source>解决技术难题（项）</source>
        <translation>Technical problems solved</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="256" />
        <source>服务记录（条）</source>
        <translation>Visits</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="257" />
        <source>区县与镇街</source>
        <translation>Counties and towns</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="258" />
        <source>产业与服务类型</source>
        <translation>Industries and service types</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="259" />
        <source>科技特派员考核</source>
        <translation>Commissioners' assessment</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="263" />
        <location filename="../views/city.py" line="289" />
        <source>区县</source>
        <translation>County</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="264" />
        <location filename="../views/city.py" line="270" />
        <location filename="../views/city.py" line="282" />
        <location filename="../views/city.py" line="283" />
        <location filename="../views/city.py" line="290" />
        <source>服务记录</source>
        <translation>Visits</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="265" />
        <location filename="../views/city.py" line="270" />
        <location filename="../views/city.py" line="275" />
        <source>科技特派员</source>
        <translation>Commissioners</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="266" />
        <source>服务镇街</source>
        <translation>Towns served</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="267" />
        <location filename="../views/city.py" line="291" />
        <source>解决难题</source>
        <translation>Problems solved</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="270" />
        <source>镇街</source>
        <translation>Town</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="274" />
        <source>服务日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="276" />
        <source>服务对象</source>
        <translation>Served party</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="277" />
        <location filename="../views/city.py" line="282" />
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="278" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="279" />
        <source>服务内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="283" />
        <source>服务类型</source>
        <translation>Service type</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="287" />
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="288" />
        <source>派出单位</source>
        <translation>Sending unit</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="292" />
        <source>得分</source>
        <translation>Score</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="293" />
        <source>等次</source>
        <translation>Grade</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="297" />
        <source>本年度暂无服务记录</source>
        <translation>No visits this year</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="311" />
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="313" />
        <source>正在统计全市数据…</source>
        <translation>Counting the city's figures…</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="318" />
        <location filename="../views/city.py" line="391" />
        <source>正在计算考核得分…</source>
        <translation>Computing the scores…</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="354" />
        <source>计划目标 {0:,} 人；本年度有服务记录的科技特派员</source>
        <translation>Plan: {0:,}; commissioners with a visit this year</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="356" />
        <source>计划目标 {0:,} 项</source>
        <translation>Plan: {0:,}</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="357" />
        <source>已提交的服务记录（不含草稿）</source>
        <translation>Submitted visits (drafts not counted)</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="359" />
        <location filename="../views/city.py" line="470" />
        <location filename="../views/city.py" line="471" />
        <source>（未填写）</source>
        <translation>(not given)</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="363" />
        <source>各区县服务记录</source>
        <translation>Visits by county</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="377" />
        <source>各产业服务记录（前 12 个）</source>
        <translation>Visits by industry (top 12)</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="385" />
        <source>各服务类型服务记录</source>
        <translation>Visits by service type</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="396" />
        <source>{0}共 {1} 名科技特派员参评。</source>
        <translation>{0} {1} commissioners assessed.</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="467" />
        <source>选择左侧的区县，查看其各镇街的服务情况。</source>
        <translation>Choose a county on the left to see its towns.</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="470" />
        <source>{0}：各镇街</source>
        <translation>{0}: towns</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="480" />
        <source>选择镇街，查看其服务记录。</source>
        <translation>Choose a town to see its visits.</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="485" />
        <source>{0}：{1:,} 条服务记录</source>
        <translation>{0}: {1:,} visits</translation>
    </message>
    <message>
        <location filename="../views/city.py" line="487" />
        <source>（显示最近 {0} 条）</source>
        <translation> (the latest {0} shown)</translation>
    </message>
</context>
<context>
    <name>DemandsView</name>
    <message>
        <location filename="../views/demands.py" line="185" />
        <source>发布技术需求（来自村、企业或局里的清单）；同步后送达各科技特派员，揭榜后可在此查看揭榜人和难题进展。</source>
        <translation>Publish technical demands (from villages, enterprises or the bureau's own list); they reach every commissioner at the next sync, and here you see who took each up and how the problem progresses.</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="189" />
        <source>市科技局发布的待揭榜技术需求，与您产业相符的排在前面。揭榜后该需求成为您的技术难题（见“技术难题”），下次同步时告知市科技局。</source>
        <translation>Open demands published by the bureau, those of your industries first. Taking one up makes it your technical problem (see Problems); the bureau learns of it at the next sync.</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="196" />
        <source>技术需求（揭榜）</source>
        <translation>Technical demands</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="197" />
        <source>发布新需求</source>
        <translation>Publish a demand</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="201" />
        <location filename="../views/demands.py" line="218" />
        <location filename="../views/demands.py" line="228" />
        <source>需求标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="202" />
        <source>需求描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="203" />
        <location filename="../views/demands.py" line="219" />
        <location filename="../views/demands.py" line="228" />
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="204" />
        <source>区县</source>
        <translation>County</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="205" />
        <source>镇街</source>
        <translation>Town</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="206" />
        <location filename="../views/demands.py" line="228" />
        <source>服务对象</source>
        <translation>Served party</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="207" />
        <source>揭榜截止日期</source>
        <translation>Take up by</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="212" />
        <source>如：柑橘黄龙病绿色防控技术</source>
        <translation>e.g. green control of citrus greening</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="213" />
        <source>提出需求的村、企业或合作社</source>
        <translation>The village, enterprise or cooperative asking</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="214" />
        <source>发布需求</source>
        <translation>Publish</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="215" />
        <source>已发布需求的进展</source>
        <translation>Published demands</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="220" />
        <location filename="../views/demands.py" line="228" />
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="221" />
        <location filename="../views/demands.py" line="228" />
        <source>截止日期</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="222" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="223" />
        <source>揭榜人</source>
        <translation>Taken up by</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="224" />
        <source>难题进展</source>
        <translation>Problem status</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="230" />
        <source>揭榜</source>
        <translation>Take up</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="284" />
        <location filename="../views/demands.py" line="290" />
        <source>正在加载技术需求…</source>
        <translation>Loading the demands…</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="345" />
        <source>目前没有待揭榜的技术需求。同步后可收到市科技局新发布的需求。</source>
        <translation>No open demands. New demands from the bureau arrive with the next sync.</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="376" />
        <source>市科技局</source>
        <translation>Science and Technology Bureau</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="379" />
        <source>请填写需求标题和需求描述。</source>
        <translation>Enter the demand's title and description.</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="382" />
        <source>揭榜截止日期不能早于今天。</source>
        <translation>The deadline cannot be before today.</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="386" />
        <source>正在发布需求…</source>
        <translation>Publishing…</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="389" />
        <source>已发布“{0}”，下次同步时送达各科技特派员。</source>
        <translation>Published “{0}”; it reaches the commissioners at the next sync.</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="410" />
        <source>正在揭榜…</source>
        <translation>Taking it up…</translation>
    </message>
    <message>
        <location filename="../views/demands.py" line="413" />
        <source>已揭榜“{0}”：它已成为您的技术难题，下次同步时告知市科技局。</source>
        <translation>You took up “{0}”: it is now your technical problem; the bureau learns of it at the next sync.</translation>
    </message>
</context>
<context>
    <name>ReferenceView</name>
    <message>
        <location filename="../views/reference.py" line="221" />
        <source>基础数据</source>
        <translation>Reference data</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="222" />
        <source>修改镇街、产业和年度考核细则。已有记录保留填写时的名称，不受修改影响。</source>
        <translation>Edit towns, industries and the year's assessment rules. Existing records keep the names they were saved with.</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="223" />
        <source>区县与镇街</source>
        <translation>Counties and towns</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="224" />
        <source>产业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="225" />
        <source>考核细则</source>
        <translation>Assessment rules</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="226" />
        <source>区县</source>
        <translation>County</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="227" />
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="230" />
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="230" />
        <source>中文名称</source>
        <translation>Chinese name</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="230" />
        <source>英文名称</source>
        <translation>English name</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="232" />
        <source>添加一行</source>
        <translation>Add a row</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="233" />
        <source>删除所选</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="234" />
        <source>保存镇街</source>
        <translation>Save towns</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="235" />
        <source>保存产业</source>
        <translation>Save industries</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="236" />
        <source>检查并保存考核细则</source>
        <translation>Check and save the rules</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="281" />
        <source>每一行都须填写代码和中文名称。</source>
        <translation>Every row needs a code and a Chinese name.</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="284" />
        <source>代码不能重复。</source>
        <translation>Codes must be unique.</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="297" />
        <source>已保存{0}的 {1} 个镇街。</source>
        <translation>Saved {1} towns of {0}.</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="307" />
        <source>已保存 {0} 个产业。</source>
        <translation>Saved {0} industries.</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="316" />
        <source>已保存{0}年度考核细则。</source>
        <translation>Saved the assessment rules of {0}.</translation>
    </message>
    <message>
        <location filename="../views/reference.py" line="318" />
        <source>考核细则有误，未保存：{0}</source>
        <translation>The rules were not saved: {0}</translation>
    </message>
</context>
<context>
    <name>roles</name>
    <message>
        <location filename="../roles.py" line="86" />
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../roles.py" line="90" />
        <source>团队</source>
        <translation>Team</translation>
    </message>
    <message>
        <location filename="../roles.py" line="96" />
        <source>考核</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <location filename="../roles.py" line="103" />
        <source>全市概况</source>
        <translation>City</translation>
    </message>
    <message>
        <location filename="../roles.py" line="110" />
        <source>年度考核</source>
        <translation>Assessment run</translation>
    </message>
    <message>
        <location filename="../roles.py" line="117" />
        <source>基础数据</source>
        <translation>Reference data</translation>
    </message>
    <message>
        <location filename="../roles.py" line="124" />
        <source>技术需求</source>
        <translation>Demands</translation>
    </message>
</context>
</TS>