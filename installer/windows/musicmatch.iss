; Inno Setup script: a per-user installer (no administrator rights) for the one-folder build.
; Built by installer/windows/build.ps1, which passes the version:  iscc /DAppVersion=0.1.0 musicmatch.iss

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{7C3E2B64-5C1E-4C55-9A4E-4B1D0F6E2A91}
AppName=MusicMatch
AppVersion={#AppVersion}
AppVerName=MusicMatch {#AppVersion}
AppPublisher=MusicMatch developers
DefaultDirName={localappdata}\Programs\MusicMatch
DefaultGroupName=MusicMatch
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=MusicMatch-{#AppVersion}-setup
SetupIconFile=..\..\resources\musicmatch.ico
UninstallDisplayIcon={app}\musicmatch-gui.exe
Compression=lzma2/ultra64
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\MusicMatch\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\MusicMatch"; Filename: "{app}\musicmatch-gui.exe"
Name: "{group}\Uninstall MusicMatch"; Filename: "{uninstallexe}"
Name: "{userdesktop}\MusicMatch"; Filename: "{app}\musicmatch-gui.exe"; Tasks: desktopicon

[Registry]
; .mmproj opens in MusicMatch (per user: HKCU\Software\Classes).
Root: HKCU; Subkey: "Software\Classes\.mmproj"; ValueType: string; ValueName: ""; ValueData: "MusicMatch.Project"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\MusicMatch.Project"; ValueType: string; ValueName: ""; ValueData: "MusicMatch project"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\MusicMatch.Project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\musicmatch-gui.exe,0"
Root: HKCU; Subkey: "Software\Classes\MusicMatch.Project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\musicmatch-gui.exe"" --project ""%1"""

[Run]
Filename: "{app}\musicmatch-gui.exe"; Description: "{cm:LaunchProgram,MusicMatch}"; Flags: nowait postinstall skipifsilent
