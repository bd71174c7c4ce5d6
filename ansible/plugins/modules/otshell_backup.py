#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: otshell_backup
short_description: Make a backup of an OT sensor through otshell
version_added: 0.1.0
description:
  - Runs C(otshell system backup --json) on the sensor and returns the path of the new backup file,
    ready for M(ansible.builtin.fetch).
  - In check mode it makes nothing and reports the backups already there (C(otshell system backup-list)).
extends_documentation_fragment:
  - otshell.sensor.otshell
options: {}
attributes:
  check_mode:
    support: full
    description: Lists the backups instead of making one.
  diff_mode:
    support: none
    description: A backup has no diff.
author:
  - otshell maintainers (@otshell)
'''

EXAMPLES = r'''
- name: Make a backup
  otshell.sensor.otshell_backup:
  register: backup

- name: Bring it home
  ansible.builtin.fetch:
    src: "{{ backup.path }}"
    dest: "backups/{{ inventory_hostname }}/"
    flat: true
'''

RETURN = r'''
path:
  description: The backup file on the sensor.
  returned: changed
  type: str
  sample: /var/lib/otshell/backups/D4Iot-backup-version-22.2.5.9-r-2121448-2026-11-29T05-32-58Z.tar
backup:
  description: What C(otshell system backup --json) printed (path, manifest, removed old backups).
  returned: changed
  type: dict
  sample: {path: /var/lib/otshell/backups/x.tar, manifest: {}, removed: []}
backups:
  description: In check mode, what C(otshell system backup-list --json) printed.
  returned: check mode
  type: dict
  sample: {}
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.otshell.sensor.plugins.module_utils.otshell import (
    common_argument_spec,
    run_otshell,
)


def main():
    module = AnsibleModule(argument_spec=common_argument_spec(), supports_check_mode=True)
    if module.check_mode:
        dummy, data, dummy_err = run_otshell(module, ['system', 'backup-list'])
        module.exit_json(changed=True, backups=data)
    dummy, data, dummy_err = run_otshell(module, ['system', 'backup'])
    if not isinstance(data, dict) or not isinstance(data.get('path'), str):
        module.fail_json(msg='otshell system backup printed no backup path', rc=1, backup=data)
    module.exit_json(changed=True, path=data['path'], backup=data)


if __name__ == '__main__':
    main()
