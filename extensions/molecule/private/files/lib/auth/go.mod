module git.private.lab.test/team/lib/auth

go 1.22
