// The settings rules in the Prompter's Validator shape (a message or null), for the wizard.
import type { Validator } from '../prompter.js';
import {
  validateAddress,
  validateDns,
  validateGateway,
  validateInputInterfaces,
  validateMask,
  type InterfaceRules,
  type RuleResult,
  type Subnet,
} from '../../net/settings-rules.js';

/** Turns a rule into the Prompter's Validator shape (message or null). */
export function toValidator<T>(rule: (value: string) => RuleResult<T>): Validator {
  return (value) => {
    const result = rule(value);
    return result.ok ? null : result.reason;
  };
}

export const addressValidator = (prefixLength?: number): Validator =>
  toValidator((v) => validateAddress(v, prefixLength));
export const maskValidator: Validator = toValidator(validateMask);
export const gatewayValidator = (subnet: Subnet): Validator => toValidator((v) => validateGateway(v, subnet));
export const dnsValidator: Validator = toValidator(validateDns);
export const inputInterfacesValidator =
  (rules: InterfaceRules) =>
  (values: string[]): string | null => {
    const result = validateInputInterfaces(values, rules);
    return result.ok ? null : result.reason;
  };
