#!/usr/bin/env node
// The privileged helper's node entry. Installed behind bin/otshell-priv (the
// sudoers target), which clears the environment before node starts.
import { privilegedMain } from '../dist/priv-helper.js';

const code = await privilegedMain(process.env, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
process.exitCode = code;
setImmediate(() => process.exit(code));
