# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs otshell's one-shot --json mode on the sensor and turns its answer into module results.

Every way otshell can fail (missing program, an exit code with a message on stderr, output
that is not JSON) ends in fail_json with rc and a one-line msg: never a Python traceback.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

OTSHELL_COMMON_ARGS = dict(
    otshell_path=dict(type='str', default='otshell'),
    config=dict(type='path'),
    state_dir=dict(type='path'),
)

# The rc a shell gives for a command that is not there: what a support engineer expects to read.
RC_NOT_FOUND = 127
# otshell's exit codes (src/errors.ts EXIT) that modules refer to by name.
RC_OK = 0
RC_PROBLEM = 1


def common_argument_spec(**extra):
    spec = dict(OTSHELL_COMMON_ARGS)
    spec.update(extra)
    return spec


def _otshell_binary(module):
    name = module.params['otshell_path']
    if os.path.sep in name:
        if os.path.isfile(name) and os.access(name, os.X_OK):
            return name
        return None
    return module.get_bin_path(name, required=False)


def _last_line(text):
    lines = [line.strip() for line in (text or '').splitlines() if line.strip()]
    return lines[-1] if lines else ''


def _message(text):
    """otshell's message: every non-blank stderr line (a validation error lists one problem per line)."""
    lines = [line.strip() for line in (text or '').splitlines() if line.strip()]
    return ' '.join(lines)


def run_otshell(module, args, ok_codes=(RC_OK,)):
    """Runs one otshell command with --json.

    Returns (rc, data, stderr) when rc is in ok_codes and stdout is JSON; otherwise the module fails
    with otshell's exit code and message. data is the parsed JSON, or None when otshell printed none
    for an accepted rc.
    """
    binary = _otshell_binary(module)
    if binary is None:
        module.fail_json(
            msg='otshell was not found on the sensor (looked for "%s"); install it or set otshell_path' % module.params['otshell_path'],
            rc=RC_NOT_FOUND,
            cmd=module.params['otshell_path'],
        )
    command = [binary, '--target', 'local']
    if module.params.get('config'):
        command += ['--config', module.params['config']]
    if module.params.get('state_dir'):
        command += ['--state-dir', module.params['state_dir']]
    command += list(args) + ['--json']
    # NO_COLOR and a UTF-8 locale: the JSON must not depend on the login's terminal settings.
    rc, stdout, stderr = module.run_command(command, environ_update={'NO_COLOR': '1', 'LANG': 'C.UTF-8'})
    text = (stdout or '').strip()
    data = None
    if text:
        try:
            data = json.loads(text)
        except ValueError:
            module.fail_json(
                msg='otshell printed output that is not JSON (exit %d): %s' % (rc, _last_line(text)[:200] or '(empty)'),
                rc=rc if rc != RC_OK else RC_PROBLEM,
                cmd=command,
                stdout=stdout,
                stderr=stderr,
            )
    if rc not in ok_codes:
        module.fail_json(
            msg=_message(stderr) or 'otshell exited %d' % rc,
            rc=rc,
            cmd=command,
            stderr=stderr,
            otshell=data,
        )
    return rc, data, stderr
