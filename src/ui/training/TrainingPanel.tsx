export function TrainingPanel() {
  return <section aria-label="TrainingPanel">TrainingPanel (in progress)</section>;
}
