<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
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
            <translation>Not done</translation>
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
</TS>
