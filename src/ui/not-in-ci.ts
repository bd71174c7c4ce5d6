// Replaces the "is-in-ci" package inside Ink at build time (scripts/build.mjs).
// Ink renders only the final frame when CI=true is set; but otshell opens the
// Ink shell only when stdin and stdout are terminals, where someone is typing.
const isInCi = false;
export default isInCi;
