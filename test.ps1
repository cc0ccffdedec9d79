# Create or refresh .venv, install MusicMatch with its dev extras, then lint and run the
# whole test suite. Extra arguments go to pytest (e.g. .\test.ps1 -m "not slow" -x).
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
. .\installer\venv.ps1
Ensure-Venv "gui,dev,cluster"
Write-Host "== ruff"
& $VenvPy -m ruff check .
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
Write-Host "== pytest"
& $VenvPy -m pytest @args
exit $LASTEXITCODE
