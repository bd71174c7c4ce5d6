// A single-choice question (a menu) drawn by ink-select-input. Its own key
// handling is off (isFocused false): measured with tmux, it reads one key per
// input chunk, so "Up" and "Enter" arriving in one read (typed ahead, pasted,
// a slow link) lost the "Up" and picked the wrong row. The shell controller
// decodes every key of a chunk and moves the highlight; the list is remounted
// at that row. Every label is untrusted and drawn through SafeText.
import SelectInput from 'ink-select-input';
import type { Choice } from '../commands/prompter.js';
import { SafeText } from '../output/ink-text.js';
import { untrusted } from '../output/escape.js';

type Look = { color: boolean; ascii: boolean };

export function ChoiceSelect({ choices, index, look }: { choices: Choice<unknown>[]; index: number; look: Look }) {
  const items = choices.map((choice, i) => ({
    key: String(i),
    label: `${untrusted(choice.label)}${choice.hint ? `  (${untrusted(choice.hint)})` : ''}`,
    value: i,
  }));
  const pointer = look.ascii ? '>' : '\u276f';
  return (
    <SelectInput
      key={index}
      items={items}
      initialIndex={index}
      isFocused={false}
      indicatorComponent={({ isSelected }) => <SafeText look={look} inverse={isSelected === true} text={isSelected ? `${pointer} ` : '  '} />}
      itemComponent={({ isSelected, label }) => <SafeText look={look} inverse={isSelected === true} text={label} />}
    />
  );
}
