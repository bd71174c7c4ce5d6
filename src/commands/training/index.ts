// The training category's commands, in the order help lists them.
import list from './list.js';
import start from './start.js';
import status from './status.js';
import hint from './hint.js';
import check from './check.js';
import outside from './outside.js';
import end from './end.js';
import report from './report.js';
import validate from './validate.js';

export const TRAINING_COMMANDS = [list, start, status, hint, check, outside, end, report, validate];
