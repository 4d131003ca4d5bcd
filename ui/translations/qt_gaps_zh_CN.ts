<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own texts that the Chinese catalog shipped with PySide6 (qtbase_zh_CN.qm) lacks: this Qt's
     file dialog labels gained their shortcut letters, and the catalog has only the older texts.
     Loaded beside qtbase_zh_CN.qm when the application runs in Chinese (ui/i18n.py). -->
<TS version="2.1" language="zh_CN">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
</TS>
