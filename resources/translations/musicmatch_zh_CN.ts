<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DropZone</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/video_panel.py" line="35"/>
        <source>Drop a video here

or press Ctrl+O to open one</source>
        <translation>把视频拖到这里

或按 Ctrl+O 打开</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <location filename="../../musicmatch_gui/help.py" line="44"/>
        <source>Open a clip: drop a video on the window or press Ctrl+O. MusicMatch measures 11 features of the picture and predicts the music that fits it (the blue shape on the right-hand chart).</source>
        <translation>打开片段：把视频拖进窗口，或按 Ctrl+O。MusicMatch 测量画面的 11 个特征，并预测与之相配的音乐（右侧图中的蓝色形状）。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/help.py" line="47"/>
        <source>Add your music: Library &gt; Add Folder. Only new or changed files are analysed; you can cancel and go on later. Until then the demo library is listed, kept apart from yours.</source>
        <translation>添加你的音乐：音乐库 &gt; 添加文件夹。只分析新增或改动过的文件；可以随时取消，之后继续。在此之前列出的是示例音乐库，它与你的音乐库分开保存。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/help.py" line="49"/>
        <source>Listen: select a track and press Enter to audition it, or Ctrl+Enter to hear it with the picture from the playhead. Pick the ones you like with P.</source>
        <translation>试听：选中一首曲目按 Enter 试听，或按 Ctrl+Enter 从播放头处配合画面一起听。按 P 选用喜欢的曲目。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/help.py" line="51"/>
        <source>Time it: the Section column says where each track starts for this clip, and the track view under the list shows its beats, bars and the clip&apos;s cuts. Drag the highlighted section (or Shift+Left/Right) to move it by whole bars; press F to fit the track to exactly the clip&apos;s length and hear it with the picture.</source>
        <translation>把握时机：“段落”列显示每首曲目在此片段中的起点，列表下方的曲目视图显示其节拍、小节和片段的剪辑点。拖动高亮段落（或按 Shift+左/右）可按整小节移动；按 F 可将曲目适配为与片段完全等长，并与画面一起试听。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/help.py" line="55"/>
        <source>Tune the list: switch dimensions on or off and move the weights; the list re-ranks at once. Match is an absolute score of the distance (100 = identical to the target).</source>
        <translation>调整列表：开关各个维度、拖动权重，列表会立即重新排序。“匹配度”是由距离换算的绝对分数（100 表示与目标完全相同）。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/help.py" line="57"/>
        <source>Keep your work: Ctrl+S saves the project (picks, notes, ratings, where each track starts). Ctrl+Z undoes an edit. MusicMatch asks before closing anything unsaved.</source>
        <translation>保存工作：Ctrl+S 保存项目（选用曲目、备注、评分、每首曲目的起点）。Ctrl+Z 撤销一次编辑。关闭任何未保存的内容之前，MusicMatch 都会先询问。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/help.py" line="59"/>
        <source>Narrow and steer: the filter bar above the list keeps tracks by BPM, length, key, mood, artist or album without changing a distance; M (More Like This) ranks against the selected track; Model &gt; Learn From My Picks adapts the model to your picks.</source>
        <translation>筛选与引导：列表上方的筛选栏按速度、时长、调性、情绪、艺术家或专辑保留曲目，不改变任何距离；按 M（更多类似曲目）以所选曲目为目标排序；模型 &gt; 从我的选择中学习 会按你的选用调整模型。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/help.py" line="62"/>
        <source>Hand over to your editor: File &gt; Export writes OpenTimelineIO, Final Cut Pro 7 XML, an EDL or a cue sheet.</source>
        <translation>交给剪辑软件：文件 &gt; 导出 可写出 OpenTimelineIO、Final Cut Pro 7 XML、EDL 或配乐清单。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/help.py" line="65"/>
        <source>Getting started</source>
        <translation>入门</translation>
    </message>
</context>
<context>
    <name>JobBar</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/job_bar.py" line="25"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/job_bar.py" line="26"/>
        <source>Stop the job shown here (work already done is kept)</source>
        <translation>停止这里显示的任务（已完成的部分会保留）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/job_bar.py" line="56"/>
        <source>(+{count} more)</source>
        <translation>（另有 {count} 个）</translation>
    </message>
</context>
<context>
    <name>LearnDialog</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/taste_dialogs.py" line="38"/>
        <source>Learn from my picks</source>
        <translation>从我的选用中学习</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/taste_dialogs.py" line="44"/>
        <source>Adapted from {base} with {picks} picks; measured by {scheme} (each pick predicted by a model that never saw it, ranked among the picks&apos; {pool} tracks).</source>
        <translation>以 {picks} 次选用调整{base}；评估方式：{scheme}（每次选用都由未见过它的模型预测，并在这些选用的 {pool} 首曲目中排名）。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/taste_dialogs.py" line="53"/>
        <source>Model in use</source>
        <translation>当前模型</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/taste_dialogs.py" line="53"/>
        <source>Adapted to your picks</source>
        <translation>按你的选用调整后</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/taste_dialogs.py" line="54"/>
        <source>Recall@1</source>
        <translation>Recall@1</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/taste_dialogs.py" line="54"/>
        <source>Recall@3</source>
        <translation>Recall@3</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/taste_dialogs.py" line="54"/>
        <source>Recall@5</source>
        <translation>Recall@5</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/taste_dialogs.py" line="55"/>
        <source>Median rank (MedR)</source>
        <translation>中位排名 (MedR)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/taste_dialogs.py" line="68"/>
        <source>Recall@K: share of your held-out picks the model puts in its top K; MedR: the median place of your pick (1 is best)</source>
        <translation>Recall@K：留出的选用中被模型排进前 K 名的比例；MedR：你的选用排名的中位数（1 为最好）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/taste_dialogs.py" line="77"/>
        <source>The adapted model may be used: {reason}.</source>
        <translation>可以使用调整后的模型：{reason}。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/taste_dialogs.py" line="80"/>
        <source>Not used: {reason}.</source>
        <translation>未采用：{reason}。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/taste_dialogs.py" line="92"/>
        <source>The taste profile the adapted model is saved as (Model &gt; Profile)</source>
        <translation>调整后的模型保存为哪个口味档案（模型 &gt; 档案）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/taste_dialogs.py" line="93"/>
        <source>Save as profile</source>
        <translation>保存为档案</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/taste_dialogs.py" line="98"/>
        <source>Use the Adapted Model</source>
        <translation>使用调整后的模型</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/taste_dialogs.py" line="101"/>
        <source>Keep the Model in Use</source>
        <translation>保留当前模型</translation>
    </message>
</context>
<context>
    <name>LikeChip</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="161"/>
        <source>this clip</source>
        <translation>此片段</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="162"/>
        <source>this track</source>
        <translation>此曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="167"/>
        <source>Blend of the two targets: left, the clip&apos;s target alone; right, the liked track alone</source>
        <translation>两个目标的混合：最左只用片段的目标，最右只用所选曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="169"/>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="196"/>
        <source>Back to the clip&apos;s target</source>
        <translation>回到片段的目标</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="170"/>
        <source>Rank against the clip&apos;s own target again</source>
        <translation>重新按片段自身的目标排序</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="195"/>
        <source>Target: like “{title}”, for this clip</source>
        <translation>目标：像“{title}”，并适合此片段</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="198"/>
        <source>Target: like “{title}”</source>
        <translation>目标：像“{title}”</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="199"/>
        <source>Back to the whole library</source>
        <translation>回到整个曲库</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="149"/>
        <source>Library: {songs} songs in {count} files ({name})</source>
        <translation>曲库：{songs} 首歌曲，共 {count} 个文件（{name}）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="354"/>
        <source>Cue sheet (.csv)...</source>
        <translation>配乐清单 (.csv)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="679"/>
        <source>Find the music in your own library that fits a video.</source>
        <translation>在你自己的曲库中找到适合视频的音乐。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="681"/>
        <source>Everything runs on this computer; nothing is uploaded or downloaded.</source>
        <translation>一切都在本机运行，不上传也不下载任何内容。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="166"/>
        <source>Video playback: {reason}</source>
        <translation>视频播放：{reason}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="171"/>
        <source>Picture: 11 video features</source>
        <translation>画面：11 项视频特征</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="172"/>
        <source>Music: target vs selected track</source>
        <translation>音乐：目标与所选曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="227"/>
        <source>▶ Audition</source>
        <translation>▶ 试听</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="228"/>
        <source>Play the selected track (Enter)</source>
        <translation>播放所选曲目（回车）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="230"/>
        <source>▶ With picture</source>
        <translation>▶ 配画面</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="239"/>
        <source>■ Stop</source>
        <translation>■ 停止</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="241"/>
        <source>Pick (P)</source>
        <translation>选用 (P)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="247"/>
        <source>Audition volume</source>
        <translation>试听音量</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="256"/>
        <source>Position inside the auditioned track; drag to seek</source>
        <translation>试听曲目中的位置；拖动以定位</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="261"/>
        <source>Track</source>
        <translation>曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="266"/>
        <source>Vol</source>
        <translation>音量</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="277"/>
        <source>This pick&apos;s track is not in the open library</source>
        <translation>此选曲不在当前打开的曲库中</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="213"/>
        <source>Filter the whole library by title, artist or path</source>
        <translation>按标题、艺术家或路径筛选整个音乐库</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="231"/>
        <source>Play the clip from the playhead with the selected track from its section (track time = section start + clip position)</source>
        <translation>从播放头播放片段，并从所选曲目的段落开始播放该曲目（曲目时间 = 段落起点 + 片段位置）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="234"/>
        <source>⤢ Fit to clip</source>
        <translation>⤢ 适配片段</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="235"/>
        <source>Edit the selected track from its section to exactly the clip&apos;s length (whole bars repeated or skipped, never stretched), save it and play it with the picture (F)</source>
        <translation>从所选曲目的段落开始，将其剪辑为与片段完全等长（重复或跳过整小节，绝不拉伸），保存后与画面一起播放（F）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="313"/>
        <source>No library</source>
        <translation>未打开曲库</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="339"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="340"/>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="341"/>
        <source>Open &amp;Video...</source>
        <translation>打开视频(&amp;V)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="342"/>
        <source>Open &amp;Project...</source>
        <translation>打开项目(&amp;P)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="343"/>
        <source>Open &amp;Library...</source>
        <translation>打开曲库(&amp;L)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="344"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="347"/>
        <source>&amp;Save Project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="348"/>
        <source>Save Project &amp;As...</source>
        <translation>项目另存为(&amp;A)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="350"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="359"/>
        <source>&amp;Preferences...</source>
        <translation>首选项(&amp;P)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="361"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="362"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="363"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="365"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="370"/>
        <source>&amp;Library</source>
        <translation>曲库(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="371"/>
        <source>&amp;Add Folder...</source>
        <translation>添加文件夹(&amp;A)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="372"/>
        <source>&amp;Rescan</source>
        <translation>重新扫描(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="373"/>
        <source>Re&amp;move Folder...</source>
        <translation>移除文件夹(&amp;M)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="374"/>
        <source>Show &amp;Skipped Files</source>
        <translation>显示跳过的文件(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="375"/>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="327"/>
        <source>&amp;Learn From My Picks...</source>
        <translation>从我的选择中学习(&amp;L)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="377"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="378"/>
        <source>&amp;Getting Started</source>
        <translation>入门(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="379"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="381"/>
        <source>&amp;About MusicMatch</source>
        <translation>关于 MusicMatch(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="382"/>
        <source>&amp;Playback</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="383"/>
        <source>Play / Pause</source>
        <translation>播放 / 暂停</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="384"/>
        <source>Audition Selected Track</source>
        <translation>试听所选曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="385"/>
        <source>Play With Picture</source>
        <translation>配画面播放</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="386"/>
        <source>Fit to Clip</source>
        <translation>适配片段</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="387"/>
        <source>Section One Bar Earlier</source>
        <translation>段落提前一小节</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="388"/>
        <source>Section One Bar Later</source>
        <translation>段落推后一小节</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="389"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="390"/>
        <source>Pick / Unpick</source>
        <translation>选用 / 取消选用</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="391"/>
        <location filename="../../musicmatch_gui/main_window.py" line="661"/>
        <source>More Like This</source>
        <translation>更多类似曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="393"/>
        <source>Back 5 s</source>
        <translation>后退 5 秒</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="394"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="395"/>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="396"/>
        <source>Back 1 s</source>
        <translation>后退 1 秒</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="397"/>
        <source>Forward 1 s</source>
        <translation>前进 1 秒</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="458"/>
        <source>Loading the recommender</source>
        <translation>正在加载推荐模型</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="475"/>
        <source>Open video</source>
        <translation>打开视频</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="476"/>
        <source>Video ({patterns});;All (*)</source>
        <translation>视频 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="483"/>
        <source>{name}: not a video MusicMatch opens ({suffixes})</source>
        <translation>{name}：不是 MusicMatch 能打开的视频（{suffixes}）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="486"/>
        <source>{name}: no such file</source>
        <translation>{name}：文件不存在</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="488"/>
        <source>{name}: the file is empty</source>
        <translation>{name}：文件是空的</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="508"/>
        <source>{name}: waiting for the recommender to load</source>
        <translation>{name}：等待推荐模型加载</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="534"/>
        <source>Analysing {name}</source>
        <translation>正在分析 {name}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="550"/>
        <source>{name}: {seconds:.1f} s, {shots} shots; target emotion {emotion}</source>
        <translation>{name}：{seconds:.1f} 秒，{shots} 个镜头；目标情绪 {emotion}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="597"/>
        <source>No library open: Library &gt; Add Folder, or File &gt; Open Library</source>
        <translation>尚未打开音乐库：音乐库 &gt; 添加文件夹，或 文件 &gt; 打开音乐库</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="599"/>
        <source>The library has no analysed tracks yet: Library &gt; Add Folder</source>
        <translation>音乐库中还没有分析过的曲目：音乐库 &gt; 添加文件夹</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="601"/>
        <source>No track of the {count} in the library matches “{text}”</source>
        <translation>音乐库的 {count} 首曲目中没有与“{text}”匹配的</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="603"/>
        <source>{shown} of {count} tracks match “{text}” (the whole library is searched)</source>
        <translation>{count} 首曲目中有 {shown} 首与“{text}”匹配（已搜索整个音乐库）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="606"/>
        <source>Browsing the library ({count} tracks); open a clip to rank it</source>
        <translation>正在浏览音乐库（{count} 首曲目）；打开片段即可排序</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="686"/>
        <source>Getting Started</source>
        <translation>入门</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="691"/>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="697"/>
        <source>About MusicMatch</source>
        <translation>关于 MusicMatch</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="731"/>
        <source>{reason}; analysing on the CPU</source>
        <translation>{reason}；改用 CPU 分析</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/audition.py" line="82"/>
        <source>Select a track to play with the picture</source>
        <translation>请选择一首曲目与画面同放</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/audition.py" line="191"/>
        <source>Cannot audition: {reason}</source>
        <translation>无法试听：{reason}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/audition.py" line="126"/>
        <location filename="../../musicmatch_gui/actions/audition.py" line="166"/>
        <source>Auditioning {title} from {time}</source>
        <translation>正在试听 {title}，从 {time} 开始</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/audition.py" line="131"/>
        <location filename="../../musicmatch_gui/actions/audition.py" line="169"/>
        <source>Loading {title}</source>
        <translation>正在加载 {title}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/audition.py" line="214"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="150"/>
        <source>A filter was not applied: {reason}</source>
        <translation>有一个筛选未生效：{reason}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="161"/>
        <source>The filters hide all {count} tracks of the library; loosen several of them, or Clear filters</source>
        <translation>筛选隐藏了曲库全部 {count} 首曲目；请放宽其中几项，或清除筛选</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="165"/>
        <source>The filters hide all {count} tracks of the library; loosen {name} ({listed} tracks would be listed)</source>
        <translation>筛选隐藏了曲库全部 {count} 首曲目；请放宽“{name}”（将列出 {listed} 首）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="169"/>
        <source>; or {others}</source>
        <translation>；或 {others}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="218"/>
        <source>Ranking against “{title}”: tracks like it come first</source>
        <translation>按“{title}”排序：与它相似的曲目排在前面</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="248"/>
        <source>Folder with your MusicMatch projects (.mmproj)</source>
        <translation>存放 MusicMatch 项目（.mmproj）的文件夹</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="272"/>
        <source>Learning from your picks</source>
        <translation>正在从您的选曲中学习</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="275"/>
        <source>Learning cancelled; the model in use is kept</source>
        <translation>学习已取消；保留当前模型</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="283"/>
        <source>the shipped model</source>
        <translation>内置模型</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="284"/>
        <source>profile “{name}”</source>
        <translation>档案“{name}”</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="287"/>
        <source>My taste</source>
        <translation>我的口味</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="292"/>
        <source>Learned from {picks} picks: {verdict}</source>
        <translation>已从 {picks} 次选用中学习：{verdict}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="294"/>
        <source>may be used</source>
        <translation>可以使用</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="295"/>
        <source>worse than the model in use, not used</source>
        <translation>不如当前模型，未采用</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="309"/>
        <location filename="../../musicmatch_gui/actions/taste.py" line="390"/>
        <location filename="../../musicmatch_gui/actions/taste.py" line="424"/>
        <source>Now using taste profile “{name}”</source>
        <translation>正在使用口味档案“{name}”</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="329"/>
        <source>&amp;Profile</source>
        <translation>档案(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="332"/>
        <source>&amp;New Profile From the Model in Use...</source>
        <translation>用当前模型新建档案(&amp;N)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="333"/>
        <source>Re&amp;name Profile...</source>
        <translation>重命名档案(&amp;N)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="334"/>
        <source>&amp;Delete Profile...</source>
        <translation>删除档案(&amp;D)...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="335"/>
        <source>Profile &amp;Cards</source>
        <translation>档案说明(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="339"/>
        <source>&amp;Reset to the Shipped Model</source>
        <translation>恢复内置模型(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="348"/>
        <location filename="../../musicmatch_gui/actions/taste.py" line="370"/>
        <location filename="../../musicmatch_gui/actions/taste.py" line="479"/>
        <source>Shipped model</source>
        <translation>内置模型</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="352"/>
        <source>{picks} picks</source>
        <translation>{picks} 次选用</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="391"/>
        <source>Now using the shipped model</source>
        <translation>正在使用内置模型</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="393"/>
        <source>Loading a taste profile</source>
        <translation>正在加载口味档案</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="409"/>
        <source>New taste profile</source>
        <translation>新建口味档案</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="410"/>
        <source>Name of the new profile (a copy of the model in use):</source>
        <translation>新档案的名称（复制当前模型）：</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="414"/>
        <source>A taste profile named “{name}” exists already; choose another name</source>
        <translation>已有名为“{name}”的口味档案，请换一个名字</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="430"/>
        <source>The shipped model is in use; switch to a profile to rename it</source>
        <translation>当前使用的是内置模型；请先切换到某个档案再重命名</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="433"/>
        <source>Rename taste profile</source>
        <translation>重命名口味档案</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="434"/>
        <source>New name of “{name}”:</source>
        <translation>“{name}”的新名称：</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="446"/>
        <source>Profile “{old}” is now “{new}”</source>
        <translation>档案“{old}”已改名为“{new}”</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="452"/>
        <source>The shipped model is in use; there is no profile to delete</source>
        <translation>当前使用的是内置模型；没有可删除的档案</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="455"/>
        <source>Delete taste profile</source>
        <translation>删除口味档案</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="456"/>
        <source>Delete the taste profile “{name}” and its card? The shipped model is used instead.</source>
        <translation>删除口味档案“{name}”及其说明？之后将使用内置模型。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="482"/>
        <source>Taste profile “{name}”</source>
        <translation>口味档案“{name}”</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="486"/>
        <source>This model has no card ({path}).</source>
        <translation>此模型没有说明文件（{path}）。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="493"/>
        <source>shipped model</source>
        <translation>内置模型</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="494"/>
        <source>Taste: {name}</source>
        <translation>口味：{name}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/taste.py" line="495"/>
        <source>The recommender in use (Model &gt; Profile)</source>
        <translation>当前使用的推荐模型（模型 &gt; 档案）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="73"/>
        <source>Loading library {name}</source>
        <translation>正在加载曲库 {name}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="146"/>
        <source>Library: {count} tracks ({name})</source>
        <translation>曲库：{count} 首曲目（{name}）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="81"/>
        <source>Add a music folder to the library</source>
        <translation>向曲库添加音乐文件夹</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="124"/>
        <source>Library: {analysed} analysed, {unchanged} unchanged, {skipped} skipped, {removed} removed</source>
        <translation>曲库：已分析 {analysed}，未变 {unchanged}，跳过 {skipped}，移除 {removed}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="133"/>
        <source>Scanning the library</source>
        <translation>正在扫描曲库</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="66"/>
        <source>Open library</source>
        <translation>打开音乐库</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="67"/>
        <source>Library database, feature table or catalogue (*.sqlite *.db *.csv *.tsv *.parquet);;All (*)</source>
        <translation>音乐库数据库、特征表或曲库目录 (*.sqlite *.db *.csv *.tsv *.parquet);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/main_window.py" line="145"/>
        <source>Demo library: {count} tracks</source>
        <translation>示例音乐库：{count} 首曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="130"/>
        <source>Scan cancelled; the tracks analysed so far are kept</source>
        <translation>扫描已取消；已分析的曲目会保留</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="143"/>
        <source>Open a library database first</source>
        <translation>请先打开一个音乐库数据库</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="148"/>
        <source>The library has no folders</source>
        <translation>曲库中没有文件夹</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="150"/>
        <source>Forget this folder and its tracks (the files stay on disk):</source>
        <translation>从曲库中移除此文件夹及其曲目（文件仍保留在磁盘上）：</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="151"/>
        <source>Remove a folder</source>
        <translation>移除文件夹</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="170"/>
        <source>Removed {folder} ({count} tracks) from the library</source>
        <translation>已从曲库移除 {folder}（{count} 首曲目）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="173"/>
        <source>Removing a folder</source>
        <translation>正在移除文件夹</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="179"/>
        <source>No skipped files in the last scan</source>
        <translation>上次扫描没有跳过的文件</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="181"/>
        <source>Skipped files</source>
        <translation>跳过的文件</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/library.py" line="182"/>
        <source>{count} files could not be analysed (see the details).</source>
        <translation>有 {count} 个文件无法分析（见详细信息）。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="118"/>
        <source>Picked {title}</source>
        <translation>已选中 {title}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="113"/>
        <source>Unpicked {title}</source>
        <translation>已取消选中 {title}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="112"/>
        <source>Unpick {title}</source>
        <translation>取消选用 {title}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="117"/>
        <source>Pick {title}</source>
        <translation>选用 {title}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="127"/>
        <source>Edit note of {title}</source>
        <translation>编辑 {title} 的备注</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="128"/>
        <source>Move {title}</source>
        <translation>移动 {title}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="129"/>
        <source>Rate {title}</source>
        <translation>为 {title} 评分</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="194"/>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="195"/>
        <source>{name} has unsaved changes (picks, notes or ratings). Save them first?</source>
        <translation>{name} 有未保存的更改（选用、备注或评分）。要先保存吗？</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="229"/>
        <source>(nothing opened yet)</source>
        <translation>（尚未打开任何文件）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="236"/>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="259"/>
        <location filename="../../musicmatch_gui/actions/projects.py" line="304"/>
        <source>Recover unsaved changes?</source>
        <translation>恢复未保存的更改？</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="260"/>
        <location filename="../../musicmatch_gui/actions/projects.py" line="305"/>
        <source>{name} has newer unsaved changes from a session that did not close normally. Recover them?</source>
        <translation>{name} 有一次未正常关闭的会话留下的较新未保存更改。要恢复吗？</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="340"/>
        <source>Opened {name}: {count} pick(s)</source>
        <translation>已打开 {name}：{count} 首选曲</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="343"/>
        <source>{count} pick(s) not in this library</source>
        <translation>{count} 首选曲不在此曲库中</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="362"/>
        <source>Autosave failed: {reason}</source>
        <translation>自动保存失败：{reason}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="378"/>
        <source>Open a clip before saving a project</source>
        <translation>请先打开片段再保存项目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="383"/>
        <source>Save project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="412"/>
        <source>Saving {name}</source>
        <translation>正在保存 {name}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="427"/>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="436"/>
        <source>{title} starts at {start:.2f} s, after the clip&apos;s end ({end:.2f} s)</source>
        <translation>{title} 从 {start:.2f} 秒开始，晚于片段结尾（{end:.2f} 秒）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="445"/>
        <source>Pick at least one track before exporting</source>
        <translation>导出前请至少选中一首曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="448"/>
        <source>Export {format}</source>
        <translation>导出 {format}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="461"/>
        <source>Nothing to export: {reason}</source>
        <translation>没有可导出的内容：{reason}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="467"/>
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="469"/>
        <source>left out: {reasons}</source>
        <translation>未导出：{reasons}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/projects.py" line="472"/>
        <source>Exporting {name}</source>
        <translation>正在导出 {name}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/app.py" line="169"/>
        <source>Preparing the demo library</source>
        <translation>正在准备示例音乐库</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/timing.py" line="250"/>
        <source>Finding the best sections</source>
        <translation>正在寻找最佳段落</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/timing.py" line="362"/>
        <source>Move section of {title}</source>
        <translation>移动 {title} 的段落</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/timing.py" line="363"/>
        <source>{title}: the section now starts at {start:.2f} s</source>
        <translation>{title}：段落现在从 {start:.2f} 秒开始</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/timing.py" line="378"/>
        <source>Open a clip first: Fit to clip makes a track last exactly as long as the clip</source>
        <translation>请先打开片段：“适配片段”会让曲目与片段完全等长</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/timing.py" line="382"/>
        <source>Select a track to fit to the clip</source>
        <translation>请选择要适配片段的曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/timing.py" line="387"/>
        <source>{title} has no beat or energy data (a feature table keeps none): add its folder to a library to fit it</source>
        <translation>{title} 没有节拍或能量数据（特征表不保存这些数据）：将其文件夹加入曲库后即可适配</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/timing.py" line="396"/>
        <location filename="../../musicmatch_gui/actions/timing.py" line="435"/>
        <source>Cannot fit {title}: {reason}</source>
        <translation>无法适配 {title}：{reason}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/timing.py" line="440"/>
        <source>Fitting {title} to the clip</source>
        <translation>正在将 {title} 适配到片段</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/timing.py" line="442"/>
        <source>Fit to clip cancelled</source>
        <translation>已取消适配片段</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/timing.py" line="454"/>
        <source>Fit {title} to the clip</source>
        <translation>将 {title} 适配到片段</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/timing.py" line="456"/>
        <source>Fitted {title} to {length:.2f} s from {start:.2f} s: {count} edit(s), saved as {name}</source>
        <translation>已将 {title} 从 {start:.2f} 秒起适配为 {length:.2f} 秒：{count} 处剪辑，已保存为 {name}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/timing.py" line="464"/>
        <source>(kept in the pick)</source>
        <translation>（已保存在选用曲目中）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/actions/timing.py" line="466"/>
        <source>no audio output to play it on</source>
        <translation>没有可用于播放的音频输出</translation>
    </message>
</context>
<context>
    <name>MatchControls</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="43"/>
        <source>Euclidean</source>
        <translation>欧氏距离</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="44"/>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="47"/>
        <source>Euclidean: how far each dimension is off; cosine: only the direction (the profile)</source>
        <translation>欧氏距离：每个维度相差多少；余弦：只看方向（整体轮廓）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="52"/>
        <source>Top </source>
        <translation>前 </translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="53"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="54"/>
        <source>VA only</source>
        <translation>仅唤醒度/效价</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="55"/>
        <source>Reset weights</source>
        <translation>重置权重</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="56"/>
        <source>Metric</source>
        <translation>距离</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="78"/>
        <location filename="../../musicmatch_gui/widgets/controls.py" line="98"/>
        <source>Weight of {name} (0 to 4; 1 is neutral)</source>
        <translation>{name} 的权重（0 到 4；1 为中性）</translation>
    </message>
</context>
<context>
    <name>PicksPanel</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="99"/>
        <source>{title}: fitted to the clip ({file})</source>
        <translation>{title}：已适配到片段长度（{file}）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="52"/>
        <source>Picked tracks (saved in the project); double-click to audition</source>
        <translation>已选曲目（保存在项目中）；双击试听</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="57"/>
        <source>Note for the selected pick</source>
        <translation>所选曲目的备注</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="62"/>
        <source>Where the music starts on the clip&apos;s timeline (within the clip)</source>
        <translation>音乐在片段时间线上的起点（须在片段之内）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="63"/>
        <source>At playhead</source>
        <translation>设为播放头</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="64"/>
        <source>Start the selected pick at the video&apos;s current position</source>
        <translation>让所选曲目从视频当前位置开始</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="67"/>
        <source>Rating </source>
        <translation>评分 </translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="69"/>
        <source>Starts at</source>
        <translation>起点</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="73"/>
        <source>Picks</source>
        <translation>已选曲目</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/picks_panel.py" line="164"/>
        <source>More Like This</source>
        <translation>更多类似曲目</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="85"/>
        <source>(your own library; the demo until you add a folder)</source>
        <translation>（你自己的曲库；添加文件夹之前为演示曲库）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="72"/>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="86"/>
        <source>Choose...</source>
        <translation>选择...</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="98"/>
        <source>Analysis runs on</source>
        <translation>分析运行于</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="29"/>
        <source>Auto (CUDA when present)</source>
        <translation>自动（有 CUDA 时使用）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="31"/>
        <source>Euclidean</source>
        <translation>欧氏距离</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="32"/>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="99"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="100"/>
        <source>Library at start</source>
        <translation>启动时打开的曲库</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="101"/>
        <source>Default metric</source>
        <translation>默认距离</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="102"/>
        <source>Tracks listed</source>
        <translation>列出的曲目数</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="103"/>
        <source>CUDA is used for the per-frame colour work and the learned models when a
CUDA GPU and driver are present; a missing GPU falls back to the CPU.
Feature names change at once; menus and buttons at the next start.</source>
        <translation>当有 CUDA GPU 和驱动时，逐帧颜色计算和学习模型使用 CUDA；
没有 GPU 时回退到 CPU。
特征名称立即切换；菜单和按钮在下次启动时切换。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="112"/>
        <source>Library database</source>
        <translation>曲库数据库</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/preferences.py" line="113"/>
        <source>Library (*.sqlite *.db *.csv)</source>
        <translation>音乐库 (*.sqlite *.db *.csv)</translation>
    </message>
</context>
<context>
    <name>RadarChart</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/radar.py" line="25"/>
        <source>clip</source>
        <translation>画面</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/radar.py" line="26"/>
        <source>target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/radar.py" line="27"/>
        <source>selected</source>
        <translation>所选</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="164"/>
        <source>lossless</source>
        <translation>无损</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="168"/>
        <source>lossy</source>
        <translation>有损</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="243"/>
        <source>(+1 version)</source>
        <translation>（另有 1 个版本）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="243"/>
        <source>(+{count} versions)</source>
        <translation>（另有 {count} 个版本）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="262"/>
        <source>Versions (the first plays and is picked):</source>
        <translation>版本（试听和选用第一个）：</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="59"/>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="59"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="60"/>
        <source>Artist</source>
        <translation>艺术家</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="60"/>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="61"/>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="61"/>
        <source>Match</source>
        <translation>匹配度</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="62"/>
        <source>Pick</source>
        <translation>选中</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="62"/>
        <source>Key</source>
        <translation>调性</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="63"/>
        <source>Section</source>
        <translation>段落</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="66"/>
        <source>How far the track&apos;s 10 music features are from the clip&apos;s target, under the chosen metric, dimensions and weights (smaller is closer; 0 is identical)</source>
        <translation>曲目的 10 个音乐特征与片段目标之间的距离，按所选度量、维度和权重计算（越小越接近；0 表示相同）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="69"/>
        <source>The distance as a score from 0 to 100, the same for a track whatever else is listed. Euclidean: 100 x exp(-r²/2), r the weighted RMS difference per dimension in standard units (61 = one unit off on average); cosine: 100 x (1 - d/2). See docs/matching.md</source>
        <translation>把距离换算成 0 到 100 的分数，同一首曲目无论列表中还有什么，分数都相同。欧氏距离：100 x exp(-r²/2)，r 为每个维度按标准单位计的加权均方根差（61 表示平均相差一个单位）；余弦：100 x (1 - d/2)。详见 docs/matching.md</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="73"/>
        <source>Place in the whole ranked library (1 = closest to the target)</source>
        <translation>在整个已排序音乐库中的名次（1 = 最接近目标）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="74"/>
        <source>Length of the track; ⚠ marks a track shorter than the clip (it ranks after every track that covers the clip)</source>
        <translation>曲目时长；⚠ 表示曲目比片段短（排在所有覆盖片段的曲目之后）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="76"/>
        <source>Tempo in beats per minute; ~ marks a tempo measured with low confidence, – a track without a steady beat</source>
        <translation>每分钟节拍数；~ 表示速度测量置信度低，– 表示没有稳定节拍</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="78"/>
        <source>The track&apos;s key, as measured by the analysis</source>
        <translation>分析测得的曲目调性</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="79"/>
        <source>Where in the track the music starts for this clip (m:ss): the best section, or where you moved it in the track view</source>
        <translation>此片段的音乐从曲目的哪里开始（分:秒）：最佳段落，或您在曲目视图中移动到的位置</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="260"/>
        <source>No steady beat found (BPM –)</source>
        <translation>未找到稳定节拍（BPM –）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="269"/>
        <source>Largest shares of the distance: </source>
        <translation>距离中占比最大的维度：</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="310"/>
        <source>Starts at {start:.2f} s in the track</source>
        <translation>从曲目的 {start:.2f} 秒开始</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="312"/>
        <source>Fit {score:.0%}</source>
        <translation>匹配 {score:.0%}</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="324"/>
        <source>Shorter than the clip ({track:.1f} s for a {clip:.1f} s clip): it ranks after every track that covers the clip; Fit to clip repeats bars to make it last</source>
        <translation>比片段短（{track:.1f} 秒，片段为 {clip:.1f} 秒）：排在所有覆盖片段的曲目之后；“适配片段”会重复小节使其足够长</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/results.py" line="338"/>
        <source>Tempo measured with low confidence: no steady beat to cut on</source>
        <translation>速度测量置信度低：没有可供剪辑对齐的稳定节拍</translation>
    </message>
</context>
<context>
    <name>TimelineStrip</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/timeline.py" line="49"/>
        <source>The clip&apos;s cuts (red; green where the selected track has a beat), the picture&apos;s arousal, valence and energy per second, and the selected track&apos;s beats and bars (yellow) from its section start; click to seek</source>
        <translation>片段的剪辑点（红色；与所选曲目的节拍重合处为绿色）、画面每秒的唤醒度、效价与能量，以及所选曲目从段落起点开始的节拍和小节（黄色）；点击可跳转</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/timeline.py" line="114"/>
        <source>Shots and the arousal/valence/energy curves appear here after analysis</source>
        <translation>分析完成后，这里会显示镜头和唤醒度/效价/能量曲线</translation>
    </message>
</context>
<context>
    <name>VideoPanel</name>
    <message>
        <location filename="../../musicmatch_gui/widgets/video_panel.py" line="72"/>
        <source>Play / pause (Space)</source>
        <translation>播放 / 暂停（空格）</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/video_panel.py" line="79"/>
        <source>Clip sound</source>
        <translation>片段原声</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/widgets/video_panel.py" line="82"/>
        <source>The clip&apos;s own sound on or off</source>
        <translation>打开或关闭片段自带的声音</translation>
    </message>
</context>
<context>
    <name>core</name>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="19"/>
        <source>joyful</source>
        <translation>欢快</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="20"/>
        <source>tense</source>
        <translation>紧张</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="21"/>
        <source>sad</source>
        <translation>悲伤</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="22"/>
        <source>calm</source>
        <translation>平静</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="26"/>
        <source>People under strain: face presence and size, number of faces, facial and body motion.</source>
        <translation>人物的紧绷程度：人脸是否出现及其大小、人脸数量、面部与身体的动作。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="28"/>
        <source>Tense surroundings: darkness, contrast, camera shake, sudden changes of light.</source>
        <translation>环境的紧张感：昏暗、反差、镜头抖动、光线突变。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="30"/>
        <source>Editing rhythm: cuts per minute, shot length and rate of visual change.</source>
        <translation>剪辑节奏：每分钟剪切次数、镜头时长和画面变化速度。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="32"/>
        <source>Information density: visual complexity and the number of distinct shots and palettes.</source>
        <translation>信息密度：画面复杂度，以及不同镜头和色调的数量。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="34"/>
        <source>How approachable the imagery is: faces, smiles, warm soft light (+) versus empty, harsh, cold (-).</source>
        <translation>画面的亲和程度：人脸、笑容、温暖柔和的光（+）对比空旷、生硬、冰冷（-）。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="36"/>
        <source>Strength of motion in the scene (optical flow magnitude with camera motion removed).</source>
        <translation>场景中运动的强度（去除镜头运动后的光流幅度）。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="38"/>
        <source>Visual weight of the colour: dark and saturated is heavy, pale and bright is light.</source>
        <translation>色彩的视觉分量：深而饱和为重，淡而明亮为轻。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="40"/>
        <source>Warm (red-yellow) versus cool (cyan-blue) balance, weighted by saturation.</source>
        <translation>暖色（红黄）与冷色（青蓝）的平衡，按饱和度加权。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="42"/>
        <source>Spatial extent of motion: the share of the frame that moves and how far it moves.</source>
        <translation>运动的空间范围：画面中运动部分的占比及其移动距离。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="44"/>
        <source>Excitement of the picture: motion, cut rate, saturation and contrast.</source>
        <translation>画面的兴奋程度：运动、剪切频率、饱和度和反差。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="46"/>
        <source>Pleasantness of the picture: brightness, saturation, warmth and smiles.</source>
        <translation>画面的愉悦程度：亮度、饱和度、暖色调和笑容。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="48"/>
        <source>Textural density: spectral spread and flatness, simultaneous partials.</source>
        <translation>织体密度：频谱宽度与平坦度、同时发声的泛音。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="49"/>
        <source>Change over time: loudness and timbre novelty, section changes.</source>
        <translation>随时间的变化：响度与音色的新颖度、段落变化。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="50"/>
        <source>Rhythmic salience: pulse clarity and onset strength.</source>
        <translation>节奏的突出程度：律动清晰度和起音强度。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="51"/>
        <source>Low-mid weight against the highs (spectral tilt).</source>
        <translation>中低频相对高频的分量（频谱倾斜）。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="52"/>
        <source>Tonal consonance: key clarity and harmonicity.</source>
        <translation>调性的协和程度：调性清晰度与谐和性。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="53"/>
        <source>Spectral centroid and high-frequency energy.</source>
        <translation>频谱质心和高频能量。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="54"/>
        <source>Slope of the predominant pitch contour; 50 is flat, above rises, below falls.</source>
        <translation>主旋律音高轮廓的斜率；50 为平，高于 50 上行，低于 50 下行。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="56"/>
        <source>Tempo and onset density (40 BPM is about 0, 200 BPM about 100).</source>
        <translation>速度与起音密度（40 BPM 约为 0，200 BPM 约为 100）。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="57"/>
        <source>Energy: loudness, tempo, brightness and onset density.</source>
        <translation>能量：响度、速度、明亮度和起音密度。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="58"/>
        <source>Pleasantness: mode, consonance, tempo and brightness.</source>
        <translation>愉悦度：调式、协和度、速度和明亮度。</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="76"/>
        <source>the track has no steady beat: edits join quiet moments and ignore bars and phrases</source>
        <translation>曲目没有稳定节拍：剪辑在安静处衔接，不考虑小节和乐句</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="77"/>
        <source>no similar-sounding bars to loop on: repeats the section from its last bar</source>
        <translation>没有听起来相似的小节可循环：从段落的最后一小节开始重复</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="78"/>
        <source>ends on a bar line: no phrase end fits the length without more edits</source>
        <translation>结束于小节线：不增加剪辑就没有合适的乐句结尾</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/core_text.py" line="79"/>
        <source>no bar or phrase end fits the length: ends on a fade-out</source>
        <translation>没有合适的小节或乐句结尾：以淡出结束</translation>
    </message>
</context>
<context>
    <name>show_error</name>
    <message>
        <location filename="../../musicmatch_gui/jobs.py" line="217"/>
        <source>MusicMatch: internal error</source>
        <translation>MusicMatch：内部错误</translation>
    </message>
    <message>
        <location filename="../../musicmatch_gui/jobs.py" line="218"/>
        <source>Something went wrong inside MusicMatch: {error}
Please report it with the details below.</source>
        <translation>MusicMatch 内部出错：{error}
请连同下方的详细信息一起报告。</translation>
    </message>
</context>
</TS>
