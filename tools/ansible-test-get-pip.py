"""Stand-in for the get-pip.py that ansible-test downloads from ci-files.testing.ansible.com.

That host is unreachable from the build machines, while PyPI is. ansible-test runs this file (saved
as ~/.ansible/test/cache/get_pip_<version>.py by tools/test.sh) inside an empty venv with pip options
and packages as arguments, e.g. `--disable-pip-version-check pip==24.2 --no-setuptools --no-wheel`.
It bootstraps the interpreter's bundled pip with ensurepip, then lets that pip install what was asked
from PyPI. The get-pip-only flags --no-setuptools/--no-wheel are honoured by not installing them.
"""

import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
# A separate process: ensurepip sets PIP_CONFIG_FILE=/dev/null in its own environment, which would hide
# the machine's pip configuration (its CA bundle, for one) from the install below.
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + args))
