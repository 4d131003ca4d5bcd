<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../main_window.py" line="57" />
            <source>无法打开编辑器</source>
            <translation>Cannot open the editor</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="58" />
            <source>本程序安装不完整，缺少编辑器组件。请重新安装程序。</source>
            <translation>This installation is incomplete: the editors are missing. Please reinstall the application.</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="129" />
            <source>工作台</source>
            <translation>Overview</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="130" />
            <source>服务记录</source>
            <translation>Visits</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="131" />
            <source>技术难题</source>
            <translation>Problems</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="132" />
            <source>服务对象</source>
            <translation>Service targets</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="133" />
            <source>同步</source>
            <translation>Sync</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="134" />
            <source>设置</source>
            <translation>Settings</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="244" />
            <location filename="../main_window.py" line="295" />
            <source>关于</source>
            <translation>About</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="245" />
            <source>科技特派员工作平台

离线记录服务、技术难题和解决方案，联网后与市科技局同步。
数据目录：{0}</source>
            <translation>Field Commissioner

Record visits, technical problems and solutions offline; sync with the city bureau when online.
Data folder: {0}</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="256" />
            <source>待同步：{0} 条记录</source>
            <translation>Waiting to sync: {0} records</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="258" />
            <source>所有记录均已同步</source>
            <translation>All records are synced</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="282" />
            <source>科技特派员工作平台</source>
            <translation>Field Commissioner</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="286" />
            <source>文件(&amp;F)</source>
            <translation>&amp;File</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="287" />
            <source>编辑(&amp;E)</source>
            <translation>&amp;Edit</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="288" />
            <source>视图(&amp;V)</source>
            <translation>&amp;View</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="289" />
            <source>同步(&amp;S)</source>
            <translation>&amp;Sync</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="290" />
            <source>帮助(&amp;H)</source>
            <translation>&amp;Help</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="291" />
            <source>新建服务记录</source>
            <translation>New visit</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="292" />
            <source>搜索</source>
            <translation>Search</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="293" />
            <source>立即同步</source>
            <translation>Sync now</translation>
        </message>
        <message>
            <location filename="../main_window.py" line="294" />
            <source>退出</source>
            <translation>Quit</translation>
        </message>
        <message>
            <source>打印服务记录单…</source>
            <translation>Print visit sheet…</translation>
        </message>
    </context>
    <context>
        <name>OverviewView</name>
        <message>
            <location filename="../views/overview.py" line="143" />
            <source>工作台</source>
            <translation>Overview</translation>
        </message>
        <message>
            <location filename="../views/overview.py" line="147" />
            <source>{0}，您好！今天是 {1}。</source>
            <translation>Hello, {0}! Today is {1}.</translation>
        </message>
        <message>
            <location filename="../views/overview.py" line="149" />
            <source>今天是 {0}。</source>
            <translation>Today is {0}.</translation>
        </message>
        <message>
            <location filename="../views/overview.py" line="150" />
            <source>新建服务记录</source>
            <translation>New visit</translation>
        </message>
        <message>
            <location filename="../views/overview.py" line="151" />
            <source>新建一条服务记录（Ctrl+N）</source>
            <translation>Record a new visit (Ctrl+N)</translation>
        </message>
        <message>
            <location filename="../views/overview.py" line="154" />
            <source>本月服务记录</source>
            <translation>Visits this month</translation>
        </message>
        <message>
            <location filename="../views/overview.py" line="155" />
            <source>待解决的技术难题</source>
            <translation>Open technical problems</translation>
        </message>
        <message>
            <location filename="../views/overview.py" line="156" />
            <source>等待同步的记录</source>
            <translation>Records waiting to sync</translation>
        </message>
        <message>
            <location filename="../views/overview.py" line="157" />
            <source>被退回待修改的记录</source>
            <translation>Returned records to correct</translation>
        </message>
        <message>
            <location filename="../views/overview.py" line="162" />
            <source>最近的服务记录</source>
            <translation>Recent visits</translation>
        </message>
        <message>
            <location filename="../views/overview.py" line="165" />
            <source>还没有服务记录。点击“新建服务记录”记下第一次服务。</source>
            <translation>No visits yet. Click “New visit” to record your first one.</translation>
        </message>
        <message>
            <location filename="../views/overview.py" line="175" />
            <source>退回意见：{0}</source>
            <translation>Returned: {0}</translation>
        </message>
    </context>
    <context>
        <name>ProblemTableModel</name>
        <message>
            <location filename="../models.py" line="442" />
            <source>状态</source>
            <translation>State</translation>
        </message>
        <message>
            <location filename="../models.py" line="443" />
            <source>难题</source>
            <translation>Problem</translation>
        </message>
        <message>
            <location filename="../models.py" line="444" />
            <source>进展</source>
            <translation>Progress</translation>
        </message>
        <message>
            <location filename="../models.py" line="445" />
            <source>紧急程度</source>
            <translation>Urgency</translation>
        </message>
        <message>
            <location filename="../models.py" line="446" />
            <source>产业</source>
            <translation>Industry</translation>
        </message>
        <message>
            <location filename="../models.py" line="447" />
            <source>服务对象</source>
            <translation>Service target</translation>
        </message>
        <message>
            <location filename="../models.py" line="448" />
            <source>提出日期</source>
            <translation>Raised on</translation>
        </message>
        <message>
            <location filename="../models.py" line="449" />
            <source>解决方案</source>
            <translation>Solutions</translation>
        </message>
    </context>
    <context>
        <name>ProblemsView</name>
        <message>
            <location filename="../views/problems.py" line="67" />
            <source>搜索技术难题：标题、描述…（Ctrl+F）</source>
            <translation>Search problems: title, description… (Ctrl+F)</translation>
        </message>
        <message>
            <location filename="../views/problems.py" line="68" />
            <source>进展</source>
            <translation>Progress</translation>
        </message>
        <message>
            <location filename="../views/problems.py" line="69" />
            <source>全部</source>
            <translation>All</translation>
        </message>
        <message>
            <location filename="../views/problems.py" line="70" />
            <source>产业</source>
            <translation>Industry</translation>
        </message>
        <message>
            <location filename="../views/problems.py" line="71" />
            <source>全部产业</source>
            <translation>All industries</translation>
        </message>
        <message>
            <location filename="../views/problems.py" line="78" />
            <source>正在加载技术难题…</source>
            <translation>Loading problems…</translation>
        </message>
        <message>
            <location filename="../views/problems.py" line="80" />
            <source>共 {0} 个技术难题；双击或按回车键查看详情</source>
            <translation>{0} problems; double-click or press Enter for details</translation>
        </message>
    </context>
    <context>
        <name>ProfileDialog</name>
        <message>
            <location filename="../profile.py" line="133" />
            <source>欢迎使用科技特派员工作平台</source>
            <translation>Welcome to Field Commissioner</translation>
        </message>
        <message>
            <location filename="../profile.py" line="133" />
            <source>个人资料</source>
            <translation>Profile</translation>
        </message>
        <message>
            <location filename="../profile.py" line="135" />
            <source>第一次使用，请先填写您的个人资料。带 * 的为必填项，其余可以以后在“设置”中补充。</source>
            <translation>First start: please fill in your profile. Fields marked * are required; the rest can be added later in Settings.</translation>
        </message>
        <message>
            <location filename="../profile.py" line="136" />
            <source>修改您的个人资料。带 * 的为必填项。</source>
            <translation>Edit your profile. Fields marked * are required.</translation>
        </message>
        <message>
            <location filename="../profile.py" line="138" />
            <source>姓名 *</source>
            <translation>Name *</translation>
        </message>
        <message>
            <location filename="../profile.py" line="138" />
            <source>手机号</source>
            <translation>Mobile phone</translation>
        </message>
        <message>
            <location filename="../profile.py" line="138" />
            <source>派出单位 *</source>
            <translation>Sending unit *</translation>
        </message>
        <message>
            <location filename="../profile.py" line="139" />
            <source>职称</source>
            <translation>Title</translation>
        </message>
        <message>
            <location filename="../profile.py" line="139" />
            <source>专业特长</source>
            <translation>Specialty</translation>
        </message>
        <message>
            <location filename="../profile.py" line="139" />
            <source>服务产业</source>
            <translation>Industries served</translation>
        </message>
        <message>
            <location filename="../profile.py" line="140" />
            <source>所属科技特派团</source>
            <translation>Commissioner team</translation>
        </message>
        <message>
            <location filename="../profile.py" line="140" />
            <source>所属工作站</source>
            <translation>Workstation</translation>
        </message>
        <message>
            <location filename="../profile.py" line="144" />
            <source>例如：李明</source>
            <translation>e.g. 李明</translation>
        </message>
        <message>
            <location filename="../profile.py" line="145" />
            <source>例如：13800138000</source>
            <translation>e.g. 13800138000</translation>
        </message>
        <message>
            <location filename="../profile.py" line="146" />
            <source>从列表中选择，或直接输入单位名称</source>
            <translation>Choose from the list or type the unit's name</translation>
        </message>
        <message>
            <location filename="../profile.py" line="147" />
            <source>例如：高级农艺师</source>
            <translation>e.g. senior agronomist</translation>
        </message>
        <message>
            <location filename="../profile.py" line="148" />
            <source>例如：柑橘栽培与病虫害防治</source>
            <translation>e.g. citrus growing and pest control</translation>
        </message>
        <message>
            <location filename="../profile.py" line="151" />
            <location filename="../profile.py" line="152" />
            <source>（暂无）</source>
            <translation>(none)</translation>
        </message>
        <message>
            <location filename="../profile.py" line="153" />
            <source>连接市科技局服务器（后续版本提供）</source>
            <translation>Connect to the bureau's server (coming in a later version)</translation>
        </message>
        <message>
            <location filename="../profile.py" line="154" />
            <source>保存</source>
            <translation>Save</translation>
        </message>
        <message>
            <location filename="../profile.py" line="156" />
            <source>以后再说</source>
            <translation>Later</translation>
        </message>
        <message>
            <location filename="../profile.py" line="156" />
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <location filename="../profile.py" line="213" />
            <source>正在保存个人资料…</source>
            <translation>Saving the profile…</translation>
        </message>
    </context>
    <context>
        <name>SettingsView</name>
        <message>
            <location filename="../views/settings.py" line="62" />
            <source>设置</source>
            <translation>Settings</translation>
        </message>
        <message>
            <location filename="../views/settings.py" line="63" />
            <source>界面语言</source>
            <translation>Language</translation>
        </message>
        <message>
            <location filename="../views/settings.py" line="64" />
            <source>个人资料</source>
            <translation>Profile</translation>
        </message>
        <message>
            <location filename="../views/settings.py" line="65" />
            <source>修改个人资料…</source>
            <translation>Edit profile…</translation>
        </message>
        <message>
            <location filename="../views/settings.py" line="66" />
            <source>数据保存位置</source>
            <translation>Data folder</translation>
        </message>
        <message>
            <location filename="../views/settings.py" line="67" />
            <source>更改界面语言后立即生效，无需重新启动。服务记录等数据保存在上面的文件夹中，请定期同步或备份。</source>
            <translation>A new language applies at once, without a restart. Visits and all other data are kept in the folder above; sync or back it up regularly.</translation>
        </message>
        <message>
            <location filename="../views/settings.py" line="74" />
            <source>尚未填写</source>
            <translation>Not filled in yet</translation>
        </message>
    </context>
    <context>
        <name>SyncView</name>
        <message>
            <location filename="../views/sync.py" line="78" />
            <source>同步</source>
            <translation>Sync</translation>
        </message>
        <message>
            <location filename="../views/sync.py" line="79" />
            <source>等待同步的记录</source>
            <translation>Records waiting to sync</translation>
        </message>
        <message>
            <location filename="../views/sync.py" line="80" />
            <source>上次同步时间</source>
            <translation>Last synced</translation>
        </message>
        <message>
            <location filename="../views/sync.py" line="81" />
            <source>服务记录</source>
            <translation>Visits</translation>
        </message>
        <message>
            <location filename="../views/sync.py" line="81" />
            <source>技术难题</source>
            <translation>Problems</translation>
        </message>
        <message>
            <location filename="../views/sync.py" line="81" />
            <source>解决方案</source>
            <translation>Solutions</translation>
        </message>
        <message>
            <location filename="../views/sync.py" line="82" />
            <source>服务对象</source>
            <translation>Service targets</translation>
        </message>
        <message>
            <location filename="../views/sync.py" line="82" />
            <source>附件</source>
            <translation>Attachments</translation>
        </message>
        <message>
            <location filename="../views/sync.py" line="86" />
            <source>{0} 条</source>
            <translation>{0}</translation>
        </message>
        <message>
            <location filename="../views/sync.py" line="90" />
            <source>从未同步</source>
            <translation>Never</translation>
        </message>
        <message>
            <location filename="../views/sync.py" line="91" />
            <source>立即同步（F5）</source>
            <translation>Sync now (F5)</translation>
        </message>
        <message>
            <location filename="../views/sync.py" line="92" />
            <source>与市科技局服务器同步的功能将在后续版本提供。在此之前，所有记录都安全地保存在本机，等待同步。</source>
            <translation>Syncing with the city bureau's server comes in a later version. Until then every record is kept safely on this computer, waiting to sync.</translation>
        </message>
    </context>
    <context>
        <name>TargetTableModel</name>
        <message>
            <location filename="../models.py" line="481" />
            <source>状态</source>
            <translation>State</translation>
        </message>
        <message>
            <location filename="../models.py" line="482" />
            <source>名称</source>
            <translation>Name</translation>
        </message>
        <message>
            <location filename="../models.py" line="483" />
            <source>类型</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../models.py" line="484" />
            <source>地区</source>
            <translation>Region</translation>
        </message>
        <message>
            <location filename="../models.py" line="485" />
            <source>产业</source>
            <translation>Industry</translation>
        </message>
        <message>
            <location filename="../models.py" line="486" />
            <source>联系人</source>
            <translation>Contact</translation>
        </message>
        <message>
            <location filename="../models.py" line="487" />
            <source>联系电话</source>
            <translation>Contact phone</translation>
        </message>
        <message>
            <location filename="../models.py" line="488" />
            <source>服务次数</source>
            <translation>Visits</translation>
        </message>
    </context>
    <context>
        <name>TargetsView</name>
        <message>
            <location filename="../views/targets.py" line="67" />
            <source>搜索服务对象：名称、地区、联系人…（Ctrl+F）</source>
            <translation>Search service targets: name, region, contact… (Ctrl+F)</translation>
        </message>
        <message>
            <location filename="../views/targets.py" line="68" />
            <source>类型</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../views/targets.py" line="69" />
            <source>全部类型</source>
            <translation>All types</translation>
        </message>
        <message>
            <location filename="../views/targets.py" line="70" />
            <source>区县</source>
            <translation>County</translation>
        </message>
        <message>
            <location filename="../views/targets.py" line="71" />
            <source>全部区县</source>
            <translation>All counties</translation>
        </message>
        <message>
            <location filename="../views/targets.py" line="78" />
            <source>正在加载服务对象…</source>
            <translation>Loading service targets…</translation>
        </message>
        <message>
            <location filename="../views/targets.py" line="80" />
            <source>共 {0} 个服务对象；双击或按回车键查看详情</source>
            <translation>{0} service targets; double-click or press Enter for details</translation>
        </message>
    </context>
    <context>
        <name>VisitTableModel</name>
        <message>
            <location filename="../models.py" line="86" />
            <source>状态</source>
            <translation>State</translation>
        </message>
        <message>
            <location filename="../models.py" line="87" />
            <source>服务日期</source>
            <translation>Date</translation>
        </message>
        <message>
            <location filename="../models.py" line="88" />
            <source>时间</source>
            <translation>Time</translation>
        </message>
        <message>
            <location filename="../models.py" line="89" />
            <source>服务对象</source>
            <translation>Service target</translation>
        </message>
        <message>
            <location filename="../models.py" line="90" />
            <source>地区</source>
            <translation>Region</translation>
        </message>
        <message>
            <location filename="../models.py" line="91" />
            <source>产业</source>
            <translation>Industry</translation>
        </message>
        <message>
            <location filename="../models.py" line="92" />
            <source>服务类型</source>
            <translation>Service types</translation>
        </message>
        <message>
            <location filename="../models.py" line="93" />
            <source>培训人次</source>
            <translation>Trained</translation>
        </message>
        <message>
            <location filename="../models.py" line="94" />
            <source>效益（万元）</source>
            <translation>Benefit (10k ¥)</translation>
        </message>
    </context>
    <context>
        <name>VisitsView</name>
        <message>
            <location filename="../views/visits.py" line="142" />
            <source>正在统计服务记录…</source>
            <translation>Counting the visits…</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="149" />
            <source>搜索服务记录：服务对象、内容、地区…（Ctrl+F）</source>
            <translation>Search visits: target, content, region… (Ctrl+F)</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="150" />
            <source>新建服务记录</source>
            <translation>New visit</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="151" />
            <source>新建一条服务记录（Ctrl+N）</source>
            <translation>Record a new visit (Ctrl+N)</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="152" />
            <source>时间</source>
            <translation>Time</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="153" />
            <source>全部时间</source>
            <translation>Any time</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="153" />
            <source>本月</source>
            <translation>This month</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="153" />
            <source>上月</source>
            <translation>Last month</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="153" />
            <source>近30天</source>
            <translation>Last 30 days</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="154" />
            <source>今年</source>
            <translation>This year</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="154" />
            <source>去年</source>
            <translation>Last year</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="154" />
            <source>自定义</source>
            <translation>Custom</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="156" />
            <source>地区</source>
            <translation>Region</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="158" />
            <source>全部区县</source>
            <translation>All counties</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="160" />
            <source>产业</source>
            <translation>Industry</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="161" />
            <source>全部产业</source>
            <translation>All industries</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="162" />
            <source>审核</source>
            <translation>Review</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="164" />
            <location filename="../views/visits.py" line="166" />
            <source>全部</source>
            <translation>All</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="165" />
            <source>同步</source>
            <translation>Sync</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="167" />
            <source>清除筛选</source>
            <translation>Clear filters</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="175" />
            <source>全部镇街</source>
            <translation>All towns</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="263" />
            <location filename="../views/visits.py" line="270" />
            <source>正在加载服务记录…</source>
            <translation>Loading visits…</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="276" />
            <source>符合条件的服务记录 {0} 条</source>
            <translation>{0} matching visits</translation>
        </message>
        <message>
            <location filename="../views/visits.py" line="278" />
            <source>共 {0} 条服务记录；双击或按回车键打开</source>
            <translation>{0} visits; double-click or press Enter to open</translation>
        </message>
        <message>
            <source>打开</source>
            <translation>Open</translation>
        </message>
        <message>
            <source>打印服务记录单…</source>
            <translation>Print visit sheet…</translation>
        </message>
    </context>
    <context>
        <name>app</name>
        <message>
            <location filename="../app.py" line="74" />
            <source>正在生成演示数据（{0} 条服务记录）…</source>
            <translation>Making demo data ({0} visits)…</translation>
        </message>
        <message>
            <location filename="../app.py" line="78" />
            <source>科技特派员工作平台</source>
            <translation>Field Commissioner</translation>
        </message>
    </context>
    <context>
        <name>models</name>
        <message>
            <location filename="../models.py" line="64" />
            <source>退回意见：{0}</source>
            <translation>Returned: {0}</translation>
        </message>
        <message>
            <location filename="../models.py" line="66" />
            <source>服务器拒绝：{0}</source>
            <translation>Rejected by the server: {0}</translation>
        </message>
        <message>
            <location filename="../models.py" line="68" />
            <source>本机修改与服务器版本冲突，需要处理</source>
            <translation>This computer's changes conflict with the server's version; please resolve</translation>
        </message>
    </context>
    <context>
        <name>tasks</name>
        <message>
            <location filename="../tasks.py" line="228" />
            <source>发生意外错误：{0}。数据未丢失；请重试，若仍出错请联系技术支持。</source>
            <translation>Unexpected error: {0}. No data was lost; please try again, and contact support if it persists.</translation>
        </message>
        <message>
            <location filename="../tasks.py" line="236" />
            <source>操作未完成</source>
            <translation>Not completed</translation>
        </message>
    </context>
    <context>
        <name>VisitSheet</name>
        <message>
            <source>服务记录单_{0}.pdf</source>
            <translation>visit-sheet_{0}.pdf</translation>
        </message>
        <message>
            <source>正在生成服务记录单…</source>
            <translation>Writing the visit sheet…</translation>
        </message>
    </context>
</TS>