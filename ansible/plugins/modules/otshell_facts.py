#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: otshell_facts
short_description: Gather an OT sensor's state through otshell
version_added: 0.1.0
description:
  - Runs otshell's one-shot C(--json) mode on the sensor for each part asked for (C(network list),
    C(system sanity), C(system version), C(system date), C(ntp status), C(system audit)) and returns
    their JSON as the fact C(otshell).
  - Reads only; never changes the sensor.
extends_documentation_fragment:
  - otshell.sensor.otshell
options:
  gather:
    description:
      - The parts to gather.
      - C(sanity) is gathered even when the sensor is down or starting (otshell exits 1 or 2 then); the
        result's C(status) says which.
    type: list
    elements: str
    choices: [network, sanity, version, date, ntp, audit]
    default: [network, sanity, version, date, ntp, audit]
  audit_lines:
    description:
      - How many of the latest audit log entries to return (otshell's C(system audit --last)).
    type: int
    default: 10
  fail_when_unhealthy:
    description:
      - Fail the host (after gathering) when the sanity status is not C(up) or NTP is not synchronised,
        with a message naming what is wrong; for health checks.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reads only, so check mode runs it as usual.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
  facts:
    support: full
    description: Sets the fact C(otshell).
author:
  - otshell maintainers (@otshell)
'''

EXAMPLES = r'''
- name: Gather everything otshell knows about the sensor
  otshell.sensor.otshell_facts:

- name: Only the interfaces and the clock
  otshell.sensor.otshell_facts:
    gather: [network, date]

- name: Fail the host when its services are not up
  ansible.builtin.assert:
    that: ansible_facts.otshell.sanity.status == 'up'
'''

RETURN = r'''
ansible_facts:
  description: The fact C(otshell), one key per part gathered, each the JSON otshell prints for it.
  returned: always
  type: complex
  contains:
    otshell:
      description: The parts gathered.
      returned: always
      type: dict
      sample:
        network:
          interfaces: []
          gateway: 10.1.0.1
          dns: [10.1.0.2]
          pendingRestart: false
        sanity: {status: up, profile: medium, services: []}
        version: {version: 22.2.5.9-r-2121448, source: local, otshell: 0.1.0}
        date: {utc: "2026-11-29T05:32:42.669Z", text: "Sun Nov 29 05:32:42 UTC 2026"}
        ntp: {servers: [], synchronised: false, reference: null, stratum: null, offsetSeconds: null}
        audit: {entries: [], total: 0, malformedLines: []}
otshell:
  description: The same dict as the fact, for C(register).
  returned: always
  type: dict
  sample: {date: {utc: "2026-11-29T05:32:42.669Z"}}
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.otshell.sensor.plugins.module_utils.otshell import (
    common_argument_spec,
    run_otshell,
)

# Each part: the otshell command line and the exit codes that still carry a JSON answer.
PARTS = {
    'network': (['network', 'list'], (0,)),
    # sanity: 1 = down, 2 = starting; both still print the services' states.
    'sanity': (['system', 'sanity'], (0, 1, 2)),
    'version': (['system', 'version'], (0,)),
    'date': (['system', 'date'], (0,)),
    'ntp': (['ntp', 'status'], (0,)),
}


def main():
    module = AnsibleModule(
        argument_spec=common_argument_spec(
            gather=dict(type='list', elements='str', choices=['network', 'sanity', 'version', 'date', 'ntp', 'audit'],
                        default=['network', 'sanity', 'version', 'date', 'ntp', 'audit']),
            audit_lines=dict(type='int', default=10),
            fail_when_unhealthy=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    if module.params['audit_lines'] < 1:
        module.fail_json(msg='audit_lines must be 1 or more, not %d' % module.params['audit_lines'], rc=64)
    facts = {}
    for part in module.params['gather']:
        if part == 'audit':
            args, ok_codes = ['system', 'audit', '--last', str(module.params['audit_lines'])], (0,)
        else:
            args, ok_codes = PARTS[part]
        dummy, data, dummy_err = run_otshell(module, args, ok_codes)
        facts[part] = data
    problem = unhealthy(facts) if module.params['fail_when_unhealthy'] else None
    if problem:
        module.fail_json(msg=problem, rc=1, ansible_facts={'otshell': facts}, otshell=facts)
    module.exit_json(changed=False, ansible_facts={'otshell': facts}, otshell=facts)


def unhealthy(facts):
    """One line saying what is not healthy in the parts gathered, or None."""
    problems = []
    sanity = facts.get('sanity')
    if isinstance(sanity, dict) and sanity.get('status') != 'up':
        bad = ['%s %s' % (s.get('name'), s.get('status')) for s in sanity.get('services', [])
               if isinstance(s, dict) and s.get('status') != 'running']
        problems.append('system is %s: %s' % (sanity.get('status'), ', '.join(bad) or 'no service running'))
    ntp = facts.get('ntp')
    if isinstance(ntp, dict) and not ntp.get('synchronised'):
        servers = [s.get('address', '?') if isinstance(s, dict) else str(s) for s in ntp.get('servers', [])]
        problems.append('NTP not synchronised (servers: %s)' % (', '.join(servers) or 'none'))
    return '; '.join(problems) or None


if __name__ == '__main__':
    main()
