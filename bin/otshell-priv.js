#!/usr/bin/env node
'use strict';
// The privileged helper's node entry. Installed behind bin/otshell-priv (the
// sudoers target), which clears the environment before node starts.
const { privilegedMain } = require('../dist/priv-helper.cjs');

privilegedMain(process.env, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
  setImmediate(() => process.exit(code));
});
