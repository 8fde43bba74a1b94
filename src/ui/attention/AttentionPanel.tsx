export function AttentionPanel() {
  return <section aria-label="AttentionPanel">AttentionPanel (in progress)</section>;
}
