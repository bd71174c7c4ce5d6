// The step-by-step `network edit-settings` flow of the deployment guide. It
// only asks and returns the new settings; applying, locking and auditing are
// the command's job. PromptCancelled propagates untouched.
import type { NetworkSettings } from '../../system/adapter.js';
import type { Choice, Prompter } from '../prompter.js';
import { diffSettings, renderDiff } from './settings-diff.js';
import {
  eligibleInterfaces,
  formatMask,
  printable,
  validateAddress,
  validateBridge,
  validateDns,
  validateGateway,
  validateInputInterfaces,
  validateMask,
  type InterfaceInfo,
  type InterfaceRules,
  type RuleResult,
} from '../../net/settings-rules.js';
import { inputInterfacesValidator, toValidator } from './settings-validators.js';

export const NO_CHANGES = 'No changes were made.';

const NO = { default: false };
const list = (values: readonly string[]) => (values.length === 0 ? 'none' : values.map(printable).join(', '));

/** Asks until the rule accepts. The Prompter re-asks on its own; the loop guards one that did not. */
async function askText<T>(prompter: Prompter, question: string, rule: (v: string) => RuleResult<T>): Promise<T> {
  for (;;) {
    const result = rule(await prompter.text(question, { validate: toValidator(rule) }));
    if (result.ok) return result.value;
    prompter.say(result.reason);
  }
}

const askAddress = (prompter: Prompter, prefixLength: number) =>
  askText(prompter, 'New management IP address', (v) => validateAddress(v, prefixLength));

/**
 * Step 2. A new mask can turn the current address into the network or
 * broadcast address of its subnet: the user then picks another mask or a new
 * address, so the pair that leaves this step always fits.
 */
async function askMask(prompter: Prompter, ip: string): Promise<{ ip: string; prefixLength: number }> {
  for (;;) {
    const prefixLength = await askText(prompter, 'New subnet mask (e.g. 255.255.255.0 or /24)', validateMask);
    const fits = validateAddress(ip, prefixLength);
    if (fits.ok) return { ip, prefixLength };
    prompter.say(`With the mask ${formatMask(prefixLength)} the management IP address no longer fits: ${fits.reason}`);
    const fix = await prompter.choose('How do you want to fix it?', [
      { label: 'Enter another subnet mask', value: 'mask' as const },
      { label: 'Enter a new management IP address', value: 'ip' as const },
    ]);
    if (fix === 'ip') return { ip: await askAddress(prompter, prefixLength), prefixLength };
  }
}

async function askInputs(prompter: Prompter, rules: InterfaceRules, current: string[]): Promise<string[]> {
  const eligible = eligibleInterfaces(rules);
  if (eligible.length === 0) {
    prompter.say('There is no interface besides the management interface; the input interfaces stay as they are.');
    return current;
  }
  const choices = eligible.map((i) => ({ label: i.name, value: i.name, hint: i.role }));
  for (;;) {
    const chosen = await prompter.chooseMany('Input interfaces', choices, {
      initial: current.filter((name) => eligible.some((i) => i.name === name)),
      validate: inputInterfacesValidator(rules),
    });
    const result = validateInputInterfaces(chosen, rules);
    if (result.ok) return result.value;
    prompter.say(result.reason);
  }
}

async function askBridge(prompter: Prompter, rules: InterfaceRules, inputs: string[], current: string | null) {
  const choices: Choice<string | null>[] = eligibleInterfaces(rules)
    .filter((i) => !inputs.includes(i.name))
    // Every interface offered here is not an input (any more): "monitor" would describe the old settings.
    .map((i) => ({ label: i.name, value: i.name, hint: i.role === 'monitor' ? 'unused' : i.role }));
  choices.push({ label: 'none', value: null, hint: 'no bridge interface' });
  const initial = choices.some((c) => c.value === current) ? current : null;
  for (;;) {
    const result = validateBridge(await prompter.choose('Bridge interface', choices, { initial }), {
      ...rules,
      inputInterfaces: inputs,
    });
    if (result.ok) return result.value;
    prompter.say(result.reason);
  }
}

/**
 * Runs the seven steps. Returns the new settings when the user confirmed a
 * change, null when nothing changed or the user declined at the end.
 */
export async function runEditWizard(
  prompter: Prompter,
  current: NetworkSettings,
  interfaces: InterfaceInfo[],
): Promise<NetworkSettings | null> {
  const rules: InterfaceRules = { interfaces, managementInterface: current.managementInterface };
  let { ip, prefixLength, dns, gateway, inputInterfaces, bridgeInterface } = current;

  // 1. Address, checked against the current mask (step 2 re-checks it against a new one).
  if (await prompter.confirm(`Change the management network IP address? (current: ${printable(ip)})`, NO)) {
    ip = await askAddress(prompter, prefixLength);
  }
  // 2. Mask.
  if (await prompter.confirm(`Change the subnet mask? (current: ${formatMask(prefixLength)})`, NO)) {
    ({ ip, prefixLength } = await askMask(prompter, ip));
  }
  // 3. DNS.
  if (await prompter.confirm(`Change the DNS? (current: ${list(dns)})`, NO)) {
    dns = await askText(prompter, 'New DNS servers (one to three, separated by commas or spaces)', validateDns);
  }
  // 4. Gateway. When steps 1-2 moved the subnet away from it, N is not an
  // answer that leaves valid settings: say why and ask for it directly.
  const subnet = { ip, prefixLength };
  const askGateway = () =>
    askText(prompter, 'New default gateway IP address', (v) => validateGateway(v, subnet));
  const gatewayFits = validateGateway(gateway, subnet);
  if (!gatewayFits.ok) {
    prompter.say(`The current default gateway no longer fits the new address: ${gatewayFits.reason}`);
    gateway = await askGateway();
  } else if (await prompter.confirm(`Change the default gateway IP address? (current: ${printable(gateway)})`, NO)) {
    gateway = await askGateway();
  }
  // 5. Input interfaces.
  if (await prompter.confirm(`Change the input interfaces (sensor only)? (current: ${list(inputInterfaces)})`, NO)) {
    const chosen = await askInputs(prompter, rules, inputInterfaces);
    // Same set in another order is no change: keep the stored order.
    const sameSet = chosen.length === inputInterfaces.length && chosen.every((n) => inputInterfaces.includes(n));
    if (!sameSet) inputInterfaces = chosen;
  }
  // 6. Bridge. Same idea as step 4: a bridge that became an input interface must be replaced.
  const bridgeFits = validateBridge(bridgeInterface, { ...rules, inputInterfaces });
  if (!bridgeFits.ok) {
    prompter.say(`The current bridge interface no longer fits: ${bridgeFits.reason}`);
    bridgeInterface = await askBridge(prompter, rules, inputInterfaces, bridgeInterface);
  } else if (await prompter.confirm(`Change the bridge interface? (current: ${printable(bridgeInterface ?? 'none')})`, NO)) {
    bridgeInterface = await askBridge(prompter, rules, inputInterfaces, bridgeInterface);
  }
  // 7. Summary and the final word.
  const next: NetworkSettings = { ...current, ip, prefixLength, dns, gateway, inputInterfaces, bridgeInterface };
  const diff = diffSettings(current, next);
  if (diff.length === 0) return null;
  prompter.say(`Summary of changes:\n${renderDiff(diff)}`);
  return (await prompter.confirm('Apply the settings?', NO)) ? next : null;
}
