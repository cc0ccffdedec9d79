<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DropZone</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/video_panel.py" line="37"/>
        <source>Drop an MP4 here

or press Ctrl+O to open a video</source>
        <translation>把 MP4 拖到这里

或按 Ctrl+O 打开视频</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="104"/>
        <source>Picture: 11 video features</source>
        <translation>画面：11 项视频特征</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="105"/>
        <source>Music: target vs selected track</source>
        <translation>音乐：目标与所选曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="130"/>
        <source>Filter by title, artist or path</source>
        <translation>按标题、艺术家或路径筛选</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="133"/>
        <source>▶ Audition</source>
        <translation>▶ 试听</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="134"/>
        <source>Play the selected track (Enter)</source>
        <translation>播放所选曲目（回车）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="136"/>
        <source>▶ With picture</source>
        <translation>▶ 配画面</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="137"/>
        <source>Play the clip and the selected track together from the playhead</source>
        <translation>从播放头处同时播放片段和所选曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="139"/>
        <source>■ Stop</source>
        <translation>■ 停止</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="141"/>
        <source>Pick (P)</source>
        <translation>选用 (P)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="147"/>
        <source>Audition volume</source>
        <translation>试听音量</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="156"/>
        <source>Position inside the auditioned track; drag to seek</source>
        <translation>试听曲目中的位置；拖动以定位</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="161"/>
        <source>Track</source>
        <translation>曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="166"/>
        <source>Vol</source>
        <translation>音量</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="208"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="214"/>
        <source>No library</source>
        <translation>未打开曲库</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="226"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="227"/>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="228"/>
        <source>Open &amp;Video...</source>
        <translation>打开视频(&amp;V)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="229"/>
        <source>Open &amp;Project...</source>
        <translation>打开项目(&amp;P)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="230"/>
        <source>Open &amp;Library...</source>
        <translation>打开曲库(&amp;L)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="231"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="234"/>
        <source>&amp;Save Project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="235"/>
        <source>Save Project &amp;As...</source>
        <translation>项目另存为(&amp;A)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="236"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="244"/>
        <source>&amp;Preferences...</source>
        <translation>首选项(&amp;P)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="246"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="247"/>
        <source>&amp;Library</source>
        <translation>曲库(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="248"/>
        <source>&amp;Add Folder...</source>
        <translation>添加文件夹(&amp;A)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="249"/>
        <source>&amp;Rescan</source>
        <translation>重新扫描(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="250"/>
        <source>Re&amp;move Folder...</source>
        <translation>移除文件夹(&amp;M)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="251"/>
        <source>Show &amp;Skipped Files</source>
        <translation>显示跳过的文件(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="252"/>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="253"/>
        <source>&amp;Learn From My Picks...</source>
        <translation>从我的选择中学习(&amp;L)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="254"/>
        <source>Use the &amp;Default Model</source>
        <translation>使用默认模型(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="255"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="256"/>
        <source>&amp;About MusicMatch</source>
        <translation>关于 MusicMatch(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="257"/>
        <source>&amp;Playback</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="258"/>
        <source>Play / Pause</source>
        <translation>播放 / 暂停</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="259"/>
        <source>Audition Selected Track</source>
        <translation>试听所选曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="260"/>
        <source>Play With Picture</source>
        <translation>配画面播放</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="261"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="262"/>
        <source>Pick / Unpick</source>
        <translation>选用 / 取消选用</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="264"/>
        <source>Back 5 s</source>
        <translation>后退 5 秒</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="265"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="266"/>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="267"/>
        <source>Back 1 s</source>
        <translation>后退 1 秒</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="268"/>
        <source>Forward 1 s</source>
        <translation>前进 1 秒</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="434"/>
        <source>About MusicMatch</source>
        <translation>关于 MusicMatch</translation>
    </message>
</context>
<context>
    <name>MatchControls</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="47"/>
        <source>Top </source>
        <translation>前 </translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="48"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="49"/>
        <source>VA only</source>
        <translation>仅唤醒度/效价</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="50"/>
        <source>Reset weights</source>
        <translation>重置权重</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="51"/>
        <source>Metric</source>
        <translation>距离</translation>
    </message>
</context>
<context>
    <name>PicksPanel</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="47"/>
        <source>Picked tracks (saved in the project); double-click to audition</source>
        <translation>已选曲目（保存在项目中）；双击试听</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="50"/>
        <source>Note for the selected pick</source>
        <translation>所选曲目的备注</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="55"/>
        <source>Where the music starts on the clip&apos;s timeline</source>
        <translation>音乐在片段时间线上的起点</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="56"/>
        <source>At playhead</source>
        <translation>设为播放头</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="57"/>
        <source>Start the selected pick at the video&apos;s current position</source>
        <translation>让所选曲目从视频当前位置开始</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="62"/>
        <source>Starts at</source>
        <translation>起点</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="66"/>
        <source>Picks</source>
        <translation>已选曲目</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="67"/>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="78"/>
        <source>(the demo library)</source>
        <translation>（演示曲库）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="79"/>
        <source>Choose...</source>
        <translation>选择...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="91"/>
        <source>Analysis runs on</source>
        <translation>分析运行于</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="92"/>
        <source>Feature names in</source>
        <translation>特征名称语言</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="93"/>
        <source>Library at start</source>
        <translation>启动时打开的曲库</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="94"/>
        <source>Default metric</source>
        <translation>默认距离</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="95"/>
        <source>Tracks listed</source>
        <translation>列出的曲目数</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="96"/>
        <source>CUDA is used for the per-frame colour work and the learned models when a
CUDA GPU and driver are present; a missing GPU falls back to the CPU.
Feature names change at once; menus and buttons at the next start.</source>
        <translation>当有 CUDA GPU 和驱动时，逐帧颜色计算和学习模型使用 CUDA；
没有 GPU 时回退到 CPU。
特征名称立即切换；菜单和按钮在下次启动时切换。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="105"/>
        <source>Library database</source>
        <translation>曲库数据库</translation>
    </message>
</context>
<context>
    <name>VideoPanel</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/video_panel.py" line="73"/>
        <source>Play / pause (Space)</source>
        <translation>播放 / 暂停（空格）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/video_panel.py" line="80"/>
        <source>Clip sound</source>
        <translation>片段原声</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/video_panel.py" line="83"/>
        <source>The clip&apos;s own sound on or off</source>
        <translation>打开或关闭片段自带的声音</translation>
    </message>
</context>
</TS>
