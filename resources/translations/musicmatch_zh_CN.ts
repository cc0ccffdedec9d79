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
        <location filename="../../musicmatch_gui/main_window.py" line="100"/>
        <source>Video playback: {reason}</source>
        <translation>视频播放：{reason}</translation>
    </message>
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
        <location filename="../../musicmatch_gui/main_window.py" line="176"/>
        <source>This pick&apos;s track is not in the open library</source>
        <translation>此选曲不在当前打开的曲库中</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="210"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="216"/>
        <source>No library</source>
        <translation>未打开曲库</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="228"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="229"/>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="230"/>
        <source>Open &amp;Video...</source>
        <translation>打开视频(&amp;V)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="231"/>
        <source>Open &amp;Project...</source>
        <translation>打开项目(&amp;P)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="232"/>
        <source>Open &amp;Library...</source>
        <translation>打开曲库(&amp;L)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="233"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="236"/>
        <source>&amp;Save Project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="237"/>
        <source>Save Project &amp;As...</source>
        <translation>项目另存为(&amp;A)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="238"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="246"/>
        <source>&amp;Preferences...</source>
        <translation>首选项(&amp;P)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="248"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="249"/>
        <source>&amp;Library</source>
        <translation>曲库(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="250"/>
        <source>&amp;Add Folder...</source>
        <translation>添加文件夹(&amp;A)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="251"/>
        <source>&amp;Rescan</source>
        <translation>重新扫描(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="252"/>
        <source>Re&amp;move Folder...</source>
        <translation>移除文件夹(&amp;M)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="253"/>
        <source>Show &amp;Skipped Files</source>
        <translation>显示跳过的文件(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="254"/>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="255"/>
        <source>&amp;Learn From My Picks...</source>
        <translation>从我的选择中学习(&amp;L)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="256"/>
        <source>Use the &amp;Default Model</source>
        <translation>使用默认模型(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="257"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="258"/>
        <source>&amp;About MusicMatch</source>
        <translation>关于 MusicMatch(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="259"/>
        <source>&amp;Playback</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="260"/>
        <source>Play / Pause</source>
        <translation>播放 / 暂停</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="261"/>
        <source>Audition Selected Track</source>
        <translation>试听所选曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="262"/>
        <source>Play With Picture</source>
        <translation>配画面播放</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="263"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="264"/>
        <source>Pick / Unpick</source>
        <translation>选用 / 取消选用</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="266"/>
        <source>Back 5 s</source>
        <translation>后退 5 秒</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="267"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="268"/>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="269"/>
        <source>Back 1 s</source>
        <translation>后退 1 秒</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="270"/>
        <source>Forward 1 s</source>
        <translation>前进 1 秒</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="295"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="324"/>
        <source>Loading the recommender</source>
        <translation>正在加载推荐模型</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="336"/>
        <source>Open video</source>
        <translation>打开视频</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="346"/>
        <source>{name}: waiting for the recommender to load</source>
        <translation>{name}：等待推荐模型加载</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="371"/>
        <source>Analysing {name}</source>
        <translation>正在分析 {name}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="384"/>
        <source>{name}: {seconds:.1f} s, {shots} shots; target emotion {emotion}</source>
        <translation>{name}：{seconds:.1f} 秒，{shots} 个镜头；目标情绪 {emotion}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="440"/>
        <source>About MusicMatch</source>
        <translation>关于 MusicMatch</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="470"/>
        <source>{reason}; analysing on the CPU</source>
        <translation>{reason}；改用 CPU 分析</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/audition.py" line="23"/>
        <source>Select a track to play with the picture</source>
        <translation>请选择一首曲目与画面同放</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/audition.py" line="49"/>
        <source>Cannot audition: {reason}</source>
        <translation>无法试听：{reason}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/audition.py" line="53"/>
        <source>Auditioning {title} from {time}</source>
        <translation>正在试听 {title}，从 {time} 开始</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/audition.py" line="56"/>
        <source>Loading {title}</source>
        <translation>正在加载 {title}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/learning.py" line="20"/>
        <source>Folder with your MusicMatch projects (.mmproj)</source>
        <translation>存放 MusicMatch 项目（.mmproj）的文件夹</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/learning.py" line="43"/>
        <source>Learning from your picks</source>
        <translation>正在从您的选曲中学习</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/learning.py" line="51"/>
        <source>Recall@3 on {pool} of your picks the training never saw:
  current model: {before:.2f}
  new model: {after:.2f}

Use the new model?</source>
        <translation>在训练未见过的 {pool} 条选曲上的 Recall@3：
  当前模型：{before:.2f}
  新模型：{after:.2f}

使用新模型吗？</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/learning.py" line="54"/>
        <source>Learn from my picks</source>
        <translation>从我的选曲中学习</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/learning.py" line="69"/>
        <source>Now using the model learned from your picks ({path})</source>
        <translation>现在使用从您的选曲中学到的模型（{path}）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/learning.py" line="77"/>
        <source>Now using the default model</source>
        <translation>现在使用默认模型</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="19"/>
        <source>Open library database</source>
        <translation>打开曲库数据库</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="25"/>
        <source>Loading library {name}</source>
        <translation>正在加载曲库 {name}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="31"/>
        <source>Library: {count} tracks ({name})</source>
        <translation>曲库：{count} 首曲目（{name}）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="51"/>
        <source>Add a music folder to the library</source>
        <translation>向曲库添加音乐文件夹</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="77"/>
        <source>Library: {analysed} analysed, {unchanged} unchanged, {skipped} skipped, {removed} removed</source>
        <translation>曲库：已分析 {analysed}，未变 {unchanged}，跳过 {skipped}，移除 {removed}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="82"/>
        <source>Scanning the library</source>
        <translation>正在扫描曲库</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="90"/>
        <source>Open a library first</source>
        <translation>请先打开一个曲库</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="95"/>
        <source>The library has no folders</source>
        <translation>曲库中没有文件夹</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="97"/>
        <source>Forget this folder and its tracks (the files stay on disk):</source>
        <translation>从曲库中移除此文件夹及其曲目（文件仍保留在磁盘上）：</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="98"/>
        <source>Remove a folder</source>
        <translation>移除文件夹</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="115"/>
        <source>Removed {folder} ({count} tracks) from the library</source>
        <translation>已从曲库移除 {folder}（{count} 首曲目）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="118"/>
        <source>Removing a folder</source>
        <translation>正在移除文件夹</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="124"/>
        <source>No skipped files in the last scan</source>
        <translation>上次扫描没有跳过的文件</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="126"/>
        <source>Skipped files</source>
        <translation>跳过的文件</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="127"/>
        <source>{count} files could not be analysed (see the details).</source>
        <translation>有 {count} 个文件无法分析（见详细信息）。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="28"/>
        <source>Picked {title}</source>
        <translation>已选中 {title}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="28"/>
        <source>Unpicked {title}</source>
        <translation>已取消选中 {title}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="61"/>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="83"/>
        <source>Recover unsaved changes?</source>
        <translation>恢复未保存的更改？</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="84"/>
        <source>{name} has newer unsaved changes from a session that did not close normally. Recover them?</source>
        <translation>{name} 有一次未正常关闭的会话留下的较新未保存更改。要恢复吗？</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="110"/>
        <source>Opened {name}: {count} pick(s)</source>
        <translation>已打开 {name}：{count} 首选曲</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="113"/>
        <source>{count} pick(s) not in this library</source>
        <translation>{count} 首选曲不在此曲库中</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="128"/>
        <source>Autosave failed: {reason}</source>
        <translation>自动保存失败：{reason}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="134"/>
        <source>Save project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="153"/>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="159"/>
        <source>Pick at least one track before exporting</source>
        <translation>导出前请至少选中一首曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="162"/>
        <source>Export {format}</source>
        <translation>导出 {format}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="172"/>
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
    </message>
</context>
<context>
    <name>MatchControls</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="41"/>
        <source>Euclidean</source>
        <translation>欧氏距离</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="42"/>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
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
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="60"/>
        <source>Rating </source>
        <translation>评分 </translation>
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
    <name>RadarChart</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/radar.py" line="24"/>
        <source>clip</source>
        <translation>画面</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/radar.py" line="25"/>
        <source>target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/radar.py" line="26"/>
        <source>selected</source>
        <translation>所选</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="27"/>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="27"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="28"/>
        <source>Artist</source>
        <translation>艺术家</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="28"/>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="29"/>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="29"/>
        <source>Match</source>
        <translation>匹配度</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="30"/>
        <source>Pick</source>
        <translation>选中</translation>
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
