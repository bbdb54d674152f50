@echo off
chcp 65001 >nul
rem 报告生成器 · 工作台：双击启动（Windows）。第一次运行会在本文件夹中创建 .venv 并安装所需软件：
rem 有 wheels 文件夹（离线安装包，make windows-bundle 生成）时不需要联网。其余步骤见 tools\winstart.py。
setlocal
cd /d "%~dp0"
title 报告生成器 · 工作台
set "PY="
rem 1) Python 自带的 py 启动器（即使安装时没有勾选 PATH 也有）；2) PATH 中的 python；3) 常见的安装位置。
where py >nul 2>nul
if not errorlevel 1 py -3 -c "import sys" >nul 2>nul
if not errorlevel 1 set "PY=py -3"
if defined PY goto found
python -c "import sys; sys.exit(0 if sys.version_info[0] == 3 else 1)" >nul 2>nul
if not errorlevel 1 set "PY=python"
if defined PY goto found
for /d %%D in ("%LOCALAPPDATA%\Programs\Python\Python3*" "%ProgramFiles%\Python3*") do if exist "%%~D\python.exe" set "PY="%%~D\python.exe""
if not defined PY goto nopython
:found
%PY% -c "import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else 1)" >nul 2>nul
if errorlevel 1 goto oldpython
%PY% tools\winstart.py %*
if errorlevel 1 pause
exit /b 0
:oldpython
set "PYVER="
for /f "delims=" %%V in ('%PY% -c "import sys; print('%%d.%%d.%%d' %% tuple(sys.version_info[:3]))" 2^>nul') do set "PYVER=%%V"
echo 这台电脑上的 Python 版本是 %PYVER%，太旧了：工作台需要 Python 3.11 或更新的版本。
echo 请安装 Python 3.11 或更新的版本（安装时勾选“Add python.exe to PATH”），然后再双击本文件。
pause
exit /b 3
:nopython
echo 找不到 Python：请先安装 Python 3.11 或更新的版本（安装时勾选“Add python.exe to PATH”），然后再双击本文件。
pause
exit /b 1
