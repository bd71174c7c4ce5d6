#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: otshell_settings
short_description: Set an OT sensor's management settings, input and bridge interfaces with confirm-or-revert
version_added: 0.1.0
description:
  - Compares the settings asked for with the sensor's through C(otshell network edit-settings --dry-run --json)
    (otshell's own rules and comparison); reports C(changed) only when something differs.
  - In check mode it stops there and, with C(--diff), shows old and new settings. Nothing changes.
  - Otherwise it applies them with confirm-or-revert (C(--confirm-timeout)) and the collection's action plugin
    re-connects to the sensor (at the new management address when that changed) and only then runs
    C(otshell network confirm). When it cannot re-connect in time, the confirm never arrives, otshell's
    revert timer on the sensor puts the old settings back, and the task fails for that host.
  - The change is started detached on the sensor a moment (I(apply_delay)) after the module has answered,
    because the SSH connection the answer travels on dies with the old address.
extends_documentation_fragment:
  - otshell.sensor.otshell
options:
  ip:
    description: The management IPv4 address.
    type: str
  mask:
    description: The subnet mask, dotted (C(255.255.255.0)) or a prefix (C(/24)).
    type: str
  gateway:
    description: The default gateway.
    type: str
  dns:
    description: One to three DNS servers.
    type: list
    elements: str
  input_interfaces:
    description: The monitor (SPAN) interfaces.
    type: list
    elements: str
  bridge:
    description: The bridge interface, or C(none).
    type: str
  confirm_timeout:
    description:
      - Seconds otshell waits for the confirm before it reverts (5 to 3600).
    type: int
    default: 120
  reconnect_timeout:
    description:
      - Seconds the action plugin tries to re-connect to the sensor after applying; by default
        I(confirm_timeout) minus 10 (at least 3), so that a confirm never races the revert.
    type: int
  apply_delay:
    description:
      - Seconds between the module's answer and the start of the change on the sensor.
    type: int
    default: 2
  step:
    description:
      - Which step to run. The action plugin sets it; leave it out in playbooks.
      - C(apply) compares, and outside check mode starts the change; C(confirm) waits for the change to be
        applied and confirms it.
    type: str
    choices: [apply, confirm]
    default: apply
  job:
    description:
      - The change to confirm (step C(confirm) only); set by the action plugin.
    type: path
attributes:
  check_mode:
    support: full
    description: Runs otshell's C(--dry-run) and changes nothing.
  diff_mode:
    support: full
    description: Shows the settings before and after.
  action:
    support: full
    description: An action plugin re-connects between applying and confirming.
author:
  - otshell maintainers (@otshell)
'''

EXAMPLES = r'''
- name: Move the management address, one sensor at a time
  hosts: sensors
  serial: 1
  gather_facts: false
  tasks:
    - name: New address, confirmed from the new address
      otshell.sensor.otshell_settings:
        ip: "{{ new_management_ip }}"
        confirm_timeout: 120
      register: moved

    - name: Later tasks reach the sensor at its new address
      ansible.builtin.set_fact:
        ansible_host: "{{ moved.address }}"
      when: moved.changed

- name: Only the DNS servers
  otshell.sensor.otshell_settings:
    dns: [10.1.0.2, 10.1.0.3]
'''

RETURN = r'''
changed:
  description: Whether the settings asked for differ from the sensor's.
  returned: always
  type: bool
  sample: true
changes:
  description: Each field that differs, old and new, as otshell reports it.
  returned: always
  type: list
  elements: dict
  sample: [{field: ip, label: Management IP, old: 10.1.0.20, new: 10.1.0.30}]
old:
  description: The sensor's settings before.
  returned: always
  type: dict
  sample: {managementInterface: eth0, ip: 10.1.0.20, prefixLength: 24, gateway: 10.1.0.1, dns: [10.1.0.2], inputInterfaces: [eth1], bridgeInterface: null}
new:
  description: The settings asked for.
  returned: always
  type: dict
  sample: {managementInterface: eth0, ip: 10.1.0.30, prefixLength: 24, gateway: 10.1.0.1, dns: [10.1.0.2], inputInterfaces: [eth1], bridgeInterface: null}
address:
  description: The management address after the change (where later tasks reach the sensor).
  returned: always
  type: str
  sample: 10.1.0.30
old_address:
  description: The management address before the change.
  returned: always
  type: str
  sample: 10.1.0.20
job:
  description: The detached change on the sensor that the confirm step waits for (step C(apply), when changed outside check mode).
  returned: changed and not check mode
  type: str
  sample: /tmp/otshell-ansible-abc123
outcome:
  description: What otshell did with the settings (step C(confirm)); C(kind) is C(awaiting-confirmation), C(applied) or C(pending-restart).
  returned: changed and not check mode
  type: dict
  sample: {kind: awaiting-confirmation, revertAt: "2026-11-29T06:00:00.000Z"}
confirmed:
  description: Whether otshell confirmed the change (it then stays after the countdown).
  returned: changed and not check mode
  type: bool
  sample: true
rc:
  description: otshell's exit code when a step failed.
  returned: failure
  type: int
  sample: 1
'''

import json
import os
import shutil
import subprocess
import tempfile
import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.otshell.sensor.plugins.module_utils.otshell import (
    common_argument_spec,
    run_otshell,
)

JOB_PREFIX = 'otshell-ansible-'
VALUE_OPTIONS = (('ip', 'ip'), ('mask', 'mask'), ('gateway', 'gateway'), ('dns', 'dns'),
                 ('input_interfaces', 'input-interfaces'), ('bridge', 'bridge'))


def settings_flags(params):
    """otshell's value options in the --name=value form, so a value starting with "-" stays a value."""
    flags = []
    for key, option in VALUE_OPTIONS:
        value = params.get(key)
        if value is None:
            continue
        if isinstance(value, list):
            value = ','.join(value)
        flags.append('--%s=%s' % (option, value))
    return flags


def settings_text(settings):
    if not isinstance(settings, dict):
        return ''
    return ''.join('%s: %s\n' % (key, json.dumps(settings[key])) for key in sorted(settings))


def apply_step(module):
    flags = settings_flags(module.params)
    if not flags:
        module.fail_json(msg='give at least one of ip, mask, gateway, dns, input_interfaces, bridge', rc=64)
    timeout = module.params['confirm_timeout']
    if timeout < 5 or timeout > 3600:
        module.fail_json(msg='confirm_timeout takes whole seconds from 5 to 3600, not %d' % timeout, rc=64)
    dummy, plan, dummy_err = run_otshell(module, ['network', 'edit-settings'] + flags + ['--dry-run'])
    if not isinstance(plan, dict) or plan.get('status') not in ('dry-run', 'unchanged'):
        module.fail_json(msg='otshell network edit-settings --dry-run gave an unexpected answer', rc=70, otshell=plan)
    old, new = plan.get('old') or {}, plan.get('new') or {}
    result = dict(
        changed=plan['status'] == 'dry-run',
        changes=plan.get('changes', []),
        old=old,
        new=new,
        address=new.get('ip'),
        old_address=old.get('ip'),
        diff=dict(before=settings_text(old), after=settings_text(new), before_header='settings', after_header='settings'),
    )
    if not result['changed'] or module.check_mode:
        module.exit_json(**result)
    command = ['network', 'edit-settings'] + flags + ['--yes', '--confirm-timeout', str(timeout)]
    result['job'] = start_detached(module, command)
    module.exit_json(**result)


def start_detached(module, args):
    """Starts otshell in its own session after apply_delay seconds; its exit code and output go to the job dir."""
    job = tempfile.mkdtemp(prefix=JOB_PREFIX)
    config, state_dir = module.params.get('config'), module.params.get('state_dir')
    name = module.params['otshell_path']
    binary = name if os.path.sep in name else module.get_bin_path(name, required=False)
    if not binary:
        module.fail_json(msg='otshell was not found on the sensor (looked for "%s")' % module.params['otshell_path'], rc=127)
    command = [binary, '--target', 'local'] + (['--config', config] if config else []) + (['--state-dir', state_dir] if state_dir else []) + args + ['--json']
    pid = os.fork()
    if pid:
        os.waitpid(pid, 0)
        return job
    # Child: a new session, no tie to the SSH channel (sshd waits for every holder of its pipes).
    try:
        os.setsid()
        if os.fork():
            os._exit(0)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        time.sleep(module.params['apply_delay'])
        out_path, err_path = os.path.join(job, 'stdout'), os.path.join(job, 'stderr')
        with open(out_path, 'wb') as out, open(err_path, 'wb') as err:
            env = dict(os.environ, NO_COLOR='1', LANG='C.UTF-8')

            rc = subprocess.call(command, stdin=null, stdout=out, stderr=err, env=env)
        # Written last and renamed: the confirm step reads a whole file or none.
        with open(os.path.join(job, 'rc.tmp'), 'w') as handle:
            handle.write(str(rc))
        os.rename(os.path.join(job, 'rc.tmp'), os.path.join(job, 'rc'))
        # A confirm that never came (the controller locked out): once otshell's countdown is
        # over the result is of no use, so the job does not stay behind in the temp folder.
        time.sleep(module.params['confirm_timeout'] + 5)
        shutil.rmtree(job, ignore_errors=True)
    finally:
        os._exit(0)


def confirm_step(module):
    job = module.params['job']
    base = os.path.realpath(tempfile.gettempdir())
    if not job or os.path.dirname(os.path.realpath(job)) != base or not os.path.basename(job).startswith(JOB_PREFIX) \
            or not os.path.isdir(job):
        module.fail_json(msg='step confirm needs the job the apply step returned, not %r' % (job or '')[:200], rc=64)
    deadline = time.time() + module.params['apply_delay'] + module.params['confirm_timeout']
    rc_path = os.path.join(job, 'rc')
    while not os.path.exists(rc_path):
        if time.time() > deadline:
            module.fail_json(msg='the change started on the sensor did not finish in time; otshell reverts it unless confirmed', rc=1)
        time.sleep(0.2)
    with open(rc_path) as handle:
        rc = int(handle.read().strip() or '1')
    with open(os.path.join(job, 'stdout')) as handle:
        stdout = handle.read()
    with open(os.path.join(job, 'stderr')) as handle:
        stderr = handle.read()
    shutil.rmtree(job, ignore_errors=True)
    if rc != 0:
        lines = [line.strip() for line in stderr.splitlines() if line.strip()]
        module.fail_json(msg=' '.join(lines) or 'otshell exited %d' % rc, rc=rc, stderr=stderr)
    try:
        applied = json.loads(stdout)
        outcome = applied['outcome']
    except (ValueError, KeyError, TypeError):
        module.fail_json(msg='otshell printed output that is not the JSON of edit-settings: %s' % stdout.strip()[:200], rc=1)
    if not isinstance(outcome, dict) or outcome.get('kind') != 'awaiting-confirmation':
        # Applied without a countdown (or at the next restart): nothing to confirm.
        module.exit_json(changed=True, outcome=outcome, confirmed=False, changes=applied.get('changes', []))
    dummy, confirmed, dummy_err = run_otshell(module, ['network', 'confirm'])
    module.exit_json(changed=True, outcome=outcome, confirmed=bool(confirmed and confirmed.get('confirmed')),
                     detail=(confirmed or {}).get('detail'), changes=applied.get('changes', []))


def main():
    module = AnsibleModule(
        argument_spec=common_argument_spec(
            ip=dict(type='str'),
            mask=dict(type='str'),
            gateway=dict(type='str'),
            dns=dict(type='list', elements='str'),
            input_interfaces=dict(type='list', elements='str'),
            bridge=dict(type='str'),
            confirm_timeout=dict(type='int', default=120),
            reconnect_timeout=dict(type='int'),
            apply_delay=dict(type='int', default=2),
            step=dict(type='str', choices=['apply', 'confirm'], default='apply'),
            job=dict(type='path'),
        ),
        supports_check_mode=True,
    )
    if module.params['step'] == 'confirm':
        confirm_step(module)
    apply_step(module)


if __name__ == '__main__':
    main()
