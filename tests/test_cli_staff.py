"""``yijian staff …`` as an admin runs it from the shell, on a real database file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from yijian.cli import main
from yijian.store import Store

PASSWORD = "correct horse 1"


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    stdin: str = PASSWORD + "\n",
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id with small parameters (the defaults cost ~145 ms a hash)."""
    from argon2 import PasswordHasher

    import yijian.tools.staffcli as staffcli
    from yijian.store.passwords import Passwords

    cheap = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(staffcli, "Passwords", lambda: cheap)
    monkeypatch.setenv("USER", "ops")
    monkeypatch.setenv("LOGNAME", "ops")


def test_add_list_grant_revoke_disable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ("staff", "--root", str(tmp_path))
    status, out, err = run(
        capsys, monkeypatch, *base, "add", "--db", "var/y.db", "--login", "wang",
        "--name", "王芳", "--role", "clerk", "--region", "110105", "--password-stdin",
    )  # fmt: skip
    assert status == 0, err
    assert out == "added wang\t王芳\tactive\tclerk@110105\n"
    db = tmp_path / "var" / "y.db"  # relative to --root, as for serve
    assert db.exists()

    # --db and --root before the subcommand work too
    status, out, _ = run(
        capsys, monkeypatch, "staff", "--db", str(db), "grant", "wang",
        "--role", "reviewer", "--region", "110105001", "--department", "mca",
    )  # fmt: skip
    assert status == 0 and out.endswith("clerk@110105 reviewer@110105001/mca\n")

    status, out, _ = run(capsys, monkeypatch, "staff", "--db", str(db), "list")
    assert out == "wang\t王芳\tactive\tclerk@110105 reviewer@110105001/mca\n"

    status, out, _ = run(
        capsys, monkeypatch, "staff", "--db", str(db), "revoke", "wang",
        "--role", "clerk", "--region", "110105",
    )  # fmt: skip
    assert status == 0 and out == "revoked wang\t王芳\tactive\treviewer@110105001/mca\n"

    status, out, _ = run(capsys, monkeypatch, "staff", "--db", str(db), "disable", "wang")
    assert (status, out) == (0, "disabled wang; their sessions have ended\n")
    status, out, _ = run(capsys, monkeypatch, "staff", "--db", str(db), "disable", "wang")
    assert (status, out) == (0, "wang was disabled already\n")
    status, out, _ = run(capsys, monkeypatch, "staff", "--db", str(db), "enable", "wang")
    assert (status, out) == (0, "enabled wang\n")

    status, out, _ = run(
        capsys, monkeypatch, "staff", "--db", str(db), "passwd", "wang", "--password-stdin",
        stdin="another secret!\n",
    )  # fmt: skip
    assert status == 0 and "sessions have ended" in out

    status, out, _ = run(capsys, monkeypatch, "staff", "--db", str(db), "audit", "wang")
    assert status == 0
    lines = out.splitlines()
    assert lines[-1] == "audit chain ok"
    assert [line.split("\t")[3] for line in lines[:-1]] == [
        "staff_added", "grant_added", "grant_added", "grant_revoked",
        "staff_disabled", "staff_enabled", "password_set",
    ]  # fmt: skip
    assert {line.split("\t")[2] for line in lines[:-1]} == {"cli:ops"}
    assert lines[1].endswith('\t{"department": null, "region": "110105", "role": "clerk"}')

    with Store.open(db) as store:
        member = store.staff.by_login("wang")
        assert member is not None and member.password_hash.startswith("$argon2id$")
        assert PASSWORD not in member.password_hash


def test_errors_are_clear_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "y.db")
    add = ("staff", "--db", db, "add", "--login", "wang", "--name", "王芳", "--password-stdin")
    cases = [
        (("--role", "reviewer", "--region", "110105"), PASSWORD, "须指定部门"),
        (("--role", "clerk", "--region", "999999"), PASSWORD, "未知区划代码 999999"),
        (("--role", "clerk",), PASSWORD, "授权须同时给出 --role 与 --region"),
        ((), "short", "密码至少 10 位"),
    ]  # fmt: skip
    for extra, password, message in cases:
        status, out, err = run(capsys, monkeypatch, *add, *extra, stdin=password + "\n")
        assert status == 1 and out == "" and err.startswith("error: ") and message in err, err
    assert run(capsys, monkeypatch, *add)[0] == 0
    status, _, err = run(capsys, monkeypatch, *add)
    assert status == 1 and err == "error: 登录名 wang 已被使用\n"
    status, _, err = run(capsys, monkeypatch, "staff", "--db", db, "disable", "li")
    assert status == 1 and err == "error: 没有登录名为 li 的工作人员\n"
    status, out, _ = run(capsys, monkeypatch, "staff", "--db", str(tmp_path / "n.db"), "list")
    assert (status, out) == (0, "no staff yet\n")


def test_interactive_password_must_match_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    db = str(tmp_path / "y.db")
    argv = ("staff", "--db", db, "add", "--login", "wang", "--name", "王芳")
    status, _, err = run(capsys, monkeypatch, *argv)
    assert status == 1 and err == "error: 两次输入的密码不一致\n"
    answers = iter([PASSWORD, PASSWORD])
    status, out, _ = run(capsys, monkeypatch, *argv)
    assert status == 0 and out == "added wang\t王芳\tactive\t(no grants)\n"


def test_a_broken_audit_chain_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "y.db"
    run(capsys, monkeypatch, "staff", "--db", str(db), "add", "--login", "wang", "--name",
        "王芳", "--password-stdin")  # fmt: skip
    with Store.open(db) as store:
        conn = store.db.conn()
        conn.execute("DROP TRIGGER staff_audit_no_update")
        conn.execute("UPDATE staff_audit SET actor = 'cli:someone-else'")
    status, out, _ = run(capsys, monkeypatch, "staff", "--db", str(db), "audit")
    assert status == 2 and out.splitlines()[-1].startswith("error: the audit chain is broken")


def test_a_reviewer_grant_names_a_department_of_the_organisation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With rules/org.yaml in the root, a reviewer's department must be one of its ids."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "org.yaml").write_text(
        "departments:\n  - {id: mca, name: 县民政局}\n", encoding="utf-8"
    )
    base = ("staff", "--root", str(tmp_path))
    status, out, err = run(
        capsys, monkeypatch, *base, "add", "--login", "li", "--name", "李", "--role", "reviewer",
        "--region", "110105", "--department", "mac", "--password-stdin", stdin="pass-word-123\n",
    )  # fmt: skip
    assert status != 0 and "未知部门 mac" in out + err
    status, out, _ = run(
        capsys, monkeypatch, *base, "add", "--login", "li", "--name", "李", "--role", "reviewer",
        "--region", "110105", "--department", "mca", "--password-stdin", stdin="pass-word-123\n",
    )  # fmt: skip
    assert status == 0, out
