<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
  <context>
    <name>ConflictsDialog</name>
    <message>
      <location filename="../conflicts_dialog.py" line="174" />
      <source>处理同步冲突</source>
      <translation>Resolve sync conflicts</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="177" />
      <source>下面的记录在本机和服务器上都被修改过，而且改的是同一处，系统没有替您决定，两边的内容都保留着。请逐项选择保留哪一个版本，然后点“应用选择”；记录随后回到待同步队列，下次同步时发送。</source>
      <translation>These records were changed both on this computer and on the server, in the same place. Nothing was decided for you: both versions are kept. Choose the version to keep for each item, then click “Apply choices”; the record goes back to the queue and is sent at the next sync.</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="182" />
      <source>标有“他人的版本”的记录：服务器保留的是您的版本，另一方的修改与之冲突、尚未被接受。任何一方处理即可，同步后另一方的冲突也随之关闭。</source>
      <translation>Records marked “someone else's version”: the server kept your version, and the other side's change conflicts with it and was not accepted. Either side may decide; after the next syncs the conflict closes on the other side too.</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="187" />
      <source>应用选择</source>
      <translation>Apply choices</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="188" />
      <source>关闭</source>
      <translation>Close</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="197" />
      <location filename="../conflicts_dialog.py" line="215" />
      <source>字段</source>
      <translation>Field</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="198" />
      <source>您的值（服务器上）</source>
      <translation>Yours (on the server)</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="199" />
      <source>对方的值（未被接受）</source>
      <translation>Theirs (not accepted)</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="200" />
      <location filename="../conflicts_dialog.py" line="218" />
      <source>修改前</source>
      <translation>Before both edits</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="201" />
      <location filename="../conflicts_dialog.py" line="219" />
      <source>保留</source>
      <translation>Keep</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="203" />
      <source>我的</source>
      <translation>Mine</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="203" />
      <source>对方的</source>
      <translation>Theirs</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="204" />
      <source>全部保留我的</source>
      <translation>Keep all of mine</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="205" />
      <source>全部采用对方的</source>
      <translation>Take all of theirs</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="209" />
      <source>他人的版本与您的冲突：{0}（或您在另一台电脑上）改了同一处，服务器保留的是您的版本。请决定保留哪一个；同步后对方也会看到结果。</source>
      <translation>Someone else's version conflicts with yours: {0} (or you, on another computer) changed the same place, and the server kept your version. Decide which one to keep; the other side sees the outcome after syncing.</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="211" />
      <source>另一方</source>
      <translation>the other side</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="216" />
      <source>本机的值</source>
      <translation>On this computer</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="217" />
      <source>服务器上的值</source>
      <translation>On the server</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="221" />
      <location filename="../conflicts_dialog.py" line="301" />
      <source>本机</source>
      <translation>This computer</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="221" />
      <location filename="../conflicts_dialog.py" line="301" />
      <source>服务器</source>
      <translation>Server</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="222" />
      <source>全部保留本机</source>
      <translation>Keep all from this computer</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="223" />
      <source>全部采用服务器</source>
      <translation>Take all from the server</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="242" />
      <source>正在读取冲突…</source>
      <translation>Reading the conflicts…</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="254" />
      <source>{0}：{1}
他人的版本，{2} 处冲突</source>
      <translation>{0}: {1}
someone else's version, {2} conflicts</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="256" />
      <source>{0}：{1}
{2} 处冲突</source>
      <translation>{0}: {1}
{2} conflicting fields</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="284" />
      <source>{0}：{1}</source>
      <translation>{0}: {1}</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="340" />
      <source>没有需要处理的冲突。</source>
      <translation>No conflicts to resolve.</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="343" />
      <source>请为每一项选择“我的”或“对方的”。</source>
      <translation>Choose “Mine” or “Theirs” for each item.</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="345" />
      <source>请为每一项选择“本机”或“服务器”。</source>
      <translation>Choose “This computer” or “Server” for every item.</translation>
    </message>
    <message>
      <location filename="../conflicts_dialog.py" line="370" />
      <source>正在保存选择…</source>
      <translation>Saving the choices…</translation>
    </message>
  </context>
  <context>
    <name>LoginDialog</name>
    <message>
      <location filename="../sync_login.py" line="120" />
      <source>登录市科技局服务器</source>
      <translation>Log in to the bureau's server</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="123" />
      <source>填写科技局提供的服务器地址和您的账户。登录后，本机记录可与服务器同步；密码不会保存在本机。</source>
      <translation>Enter the server address the bureau gave you and your account. Once logged in, the records on this computer sync with the server; the password is not kept on this computer.</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="126" />
      <location filename="../sync_login.py" line="175" />
      <source>服务器地址</source>
      <translation>Server address</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="127" />
      <location filename="../sync_login.py" line="176" />
      <source>用户名</source>
      <translation>Username</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="128" />
      <location filename="../sync_login.py" line="177" />
      <source>密码</source>
      <translation>Password</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="129" />
      <source>例如：https://kjtpy.example.gov.cn</source>
      <translation>e.g. https://kjtpy.example.gov.cn</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="130" />
      <source>CA 证书（可选）</source>
      <translation>CA certificate (optional)</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="131" />
      <source>科技局自己的证书颁发机构文件（.pem）；不填则使用系统的证书</source>
      <translation>the bureau's own certificate authority file (.pem); empty: the system's certificates</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="132" />
      <source>选择…</source>
      <translation>Choose…</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="135" />
      <source>本电脑没有可用的系统密钥环（如 GNOME 密钥环、KWallet、Windows 凭据管理器），无法安全保存登录凭据。可以安装并启用密钥环后再登录；或勾选下面的选项，将凭据保存在数据目录中仅本账户可读的文件里（安全性较低：能使用本电脑账户的人都可以用它同步数据）。</source>
      <translation>This computer has no system keyring (such as GNOME Keyring, KWallet or Windows Credential Manager) to keep the login token safely. Install and unlock a keyring, then log in; or tick the option below to keep the token in a file in the data folder that only your account can read (less safe: anyone who can use this computer account can sync with it).</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="140" />
      <source>我了解风险，将登录凭据保存在数据目录的文件中（仅本账户可读）</source>
      <translation>I understand the risk: keep the login token in a file in the data folder (readable by my account only)</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="141" />
      <source>登录</source>
      <translation>Log in</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="142" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="155" />
      <source>选择科技局的 CA 证书</source>
      <translation>Choose the bureau's CA certificate</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="157" />
      <source>证书文件 (*.pem *.crt *.cer);;所有文件 (*)</source>
      <translation>Certificate files (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="182" />
      <source>请填写：{0}</source>
      <translation>Please fill in: {0}</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="189" />
      <source>本电脑没有系统密钥环。要继续登录，请勾选上面的选项，明确同意将凭据保存在文件中；或安装密钥环后再登录。</source>
      <translation>This computer has no system keyring. To log in anyway, tick the option above to agree to keep the token in a file; or install a keyring and log in then.</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="196" />
      <source>正在连接服务器…</source>
      <translation>Connecting to the server…</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="224" />
      <source>无法连接到服务器。请检查服务器地址是否正确、电脑是否已联网，然后再试。</source>
      <translation>Cannot reach the server. Check that the address is right and that this computer is online, then try again.</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="226" />
      <source>用户名或密码不正确，请重新输入。连续输错多次后需等待片刻才能再试。</source>
      <translation>Wrong username or password; please enter them again. After several wrong attempts you must wait a moment before trying again.</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="228" />
      <source>本程序版本过旧，服务器已不再支持。请先更新程序，再登录。本机记录不受影响。</source>
      <translation>This version of the application is too old for the server. Please update the application, then log in. The records on this computer are not affected.</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="230" />
      <source>服务器拒绝了登录：{0}</source>
      <translation>The server refused the login: {0}</translation>
    </message>
    <message>
      <location filename="../sync_login.py" line="238" />
      <source>登录失败：{0}</source>
      <translation>Login failed: {0}</translation>
    </message>
  </context>
  <context>
    <name>SyncView</name>
    <message>
      <location filename="../views/sync.py" line="262" />
      <source>正在取消…已完成的部分会保留</source>
      <translation>Cancelling… what is done stays done</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="310" />
      <source>自动同步：正在连接服务器…</source>
      <translation>Automatic sync: connecting to the server…</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="310" />
      <source>正在连接服务器…</source>
      <translation>Connecting to the server…</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="325" />
      <source>{0}：已接收 {1} 条</source>
      <translation>{0}: {1} received</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="338" />
      <source>尚未设置</source>
      <translation>Not set</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="340" />
      <source>未登录</source>
      <translation>Not logged in</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="349" />
      <source>{0}，已退出登录</source>
      <translation>{0}, logged out</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="350" />
      <source>更换账户…</source>
      <translation>Change account…</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="350" />
      <source>登录…</source>
      <translation>Log in…</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="366" />
      <source>登录后才能同步</source>
      <translation>Log in to sync</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="368" />
      <source>尚未检查</source>
      <translation>Not checked yet</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="370" />
      <source>可以连接服务器</source>
      <translation>The server is reachable</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="373" />
      <source>暂时无法连接服务器；网络恢复后会自动同步</source>
      <translation>The server cannot be reached now; sync starts by itself when it can</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="375" />
      <source>暂时无法连接服务器</source>
      <translation>The server cannot be reached now</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="378" />
      <source>上次同步未完成：{0}</source>
      <translation>The last sync did not finish: {0}</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="390" />
      <source>从未同步</source>
      <translation>Never</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="392" />
      <source>服务记录</source>
      <translation>Visits</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="393" />
      <source>技术难题</source>
      <translation>Problems</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="394" />
      <source>解决方案</source>
      <translation>Solutions</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="395" />
      <source>服务对象</source>
      <translation>Service targets</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="396" />
      <source>附件</source>
      <translation>Attachments</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="401" />
      <source>其他 {0}</source>
      <translation>other {0}</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="402" />
      <source>{0} 条</source>
      <translation>{0} records</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="406" />
      <source>另有 {0} 条因冲突或被拒绝暂不发送，需要您先处理</source>
      <translation>{0} more are held back by a conflict or a rejection and need you first</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="413" />
      <source>快</source>
      <translation>ahead of</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="413" />
      <source>慢</source>
      <translation>behind</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="416" />
      <source>本机时钟比服务器{0}约 {1} 分钟。请校准电脑的日期和时间：同步不受影响，但新记录的时间可能不准。</source>
      <translation>This computer's clock is about {1} minutes {0} the server's. Please set the date and time: sync is not affected, but the times of new records may be wrong.</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="424" />
      <source>还没有同步过。</source>
      <translation>No sync yet.</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="427" />
      <source>发送 {0} 条（其中合并 {1} 条），接收 {2} 条，删除 {3} 条，冲突 {4} 条，被拒绝 {5} 条，上传附件 {6} 个。</source>
      <translation>Sent {0} (merged {1}), received {2}, deleted {3}, conflicts {4}, rejected {5}, attachments uploaded {6}.</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="444" />
      <source>同步被取消，已完成的部分已保存。</source>
      <translation>The sync was cancelled; what was done is saved. </translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="450" />
      <source>处理冲突（{0} 条记录）…</source>
      <translation>Resolve conflicts ({0} records)…</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="454" />
      <source>被服务器拒绝的记录（{0} 条）：请按原因修改后保存，下次同步会再次发送</source>
      <translation>Records the server rejected ({0}): correct them as the reason says and save; the next sync sends them again</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="458" />
      <source>没有被服务器拒绝的记录。</source>
      <translation>No records were rejected by the server.</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="470" />
      <source>同步</source>
      <translation>Sync</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="471" />
      <source>服务器与账户</source>
      <translation>Server and account</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="472" />
      <source>服务器</source>
      <translation>Server</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="473" />
      <source>账户</source>
      <translation>Account</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="474" />
      <source>退出登录</source>
      <translation>Log out</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="475" />
      <source>立即同步（F5）</source>
      <translation>Sync now (F5)</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="476" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="477" />
      <source>上次同步</source>
      <translation>Last sync</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="478" />
      <source>等待同步</source>
      <translation>Waiting to sync</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="479" />
      <source>连接状态</source>
      <translation>Connection</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="480" />
      <source>能连接服务器时自动同步（每分钟检查一次）</source>
      <translation>Sync automatically when the server is reachable (checked every minute)</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="481" />
      <source>上次同步的结果</source>
      <translation>Result of the last sync</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="482" />
      <source>类型</source>
      <translation>Kind</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="482" />
      <source>记录</source>
      <translation>Record</translation>
    </message>
    <message>
      <location filename="../views/sync.py" line="482" />
      <source>拒绝原因</source>
      <translation>Reason</translation>
    </message>
  </context>
  <context>
    <name>ProfileDialog</name>
    <message>
      <location filename="../profile.py" line="188" />
      <source>连接科技局服务器…</source>
      <translation>Connect to the bureau's server…</translation>
    </message>
    <message>
      <location filename="../profile.py" line="190" />
      <source>已有科技局服务器账户？登录后自动填入服务器上的个人资料，并可同步记录</source>
      <translation>Have an account on the bureau's server? Log in to fill in your profile from the server and sync your records</translation>
    </message>
    <message>
      <location filename="../profile.py" line="263" />
      <source>已登录 {0}。正在从服务器读取您的资料…</source>
      <translation>Logged in to {0}. Reading your profile from the server…</translation>
    </message>
    <message>
      <location filename="../profile.py" line="279" />
      <source>已登录。未能从服务器读取个人资料，请手动填写后保存。</source>
      <translation>Logged in. Your profile could not be read from the server; please fill it in and save.</translation>
    </message>
    <message>
      <location filename="../profile.py" line="286" />
      <source>已登录。服务器上还没有您的个人资料，请填写后保存，下次同步时上传。</source>
      <translation>Logged in. The server has no profile of yours yet; fill it in and save, and the next sync sends it.</translation>
    </message>
    <message>
      <location filename="../profile.py" line="292" />
      <source>已登录，并从服务器填入了您的个人资料。请核对后点“保存”。</source>
      <translation>Logged in; your profile was filled in from the server. Check it, then click “Save”.</translation>
    </message>
  </context>
  <context>
    <name>VisitEditor</name>
    <message>
      <location filename="../editors/visit_editor.py" line="476" />
      <source>状态：被服务器拒绝（%1）。修改后保存，下次同步会再次发送。</source>
      <translation>State: rejected by the server (%1). Correct it and save; the next sync sends it again.</translation>
    </message>
    <message>
      <location filename="../editors/visit_editor.py" line="481" />
      <source>处理冲突…</source>
      <translation>Resolve the conflict…</translation>
    </message>
  </context>
</TS>