# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options every otshell module shares: where otshell is and which config and state it uses."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  otshell_path:
    description:
      - The otshell program on the sensor, a name looked up on C(PATH) or an absolute path.
    type: str
    default: otshell
  config:
    description:
      - otshell's config file on the sensor (otshell's C(--config)).
      - When not given, otshell uses C(OTSHELL_CONFIG) from the SSH session's environment, else C(/etc/otshell/otshell.yaml).
    type: path
  state_dir:
    description:
      - otshell's state directory on the sensor (otshell's C(--state-dir)), which holds the edit lock, audit log and confirm markers.
      - When not given, the config's C(stateDir), else C(OTSHELL_STATE_DIR), else C(/var/lib/otshell).
    type: path
notes:
  - The module runs C(otshell --target local ... --json) on the sensor and returns its JSON.
  - A failure carries otshell's exit code in C(rc) and its one-line message in C(msg); a missing otshell gives C(rc=127).
requirements:
  - otshell installed on the sensor (Node.js 20 or later)
'''
