# Shared by run.ps1 and test.ps1 (dot-sourced): create or refresh .venv on Windows.
#
# torch goes in first at an exact version: pip then satisfies pyproject's range with it
# instead of resolving the range on its own. The install is skipped when pyproject.toml
# has not changed since the last successful one (a stamp file records it).

$VenvDir = if ($env:MUSICMATCH_VENV) { $env:MUSICMATCH_VENV } else { ".venv" }
$VenvPy = Join-Path $VenvDir "Scripts\python.exe"
$TorchPin = "torch==2.13.0"

function Ensure-Venv([string]$Extras) {
    if (-not (Test-Path $VenvPy)) {
        Write-Host "== creating $VenvDir"
        $launcher = Get-Command py -ErrorAction SilentlyContinue
        if ($launcher) { & py -3.11 -m venv $VenvDir } else { & python -m venv $VenvDir }
        if ($LASTEXITCODE -ne 0) { throw "could not create $VenvDir (is Python 3.11 installed?)" }
    }
    $stamp = Join-Path $VenvDir ".musicmatch-installed-$($Extras -replace ',', '-')"
    $bytes = [System.IO.File]::ReadAllBytes("pyproject.toml") + [System.IO.File]::ReadAllBytes("installer\venv.ps1")
    $sha = [System.Security.Cryptography.SHA256]::Create()
    $want = [System.BitConverter]::ToString($sha.ComputeHash($bytes)) -replace '-', ''
    if ((Test-Path $stamp) -and ((Get-Content $stamp -Raw).Trim() -eq $want)) { return }
    Write-Host "== installing MusicMatch[$Extras] into $VenvDir"
    & $VenvPy -m pip install --quiet --upgrade pip
    & $VenvPy -m pip install --quiet $TorchPin
    if ($LASTEXITCODE -ne 0) { throw "installing $TorchPin failed" }
    & $VenvPy -m pip install --quiet -e ".[$Extras]"
    if ($LASTEXITCODE -ne 0) { throw "installing MusicMatch failed" }
    Set-Content -Path $stamp -Value $want
}
