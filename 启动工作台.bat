@echo off
chcp 65001 >nul
rem 报告生成器 · 工作台：双击启动（Windows）。第一次运行会在本文件夹中创建 .venv 并安装所需软件。
setlocal
cd /d "%~dp0"
title 报告生成器 · 工作台
if exist ".venv\Scripts\python.exe" goto check
echo 第一次使用：正在准备运行环境（需要联网，约几分钟）……
where py >nul 2>nul
if errorlevel 1 goto nopython
py -3 -m venv .venv
if errorlevel 1 goto fail
:check
".venv\Scripts\python.exe" -c "import fastapi, uvicorn, generators.cli_web" >nul 2>nul
if not errorlevel 1 goto run
echo 正在安装或更新所需的软件包……
".venv\Scripts\python.exe" -m pip install --disable-pip-version-check -e .
if errorlevel 1 goto fail
:run
echo 正在启动工作台，浏览器会自动打开 http://127.0.0.1:8000/
echo 使用期间请不要关闭本窗口；用完后关闭本窗口即可停止。
".venv\Scripts\reportgen.exe" serve
if errorlevel 1 pause
exit /b 0
:nopython
echo 找不到 Python：请先安装 Python 3.11 或更新的版本（安装时勾选“Add python.exe to PATH”），然后再双击本文件。
pause
exit /b 1
:fail
echo 准备运行环境失败：请检查网络后重新双击本文件；仍不成功，请把本窗口中的信息发给技术人员。
pause
exit /b 1
