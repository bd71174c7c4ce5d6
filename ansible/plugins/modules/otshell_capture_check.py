#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: otshell_capture_check
short_description: Validate a sensor's SPAN (mirror) port live through otshell
version_added: 0.1.0
description:
  - Runs C(otshell network capture-check --json) on the sensor, which captures on the monitor interfaces
    for a while and gives a verdict (pass, warn, fail) on what the mirror delivers.
  - Fails the host when the verdict is warn or fail, unless I(fail_on_warn=false) and the verdict is warn.
extends_documentation_fragment:
  - otshell.sensor.otshell
options:
  interfaces:
    description:
      - Interfaces to capture on; by default every monitor interface of the sensor's settings.
    type: list
    elements: str
    default: []
  seconds:
    description:
      - How long to capture, 1 to 86400 seconds.
    type: int
    default: 60
  fail_on_warn:
    description:
      - Whether a C(warn) verdict fails the host.
    type: bool
    default: true
attributes:
  check_mode:
    support: full
    description: Captures and reports only, so check mode runs it as usual.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
author:
  - otshell maintainers (@otshell)
'''

EXAMPLES = r'''
- name: Ten seconds of the mirror on every sensor
  otshell.sensor.otshell_capture_check:
    seconds: 10

- name: Only eth1, and a short capture only warns
  otshell.sensor.otshell_capture_check:
    interfaces: [eth1]
    seconds: 5
    fail_on_warn: false
'''

RETURN = r'''
verdict:
  description: The overall verdict.
  returned: when otshell answered with JSON
  type: str
  sample: pass
capture_check:
  description: What C(otshell network capture-check --json) printed.
  returned: when otshell answered with JSON
  type: dict
  sample: {seconds: 10, interfaces: [], overall: {verdict: {status: pass, checks: []}}}
rc:
  description: otshell's exit code (0 pass, 1 warn or fail, 2 a capture could not run).
  returned: always
  type: int
  sample: 0
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.otshell.sensor.plugins.module_utils.otshell import (
    RC_PROBLEM,
    common_argument_spec,
    run_otshell,
)


def verdict_of(data):
    try:
        return data['overall']['verdict']['status']
    except (KeyError, TypeError):
        return None


def failing_checks(data):
    try:
        checks = data['overall']['verdict']['checks']
    except (KeyError, TypeError):
        return ''
    bad = [c for c in checks if isinstance(c, dict) and c.get('status') in ('warn', 'fail')]
    return '; '.join('%s: %s' % (c.get('id'), c.get('detail', c.get('status'))) for c in bad)


def main():
    module = AnsibleModule(
        argument_spec=common_argument_spec(
            interfaces=dict(type='list', elements='str', default=[]),
            seconds=dict(type='int', default=60),
            fail_on_warn=dict(type='bool', default=True),
        ),
        supports_check_mode=True,
    )
    for name in module.params['interfaces']:
        # An interface name starting with "-" would be read by otshell as an option.
        if name.startswith('-'):
            module.fail_json(msg='interface names do not start with "-": %s' % name[:40], rc=64)
    args = ['network', 'capture-check', '--seconds', str(module.params['seconds'])] + module.params['interfaces']
    rc, data, stderr = run_otshell(module, args, ok_codes=(0, RC_PROBLEM))
    verdict = verdict_of(data)
    if rc == RC_PROBLEM and (verdict != 'warn' or module.params['fail_on_warn']):
        module.fail_json(msg='SPAN verdict %s: %s' % (verdict, failing_checks(data) or stderr.strip()), rc=rc, verdict=verdict, capture_check=data)
    module.exit_json(changed=False, rc=rc, verdict=verdict, capture_check=data)


if __name__ == '__main__':
    main()
