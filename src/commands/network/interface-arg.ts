// A typed interface name is checked before it reaches a target: Linux's rules
// (1-15 characters, no "/", ":" or whitespace) and nothing that looks like an option.
export function isInterfaceNameText(text: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,14}$/.test(text);
}
