# Create .venv if needed, install MusicMatch, then open it. Arguments are passed on
# (e.g. .\run.ps1 match --help); with none, the app opens on a generated demo library.
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
. .\installer\venv.ps1
Ensure-Venv "gui"
$exe = Join-Path $VenvDir "Scripts\musicmatch.exe"
if ($args.Count -gt 0) { & $exe @args } else { & $exe gui }
exit $LASTEXITCODE
