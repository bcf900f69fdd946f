"""The benchmark script keeps working (a tiny run; the real figures come from running it by hand)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_script_issues_and_times_a_small_run():
    result = subprocess.run([sys.executable, "scripts/benchmark_credentials.py", "--credentials", "30", "--team", "3",
                             "--requests", "3"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Issued and signed 30 credentials" in result.stdout
    assert "GET /credentials/<uuid>" in result.stdout and "(status 200)" in result.stdout


def test_issue_command_issues_missing_credentials(runner, delivered):
    result = runner.invoke(args=["credentials", "issue", str(delivered.id)])
    assert result.exit_code == 0 and "2 credential(s) issued." in result.output
    again = runner.invoke(args=["credentials", "issue", str(delivered.id)])
    assert "0 credential(s) issued." in again.output
