# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""otshell_settings as one task: apply, re-connect (to the new address), confirm.

Why an action plugin and not two tasks with wait_for_connection between: a support engineer writes one
task per change and cannot forget the confirm, and the re-connect must go to the new management address
while inventory still names the old one. The plugin points this task's connection at the new address,
drops the old (dead) SSH master, and retries the confirm step until it gets through or the reconnect
time is up; then the confirm never arrives and otshell's revert timer on the sensor puts the old settings
back, and this host fails.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible.errors import AnsibleConnectionFailure
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

display = Display()

MODULE = 'otshell.sensor.otshell_settings'


def last_line(error):
    """The last line of a connection error (ssh's own reason), short; 'none' without one."""
    lines = str(error or '').strip().splitlines()
    return lines[-1][:200] if lines else 'none'


class ActionModule(ActionBase):

    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        args = dict(self._task.args)
        args.pop('step', None)
        args.pop('job', None)
        applied = self._execute_module(module_name=MODULE, module_args=dict(args, step='apply'), task_vars=task_vars)
        result.update(applied)
        if applied.get('failed') or not applied.get('changed') or self._play_context.check_mode or not applied.get('job'):
            return result
        confirm_timeout = int(args.get('confirm_timeout') or 120)
        reconnect_timeout = args.get('reconnect_timeout')
        reconnect_timeout = int(reconnect_timeout) if reconnect_timeout is not None else max(confirm_timeout - 10, 3)
        address = applied.get('address')
        if address and address != applied.get('old_address'):
            self._point_connection_at(address)
        confirm_args = dict(args, step='confirm', job=applied['job'])
        deadline = time.monotonic() + reconnect_timeout
        # The change starts apply_delay seconds after the module answered: an attempt before that
        # would wait out an ARP or connect timeout on an address that is not there yet.
        apply_delay = args.get('apply_delay')
        time.sleep((2 if apply_delay is None else int(apply_delay)) + 0.5)
        last_error = None
        while True:
            self._drop_connection()
            try:
                confirmed = self._execute_module(module_name=MODULE, module_args=confirm_args, task_vars=task_vars)
                break
            except AnsibleConnectionFailure as error:
                last_error = error
                display.vvv('otshell_settings: not reachable yet at %s: %s' % (address, error))
            if time.monotonic() >= deadline:
                result.update(
                    failed=True,
                    changed=True,
                    confirmed=False,
                    msg='could not re-connect to the sensor at %s within %d s to confirm; otshell reverts to %s when its '
                        '%d s confirm timeout ends (last error: %s)' % (
                            address, reconnect_timeout, applied.get('old_address'), confirm_timeout,
                            last_line(last_error)),
                )
                return result
            time.sleep(1)
        for key in ('outcome', 'confirmed', 'detail', 'rc', 'msg', 'stderr'):
            if key in confirmed:
                result[key] = confirmed[key]
        if confirmed.get('failed'):
            result['failed'] = True
        result.pop('job', None)
        return result

    def _point_connection_at(self, address):
        """This task's later SSH commands go to the new address (inventory still names the old one)."""
        self._play_context.remote_addr = address
        try:
            self._connection.set_option('host', address)
        except KeyError:
            pass  # a connection plugin without a host option (local): nothing to re-point

    def _drop_connection(self):
        """Closes the persistent SSH master, which still points at the old address or died with it."""
        try:
            self._connection.reset()
        except Exception as error:  # pylint: disable=broad-except
            display.vvv('otshell_settings: reset of the connection: %s' % error)
        self._connection.close()
