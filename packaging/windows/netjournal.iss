; Inno Setup 6 script for netjournal on Windows. NOT BUILT OR TESTED HERE (the project is built on Linux);
; it is kept minimal so that it is easy to check on a Windows machine.
;
; Build, on Windows with Python 3.11+ and Inno Setup 6.3+:
;   py -m venv .venv && .venv\Scripts\pip install -e ".[dist]"
;   .venv\Scripts\pyinstaller --noconfirm build.spec        (makes dist\netjournal\: netjournal.exe, netjournal-cli.exe)
;   iscc /DAppVersion=0.1.0 packaging\windows\netjournal.iss (version as in pyproject.toml)
; Output: dist\netjournal-<version>-setup.exe
;
; The journal lives in %LOCALAPPDATA%\netjournal (platformdirs). The uninstaller removes only the files
; this script installed, so the journal and its backups stay where they are.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{CAB07598-1EF6-49EF-9737-7B5AE7C19BC0}
AppName=netjournal
AppVersion={#AppVersion}
AppPublisher=netjournal developers
DefaultDirName={autopf}\netjournal
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=netjournal.ico
UninstallDisplayIcon={app}\netjournal.exe
OutputDir=..\..\dist
OutputBaseFilename=netjournal-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "startatlogin"; Description: "Start netjournal in the tray when anyone signs in to this PC"; Flags: unchecked

[Files]
Source: "..\..\dist\netjournal\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\netjournal"; Filename: "{app}\netjournal.exe"
Name: "{autostartup}\netjournal"; Filename: "{app}\netjournal.exe"; Parameters: "--minimized"; Tasks: startatlogin

[Run]
Filename: "{app}\netjournal.exe"; Description: "Open netjournal"; Flags: nowait postinstall skipifsilent
