# Build the Windows one-folder bundle and the per-user setup .exe.
# Needs: Python 3.11 on PATH (py -3.11) and Inno Setup 6 (iscc.exe on PATH or in its default folder).
# Usage, from the repository root:  powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
$ErrorActionPreference = "Stop"
$Root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $Root
$start = Get-Date
$Version = (& py -3.11 -c "import tomllib; print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])").Trim()
$BuildVenv = Join-Path $Root ".venv-build"
if (-not (Test-Path (Join-Path $BuildVenv "Scripts\python.exe"))) { & py -3.11 -m venv $BuildVenv }
$Py = Join-Path $BuildVenv "Scripts\python.exe"
& $Py -m pip install --quiet --upgrade pip
& $Py -m pip install --quiet "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu
& $Py -m pip install --quiet ".[gui]" "pyinstaller>=6.10"
# Package metadata (the version) comes from the installed copy; the code is read from this tree
# (the spec's pathex), so leave the tree alone until the build is done.
& $Py -m pip install --quiet --no-deps --force-reinstall .
if (Test-Path "dist\MusicMatch") { Remove-Item -Recurse -Force "dist\MusicMatch" }
& (Join-Path $BuildVenv "Scripts\pyinstaller.exe") installer\musicmatch.spec --noconfirm --clean `
    --workpath build\pyinstaller --distpath dist
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
# Smoke test of the bundle before packaging it.
& "dist\MusicMatch\musicmatch.exe" --version
if ($LASTEXITCODE -ne 0) { throw "the bundled musicmatch.exe does not run" }
$Iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $Iscc) { $Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $Iscc "/DAppVersion=$Version" installer\windows\musicmatch.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
$size = "{0:N0} MB" -f ((Get-ChildItem -Recurse dist\MusicMatch | Measure-Object Length -Sum).Sum / 1MB)
Write-Host "bundle: dist\MusicMatch ($size); setup: dist\MusicMatch-$Version-setup.exe"
Write-Host ("built in {0:N0} s" -f ((Get-Date) - $start).TotalSeconds)
