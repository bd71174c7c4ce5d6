// The one list of commands. Adding a command: write its file, add it here.
// The built otshell loads each command's module only when the command runs or
// completes a word: scripts/lazy-commands.mjs makes this list's stand-in from it.
import type { AnyCommand } from './types.js';
import networkList from './network/list.js';
import systemSanity from './system/sanity.js';
import networkEditSettings from './network/edit-settings.js';
import networkValidate from './network/validate.js';
import systemReboot from './system/reboot.js';
import systemShutdown from './system/shutdown.js';
import systemAudit from './system/audit.js';
import networkConfirm from './network/confirm.js';
import networkValidateCapture from './network/validate-capture.js';
import networkCaptureCheck from './network/capture-check.js';
import systemPassword from './system/password.js';
import systemUnlock from './system/unlock.js';
import systemShell from './system/shell.js';
import networkPing from './network/ping.js';
import networkBlink from './network/blink.js';
import networkStatistics from './network/statistics.js';
import systemVersion from './system/version.js';
import systemDate from './system/date.js';
import { FLOW_COMMANDS, menuCommand } from './troubleshoot/commands.js';
import ntpEnable from './ntp/enable.js';
import ntpDisable from './ntp/disable.js';
import ntpStatus from './ntp/status.js';
import systemBackup from './system/backup.js';
import systemBackupList from './system/backup-list.js';
import systemBackupPath from './system/backup-path.js';
import systemRestore from './system/restore.js';
import networkRequirements from './network/requirements.js';
import { TRAINING_COMMANDS } from './training/index.js';
import fleetReport from './fleet/report.js';

export const COMMANDS: AnyCommand[] = [
  networkList,
  networkEditSettings,
  networkValidate,
  networkConfirm,
  networkValidateCapture,
  networkPing,
  networkBlink,
  networkStatistics,
  networkRequirements,
  networkCaptureCheck,
  systemSanity,
  systemVersion,
  systemDate,
  systemReboot,
  systemShutdown,
  systemAudit,
  systemPassword,
  systemUnlock,
  systemShell,
  ...FLOW_COMMANDS,
  menuCommand,
  ntpEnable,
  ntpDisable,
  ntpStatus,
  systemBackup,
  systemBackupList,
  systemBackupPath,
  systemRestore,
  ...TRAINING_COMMANDS,
  fleetReport,
];
