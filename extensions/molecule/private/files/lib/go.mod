module git.private.lab.test/team/lib

go 1.22
