// How many cases a property test draws. Under Stryker (npm run test:mutation) each surviving
// mutant runs every property that covers it; at the full count the address-rule properties take
// a minute per mutant on a loaded 2-core machine. There a tenth is drawn (at least 200): a mutant
// that only the rarer cases would catch then counts as surviving, so the score is a lower bound.
export function propertyRuns(numRuns: number): { numRuns: number } {
  const underMutation = process.env.STRYKER_MUTATOR_WORKER !== undefined;
  return { numRuns: underMutation ? Math.max(200, Math.round(numRuns / 10)) : numRuns };
}
