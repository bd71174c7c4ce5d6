// zod's settings for the whole process; imported first by main.ts, before any schema exists.
// jitless: zod compiles a parser per object schema with new Function() on its first parse.
// A command parses a few small documents once (the state file, a site file), so that
// compile cost more than it saves, and code made by new Function() is never in V8's code
// cache (bin/load-bundle.js): about N ms of a one-shot command's start-up (docs/benchmarks-startup.md).
import * as z from 'zod/mini';

z.config({ jitless: true });
