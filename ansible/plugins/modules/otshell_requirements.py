#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: otshell_requirements
short_description: Check a sensor's networking requirements (firewall rules) through otshell
version_added: 0.1.0
description:
  - Runs C(otshell network requirements --json) on the sensor, which checks every firewall rule of the
    site file from the sensor, and fails the host when a required rule is not open.
  - Reads only; never changes the sensor.
extends_documentation_fragment:
  - otshell.sensor.otshell
options:
  site:
    description:
      - The site file on the sensor (otshell's C(--site)); by default the one the otshell config names.
    type: path
  timeout:
    description:
      - Seconds each rule's check may take (otshell's C(--timeout)).
    type: int
    default: 3
attributes:
  check_mode:
    support: full
    description: Reads only, so check mode runs it as usual.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
author:
  - otshell maintainers (@otshell)
'''

EXAMPLES = r'''
- name: Check the site's firewall rules from every sensor
  otshell.sensor.otshell_requirements:
    site: /etc/otshell/site.yaml
    timeout: 2
'''

RETURN = r'''
requirements:
  description: What C(otshell network requirements --json) printed.
  returned: when otshell answered with JSON
  type: dict
  sample: {rules: [], summary: {}}
rc:
  description: otshell's exit code (0 every required rule open, 1 a rule failed, 2 the site file is missing or invalid).
  returned: always
  type: int
  sample: 0
msg:
  description: What failed, in one line.
  returned: failure
  type: str
  sample: "2 required rules are not open"
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.otshell.sensor.plugins.module_utils.otshell import (
    RC_PROBLEM,
    common_argument_spec,
    run_otshell,
)


def failing_rules(data):
    """One line naming the required rules that are not open, from otshell's JSON rows."""
    rows = data if isinstance(data, list) else []
    bad = [r for r in rows if isinstance(r, dict) and r.get('required') and r.get('status') != 'open']
    if not bad:
        return ''
    names = ['%s %s/%s %s (%s)' % (r.get('protocol'), r.get('transport'), r.get('port'), r.get('destination'), r.get('status')) for r in bad[:5]]
    more = ' and %d more' % (len(bad) - 5) if len(bad) > 5 else ''
    return '%d required rule%s not open: %s%s' % (len(bad), ' is' if len(bad) == 1 else 's are', ', '.join(names), more)


def main():
    module = AnsibleModule(
        argument_spec=common_argument_spec(
            site=dict(type='path'),
            timeout=dict(type='int', default=3),
        ),
        supports_check_mode=True,
    )
    args = ['network', 'requirements', '--timeout', str(module.params['timeout'])]
    if module.params['site']:
        args += ['--site', module.params['site']]
    rc, data, stderr = run_otshell(module, args, ok_codes=(0, RC_PROBLEM))
    if rc == RC_PROBLEM:
        module.fail_json(msg=failing_rules(data) or stderr.strip() or 'a required networking rule is not open', rc=rc, requirements=data)
    module.exit_json(changed=False, rc=rc, requirements=data)


if __name__ == '__main__':
    main()
