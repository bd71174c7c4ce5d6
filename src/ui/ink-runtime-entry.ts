// The entry of dist/ink-runtime.mjs: the packages the interactive shell's views import,
// bundled as one ES module (they use top-level await). See src/ui/ink-runtime.ts.
import * as ink from 'ink';
import * as react from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import * as selectInput from 'ink-select-input';

export const modules = { ink, react, 'react/jsx-runtime': jsxRuntime, 'ink-select-input': selectInput };
