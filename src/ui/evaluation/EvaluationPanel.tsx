export function EvaluationPanel() {
  return <section aria-label="EvaluationPanel">EvaluationPanel (in progress)</section>;
}
