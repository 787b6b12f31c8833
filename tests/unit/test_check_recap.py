"""tools/check_recap.py: the PLAY RECAP gate of `tools/test.sh site`."""

import check_recap

RECAP = """PLAY [x] ****
TASK [y] ****
changed: [builder1]
PLAY RECAP *********************************************************************
builder1                   : ok=12   changed={b1}    unreachable=0    failed={f1}    skipped=3    rescued=0    ignored=0
\x1b[0;32mlocalhost\x1b[0m                  : ok=2    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
"""


def write(tmp_path, **counts):
    log = tmp_path / "run.log"
    log.write_text(RECAP.format(b1=counts.get("changed", 0), f1=counts.get("failed", 0)))
    return str(log)


def test_clean_rerun_passes(tmp_path, capsys):
    assert check_recap.main(["--changed", "0", write(tmp_path)]) == 0
    assert "2 host(s), 0 problem(s)" in capsys.readouterr().out


def test_a_changed_task_fails_naming_the_host(tmp_path, capsys):
    assert check_recap.main(["--changed", "0", write(tmp_path, changed=1)]) == 1
    assert "builder1: changed=1" in capsys.readouterr().out


def test_changes_allowed_without_the_option_but_failures_never(tmp_path):
    assert check_recap.main([write(tmp_path, changed=5)]) == 0
    assert check_recap.main([write(tmp_path, failed=1)]) == 1


def test_a_log_without_recap_fails(tmp_path):
    log = tmp_path / "run.log"
    log.write_text("ERROR! the playbook could not be found\n")
    assert check_recap.main([str(log)]) == 1


def test_a_task_name_that_did_not_template_fails(tmp_path, capsys):
    log = tmp_path / "run.log"
    broken = "TASK [gomod.proxy.artifact : Compile the package - << error 1 - object of type 'dict' has no attribute 'goos' >>] ***"
    log.write_text(RECAP.format(b1=0, f1=0).replace("TASK [y] ****", broken + "\nskipping: [builder1]"))
    assert check_recap.main(["--changed", "0", str(log)]) == 1
    assert "task name did not template: " + broken in capsys.readouterr().out
    assert check_recap.broken_task_names("TASK [fine << not an error >>] ***\n") == []
